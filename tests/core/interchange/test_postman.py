"""Postman Collection v2.1/v2.0 and environment import: folders, bodies, auth, variables, scripts as docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.collections import Auth, Body, FormPart, KeyValue
from workbench.core.interchange.detect import import_file
from workbench.core.interchange.postman import import_collection, import_environment
from workbench.core.workspace import storage

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _kv(**pairs: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v, "type": "string"} for k, v in pairs.items()]


DOC: dict[str, Any] = {
    "info": {"name": "Shop", "schema": V21, "description": "The shop API"},
    "variable": [{"key": "baseUrl", "value": "https://shop.example"}, {"key": "apiKey", "value": "k-1", "type": "secret"}],
    "auth": {"type": "oauth2", "oauth2": _kv(accessTokenUrl="{{baseUrl}}/token", clientId="cid", clientSecret="cs",
                                             scope="read", grant_type="client_credentials",
                                             client_authentication="body", accessToken="stale")},
    "event": [{"listen": "prerequest", "script": {"exec": ["console.log('collection')"]}}],
    "item": [
        {"name": "Orders", "variable": [{"key": "page", "value": "1"}],
         "auth": {"type": "bearer", "bearer": _kv(token="{{token}}")},
         "item": [
             {"name": "List", "request": {"method": "GET", "header": [{"key": "X-A", "value": "1", "disabled": True}],
                                          "url": {"raw": "{{baseUrl}}/orders/:id?top=5&skip=0", "host": ["{{baseUrl}}"],
                                                  "path": ["orders", ":id"],
                                                  "query": [{"key": "top", "value": "5"},
                                                            {"key": "skip", "value": "0", "disabled": True}],
                                                  "variable": [{"key": "id", "value": "42"}]}},
              "event": [{"listen": "test", "script": {"exec": ["pm.test('ok', () => pm.response.to.have.status(200));"]}}]},
             {"name": "Create", "request": {"method": "POST", "url": "{{baseUrl}}/orders",
                                            "body": {"mode": "raw", "raw": "{\"a\": 1}",
                                                     "options": {"raw": {"language": "json"}}},
                                            "auth": {"type": "basic", "basic": _kv(username="u", password="p")}}},
         ]},
        {"name": "Form", "request": {"method": "POST", "url": "{{baseUrl}}/f",
                                     "body": {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]},
                                     "auth": {"type": "apikey", "apikey": _kv(key="X-Key", value="v", **{"in": "query"})}}},
        {"name": "Upload", "request": {"method": "POST", "url": "{{baseUrl}}/u", "body": {"mode": "formdata", "formdata": [
            {"key": "f", "type": "file", "src": "/tmp/a.png"}, {"key": "t", "value": "x", "type": "text"}]}}},
        {"name": "Binary", "request": {"method": "PUT", "url": "{{baseUrl}}/b", "body": {"mode": "file",
                                                                                        "file": {"src": "doc.pdf"}}}},
        {"name": "Graph", "request": {"method": "POST", "url": "{{baseUrl}}/graphql", "body": {
            "mode": "graphql", "graphql": {"query": "{ me { id } }", "variables": "{\"x\": 1}"}}}},
        {"name": "Open", "request": {"method": "GET", "url": "{{baseUrl}}/open", "auth": {"type": "noauth"}}},
    ],
}


def test_v21_tree_bodies_auth_variables_and_scripts() -> None:
    imported = import_collection(DOC)
    coll = imported.collection
    assert coll is not None and coll.name == "Shop" and coll.docs.startswith("The shop API")
    assert coll.variables == (KeyValue("baseUrl", "https://shop.example"),)
    assert imported.environments[0].secret_names == {"apiKey"}
    assert coll.auth == Auth("oauth2", {"token_url": "{{baseUrl}}/token", "client_id": "cid", "client_secret": "cs",
                                        "scope": "read", "grant_type": "client_credentials", "client_auth": "body"})
    (orders,) = coll.folders
    assert orders.variables == (KeyValue("page", "1"),) and orders.auth == Auth("bearer", {"token": "{{token}}"})
    listing, create = orders.requests
    assert listing.url == "{{baseUrl}}/orders/{id}"  # Postman's `:id` is our path variable (issue 14)
    assert listing.path_variables == (KeyValue("id", "42"),)
    assert listing.params == (KeyValue("top", "5"), KeyValue("skip", "0", False))
    assert listing.headers == (KeyValue("X-A", "1", False),)
    assert "pm.test('ok'" in listing.docs and "not run" in listing.docs
    assert create.body == Body("raw", "application/json", '{"a": 1}')
    assert create.auth == Auth("basic", {"username": "u", "password": "p"})
    form, upload, binary, graph, open_ = coll.requests
    assert form.body == Body("form", form=(KeyValue("a", "1"),))
    assert form.auth == Auth("apikey", {"name": "X-Key", "value": "v", "in": "query"})
    assert upload.body.parts == (FormPart("f", file="/tmp/a.png"), FormPart("t", "x"))
    assert binary.body == Body("binary", file="doc.pdf")
    assert json.loads(graph.body.text) == {"query": "{ me { id } }", "variables": {"x": 1}}
    assert open_.auth == Auth("none") and listing.auth == Auth("inherit")
    assert any("Orders/List: test script kept as documentation" in w for w in imported.warnings)
    assert any("Shop: pre-request script" in w for w in imported.warnings)


def test_v20_auth_mapping_and_string_urls() -> None:
    """v2.0 writes auth parameters as a mapping and URLs as strings."""
    doc = {"info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
           "item": [{"name": "r", "request": {"url": "https://h/x?a=1", "method": "get", "header": "X-B: 2\n",
                                              "auth": {"type": "basic", "basic": {"username": "u", "password": "p"}}}}]}
    (request,) = import_collection(doc).collection.requests  # type: ignore[union-attr]
    assert (request.method, request.url, request.params) == ("GET", "https://h/x", (KeyValue("a", "1"),))
    assert request.headers == (KeyValue("X-B", "2"),)
    assert request.auth == Auth("basic", {"username": "u", "password": "p"})


def test_written_collection_keeps_secrets_out_of_files(tmp_path: Path) -> None:
    source = tmp_path / "shop.postman_collection.json"
    source.write_text(json.dumps(DOC))
    summary = import_file(source, tmp_path / "ws")
    assert (summary.collection, summary.folders, summary.requests, summary.environments) == ("Shop", 1, 7, 1)
    text = "\n".join(p.read_text() for p in (tmp_path / "ws").rglob("*.yaml"))
    assert "k-1" not in text and "client_secret: cs" not in text and "password: p\n" not in text
    ws = storage.load_workspace(tmp_path / "ws")
    (coll,) = ws.collections
    assert coll.environments[0].as_dict() == {"apiKey": "k-1"}
    assert coll.auth.get("client_secret") == "cs"


def test_environment_file_goes_shared_or_to_a_collection(tmp_path: Path) -> None:
    """Secret-typed values go to the secret store; `target_collection` makes it that collection's own."""
    env = {"name": "Prod", "_postman_variable_scope": "environment",
           "values": [{"key": "baseUrl", "value": "https://p", "enabled": True},
                      {"key": "token", "value": "t0p", "type": "secret", "enabled": True}]}
    assert import_environment(env).environments[0].secret_names == {"token"}
    path = tmp_path / "prod.postman_environment.json"
    path.write_text(json.dumps(env))
    shared = import_file(path, tmp_path / "ws")
    assert (shared.collection, shared.environments) == ("", 1)
    assert "t0p" not in (tmp_path / "ws" / "environments" / "Prod.yaml").read_text()
    (tmp_path / "c.json").write_text(json.dumps(DOC))
    import_file(tmp_path / "c.json", tmp_path / "ws")
    own = import_file(path, tmp_path / "ws", target_collection="Shop")
    assert own.collection == "Shop"
    ws = storage.load_workspace(tmp_path / "ws")
    assert ws.environment("Prod") is not None
    assert ws.collection("Shop").environment("Prod").as_dict() == {"baseUrl": "https://p", "token": "t0p"}  # type: ignore[union-attr]
