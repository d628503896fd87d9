"""Importing `$metadata` as a collection: from a file and from a live service, ready to send."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.csdl.to_collection import (
    import_metadata_into_workspace,
    looks_like_csdl,
    service_root_of,
)
from workbench.core.errors import SpecImportError
from workbench.core.sending.send import SendContext, send
from workbench.core.workspace import storage


def test_sniffing_tells_csdl_from_openapi(shared_data: Path, tmp_path: Path) -> None:
    assert looks_like_csdl(str(shared_data / "csdl" / "TripPin.xml"))
    assert looks_like_csdl(str(shared_data / "csdl" / "Northwind-V2-service.edmx"))
    assert not looks_like_csdl(str(shared_data / "openapi" / "petstore-v3.0.yaml"))
    assert not looks_like_csdl(str(shared_data / "csdl" / "odata-openapi-examples" / "TripPin.openapi3.json"))
    (tmp_path / "c.json").write_text('{"$Version": "4.01", "$EntityContainer": "x.C"}')
    assert looks_like_csdl(str(tmp_path / "c.json"))
    assert looks_like_csdl("http://h/svc/$metadata") and not looks_like_csdl("http://h/openapi.json")
    assert service_root_of("http://h/svc/$metadata?sap-client=1") == "http://h/svc"


def test_file_import_makes_folders_per_entity_set(shared_data: Path, tmp_path: Path) -> None:
    summary = import_metadata_into_workspace(str(shared_data / "csdl" / "TripPin.xml"), tmp_path / "ws")
    ws = storage.load_workspace(tmp_path / "ws")
    (coll,) = ws.collections
    assert {"People", "Airlines", "Airports", "Photos"} <= {f.name for f in coll.folders}
    assert summary.requests == len(coll.all_requests()) > 10
    assert summary.warnings and "serviceRoot" in summary.warnings[0]  # a file has no service root
    with pytest.raises(SpecImportError, match="already has a collection"):
        import_metadata_into_workspace(str(shared_data / "csdl" / "TripPin.xml"), tmp_path / "ws")


def test_service_import_sends_at_once(odata_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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
    exchange = asyncio.run(send(listing, SendContext(collection=coll, environment=workspace.environments[0])))
    assert exchange.response.status == 200
    seed_rows = len((Path(__file__).parents[2] / "servers" / "odata" / "db" / "data" / "wb-Users.csv")
                    .read_text().strip().splitlines()) - 1
    top = next((int(p.value) for p in listing.params if p.name == "$top" and p.enabled), seed_rows)
    assert len(json.loads(exchange.response.text())["value"]) == min(seed_rows, top)
