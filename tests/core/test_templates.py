"""Connection templates (core/templates.py): platform connections as data, applied to workspaces.

Each shipped template loads; applying one writes a collection whose auth resolves, from the
environment the user filled, exactly as the platform wants; against real token servers.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import strict_token as strict

from workbench.core.context.resolve import auth_for, resolve_context
from workbench.core.context.target import open_target
from workbench.core.errors import StorageError
from workbench.core.sending.send import send
from workbench.core.templates import (
    apply_template,
    fact,
    find_template,
    list_templates,
    parse_assignments,
)
from workbench.core.workspace import storage


def test_every_template_loads_with_fields_and_environments() -> None:
    templates = list_templates()
    assert {t.id for t in templates} >= {"bizagi-odata", "bizagi-datasets", "workflow-server-oidc",
                                         "workflow-server-token", "frends", "jitterbit-app-builder",
                                         "jitterbit-app-builder-pat"}
    for template in templates:
        assert template.fields and template.environments and template.description
        assert any(f.secret for f in template.fields), template.id  # every platform has a secret to keep


def test_missing_fields_and_unknown_names_are_bad_input(tmp_path: Path) -> None:
    frends = find_template("frends")
    with pytest.raises(StorageError, match="needs: API key"):
        apply_template(frends, tmp_path / "ws", {"baseUrl": "http://x"})
    with pytest.raises(StorageError, match="has no field 'apikey'"):
        parse_assignments(["apikey=1"], frends)
    with pytest.raises(StorageError, match="ambiguous"):
        find_template("workflow")
    assert not (tmp_path / "ws" / "Frends").exists()  # nothing half-written


def test_datasets_fill_each_environment_and_keep_keys_secret(tmp_path: Path) -> None:
    template = find_template("bizagi-datasets")
    values, per_env = parse_assignments(["Testing.restUrl=http://t", "Testing.accessKey1=k1t", "Testing.accessKey2=k2t",
                                         "restUrl=http://d", "accessKey1=k1d", "accessKey2=k2d"], template)
    applied = apply_template(template, tmp_path / "ws", values, per_environment=per_env)
    assert applied.environments == ("Development", "Testing", "Production")
    workspace = storage.load_workspace(tmp_path / "ws")
    coll = workspace.collection(applied.collection_path)
    assert coll is not None
    testing = coll.environment("Testing")
    assert testing is not None and testing.as_dict()["accessKey2"] == "k2t" and "accessKey2" in testing.secret_names
    for env_file in (tmp_path / "ws" / applied.collection_path / "environments").iterdir():
        assert "k2t" not in env_file.read_text() and "k2d" not in env_file.read_text()
    assert resolve_context(workspace, coll).environment.name == "Development"  # type: ignore[union-attr]


def test_jitterbit_password_grant_gets_a_token_and_records_the_top_limit(
        tmp_path: Path, strict_token: strict.StrictTokenServer) -> None:
    """The template's auth, resolved from the typed fields, gets a token from a strict token server
    (client credentials in the body only, password grant)."""
    template = find_template("jitterbit-app-builder")
    applied = apply_template(template, tmp_path / "ws", {
        "serviceRoot": "http://127.0.0.1:9/odata/v1/entities", "tokenUrl": f"{strict_token.url}/token",
        "clientId": "body-only", "tenantId": "t1", "clientSecret": "body-secret",
        "username": "alice", "password": "wonder land:+/%"})
    target = open_target(tmp_path / "ws" / applied.collection_path)
    assert target.workspace is not None
    ctx = resolve_context(target.workspace, target.collection)
    auth = auth_for(ctx, target.template())
    assert auth.get("client_auth") == "body" and auth.get("username") == "alice"
    assert auth.get("scope") == "api1 email openid profile"
    from workbench.core.auth import oauth2
    from workbench.core.collections import Auth

    auth = Auth("oauth2", {**auth.params, "scope": "api"})  # the stand-in knows scopes api/read/write only

    token = asyncio.run(oauth2.obtain_token(auth, force=True))
    assert token.access_token in strict_token.valid_tokens
    assert fact(target.collection, "odata_max_top") == "1000"


def test_applying_to_an_imported_collection_gives_its_requests_the_platform_auth(
        tmp_path: Path, httpbin, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    """Bizagi's task: import the descriptor, then apply the template; imported requests inherit its auth."""
    from workbench.core.openapi.importer import import_into_workspace

    summary = import_into_workspace(shared_data / "openapi" / "petstore-v3.0.yaml", tmp_path / "ws")
    applied = apply_template(find_template("frends"), tmp_path / "ws", {"baseUrl": httpbin.url, "apiKey": "k-123"},
                             collection=summary.collection_path)
    assert not applied.created and applied.collection_path == summary.collection_path
    workspace = storage.load_workspace(tmp_path / "ws")
    coll = workspace.collection(summary.collection_path)
    assert coll is not None and coll.auth.type == "apikey"
    request = next(r for r in coll.all_requests() if r.auth.type == "inherit")
    ctx = resolve_context(workspace, coll, environment="Production", overrides={"baseUrl": httpbin.url + "/anything"})
    exchange = asyncio.run(send(request, ctx))
    assert json.loads(exchange.response.text())["headers"]["Authorization"] == "k-123"
