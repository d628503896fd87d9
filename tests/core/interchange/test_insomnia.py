"""Insomnia v4 export import (JSON and YAML): workspace, folders, requests, base and sub-environments, auth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from workbench.core.collections import Auth, Body, KeyValue
from workbench.core.interchange.detect import import_file
from workbench.core.interchange.insomnia import import_export
from workbench.core.workspace import storage

EXPORT: dict[str, Any] = {"_type": "export", "__export_format": 4, "resources": [
    {"_id": "wrk_1", "_type": "workspace", "parentId": None, "name": "Pets"},
    {"_id": "env_base", "_type": "environment", "parentId": "wrk_1", "name": "Base", "data": {"api": {"host": "h.example"}}},
    {"_id": "env_dev", "_type": "environment", "parentId": "env_base", "name": "Dev", "data": {"base": "http://dev"}},
    {"_id": "env_prod", "_type": "environment", "parentId": "env_base", "name": "Prod", "data": {"base": "https://prod"}},
    {"_id": "fld_1", "_type": "request_group", "parentId": "wrk_1", "name": "Pets", "environment": {"kind": "cat"},
     "authentication": {"type": "bearer", "token": "{{ _.token }}"}},
    {"_id": "req_1", "_type": "request", "parentId": "fld_1", "name": "List", "method": "GET",
     "url": "{{ _.base }}/pets?kind={{ _.kind }}", "parameters": [{"name": "limit", "value": "5", "disabled": True}],
     "headers": [{"name": "X-Host", "value": "{{ _.api.host }}"}], "body": {}, "authentication": {}},
    {"_id": "req_2", "_type": "request", "parentId": "fld_1", "name": "Create", "method": "POST",
     "url": "{{ _.base }}/pets", "body": {"mimeType": "application/json", "text": "{\"name\": \"Rex\"}"},
     "headers": [{"name": "Content-Type", "value": "application/json"}],
     "authentication": {"type": "basic", "username": "u", "password": "p"}},
    {"_id": "req_3", "_type": "request", "parentId": "wrk_1", "name": "Login", "method": "POST", "url": "{{ _.base }}/t",
     "body": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a", "value": "1"}]},
     "authentication": {"type": "oauth2", "grantType": "password", "accessTokenUrl": "https://idp/token",
                        "clientId": "c", "clientSecret": "s", "username": "u", "password": "p", "credentialsInBody": True}},
    {"_id": "req_4", "_type": "request", "parentId": "wrk_1", "name": "Key", "method": "GET", "url": "https://h/k",
     "authentication": {"type": "apikey", "key": "api_key", "value": "{% response 'body', 'req_3', '$.t' %}",
                        "addTo": "queryParams"}},
]}


def test_tree_environments_and_auth() -> None:
    imported = import_export(EXPORT)
    coll = imported.collection
    assert coll is not None and coll.name == "Pets"
    assert coll.variables == (KeyValue("api.host", "h.example"),)
    assert [(e.name, e.as_dict()) for e in coll.environments] == [("Dev", {"base": "http://dev"}),
                                                                  ("Prod", {"base": "https://prod"})]
    (folder,) = coll.folders
    assert folder.variables == (KeyValue("kind", "cat"),) and folder.auth == Auth("bearer", {"token": "{{token}}"})
    listing, create = folder.requests
    assert (listing.url, listing.params) == ("{{base}}/pets", (KeyValue("kind", "{{kind}}"), KeyValue("limit", "5", False)))
    assert listing.headers == (KeyValue("X-Host", "{{api.host}}"),) and listing.auth == Auth("inherit")
    assert create.body == Body("raw", "application/json", '{"name": "Rex"}') and create.headers == ()
    assert create.auth == Auth("basic", {"username": "u", "password": "p"})
    login, key = coll.requests
    assert login.body == Body("form", form=(KeyValue("a", "1"),))
    assert login.auth == Auth("oauth2", {"grant_type": "password", "token_url": "https://idp/token", "client_id": "c",
                                         "client_secret": "s", "username": "u", "password": "p", "client_auth": "body"})
    assert key.auth.get("in") == "query"
    assert any("template tag" in w for w in imported.warnings)


def test_yaml_export_through_import_file(tmp_path: Path) -> None:
    source = tmp_path / "insomnia.yaml"
    source.write_text(yaml.safe_dump(EXPORT, sort_keys=False))
    summary = import_file(source, tmp_path / "ws")
    assert (summary.collection, summary.folders, summary.requests, summary.environments) == ("Pets", 1, 4, 2)
    (coll,) = storage.load_workspace(tmp_path / "ws").collections
    assert {e.name for e in coll.environments} == {"Dev", "Prod"}
    assert "clientSecret" not in json.dumps([p.read_text() for p in (tmp_path / "ws").rglob("*.yaml")])
