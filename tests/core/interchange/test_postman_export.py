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


def test_export_loads_in_postman_sdk(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    peers.ensure_npm()
    out = tmp_path / "c.json"
    out.write_text(json.dumps(to_postman(COLLECTION)))
    script = (
        "const {Collection} = require('postman-collection');"
        f"const c = new Collection(require({json.dumps(str(out))}));"
        "const items = []; c.forEachItem(i => items.push([i.name, i.request.method, i.request.url.toString(),"
        " i.request.headers.get('x-tenant-id'), i.request.url.query.count()]));"
        "console.log(JSON.stringify({items, auth: c.auth && c.auth.type}));"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, env={"NODE_PATH": str(peers.NODE_MODULES), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["auth"] == "oauth2"
    assert data["items"] == [["List", "GET", "{{baseUrl}}/Orders?$top=5", "t1", 2],
                             ["Create", "POST", "{{baseUrl}}/Orders", "t1", 0]]
