"""`workbench import SOURCE --into WS`: OpenAPI descriptors and OData `$metadata`, as a script runs it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import peers

from workbench.core.context.resolve import resolve_context
from workbench.core.sending.send import send
from workbench.core.workspace import storage


def test_cli_import_json_and_reimport(tmp_path: Path, shared_data: Path) -> None:
    """`workbench import SOURCE --into WS --json` prints the counts; bad input exits 2 with one line."""
    cmd = [sys.executable, "-m", "workbench", "import"]
    out = subprocess.run(cmd + [str(shared_data / "openapi" / "petstore-v3.0.yaml"), "--into", str(tmp_path / "ws"),
                                "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {k: data[k] for k in ("collection", "folders", "requests", "environments", "warnings")} == {
        "collection": "Swagger Petstore", "folders": 1, "requests": 3, "environments": 1, "warnings": []}
    bad = tmp_path / "bad.json"
    bad.write_text('{"openapi": "3.0.0",')
    out = subprocess.run(cmd + [str(bad), "--into", str(tmp_path / "ws")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "invalid JSON at line 1" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run(cmd + [str(shared_data / "openapi" / "petstore-v3.0.yaml"), "--into", str(tmp_path / "ws"),
                                "--group-by", "path"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "0 added, 0 updated, 0 removed" in out.stdout


def test_service_import_sends_at_once(odata_server: peers.Peer, tmp_path: Path) -> None:
    """`workbench import …/$metadata`: the generated list request answers with the seed rows."""
    ws = tmp_path / "ws"
    result = subprocess.run([sys.executable, "-m", "workbench", "import", f"{odata_server.url}/$metadata",
                             "--into", str(ws), "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["requests"] > 0
    workspace = storage.load_workspace(ws)
    (coll,) = workspace.collections
    users = next(f for f in coll.folders if f.name == "Users")
    listing = next(r for r in users.requests if r.method == "GET" and "(" not in r.url)
    # No environment to pick: the import chose the collection's own, which holds the service root.
    exchange = asyncio.run(send(listing, resolve_context(workspace, coll)))
    assert exchange.response.status == 200
    seed_rows = len((Path(__file__).parents[1] / "servers" / "odata" / "db" / "data" / "wb-Users.csv")
                    .read_text().strip().splitlines()) - 1
    top = next((int(p.value) for p in listing.params if p.name == "$top" and p.enabled), seed_rows)
    assert len(json.loads(exchange.response.text())["value"]) == min(seed_rows, top)
