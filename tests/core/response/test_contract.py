"""Contract checks: a response against its OpenAPI operation (status, media type, schema) and an
OData payload against its entity type. Descriptors are written by the tests; responses come from
the real httpbin and CAP peers where a real one exists."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from workbench.core.response import contract
from workbench.core.response.contract import (
    check_odata,
    check_request_contract,
    json_path,
    pick_media,
    pick_status,
)

PET_30 = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/pets/{petId}": {"get": {
            "responses": {
                "200": {"description": "a pet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "4XX": {"description": "problem", "content": {"application/problem+json": {"schema": {"type": "object"}}}},
                "default": {"description": "other"},
            }}},
        "/pets": {"delete": {"responses": {"204": {"description": "gone"}}}},
    },
    "components": {"schemas": {
        "Pet": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string"},
            "tag": {"type": "string", "nullable": True},
            "owner": {"$ref": "#/components/schemas/Owner"},
        }},
        "Owner": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}},
    }},
}


def _collection(tmp_path: Path, spec: dict) -> Path:
    (tmp_path / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    return tmp_path


def test_valid_response_passes(tmp_path: Path) -> None:
    """OpenAPI 3.0 `nullable: true` accepts null (converted to a "null" type for 2020-12)."""
    report = check_request_contract(_collection(tmp_path, PET_30), "get /pets/{petId}", 200, "application/json; charset=utf-8",
                                    {"id": 1, "name": "Rex", "tag": None, "owner": {"email": "a@b.c"}}, has_body=True)
    assert report is not None and report.ok, report
    assert any("status 200 is declared" in c for c in report.checked)
    assert any("schema" in c for c in report.checked)


def test_schema_violations_carry_json_paths(tmp_path: Path) -> None:
    """Errors inside a referenced component (Owner via $ref) point at the body's path."""
    report = check_request_contract(_collection(tmp_path, PET_30), "get /pets/{petId}", 200, "application/json",
                                    {"id": "one", "tag": 5, "owner": {}}, has_body=True)
    assert report is not None and not report.ok
    found = {(v.kind, v.path) for v in report.violations}
    assert ("schema", "$.id") in found
    assert ("schema", "$.tag") in found
    assert ("schema", "$") in found  # name is required
    assert ("schema", "$.owner") in found  # owner.email is required
    assert any("'name' is a required property" in v.message for v in report.violations)


def test_status_range_default_and_undeclared(tmp_path: Path) -> None:
    coll = _collection(tmp_path, PET_30)
    r404 = check_request_contract(coll, "get /pets/{petId}", 404, "application/problem+json", {"title": "x"}, has_body=True)
    assert r404.ok and any("as 4XX" in c for c in r404.checked)
    r500 = check_request_contract(coll, "get /pets/{petId}", 500, "text/plain", None, has_body=False)
    assert r500.ok and any("as default" in c for c in r500.checked)
    no_default = check_request_contract(coll, "delete /pets", 200, "application/json", {}, has_body=True)
    assert [v.kind for v in no_default.violations] == ["status"]
    assert "not declared (declared: 204)" in no_default.violations[0].message


def test_wrong_content_type_and_unexpected_body(tmp_path: Path) -> None:
    coll = _collection(tmp_path, PET_30)
    report = check_request_contract(coll, "get /pets/{petId}", 200, "text/html", None, has_body=True)
    assert [v.kind for v in report.violations] == ["content-type"]
    assert "text/html is not declared for 200" in report.violations[0].message
    spec = json.loads(json.dumps(PET_30))
    spec["paths"]["/pets"]["delete"]["responses"]["204"] = {"description": "gone"}
    body_on_204 = check_request_contract(_collection(tmp_path, spec), "delete /pets", 204, "application/json", {}, has_body=True)
    assert body_on_204.violations[0].kind == "content-type"


def test_invalid_json_body_is_a_violation(tmp_path: Path) -> None:
    report = check_request_contract(_collection(tmp_path, PET_30), "get /pets/{petId}", 200, "application/json",
                                    None, has_body=True, body_error="Invalid JSON at line 1, column 3")
    assert report.violations[0].kind == "body"


def test_unknown_operation_or_collection(tmp_path: Path) -> None:
    assert check_request_contract(_collection(tmp_path, PET_30), "get /nope", 200, "application/json", {}, True) is None
    assert check_request_contract(tmp_path / "missing", "get /pets", 200, "application/json", {}, True) is None


def test_openapi_31_type_arrays_and_2020_12(tmp_path: Path) -> None:
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/t": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/*": {"schema": {
            "type": "object", "properties": {"v": {"type": ["string", "null"]}, "items": {"type": "array", "prefixItems": [{"type": "integer"}]}}}}}}}}}}}
    coll = _collection(tmp_path, spec)
    good = check_request_contract(coll, "get /t", 200, "application/json", {"v": None, "items": [1, "x"]}, True)
    assert good.ok, good
    bad = check_request_contract(coll, "get /t", 200, "application/json", {"v": 3, "items": ["x"]}, True)
    assert {v.path for v in bad.violations} == {"$.v", "$.items[0]"}


def test_swagger_20_schema(tmp_path: Path) -> None:
    spec = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "produces": ["application/json"],
            "paths": {"/u": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/U"}}}}}},
            "definitions": {"U": {"type": "object", "properties": {"n": {"type": "integer", "x-nullable": True}}}}}
    coll = _collection(tmp_path, spec)
    assert check_request_contract(coll, "get /u", 200, "application/json", {"n": None}, True).ok
    assert not check_request_contract(coll, "get /u", 200, "application/json", {"n": "x"}, True).ok


