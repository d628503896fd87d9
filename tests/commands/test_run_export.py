"""`workbench run` and `workbench export`: exit codes, output shape, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workbench.core.collections import Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=60)


def _workspace(tmp_path: Path, base: str) -> Path:
    ws = tmp_path / "ws"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection("Echo", requests=(
        Request("get", "GET", "{{baseUrl}}/get"), Request("teapot", "GET", "{{baseUrl}}/status/418"))))
    storage.save_environment(ws, Environment("local", (KeyValue("baseUrl", base),)))
    return ws / coll.path


def test_run_reports_each_request_and_fails_on_4xx(tmp_path: Path, httpbin) -> None:
    coll = _workspace(tmp_path, httpbin.url)
    result = _cli("run", str(coll), "--env", "local", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["requests"] == 2 and data["failed"] == 1
    assert sorted(r["status"] for r in data["results"]) == [200, 418]


def test_run_bad_input_is_one_line(tmp_path: Path) -> None:
    result = _cli("run", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_export_writes_postman_json(tmp_path: Path, httpbin) -> None:
    coll = _workspace(tmp_path, httpbin.url)
    out = tmp_path / "out.json"
    result = _cli("export", str(coll), "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["info"]["schema"].endswith("v2.1.0/collection.json")
    assert {i["name"] for i in doc["item"]} == {"get", "teapot"}
    bad = _cli("export", str(tmp_path))
    assert bad.returncode == 2 and "collection.yaml" in bad.stderr
