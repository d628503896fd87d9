"""The one precedence (core/context/resolve.py), on workspaces written as users write them, sent to httpbin."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from workbench.core.context.resolve import resolve_context
from workbench.core.context.selection import choose_environment
from workbench.core.context.target import open_target
from workbench.core.errors import SendTimeout, StorageError, UnresolvedVariableError
from workbench.core.sending.send import send
from workbench.core.workspace import storage


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _layered_workspace(root: Path, echo: str) -> Path:
    """Every layer defines `who`; each also defines a name only it has."""
    _write(root / "workspace.yaml", "name: W\nvariables:\n- {name: who, value: globals}\n- {name: g, value: G}\n")
    _write(root / "environments" / "Production.yaml",
           "name: Production\nvariables:\n- {name: who, value: shared}\n- {name: s, value: S}\n")
    _write(root / "Api" / "collection.yaml", "name: Api\nvariables:\n"
           f"- {{name: who, value: collection}}\n- {{name: c, value: C}}\n- {{name: baseUrl, value: '{echo}'}}\n")
    _write(root / "Api" / "environments" / "Production.yaml",
           "name: Production\nvariables:\n- {name: who, value: own-env}\n- {name: e, value: E}\n")
    _write(root / "Api" / "deep" / "folder.yaml", "variables:\n- {name: who, value: folder}\n- {name: f, value: F}\n")
    _write(root / "Api" / "deep" / "Echo.yaml", "name: Echo\nmethod: GET\nurl: '{{baseUrl}}/get'\n"
           "params:\n- {name: who, value: '{{who}}'}\n- {name: all, value: '{{g}}{{c}}{{s}}{{e}}{{f}}'}\n")
    _write(root / "Api" / "Top.yaml", "name: Top\nmethod: GET\nurl: '{{baseUrl}}/get'\n"
           "params:\n- {name: who, value: '{{who}}'}\n")
    return root


def _args(exchange) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return json.loads(exchange.response.text())["args"]


def test_precedence_request_folder_env_shared_collection_globals(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = _layered_workspace(tmp_path / "ws", httpbin.url)
    target = open_target(root / "Api" / "deep" / "Echo.yaml")
    assert target.request is not None and target.workspace is not None
    ctx = resolve_context(target.workspace, target.collection)
    assert ctx.environment is not None and ctx.environment.name == "Production"  # the collection's own, first
    args = _args(asyncio.run(send(target.request, ctx)))
    assert args == {"who": "folder", "all": "GCSEF"}
    top = open_target(root / "Api" / "Top.yaml")
    assert _args(asyncio.run(send(top.request, ctx)))["who"] == "own-env"  # type: ignore[arg-type]
    with_var = resolve_context(target.workspace, target.collection, overrides={"who": "cli"})
    assert _args(asyncio.run(send(target.request, with_var)))["who"] == "cli"
    assert with_var.variable_layers(target.request)[-1].label == "--var"


def test_layers_drop_out_one_by_one(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = _layered_workspace(tmp_path / "ws", httpbin.url)
    (root / "Api" / "environments" / "Production.yaml").unlink()
    target = open_target(root / "Api" / "Top.yaml")
    assert target.workspace is not None
    ctx = resolve_context(target.workspace, target.collection, environment="production")  # case-insensitive
    assert _args(asyncio.run(send(target.request, ctx)))["who"] == "shared"  # type: ignore[arg-type]
    none = resolve_context(target.workspace, target.collection, environment="")
    assert _args(asyncio.run(send(target.request, none)))["who"] == "collection"  # type: ignore[arg-type]


def test_unknown_or_ambiguous_environment_names_the_choices(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = _layered_workspace(tmp_path / "ws", httpbin.url)
    _write(root / "environments" / "PRODUCTION.yaml", "name: PRODUCTION\nvariables: []\n")
    target = open_target(root / "Api")
    assert target.workspace is not None
    with pytest.raises(StorageError, match="no environment named 'Staging' for collection “Api”"):
        resolve_context(target.workspace, target.collection, environment="Staging")
    with pytest.raises(StorageError, match="ambiguous"):
        resolve_context(target.workspace, target.collection, environment="production")


def test_unresolved_variable_is_refused_before_sending(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = _layered_workspace(tmp_path / "ws", httpbin.url)
    _write(root / "Api" / "Missing.yaml", "name: Missing\nmethod: GET\nurl: '{{baseUrl}}/get'\n"
           "headers:\n- {name: X-Key, value: '{{apiKey}}'}\n")
    target = open_target(root / "Api" / "Missing.yaml")
    assert target.workspace is not None
    ctx = resolve_context(target.workspace, target.collection)
    with pytest.raises(UnresolvedVariableError) as caught:
        asyncio.run(send(target.request, ctx))  # type: ignore[arg-type]
    assert caught.value.names == ("apiKey",)
    assert "{{apiKey}} is not defined" in caught.value.message
    assert "environment “Production”" in caught.value.message and "--var apiKey=VALUE" in caught.value.message


def test_request_timeout_is_its_own_and_the_error_says_where(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = _layered_workspace(tmp_path / "ws", httpbin.url)
    _write(root / "Api" / "Slow.yaml", "name: Slow\nmethod: GET\nurl: '{{baseUrl}}/delay/3'\n"
           "settings:\n  timeout_s: 0.5\n")
    target = open_target(root / "Api" / "Slow.yaml")
    assert target.workspace is not None and target.request is not None
    assert target.request.settings == {"timeout_s": 0.5}
    ctx = resolve_context(target.workspace, target.collection)
    assert ctx.settings_for(target.request).timeout_s == 0.5 and ctx.settings.timeout_s == 30
    with pytest.raises(SendTimeout) as caught:
        asyncio.run(send(target.request, ctx))
    message = caught.value.message
    assert "after 0.5 s" in message and "(timeout_s, set in the settings of request “Slow”" in message
    assert message.count("0.5 s") == 1  # the number once, the setting named once
    # Raised on the folder instead, the request that keeps no own value waits long enough.
    _write(root / "Api" / "slow" / "folder.yaml", "settings:\n  timeout_s: 10\n")
    _write(root / "Api" / "slow" / "Slow2.yaml", "name: Slow2\nmethod: GET\nurl: '{{baseUrl}}/delay/1'\n")
    inner = open_target(root / "Api" / "slow" / "Slow2.yaml")
    assert inner.workspace is not None
    ctx2 = resolve_context(inner.workspace, inner.collection)
    assert ctx2.settings_for(inner.request).timeout_s == 10
    assert asyncio.run(send(inner.request, ctx2)).response.status == 200  # type: ignore[arg-type]


def test_two_collections_each_reach_their_own_server(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    storage.init_workspace(root)
    for name, path in (("Alpha", "anything/alpha"), ("Beta", "anything/beta")):
        _write(root / name / "collection.yaml", f"name: {name}\n")
        _write(root / name / "environments" / "Production.yaml",
               f"name: Production\nvariables:\n- {{name: baseUrl, value: '{httpbin.url}/{path}'}}\n")
        _write(root / name / "Call.yaml", "name: Call\nmethod: GET\nurl: '{{baseUrl}}'\n")
    for name, path in (("Alpha", "/anything/alpha"), ("Beta", "/anything/beta")):
        target = open_target(root / name / "Call.yaml")
        assert target.workspace is not None
        exchange = asyncio.run(send(target.request, resolve_context(target.workspace, target.collection)))  # type: ignore[arg-type]
        assert json.loads(exchange.response.text())["url"].endswith(path)
    # Choosing an environment for one collection leaves the other alone.
    choose_environment(root, "Alpha", "")
    workspace = storage.load_workspace(root)
    assert resolve_context(workspace, workspace.collection("Alpha")).environment is None
    beta = resolve_context(workspace, workspace.collection("Beta")).environment
    assert beta is not None and beta.path == "Beta/environments/Production.yaml"
    assert "environment" not in (root / "workspace.yaml").read_text()


def test_collection_auth_resolves_variables_and_gets_a_token(tmp_path: Path, oidc_server) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: Collection Settings → Auth sent `{{clientId}}` literally; `auth_for` resolves it as a send would."""
    from workbench.core.auth import jwt, oauth2
    from workbench.core.context.resolve import auth_for

    root = tmp_path / "ws"
    storage.init_workspace(root)
    _write(root / "Api" / "collection.yaml", "name: Api\nauth:\n  type: oauth2\n  grant: client_credentials\n"
           "  token_url: '{{identityUrl}}/token'\n  client_id: '{{clientId}}'\n  client_secret: '{{clientSecret}}'\n"
           "  scope: api\n")
    _write(root / "Api" / "environments" / "Dev.yaml", "name: Dev\nvariables:\n"
           f"- {{name: identityUrl, value: '{oidc_server.url}'}}\n- {{name: clientId, value: basic-client}}\n"
           "- {name: clientSecret, value: basic-secret, secret: true}\n")
    target = open_target(root / "Api")
    assert target.workspace is not None
    ctx = resolve_context(target.workspace, target.collection)
    auth = auth_for(ctx, target.template())
    assert auth.get("token_url") == f"{oidc_server.url}/token" and auth.get("client_id") == "basic-client"
    token = asyncio.run(oauth2.obtain_token(auth, force=True))
    assert jwt.decode(token.access_token).claims["client_id"] == "basic-client"
    empty = resolve_context(target.workspace, target.collection, environment="")
    with pytest.raises(UnresolvedVariableError, match=r"\{\{clientId\}\}, \{\{clientSecret\}\}, \{\{identityUrl\}\} are "
                                                       r"not defined, so the token request was not sent"):
        auth_for(empty, target.template())


