"""Postman v2.1 export: loads in Postman's own SDK (postman-collection), and leaks no secret."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.collections import Auth, Body, Collection, Folder, KeyValue, Request
from workbench.core.interchange.postman_export import to_postman

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "servers"))
import peers  # noqa: E402

COLLECTION = Collection(
    "Shop", variables=(KeyValue("baseUrl", "http://127.0.0.1:1"),),
    auth=Auth("oauth2", {"grant_type": "client_credentials", "token_url": "{{baseUrl}}/token", "client_id": "cid",
                         "client_secret": "very-secret-value", "client_auth": "basic", "scope": "api"}),
    headers=(KeyValue("x-tenant-id", "t1"),),
    folders=(Folder("Orders", requests=(
        Request("List", "GET", "{{baseUrl}}/Orders", params=(KeyValue("$top", "5"), KeyValue("$skip", "0", False)),
                path="Orders/List.yaml"),
        Request("Create", "POST", "{{baseUrl}}/Orders", body=Body("raw", "application/json", '{"a": 1}'),
                auth=Auth("basic", {"username": "u", "password": "hunter2"}), path="Orders/Create.yaml"),
    ), path="Orders"),),
)


def test_export_has_no_clear_secret() -> None:
    text = json.dumps(to_postman(COLLECTION))
    assert "very-secret-value" not in text and "hunter2" not in text
    assert "{{client_secret}}" in text and "{{password}}" in text


def test_oauth2_settings_survive_a_round_trip() -> None:
    """Every OAuth 2.0 setting comes back from our own Postman import; secrets come back as `{{name}}`."""
    from workbench.core.interchange.postman import import_collection

    params = {"grant_type": "password", "token_url": "https://login/token", "auth_url": "https://login/auth",
              "refresh_url": "https://login/refresh", "client_id": "cid", "client_secret": "s3cret",
              "scope": "api", "username": "ann", "password": "pw", "header_prefix": "Token",
              "audience": "https://api", "resource": "urn:api", "client_auth": "body", "access_token": "tok-123"}
    collection = Collection("C", requests=(Request("R", "GET", "https://api/x", path="R.yaml"),),
                            auth=Auth("oauth2", params))
    exported = to_postman(collection)
    keys = [entry["key"] for entry in exported["auth"]["oauth2"]]
    assert "accessTokenUrl" in keys and "accessToken" not in keys  # a token is state, obtained again
    imported = import_collection(exported)
    assert imported.collection is not None
    back = dict(imported.collection.auth.params)
    settings = {k: v for k, v in params.items() if k != "access_token"}
    assert back == {**settings, "client_secret": "{{client_secret}}", "password": "{{password}}"}


def _in_postman_sdk(tmp_path: Path, collection: Collection, script: str) -> str:
    """Run `script` under node with `c`, our export of `collection` loaded by Postman's SDK; its output."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    peers.ensure_npm()
    out = tmp_path / "collection.json"
    out.write_text(json.dumps(to_postman(collection)))
    prelude = ("const {Collection} = require('postman-collection');"
               f"const c = new Collection(require({json.dumps(str(out))}));")
    result = subprocess.run(["node", "-e", prelude + script], capture_output=True, text=True,
                            env={"NODE_PATH": str(peers.NODE_MODULES), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_export_loads_in_postman_sdk(tmp_path: Path) -> None:
    data = json.loads(_in_postman_sdk(tmp_path, COLLECTION, (
        "const items = []; c.forEachItem(i => items.push([i.name, i.request.method, i.request.url.toString(),"
        " i.request.headers.get('x-tenant-id'), i.request.url.query.count()]));"
        "console.log(JSON.stringify({items, auth: c.auth && c.auth.type}));")))
    assert data["auth"] == "oauth2"
    assert data["items"] == [["List", "GET", "{{baseUrl}}/Orders?$top=5", "t1", 2],
                             ["Create", "POST", "{{baseUrl}}/Orders", "t1", 0]]


PATHS = Collection("Pets", requests=(
    Request("Get", "GET", "{{baseUrl}}/pets/{petId}/photos/{name}.jpg",
            path_variables=(KeyValue("petId", "{{pet}}", True, "the pet"), KeyValue("name", "a b"))),))


def test_path_variables_become_postman_url_variables() -> None:
    """Issue 14: a whole-segment `{petId}` is Postman's `:petId` with a `url.variable` row; one inside
    a segment has no Postman form, so its value is written in (encoded as it is sent)."""
    from workbench.core.interchange.postman import import_collection

    doc = to_postman(PATHS)
    url = doc["item"][0]["request"]["url"]
    assert url["raw"] == "{{baseUrl}}/pets/:petId/photos/a%20b.jpg"
    assert url["variable"] == [{"key": "petId", "value": "{{pet}}", "description": "the pet"}]
    back = import_collection(doc).collection
    assert back is not None
    (request,) = back.requests
    assert request.url == "{{baseUrl}}/pets/{petId}/photos/a%20b.jpg"
    assert request.path_variables == (KeyValue("petId", "{{pet}}", True, "the pet"),)


def test_path_variables_resolve_in_postman_sdk(tmp_path: Path) -> None:
    """Postman's own SDK fills `:petId` from the exported `url.variable` (as newman sends it)."""
    output = _in_postman_sdk(tmp_path, PATHS, "c.forEachItem(i => console.log(i.request.url.getPath()));")
    assert output.strip() == "/pets/{{pet}}/photos/a%20b.jpg"
