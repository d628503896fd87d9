"""`workbench run`: checks, save steps, data files, reporters, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import peers
import pytest

from workbench.core.collections import (
    Body,
    Check,
    Collection,
    Environment,
    Folder,
    KeyValue,
    Request,
    SaveStep,
)
from workbench.core.workspace import storage

Cli = Callable[..., subprocess.CompletedProcess[str]]


def _crud(tmp_path: Path, httpbin: peers.Peer) -> Path:
    """Create (POST echoes the id back), then read with the saved id; a DELETE; a failing check."""
    ws = tmp_path / "crud"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection("Crud", folders=(Folder("Items", path="Items", requests=(
        Request("create", "POST", "{{baseUrl}}/anything",
                body=Body("raw", "application/json", '{"id": "{{name}}-1", "name": "{{name}}"}'),
                checks=(Check("status", expected="2xx"), Check("json", "$.json.name", "equals", "{{name}}"),
                        Check("header", "Content-Type", "equals", "application/json"),
                        Check("time", op="below", expected="5000")),
                save=(SaveStep("itemId", "json", "$.json.id"),)),
        Request("read", "GET", "{{baseUrl}}/anything/{{itemId}}",
                checks=(Check("json", "$.url", "contains", "{{itemId}}"), Check("json", "$.args", "exists"))),
        Request("remove", "DELETE", "{{baseUrl}}/anything/{{itemId}}"),
    )),), requests=(Request("teapot", "GET", "{{baseUrl}}/status/418", checks=(Check("status", expected="418"),)),)))
    storage.save_environment(ws, Environment("local", (KeyValue("baseUrl", httpbin.url), KeyValue("name", "env"))))
    return ws / coll.path


def test_run_without_checks_passes_on_any_response(echo_collection: Path, cli: Cli) -> None:
    """A request without checks passes when an HTTP response arrives, even a 418 (as in newman)."""
    result = cli("run", str(echo_collection), "--env", "local", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["requests"] == 2 and data["failed"] == 0
    assert sorted(r["status"] for r in data["results"]) == [200, 418]


def test_data_rows_checks_saves_and_reports(tmp_path: Path, httpbin: peers.Peer, cli: Cli) -> None:
    """One iteration per CSV row; what `create` saved reaches `read`; JSON and JUnit land in the --out folder."""
    coll = _crud(tmp_path, httpbin)
    data = tmp_path / "rows.csv"
    data.write_text("name\nalpha\nbeta\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = cli("run", str(coll), "--env", "local", "--data", str(data), "--delay-ms", "1",
                 "--reporter", "cli,json,junit", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 request(s) in 2 iteration(s), 0 failed" in result.stdout
    assert "2 DELETE request(s) sent: remove" in result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    reads = [r for r in report["results"] if r["name"] == "read"]
    assert [r["iteration"] for r in reads] == [0, 1] and all(r["passed"] for r in reads)
    suites = ET.parse(out / "junit.xml").getroot()
    assert suites.get("tests") == "8" and suites.get("failures") == "0" and len(suites.findall("testsuite")) == 2
    assert [c.get("name") for c in suites.find("testsuite").findall("testcase")] == [  # type: ignore[union-attr]
        "POST create", "GET read", "DELETE remove", "GET teapot"]


def test_failed_check_exits_1_and_junit_names_it(tmp_path: Path, httpbin: peers.Peer, cli: Cli) -> None:
    coll = _crud(tmp_path, httpbin)
    junit = tmp_path / "j.xml"
    result = cli("run", str(coll), "--env", "local", "--var", "baseUrl=" + httpbin.url, "--folder", "Items",
                 "--iterations", "1", "--reporter", "junit", "--out", str(junit), "--var", "name=x")
    assert result.returncode == 0, result.stderr
    storage.save_request(coll.parent, coll.name, Request(
        "teapot", "GET", "{{baseUrl}}/status/418", path="teapot.yaml", checks=(Check("status", expected="2xx"),)))
    result = cli("run", str(coll), "--env", "local", "--reporter", "junit", "--out", str(junit), "--bail")
    assert result.returncode == 1
    case = next(c for c in ET.parse(junit).getroot().iter("testcase") if c.get("name") == "GET teapot")
    assert "status 418, expected 2xx" in case.find("failure").get("message", "")  # type: ignore[union-attr]


def test_run_reports_skipped_files_and_refuses_a_broken_request(echo_collection: Path, cli: Cli) -> None:
    (echo_collection / "notes.yaml").write_text("openapi: 3.0.0\n", encoding="utf-8")
    result = cli("run", str(echo_collection), "--env", "local")
    assert result.returncode == 0 and "notes.yaml: skipped, not a request" in result.stderr
    (echo_collection / "broken.yaml").write_text("name: b\nmethod: 'G ET'\nurl: x\n", encoding="utf-8")
    result = cli("run", str(echo_collection), "--env", "local")
    assert result.returncode == 2 and "broken.yaml" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing was sent


def test_run_bad_input_is_one_line(tmp_path: Path, echo_collection: Path, cli: Cli) -> None:
    result = cli("run", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "an array"}', encoding="utf-8")
    for extra in (["--data", str(bad)], ["--reporter", "json,junit"], ["--reporter", "tap"], ["--iterations", "0"]):
        result = cli("run", str(echo_collection), *extra)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, (extra, result.stderr)


def test_run_records_history_with_secret_values_masked(tmp_path: Path, httpbin: peers.Peer,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`workbench run` records each send; a secret variable sent as `subscription-key`, in an
    `X-Auth` header and in a path segment is masked by value. The secret is kept in a secrets
    file the CLI process reads too (the suite's memory backend dies with the test process)."""
    import os
    import sys

    from workbench.core.workspace import secrets

    secret = "Zx9-s3cr3t/v+1"
    data = tmp_path / "userdata"
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(data))
    secrets.set_backend(secrets.FileBackend(data / "secrets.json"))
    ws = tmp_path / "ws"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection("Masked", requests=(
        Request("leak", "GET", "{{baseUrl}}/anything/{{apiKey}}?subscription-key={{apiKey}}",
                headers=(KeyValue("X-Auth", "{{apiKey}}"),)),)))
    storage.save_environment(ws, Environment("local", (KeyValue("baseUrl", httpbin.url), KeyValue("apiKey", secret)),
                                             frozenset({"apiKey"})))
    assert secret not in (ws / "environments" / "local.yaml").read_text(encoding="utf-8")
    env = {**os.environ, "WORKBENCH_SECRETS": "file", "WORKBENCH_DATA_DIR": str(data)}
    result = subprocess.run([sys.executable, "-m", "workbench", "run", str(ws / coll.path), "--env", "local"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    raw = (ws / ".workbench" / "history.jsonl").read_text(encoding="utf-8")
    entry = json.loads(raw.splitlines()[-1])
    assert entry["status"] == 200 and entry["request_path"] == "leak.yaml"
    for form in (secret, "Zx9-s3cr3t%2Fv%2B1", "s3cr3t"):
        assert form not in raw
    assert "subscription-key=•••" in raw and '"X-Auth", "•••"' in raw
    # --no-history leaves history as it was.
    again = subprocess.run([sys.executable, "-m", "workbench", "run", str(ws / coll.path), "--env", "local",
                            "--no-history"], capture_output=True, text=True, timeout=60, env=env)
    assert again.returncode == 0, again.stderr
    assert (ws / ".workbench" / "history.jsonl").read_text(encoding="utf-8") == raw
