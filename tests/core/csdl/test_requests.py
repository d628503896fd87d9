"""Requests generated from metadata, sent to the real CAP service (OData v4) and checked offline for v2."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.core.collections import Collection, KeyValue
from workbench.core.csdl.model import Model
from workbench.core.csdl.requests import (
    entity_set_requests,
    generate_collection,
    key_predicate,
    new_request,
    operation_import_request,
    sample_entity,
)
from workbench.core.csdl.source import load_file, load_metadata
from workbench.core.errors import CsdlError, UnresolvedVariableError
from workbench.core.sending.send import SendContext, send

DATA = Path(__file__).resolve().parents[2] / "data" / "csdl"


@pytest.fixture(scope="module")
def cap_model(odata_server) -> Model:  # type: ignore[no-untyped-def]
    return asyncio.run(load_metadata(odata_server.url))


def _ctx(root: str, **keys: str) -> SendContext:
    return SendContext(collection=Collection("svc", variables=(KeyValue("serviceRoot", root),
                                                               *(KeyValue(k, v) for k, v in keys.items()))))


@pytest.mark.peers
def test_crud_round_trip_on_cap(cap_model: Model, odata_server) -> None:  # type: ignore[no-untyped-def]
    """create → get → update → delete with the generated requests; the key comes from `{{Users_ID}}`."""
    ctx = _ctx(odata_server.url)
    create = new_request(cap_model, "Users", "create")
    body = json.loads(create.body.text)
    assert set(body) >= {"ID", "userName", "email", "active", "createdAt"}
    assert len(body["userName"]) <= 60  # MaxLength respected
    body["ID"] = 4711
    created = asyncio.run(send(replace(create, body=replace(create.body, text=json.dumps(body))), ctx))
    assert created.response.status == 201, created.response.text()

    get = new_request(cap_model, "Users", "get")
    assert get.url == "{{serviceRoot}}/Users({{Users_ID}})"
    with pytest.raises(UnresolvedVariableError, match=r"\{\{Users_ID\}\} is not defined"):
        asyncio.run(send(get, ctx))  # a generated request never addresses a real-looking entity by itself
    ctx = _ctx(odata_server.url, Users_ID="4711")
    got = asyncio.run(send(get, ctx))
    assert got.response.status == 200 and json.loads(got.response.text())["userName"] == body["userName"]

    update = new_request(cap_model, "Users", "update")
    assert update.method == "PATCH" and "ID" not in json.loads(update.body.text)
    patched = asyncio.run(send(replace(update, body=replace(update.body, text='{"city": "Oslo"}')), ctx))
    assert patched.response.status == 200 and json.loads(patched.response.text())["city"] == "Oslo"

    delete = new_request(cap_model, "Users", "delete")
    deleted = asyncio.run(send(delete, ctx))
    assert deleted.response.status == 204
    gone = asyncio.run(send(get, ctx))
    assert gone.response.status == 404


@pytest.mark.peers
def test_generated_collection_reads_work(cap_model: Model, odata_server) -> None:  # type: ignore[no-untyped-def]
    collection = generate_collection(cap_model, service_root=odata_server.url)
    assert collection.variables[0] == KeyValue("serviceRoot", odata_server.url)
    users_key = next(v for v in collection.variables if v.name == "Users_ID")
    assert not users_key.enabled and users_key.value == ""  # listed for the user to fill, not a guess
    names = {f.name for f in collection.folders}
    assert {"Users", "Cases", "Tasks"} <= names
    lists = [r for r in collection.all_requests() if r.meta.get("odata_kind") == "list"]
    assert len(lists) == len(list(cap_model.entity_sets()))
    ctx = SendContext(collection=collection)
    for request in lists:
        exchange = asyncio.run(send(request, ctx))
        assert exchange.response.status == 200, (request.url, exchange.response.text())
        assert "value" in json.loads(exchange.response.text())
    users_get = next(r for r in collection.all_requests() if r.meta.get("odata_kind") == "get"
                     and r.meta.get("odata_entity_set") == "Users")
    with pytest.raises(UnresolvedVariableError):
        asyncio.run(send(users_get, ctx))
    ctx = SendContext(collection=collection, overrides={"Users_ID": "1"})
    assert asyncio.run(send(users_get, ctx)).response.status == 200  # Users(1) exists in the seed data


@pytest.mark.peers
def test_compound_and_guid_keys(cap_model: Model) -> None:
    """URL Conventions §4.3.1: GUID literals unquoted, compound keys as name=value pairs."""
    cases = cap_model.entity_type_of_set("Cases")
    assert key_predicate(cap_model, cases) == "(00000000-0000-0000-0000-000000000000)"  # type: ignore[arg-type]
    labels = cap_model.entity_type_of_set("Labels")
    if labels is not None:
        assert key_predicate(cap_model, labels) == "(caseNo=1,code='string')"


def test_v4_constructs_requests() -> None:
    model = load_file(DATA / "constructs-v4.xml")
    order = model.entity_type("shop.Order")
    assert key_predicate(model, order) == "(Number=1,Year=1)"  # type: ignore[arg-type]
    customer_body = sample_entity(model, model.entity_type("shop.Customer"))  # type: ignore[arg-type]
    assert "ID" not in customer_body  # Core.Computed
    assert "CreatedAt" not in customer_body  # Core.Permissions Read
    assert customer_body["Favourite"] == "Red" and customer_body["Emails"] == ["string"]
    assert customer_body["Address"] == {"Street": "string", "City": "string"}
    assert customer_body["Balance"] == 1.5  # type definition → its underlying type
    # Customers forbids insert and delete (Capabilities): those requests are not generated.
    kinds = [r.meta["odata_kind"] for r in entity_set_requests(model, "Customers")]
    assert kinds == ["list", "get", "update"]
    me = entity_set_requests(model, "Me")
    assert [(r.method, r.url) for r in me] == [("GET", "{{serviceRoot}}/Me"), ("PATCH", "{{serviceRoot}}/Me")]
    with pytest.raises(CsdlError, match="singleton"):
        new_request(model, "Me", "delete")
    with pytest.raises(CsdlError, match="No entity set"):
        new_request(model, "Nope", "list")
    top = operation_import_request(model, model.function_import("TopCustomers"))  # type: ignore[arg-type]
    assert (top.method, top.url) == ("GET", "{{serviceRoot}}/TopCustomers(count=1)")
    reset = operation_import_request(model, model.action_import("Reset"))  # type: ignore[arg-type]
    assert (reset.method, reset.url, json.loads(reset.body.text)) == ("POST", "{{serviceRoot}}/Reset", {})
    collection = generate_collection(model)
    assert [f.name for f in collection.folders] == ["Customers", "Orders", "Countries", "Singletons", "Operations"]


def test_v2_requests_use_v2_literals_and_merge() -> None:
    """OData v2: `guid'…'` literals, `$format=json`, MERGE tunnelled through POST, query parameters."""
    model = load_file(DATA / "sap-v2.xml")
    get = new_request(model, "OrderSet", "get")
    assert get.url == "{{serviceRoot}}/OrderSet(guid'{{OrderSet_OrderId}}')"
    assert KeyValue("$format", "json") in get.params
    update = new_request(model, "OrderSet", "update")
    assert update.method == "POST" and KeyValue("X-HTTP-Method", "MERGE") in update.headers
    assert "OrderId" not in json.loads(update.body.text)
    kinds = [r.meta["odata_kind"] for r in entity_set_requests(model, "CustomerSet")]
    assert kinds == ["list", "get", "update"]  # sap:creatable/deletable="false"
    customer_body = sample_entity(model, model.entity_type("ZSALES_SRV.Customer"))  # type: ignore[arg-type]
    assert "ChangedAt" not in customer_body and len(customer_body["CustomerId"]) <= 10
    open_orders = operation_import_request(model, model.function_import("OpenOrders"))  # type: ignore[arg-type]
    assert open_orders.method == "GET" and KeyValue("CustomerId", "'string'") in open_orders.params
    release = operation_import_request(model, model.action_import("ReleaseOrder"))  # type: ignore[arg-type]
    assert release.method == "POST" and release.params[0].value == "guid'00000000-0000-0000-0000-000000000000'"


def test_trippin_collection(shared_data: Path) -> None:
    model = load_file(shared_data / "csdl" / "TripPin.xml")
    collection = generate_collection(model, service_root="https://services.odata.org/TripPinRESTierService")
    requests = collection.all_requests()
    assert all(r.url.startswith("{{serviceRoot}}/") for r in requests)
    operations = next(f for f in collection.folders if f.name == "Operations")
    assert {r.name for r in operations.requests} == {"GetNearestAirport()", "ResetDataSource()"}
    nearest = next(r for r in operations.requests if r.name == "GetNearestAirport()")
    assert nearest.url == "{{serviceRoot}}/GetNearestAirport(lat=1.5,lon=1.5)"
