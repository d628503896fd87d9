"""Loading metadata from files and from a real OData v4 service (SAP CAP), with its auth."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from workbench.core.collections import Auth, Request
from workbench.core.csdl.source import (
    is_url,
    load_file,
    load_metadata,
    load_metadata_sync,
    metadata_request,
    metadata_url,
    parse_bytes,
)
from workbench.core.errors import CsdlError, SendError
from workbench.core.sending.send import SendContext

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "servers"))
import peers  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "csdl"


def test_metadata_url() -> None:
    """OData URL Conventions §4.1: the metadata document is `$metadata` under the service root."""
    assert metadata_url("http://h/svc") == "http://h/svc/$metadata"
    assert metadata_url("http://h/svc/") == "http://h/svc/$metadata"
    assert metadata_url("http://h/svc/$metadata") == "http://h/svc/$metadata"
    assert metadata_url("http://h/svc?sap-client=100") == "http://h/svc/$metadata?sap-client=100"
    assert is_url("https://x") and is_url("{{serviceRoot}}") and not is_url("/tmp/a.xml")


def test_metadata_request_keeps_auth_and_headers() -> None:
    template = Request("List", url="http://h/svc/Users", auth=Auth("basic", {"username": "u", "password": "p"}))
    request = metadata_request("http://h/svc", template)
    assert request.url == "http://h/svc/$metadata" and request.method == "GET"
    assert request.auth == template.auth
    assert [h.name for h in request.headers] == ["Accept"]


def test_parse_bytes_sniffs_json_and_xml() -> None:
    assert parse_bytes(b'\n {"$Version": "4.01"}').version == "4.01"
    assert parse_bytes((DATA / "sap-v2.xml").read_bytes()).version == "2.0"
    with pytest.raises(CsdlError, match="empty"):
        parse_bytes(b"  ")


def test_load_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CsdlError, match="no such file"):
        load_file(tmp_path / "missing.xml")
    with pytest.raises(CsdlError, match="is a folder"):
        load_file(tmp_path)
    assert load_metadata_sync(str(DATA / "constructs-v4.xml")).version == "4.01"


@pytest.mark.peers
def test_fetch_from_cap_server(odata_server: peers.Peer) -> None:
    """The real service's `$metadata`: its sets, keys, relations and Capabilities annotations."""
    model = asyncio.run(load_metadata(odata_server.url))
    assert model.version == "4.0"
    assert {"Users", "Cases", "Tasks"} <= {es.name for es in model.entity_sets()}
    cases = model.entity_type_of_set("Cases")
    assert cases is not None and model.key_properties(cases)[0].type == "Edm.Guid"
    owner = model.navigation_property(cases, "owner")
    tasks = model.navigation_property(cases, "tasks")
    assert owner is not None and owner.multiplicity == "0..1" and owner.partner == "cases"
    assert tasks is not None and tasks.multiplicity == "*" and tasks.contains_target is False
    assert model.property(cases, "title").max_length == 200  # type: ignore[union-attr]
    amount = model.property(cases, "amount")
    assert amount is not None and (amount.precision, amount.scale) == (11, 2)
    users = model.entity_set("Users")
    assert users is not None and ("cases", "Cases") in [(b.path, b.target) for b in users.navigation_bindings]
    # service.cds: @Capabilities.FilterRestrictions.NonFilterableProperties: [email]
    assert users.capabilities.non_filterable_properties == ("email",)
    assert users.capabilities.non_sortable_properties == ("email",)
    assert model.source.endswith("/$metadata")


@pytest.mark.peers
def test_fetch_with_the_requests_auth(basic_cap: peers.Peer) -> None:
    """`GET $metadata` uses the auth of the request it is opened from (401 without it)."""
    with pytest.raises(CsdlError, match="answered 401"):
        asyncio.run(load_metadata(basic_cap.url))
    template = Request("List users", url=f"{basic_cap.url}/Users",
                       auth=Auth("basic", {"username": "alice", "password": "alice123"}))
    model = asyncio.run(load_metadata(basic_cap.url, template))
    assert model.entity_set("Users") is not None


@pytest.mark.peers
def test_fetch_resolves_variables_from_context(odata_server: peers.Peer) -> None:
    from workbench.core.collections import Collection, KeyValue

    ctx = SendContext(collection=Collection("svc", variables=(KeyValue("serviceRoot", odata_server.url),)))
    model = asyncio.run(load_metadata("{{serviceRoot}}", None, ctx))
    assert model.entity_set("Tasks") is not None


def test_unreachable_service_is_a_send_error() -> None:
    port = peers.free_port()
    with pytest.raises(SendError, match="refused"):
        asyncio.run(load_metadata(f"http://127.0.0.1:{port}/svc"))


@pytest.mark.peers
def test_load_can_be_cancelled(odata_server: peers.Peer) -> None:
    async def run() -> None:
        task = asyncio.create_task(load_metadata(odata_server.url))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
