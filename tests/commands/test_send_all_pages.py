"""`workbench send --all-pages` against a Frends-style API and CAP, as a script would run it."""

from __future__ import annotations

import json
from pathlib import Path

import paged_api as server
import pytest

from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage

FRENDS = "/frends/api/v1/api-management/api-specifications"


@pytest.fixture
def ws(tmp_path: Path, paged_api: server.PagedApi) -> Path:
    """Frends: the API key (a secret of the environment) as the whole Authorization value."""
    root = tmp_path / "ws"
    storage.init_workspace(root, "Paging")
    auth = Auth("apikey", {"name": "Authorization", "value": "{{apiKey}}", "in": "header"})
    storage.save_collection(str(root), Collection("Frends", requests=(
        Request("List", "GET", "{{base}}" + FRENDS, params=(KeyValue("PageSize", "{{size}}"),)),
        Request("Elsewhere", "GET", "{{base}}/elsewhere/items"),
    ), variables=(KeyValue("base", paged_api.url), KeyValue("size", "20")), auth=auth))
    storage.save_environment(str(root), Environment("Dev", (KeyValue("apiKey", server.FRENDS_KEY),)))
    return root


def test_all_pages_json(workbench_run, ws: Path, paged_api: server.PagedApi) -> None:
    before = len(paged_api.requests)
    result = workbench_run("send", str(ws / "Frends" / "List.yaml"), "--env", "Dev", "--all-pages", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"pages": 3, "items": server.ROWS, "status": 200}
    assert [s.authorization for s in paged_api.requests[before:]] == [server.FRENDS_KEY] * 3
    # `--var` reaches every page: the page size is the variable's.
    capped = workbench_run("send", str(ws / "Frends" / "List.yaml"), "--env", "Dev", "--var", "size=10",
                           "--all-pages", "--max-pages", "2", "--json")
    assert capped.returncode == 0 and json.loads(capped.stdout) == {"pages": 2, "items": 20, "status": 200}
    assert "--max-pages 2" in capped.stderr


def test_all_pages_text_summary_and_failures(workbench_run, ws: Path) -> None:
    text = workbench_run("send", str(ws / "Frends" / "List.yaml"), "--env", "Dev", "--all-pages", "--no-history")
    lines = text.stdout.splitlines()
    assert text.returncode == 0 and len(lines) == 4
    assert lines[0].startswith("page 1: 200 OK, 20 items, GET http") and lines[2].startswith("page 3: 200 OK, 17 items")
    assert lines[3] == f"3 pages, {server.ROWS} items, last status 200"
    # Without the environment the key is missing: bad input, nothing sent.
    missing = workbench_run("send", str(ws / "Frends" / "List.yaml"), "--all-pages", "--json")
    assert missing.returncode == 2 and "apiKey" in missing.stderr and missing.stdout == ""
    elsewhere = workbench_run("send", str(ws / "Frends" / "Elsewhere.yaml"), "--env", "Dev", "--all-pages", "--json")
    assert elsewhere.returncode == 1 and "another server" in elsewhere.stderr
    assert json.loads(elsewhere.stdout) == {"pages": 1, "items": 5, "status": 200}
    bad = workbench_run("send", str(ws / "Frends" / "List.yaml"), "--max-pages", "3")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.peers
def test_all_pages_of_cap_server_driven_paging(workbench_run, tmp_path: Path, odata_server) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "cap"
    storage.init_workspace(root, "CAP")
    storage.save_collection(str(root), Collection("Cases", requests=(
        Request("Paged", "GET", "{{root}}/PagedTasks", params=(KeyValue("$select", "ID"),)),),
        variables=(KeyValue("root", odata_server.url),)))
    result = workbench_run("send", str(root / "Cases" / "Paged.yaml"), "--all-pages", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    seed = Path(__file__).resolve().parents[1] / "servers" / "odata" / "db" / "data" / "wb-Tasks.csv"
    rows = len(seed.read_text(encoding="utf-8").strip().splitlines()) - 1
    assert data["items"] == rows and data["status"] == 200 and data["pages"] >= -(-rows // 10)
