"""OpenAPI conversion: each test writes the smallest spec that shows one rule, imports it, checks the model.

Rules come from the OpenAPI Specification (2.0, 3.0.3, 3.1.0) and issue 4; the docstring of each
test names the rule. Sending is checked against the local httpbin echo server. Operations,
servers and bodies are checked here, through the whole conversion; security schemes in
test_security.py, the entry points (bad input, writing a workspace) in test_importer.py.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Callable

from workbench.core.collections import Environment, KeyValue, Request
from workbench.core.openapi.importer import import_openapi
from workbench.core.sending.prepare import prepare
from workbench.core.sending.send import SendContext, send


def by_op(result: Any, operation: str) -> Request:
    return next(r for r in result.collection.all_requests() if r.meta.get("openapi_operation") == operation)


def row(rows: tuple[KeyValue, ...], name: str) -> KeyValue:
    return next(r for r in rows if r.name == name)


PETS_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1.2.0", "description": "Pet shop API"},
    "servers": [{"url": "https://api.example.com/v1", "description": "Production"},
                {"url": "https://{region}.sandbox.example.com/{base}", "description": "Sandbox",
                 "variables": {"region": {"default": "eu", "enum": ["eu", "us"], "description": "Region"},
                               "base": {"default": "v1"}}}],
    "tags": [{"name": "pets", "description": "Everything about pets"}],
    "paths": {
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True,
                            "schema": {"type": "integer", "format": "int64", "minimum": 7}}],
            "get": {
                "tags": ["pets"], "summary": "Get a pet", "operationId": "getPet",
                "description": "Returns one pet.",
                "parameters": [
                    {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "default": 20}},
                    {"name": "sort", "in": "query", "description": "Sort order",
                     "schema": {"type": "string", "enum": ["asc", "desc"]}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "X-Request-Id", "in": "header", "required": True,
                     "schema": {"type": "string", "format": "uuid"}},
                    {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                    {"name": "session", "in": "cookie", "required": True, "example": "abc"},
                    {"name": "theme", "in": "cookie", "schema": {"type": "string", "default": "dark"}},
                ],
                "responses": {"200": {"description": "ok", "content": {
                    "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            },
            "put": {
                "tags": ["pets"], "operationId": "updatePet",
                "requestBody": {"required": True, "content": {
                    "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"204": {"description": "done"}},
            },
        },
        "/pets": {
            "post": {"summary": "Create a pet", "responses": {"201": {"description": "created"}},
                     "requestBody": {"content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Pet"},
                         "examples": {"rex": {"value": {"name": "Rex", "kind": "dog"}}}}}}},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
    },
    "components": {"schemas": {"Pet": {
        "type": "object", "required": ["name", "kind"],
        "properties": {
            "id": {"type": "integer", "format": "int64", "readOnly": True},
            "name": {"type": "string", "minLength": 2},
            "kind": {"type": "string", "enum": ["cat", "dog"]},
            "born": {"type": "string", "format": "date-time"},
            "email": {"type": "string", "format": "email"},
        }}}},
}


def test_operations_become_requests_in_tag_folders(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """One request per operation, in a folder per first tag (untagged at the root), named by summary,
    else operationId, else `METHOD path`; docs from the description; meta for re-import/contracts."""
    result = import_openapi(write_spec(PETS_30))
    coll = result.collection
    assert coll.name == "Pets"
    assert [f.name for f in coll.folders] == ["pets"]
    assert coll.folders[0].docs == "Everything about pets"
    assert [r.name for r in coll.folders[0].requests] == ["Get a pet", "PUT /pets/{petId}"]
    assert sorted(r.name for r in coll.requests) == ["Create a pet", "DELETE /pets"]
    get = by_op(result, "get /pets/{petId}")
    assert get.method == "GET"
    assert get.docs == "Returns one pet."
    assert get.meta == {"openapi_operation": "get /pets/{petId}", "operationId": "getPet"}
    assert "Pet shop API" in coll.docs and "1.2.0" in coll.docs


def test_url_path_parameters_become_path_variables_with_usable_values(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Issue 14: URL is `{{baseUrl}}/pets/{petId}`; the request's own path variable holds a value
    that respects the schema, not a collection variable."""
    result = import_openapi(write_spec(PETS_30))
    get = by_op(result, "get /pets/{petId}")
    assert get.url == "{{baseUrl}}/pets/{petId}"
    assert [(r.name, r.value) for r in get.path_variables] == [("petId", "7")]  # minimum respected
    variables = {v.name: v.value for v in result.collection.variables}
    assert "petId" not in variables
    assert variables["baseUrl"] == "https://api.example.com/v1"


