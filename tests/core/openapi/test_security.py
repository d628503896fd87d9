"""Security schemes become auth: each scheme type maps to ours, secrets stay `{{placeholders}}`."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from workbench.core.openapi.importer import import_openapi


def test_security_schemes_map_to_auth_with_placeholders(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """apiKey (header/query/cookie, bare Authorization), basic, bearer, OAuth2 and openIdConnect map to
    our auth types; secrets are `{{placeholders}}` with empty, secret environment variables."""
    spec = {
        "openapi": "3.0.3", "info": {"title": "Sec", "version": "1"}, "servers": [{"url": "https://sec.example.com"}],
        "security": [{"oauth": ["read"]}],
        "components": {"securitySchemes": {
            "oauth": {"type": "oauth2", "flows": {
                "authorizationCode": {"authorizationUrl": "https://id.example.com/auth",
                                      "tokenUrl": "https://id.example.com/token", "scopes": {"read": "", "write": ""}},
                "clientCredentials": {"tokenUrl": "https://id.example.com/token",
                                      "scopes": {"read": "", "write": ""}}}},
            "bare": {"type": "apiKey", "in": "header", "name": "Authorization"},
            "query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "basic": {"type": "http", "scheme": "basic"},
            "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com/.well-known/openid-configuration"},
        }},
        "paths": {"/a": {m: {"operationId": m, "security": sec, "responses": {"200": {"description": "ok"}}}
                         for m, sec in (("get", [{"bare": []}]), ("put", [{"query": []}]), ("post", [{"cookie": []}]),
                                        ("delete", [{"basic": []}]), ("patch", [{"jwt": []}]),
                                        ("options", [{"oidc": ["profile"]}]), ("head", []))},
                  "/b": {"get": {"operationId": "inherits", "responses": {"200": {"description": "ok"}}}}},
    }
    result = import_openapi(write_spec(spec))
    coll = result.collection
    assert coll.auth.type == "oauth2"
    assert dict(coll.auth.params) == {
        "grant_type": "client_credentials", "client_id": "{{clientId}}", "client_secret": "{{clientSecret}}",
        "client_auth": "basic", "scope": "read", "token_url": "https://id.example.com/token"}
    assert coll.auth.get("token_url") == "https://id.example.com/token" and coll.auth.get("scope") == "read"
    assert coll.auth.get("client_auth") == "basic" and coll.auth.get("client_secret") == "{{clientSecret}}"
    auths = {r.meta["operationId"]: r.auth for r in coll.all_requests()}
    assert dict(auths["get"].params) == {"name": "Authorization", "value": "{{apiKey}}", "in": "header"}
    assert auths["put"].get("in") == "query" and auths["put"].get("name") == "api_key"
    assert auths["post"].get("in") == "cookie"
    assert auths["delete"].type == "basic" and auths["delete"].get("password") == "{{password}}"
    assert auths["patch"].type == "bearer" and auths["patch"].get("token") == "{{bearerToken}}"
    assert auths["options"].type == "oauth2" and auths["options"].get("discovery_url").endswith("openid-configuration")
    assert "openid profile" == auths["options"].get("scope")
    assert auths["head"].type == "none"  # `security: []` removes auth (OAS §4.8.10 security)
    assert auths["inherits"].type == "inherit"
    env = result.environments[0]
    values = env.as_dict()
    for name in ("clientSecret", "password", "bearerToken"):
        assert values[name] == "" and name in env.secret_names  # never invented
    assert any(n.endswith("apiKey") for n in env.secret_names)
    assert any("also offered: authorizationCode" in w for w in result.warnings)