def test_two_imported_specs_each_reach_their_own_server(tmp_path: Path, httpbin) -> None:  # type: ignore[no-untyped-def]
    """Issue 12's report: after importing Kubernetes then Petstore, Petstore went to Kubernetes' server."""
    import yaml

    from workbench.core.openapi.importer import import_into_workspace

    root = tmp_path / "ws"
    for title, path in (("Alpha API", "alpha"), ("Beta API", "beta")):
        spec = {"openapi": "3.0.3", "info": {"title": title, "version": "1"},
                "servers": [{"url": f"{httpbin.url}/anything/{path}"}],
                "paths": {"/things": {"get": {"operationId": f"list{path}", "responses": {"200": {"description": "ok"}}}}}}
        source = tmp_path / f"{path}.yaml"
        source.write_text(yaml.safe_dump(spec), encoding="utf-8")
        import_into_workspace(source, root)
    workspace = storage.load_workspace(root)
    assert not workspace.environments  # nothing shared: each API keeps its own
    for coll in workspace.collections:
        request = coll.all_requests()[0]
        exchange = asyncio.run(send(request, resolve_context(workspace, coll)))
        want = "alpha" if coll.name == "Alpha API" else "beta"
        assert json.loads(exchange.response.text())["url"].endswith(f"/anything/{want}/things")