def test_parameters_required_enabled_optional_disabled_with_values(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Required params enabled, optional present but disabled with their description, each with a value:
    default, else first enum, else a format-aware sample; `Accept` header params are ignored (OAS 3 §4.8.12)."""
    get = by_op(import_openapi(write_spec(PETS_30)), "get /pets/{petId}")
    assert row(get.params, "limit") == KeyValue("limit", "20", True, "")
    assert row(get.params, "sort") == KeyValue("sort", "asc", False, "Sort order")
    assert row(get.params, "since").value == "2024-01-15" and not row(get.params, "since").enabled
    request_id = row(get.headers, "X-Request-Id")
    assert request_id.enabled and len(request_id.value) == 36
    cookies = [h for h in get.headers if h.name == "Cookie"]
    assert cookies[0] == KeyValue("Cookie", "session=abc", True, "cookie parameters")
    assert cookies[1].value == "theme=dark" and not cookies[1].enabled
    accepts = [h for h in get.headers if h.name == "Accept"]
    assert accepts == [KeyValue("Accept", "application/json", True, "")]  # from the response, JSON preferred


def test_json_body_from_schema_leaves_out_read_only(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Body from the schema: required, enum, format, minLength respected; readOnly `id` left out."""
    put = by_op(import_openapi(write_spec(PETS_30)), "put /pets/{petId}")
    assert put.body.kind == "raw" and put.body.content_type == "application/json"
    body = json.loads(put.body.text)
    assert "id" not in body
    assert body["kind"] == "cat" and len(body["name"]) >= 2
    assert body["born"] == "2024-01-15T09:30:00Z" and body["email"] == "user@example.com"


def test_body_from_media_examples(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """`examples` on the media type win over a schema sample."""
    post = by_op(import_openapi(write_spec(PETS_30)), "post /pets")
    assert json.loads(post.body.text) == {"name": "Rex", "kind": "dog"}


def test_servers_become_environments_with_variables(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """One environment per server; server variables become variables, enum choices in the description."""
    result = import_openapi(write_spec(PETS_30))
    assert [e.name for e in result.environments] == ["Pets – Production", "Pets – Sandbox"]
    sandbox = result.environments[1].as_dict()
    assert sandbox["baseUrl"] == "https://{{region}}.sandbox.example.com/{{base}}"
    assert sandbox["region"] == "eu" and sandbox["base"] == "v1"
    region = next(v for v in result.environments[1].variables if v.name == "region")
    assert "Choices: eu, us" in region.description


def test_swagger2_host_basepath_schemes_formdata_and_body(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Swagger 2.0: URL from schemes+host+basePath, `in: body` → JSON body, formData → form or multipart."""
    spec = {
        "swagger": "2.0", "info": {"title": "Old", "version": "1"}, "host": "old.example.com:8443",
        "basePath": "/api/", "schemes": ["http", "https"], "consumes": ["application/json"],
        "paths": {
            "/items": {"post": {"parameters": [{"name": "item", "in": "body", "required": True,
                                               "schema": {"type": "object", "required": ["n"],
                                                          "properties": {"n": {"type": "integer", "maximum": 3}}}}],
                                "responses": {"200": {"description": "ok"}}}},
            "/login": {"post": {"consumes": ["application/x-www-form-urlencoded"],
                                "parameters": [{"name": "user", "in": "formData", "type": "string", "required": True,
                                                "x-example": "alice"},
                                               {"name": "remember", "in": "formData", "type": "boolean"}],
                                "responses": {"200": {"description": "ok"}}}},
            "/upload": {"post": {"consumes": ["multipart/form-data"],
                                 "parameters": [{"name": "file", "in": "formData", "type": "file", "required": True},
                                                {"name": "note", "in": "formData", "type": "string"}],
                                 "responses": {"200": {"description": "ok"}}}},
            "/find": {"get": {"parameters": [{"name": "tags", "in": "query", "type": "array",
                                              "items": {"type": "string", "enum": ["a", "b"]},
                                              "collectionFormat": "multi", "required": True}],
                              "responses": {"200": {"description": "ok"}}}},
        },
    }
    result = import_openapi(write_spec(spec, "old.json"))
    assert [e.as_dict()["baseUrl"] for e in result.environments] == [
        "https://old.example.com:8443/api", "http://old.example.com:8443/api"]
    items = by_op(result, "post /items")
    assert items.body.content_type == "application/json" and json.loads(items.body.text) == {"n": 1}
    login = by_op(result, "post /login")
    assert login.body.kind == "form"
    assert login.body.form == (KeyValue("user", "alice", True, ""), KeyValue("remember", "true", False, ""))
    upload = by_op(result, "post /upload")
    assert upload.body.kind == "multipart"
    assert [(p.name, p.content_type, p.enabled) for p in upload.body.parts] == [
        ("file", "application/octet-stream", True), ("note", "", False)]
    assert by_op(result, "get /find").params == (KeyValue("tags", "a", True, ""),)


def test_openapi31_schema_keywords_webhooks_and_path_items(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """3.1: type arrays, const, prefixItems; `webhooks` are listed (docs + warning) but not requests;
    a path item may be a `$ref` to `components/pathItems`."""
    spec = {
        "openapi": "3.1.0", "info": {"title": "New", "version": "1"},
        "servers": [{"url": "https://new.example.com"}],
        "paths": {"/things": {"$ref": "#/components/pathItems/Things"}},
        "webhooks": {"thingCreated": {"post": {"summary": "A thing was created",
                                               "responses": {"200": {"description": "ok"}}}}},
        "components": {"pathItems": {"Things": {"post": {
            "operationId": "makeThing",
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["kind", "size", "pair", "note"],
                "properties": {"kind": {"const": "thing"}, "size": {"type": ["null", "integer"], "minimum": 5},
                               "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                               "note": {"type": ["string", "null"], "examples": ["hello"]}}}}}},
            "responses": {"200": {"description": "ok"}}}}}},
    }
    result = import_openapi(write_spec(spec))
    assert len(result.collection.all_requests()) == 1
    body = json.loads(by_op(result, "post /things").body.text)
    assert body == {"kind": "thing", "size": 5, "pair": ["string", 1], "note": "hello"}
    assert any("thingCreated" in w for w in result.warnings)
    assert "thingCreated: POST — A thing was created" in result.collection.docs


def test_group_by_path_segments(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """group_by="path": folders by literal path segments; single-child chains are collapsed."""
    spec = {"openapi": "3.0.0", "info": {"title": "P", "version": "1"}, "paths": {
        "/api/v1/pets": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/v1/pets/{id}": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/v1/pets/{id}/photos": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/v1/stores": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    coll = import_openapi(write_spec(spec), group_by="path").collection
    assert [f.name for f in coll.folders] == ["api/v1"]
    top = coll.folders[0]
    assert [r.url for r in top.requests] == ["{{baseUrl}}/api/v1/pets", "{{baseUrl}}/api/v1/pets/{id}",
                                             "{{baseUrl}}/api/v1/stores"]
    assert [f.name for f in top.folders] == ["pets"]
    assert [r.url for r in top.folders[0].requests] == ["{{baseUrl}}/api/v1/pets/{id}/photos"]


def test_partial_problems_are_warnings_not_silent_drops(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Undefined security schemes, duplicate operationIds, bad parameter locations: warnings."""
    spec = {"openapi": "3.0.0", "info": {"title": "W", "version": "1"}, "security": [{"ghost": []}], "paths": {
        "/a": {"get": {"operationId": "same", "parameters": [{"name": "x", "in": "body"}],
                       "responses": {"200": {"description": "ok"}}}},
        "/b": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}}}}
    result = import_openapi(write_spec(spec))
    text = "\n".join(result.warnings)
    assert "'ghost' is not defined" in text
    assert "operationId 'same' is used by both" in text
    assert "unknown location 'body'" in text
    assert len(result.collection.all_requests()) == 2


def test_imported_request_arrives_at_echo_server_as_described(write_spec: Callable[..., Path], tmp_path: Path, httpbin: Any) -> None:
    """Send an imported request to httpbin and check what arrived: path, query, headers, JSON body, auth."""
    spec = {"openapi": "3.0.3", "info": {"title": "Echo", "version": "1"}, "servers": [{"url": "http://unused"}],
            "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}},
            "security": [{"key": []}],
            "paths": {"/anything/orders/{orderId}": {"post": {
                "parameters": [{"name": "orderId", "in": "path", "required": True,
                                "schema": {"type": "string", "format": "uuid"}},
                               {"name": "dryRun", "in": "query", "required": True, "schema": {"type": "boolean"}},
                               {"name": "X-Trace", "in": "header", "required": True, "example": "t-1"}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer", "minimum": 2}}}}}},
                "responses": {"200": {"description": "ok"}}}}}}
    result = import_openapi(write_spec(spec))
    request = result.collection.all_requests()[0]
    env = Environment("echo", (KeyValue("baseUrl", httpbin.url), KeyValue("apiKey", "k-123")))
    exchange = asyncio.run(send(request, SendContext(collection=result.collection, environment=env)))
    assert exchange.response.status == 200
    echo = json.loads(exchange.response.text())
    assert echo["url"].endswith("/anything/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6?dryRun=true")
    assert echo["headers"]["X-Trace"] == "t-1" and echo["headers"]["X-Api-Key"] == "k-123"
    assert echo["json"] == {"qty": 2}
    assert echo["headers"]["Content-Type"] == "application/json"


def test_shared_specs_import_with_expected_counts(shared_data: Path) -> None:
    """The shared real-world specs import completely (operation counts from SOURCES.md)."""
    expected = {"kubernetes-swagger.json": 1123, "stripe-spec3.json": 417, "paypal-invoicing_v2.json": 20,
                "iceberg-rest-catalog-open-api.yaml": 35, "swagger-petstore3-openapi.yaml": 19,
                "webhook-example-v3.1.yaml": 0, "tictactoe-v3.1.yaml": 3}
    for name, count in expected.items():
        result = import_openapi(shared_data / "openapi" / name)
        assert len(result.collection.all_requests()) == count, name
    iceberg = import_openapi(shared_data / "openapi" / "iceberg-rest-catalog-open-api.yaml")
    config = by_op(iceberg, "get /v1/config")
    # `{scheme}://{host}/{basePath}` with an empty basePath: no `//` in the URL sent.
    assert prepare(config, iceberg.collection, iceberg.environments[0]).url.startswith("https://localhost/v1/config")
    kube = import_openapi(shared_data / "openapi" / "kubernetes-swagger.json")
    assert kube.collection.auth.type == "apikey" and kube.collection.auth.get("name") == "authorization"


def test_content_parameters_are_json_text(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """A parameter with `content: {application/json: …}` (OAS 3 §4.8.12.3) is sent as JSON text."""
    spec = {"openapi": "3.0.3", "info": {"title": "J", "version": "1"}, "paths": {"/q": {"get": {
        "parameters": [{"name": "filter", "in": "query", "required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["age"], "properties": {"age": {"type": "integer"}}}}}}],
        "responses": {"200": {"description": "ok"}}}}}}
    request = import_openapi(write_spec(spec)).collection.all_requests()[0]
    assert request.params == (KeyValue("filter", '{"age":1}', True, ""),)


def test_form_body_optional_fields_disabled_required_enabled_through_one_of(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """urlencoded bodies: required fields enabled, optional present but disabled; `required` is
    found through allOf and the oneOf branch the sample came from (Iceberg's token endpoint)."""
    spec = {"openapi": "3.0.3", "info": {"title": "F", "version": "1"}, "paths": {"/token": {"post": {
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"oneOf": [
            {"type": "object", "required": ["grant_type", "client_id"], "properties": {
                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                "client_id": {"type": "string"}, "scope": {"type": "string"},
                "meta": {"type": "object", "properties": {"k": {"type": "string"}}}}},
            {"type": "object", "required": ["refresh_token"], "properties": {"refresh_token": {"type": "string"}}},
        ]}}}},
        "responses": {"200": {"description": "ok"}}}}}}
    body = import_openapi(write_spec(spec)).collection.all_requests()[0].body
    assert body.kind == "form" and body.content_type == "application/x-www-form-urlencoded"
    assert [(r.name, r.value, r.enabled) for r in body.form] == [
        ("grant_type", "client_credentials", True), ("client_id", "string", True), ("scope", "string", False),
        ("meta[k]", "string", False)]


def test_odd_shapes_from_a_strangers_descriptor_import_cleanly(write_spec: Callable[..., Path]) -> None:
    """`tags: 5`, `schemes: 7`, a parameter's `enum: 3`: what the mutation fuzzer's neighbours would hit."""
    from workbench.core.openapi.importer import import_openapi

    spec = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "host": "h", "schemes": 7, "tags": 5,
            "paths": {"/a/{x}": {"get": {"parameters": [{"name": "x", "in": "path", "required": True,
                                                         "type": "string", "enum": 3}],
                                         "responses": {"200": {"description": "ok"}}}}}}
    result = import_openapi(write_spec(spec, "odd.json"))
    assert len(result.collection.all_requests()) == 1
