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


def test_cli_imports_curl_postman_and_refuses_the_rest(tmp_path: Path) -> None:
    """A curl file and a Postman environment import; a file of no known format is one line and exit 2."""
    cmd = [sys.executable, "-m", "workbench", "import"]
    ws = tmp_path / "ws"
    (tmp_path / "call.sh").write_text("curl -X POST 'https://h.example/post' \\\n  -H 'Content-Type: application/json' "
                                      "\\\n  -u bob:hunter2 -d '{\"a\": 1}'\n")
    out = subprocess.run(cmd + [str(tmp_path / "call.sh"), "--into", str(ws), "--json"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert {k: json.loads(out.stdout)[k] for k in ("collection", "requests")} == {"collection": "Imported from curl",
                                                                                  "requests": 1}
    assert "hunter2" not in "".join(p.read_text() for p in ws.rglob("*.yaml"))
    (tmp_path / "env.json").write_text(json.dumps({"name": "Prod", "values": [{"key": "u", "value": "https://p"}]}))
    out = subprocess.run(cmd + [str(tmp_path / "env.json"), "--into", str(ws), "--target-collection",
                                "Imported from curl"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "1 environment" in out.stdout, out.stderr
    (tmp_path / "notes.txt").write_text("curl is great\n  - but: [this is not YAML\n")
    out = subprocess.run(cmd + [str(tmp_path / "notes.txt"), "--into", str(ws)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "YAML" not in out.stderr and "accepted: a curl command" in out.stderr


def test_import_exit_codes_unreachable_server_is_1_bad_url_is_2(tmp_path: Path) -> None:
    """The README's rule: an unreachable server is a failure (1), a malformed URL is bad input (2)."""
    cmd = [sys.executable, "-m", "workbench", "import"]
    for source, code in (("http://127.0.0.1:9/openapi.json", 1), ("http://127.0.0.1:9/svc/$metadata", 1),
                         ("http://[::1/x", 2)):
        out = subprocess.run(cmd + [source, "--into", str(tmp_path / "ws")], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == code, (source, out.stderr)
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
        assert ("refused" in out.stderr) == (code == 1)
