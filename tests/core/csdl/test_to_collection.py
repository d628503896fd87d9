"""Importing `$metadata` as a collection: from a file and from a live service, ready to send."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.csdl.to_collection import (
    import_metadata_into_workspace,
    looks_like_csdl,
    service_root_of,
)
from workbench.core.errors import SpecImportError
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


def test_concurrent_imports_of_one_metadata_file_give_one_collection(tmp_path: Path, race) -> None:  # type: ignore[no-untyped-def]
    """Imports of one `$metadata` file into a new workspace at once queue on the workspace lock:
    one collection; the others get a clean "already has a collection", never `Container 2`."""
    source = str(Path(__file__).resolve().parents[2] / "data" / "csdl" / "constructs-v4.xml")
    ws = tmp_path / "ws"
    outcomes = race(lambda: import_metadata_into_workspace(source, ws))
    assert outcomes.count("ok") == 1, outcomes
    assert all("already has a collection named 'Container'" in o for o in outcomes if o != "ok")
    (collection,) = storage.load_workspace(ws).collections
    assert len(collection.all_requests()) == 17 and len(collection.environments) == 1


def test_utf16_metadata_without_a_bom_is_recognised(tmp_path: Path) -> None:
    xml = (Path(__file__).resolve().parents[2] / "data" / "csdl" / "constructs-v4.xml").read_text(encoding="utf-8")
    (tmp_path / "le.xml").write_bytes(xml.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16-le"))
    (tmp_path / "be.xml").write_bytes(xml.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))
    assert looks_like_csdl(str(tmp_path / "le.xml")) and looks_like_csdl(str(tmp_path / "be.xml"))
    (tmp_path / "t.txt").write_bytes("<html>Edmx</html>".encode("utf-16"))
    assert not looks_like_csdl(str(tmp_path / "t.txt"))
