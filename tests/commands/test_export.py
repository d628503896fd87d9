"""`workbench export`: a Postman v2.1 file, and a one-line error for a folder that is no collection."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

import peers
import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_export_writes_postman_json(tmp_path: Path, echo_collection: Path, cli: Cli) -> None:
    out = tmp_path / "out.json"
    result = cli("export", str(echo_collection), "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["info"]["schema"].endswith("v2.1.0/collection.json")
    assert {i["name"] for i in doc["item"]} == {"get", "teapot"}
    bad = cli("export", str(tmp_path))
    assert bad.returncode == 2 and "collection.yaml" in bad.stderr


def test_export_runs_under_newman_like_the_app(tmp_path: Path, httpbin: peers.Peer, cli: Cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`export --format postman`, run by Postman's newman, sends what the app sends (as httpbin echoes it).

    Secrets are exported as {{variables}} and given to newman with --env-var, as a CI job would.
    The secret store is a file here so the `workbench export` process sees what this one saved.
    """
    import asyncio
    import os

    from workbench.core.collections import (
        Auth,
        Body,
        Collection,
        Folder,
        KeyValue,
        Request,
    )
    from workbench.core.context.resolve import resolve_context
    from workbench.core.sending.send import send
    from workbench.core.workspace import secrets, storage

    monkeypatch.setenv("WORKBENCH_SECRETS", "file")
    secrets.set_backend(secrets.FileBackend(secrets.data_dir() / "secrets.json"))
    ws = tmp_path / "ws"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection(
        "Parity", variables=(KeyValue("baseUrl", httpbin.url),), headers=(KeyValue("X-Tenant", "t1"),),
        requests=(
            Request("query", "GET", "{{baseUrl}}/anything/q", params=(KeyValue("a", "1 2"), KeyValue("off", "x", False)),
                    headers=(KeyValue("X-One", "1"),)),
            Request("json", "POST", "{{baseUrl}}/anything/j", body=Body("raw", "application/json", '{"n": [1, 2]}'),
                    auth=Auth("basic", {"username": "alice", "password": "s3cret"})),
            Request("form", "PUT", "{{baseUrl}}/anything/f", body=Body("form", form=(KeyValue("k", "v w"),
                                                                                    KeyValue("z", "&")))),
        ),
        folders=(Folder("Auth", auth=Auth("bearer", {"token": "tok-123"}), requests=(
            Request("bearer", "DELETE", "{{baseUrl}}/anything/d", headers=(KeyValue("Accept", "application/json"),)),
        )),)))
    out = tmp_path / "parity.postman_collection.json"
    result = cli("export", str(ws / coll.path), "--format", "postman", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = tmp_path / "newman.json"
    newman = subprocess.run([peers.node_bin("newman"), "run", str(out), "--env-var", "password=s3cret",
                             "--env-var", "token=tok-123", "--reporters", "json", "--reporter-json-export",
                             str(report)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    assert newman.returncode == 0, newman.stdout[-2000:] + newman.stderr[-2000:]
    theirs = {e["item"]["name"]: json.loads(bytes(e["response"]["stream"]["data"]))
              for e in json.loads(report.read_text())["run"]["executions"]}

    workspace = storage.load_workspace(ws)
    (loaded,) = workspace.collections
    ctx = resolve_context(workspace, loaded)
    ours = {r.name: json.loads(asyncio.run(send(r, ctx)).response.text()) for r in loaded.all_requests()}

    def seen(echo: dict[str, object]) -> dict[str, object]:
        headers = {k.lower(): v for k, v in echo["headers"].items()}  # type: ignore[attr-defined]
        keep = ("authorization", "content-type", "x-tenant", "x-one", "accept") if "accept" in headers and \
            headers["accept"] == "application/json" else ("authorization", "content-type", "x-tenant", "x-one")
        return {"method": echo["method"], "url": echo["url"], "args": echo["args"], "form": echo["form"],
                "data": echo["data"], "headers": {k: headers.get(k) for k in keep}}

    assert set(theirs) == set(ours) == {"query", "json", "form", "bearer"}
    for name in ours:
        assert seen(theirs[name]) == seen(ours[name]), name