def test_violations_sorted_by_path_with_numeric_indexes(tmp_path: Path) -> None:
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/l": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "integer"}}}}}}}}}}
    report = check_request_contract(_collection(tmp_path, spec), "get /l", 200, "application/json",
                                    ["x" if i in (2, 10, 100) else i for i in range(120)], True)
    assert [v.path for v in report.violations] == ["$[2]", "$[10]", "$[100]"]


def test_helpers() -> None:
    assert contract.parse_json_path("$.value[3]['a b'].x") == ["value", 3, "a b", "x"]
    assert contract.parse_json_path("$") == []
    assert json_path(["value", 3, "a b", "x"]) == "$.value[3]['a b'].x"
    assert pick_status({"200": {}, "2XX": {}, "default": {}}, 201) == "2XX"
    assert pick_status({"200": {}}, 500) is None
    assert pick_media(["application/json", "text/*"], "text/plain; charset=utf-8") == "text/*"
    assert pick_media(["*/*"], "image/png") == "*/*"
    assert pick_media(["application/xml"], "application/json") is None


def test_real_httpbin_response_against_a_descriptor(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    """httpbin's /json against a descriptor that gets `slideshow.title` wrong."""
    from workbench.core.sending.prepare import PreparedRequest
    from workbench.core.sending.transport import send_prepared

    exchange = asyncio.run(send_prepared(PreparedRequest("GET", f"{httpbin.url}/json")))
    body = json.loads(exchange.response.read_body())
    schema = {"type": "object", "required": ["slideshow"], "properties": {"slideshow": {
        "type": "object", "required": ["title", "slides"],
        "properties": {"title": {"type": "string"}, "slides": {"type": "array", "items": {"type": "object"}}}}}}
    spec = {"openapi": "3.0.0", "info": {"title": "b", "version": "1"}, "paths": {"/json": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}}
    coll = _collection(tmp_path, spec)
    ok = check_request_contract(coll, "get /json", exchange.response.status, exchange.response.content_type, body, True)
    assert ok.ok, ok
    schema["properties"]["slideshow"]["properties"]["title"] = {"type": "integer"}
    contract_dir = tmp_path / "wrong"
    contract_dir.mkdir()
    wrong = check_request_contract(_collection(contract_dir, spec), "get /json", 200, exchange.response.content_type, body, True)
    assert [(v.kind, v.path) for v in wrong.violations] == [("schema", "$.slideshow.title")]


@pytest.fixture(scope="module")
def cap_model(odata_server):  # type: ignore[no-untyped-def]
    from workbench.core.csdl.source import parse_bytes

    response = httpx.get(f"{odata_server.url}/$metadata", timeout=10)
    return parse_bytes(response.content, "cap", response.headers.get("content-type", ""))


def test_real_odata_collection_matches_its_entity_type(odata_server, cap_model) -> None:  # type: ignore[no-untyped-def]
    for entity_set in ("Users", "Cases", "Tasks", "Labels"):
        body = httpx.get(f"{odata_server.url}/{entity_set}", timeout=10).json()
        report = check_odata(cap_model, entity_set, body)
        assert report.ok, (entity_set, report.violations[:3])
        assert str(len(body["value"])) in report.checked[0]


def test_odata_violations_with_paths(odata_server, cap_model) -> None:  # type: ignore[no-untyped-def]
    body = httpx.get(f"{odata_server.url}/Cases?$top=2&$expand=owner", timeout=10).json()
    assert check_odata(cap_model, "Cases", body).ok
    body["value"][0]["caseNo"] = "1001"           # Int32 as a string
    body["value"][0]["ID"] = None                 # key: not nullable
    body["value"][1]["bogus"] = 1                 # not a property
    body["value"][1]["dueDate"] = "2025-13-45T"   # not an Edm.Date
    body["value"][1]["owner"]["active"] = "yes"   # inside an expanded navigation property
    body["value"][1]["title"] = "x" * 201         # MaxLength 200
    report = check_odata(cap_model, "Cases", body)
    paths = {v.path: v.message for v in report.violations}
    assert set(paths) == {"$.value[0].caseNo", "$.value[0].ID", "$.value[1].bogus", "$.value[1].dueDate",
                          "$.value[1].owner.active", "$.value[1].title"}
    assert "not nullable" in paths["$.value[0].ID"]
    assert "expected an integer" in paths["$.value[0].caseNo"]
    assert "MaxLength 200" in paths["$.value[1].title"]


def test_odata_unknown_entity_set(cap_model) -> None:  # type: ignore[no-untyped-def]
    report = check_odata(cap_model, "Nope", {"value": []})
    assert report.ok and "no entity set" in report.notes[0]


def test_primitive_shapes() -> None:
    problem = contract._primitive_problem
    assert problem("Edm.Int64", "9007199254740993") == ""  # IEEE754Compatible
    assert problem("Edm.Byte", 300) == "300 is out of range for Edm.Byte"
    assert problem("Edm.Decimal", "12.50") == ""
    assert problem("Edm.Double", "NaN") == ""
    assert problem("Edm.Boolean", 1).startswith("expected true or false")
    assert problem("Edm.Guid", "6513270e-269e-4d37-b2a7-4de452e6b438") == ""
    assert problem("Edm.DateTimeOffset", "2025-02-02T01:15:00Z") == ""
    assert problem("Edm.TimeOfDay", "08:00:00") == ""
    assert problem("Edm.Duration", "P1DT2H") == ""
