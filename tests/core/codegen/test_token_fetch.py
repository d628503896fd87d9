"""Generated code that gets its own OAuth 2.0 token (issue 13), run against the real token servers.

curl (bash), Python (httpx) and JavaScript (node, fetch) each: ask the token endpoint (typed,
or found by OIDC discovery) with the app's client authentication, call a bearer-checking
resource, and exit non-zero when the token request is refused, the call answers 401, or a
secret's environment variable is unset. `strict_token` refuses a client authenticating any
other way than the one it is registered with, and checks RFC 6749 §2.3.1 encoding in Basic.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Iterator

import peers
import pytest
import strict_token as strict

from workbench.core.codegen import generate
from workbench.core.collections import Auth, Environment, KeyValue, Request

if TYPE_CHECKING:
    from conftest import RunCode  # tests/core/codegen/conftest.py

RUN = ("curl", "python", "javascript")
# Every character RFC 6749 §2.3.1 makes the client encode: reserved ones, a space, a colon, non-ASCII.
ODD_ID, ODD_SECRET = "zé client:1", "s3c:r+t/=#% x€&"


@pytest.fixture
def strict_server(strict_token: strict.StrictTokenServer) -> Iterator[strict.StrictTokenServer]:
    strict_token.clients[ODD_ID] = strict.Client(ODD_SECRET, "basic")
    yield strict_token
    strict_token.clients.pop(ODD_ID, None)


def _oauth(params: dict[str, str]) -> Request:
    return Request("Resource", "GET", "{{base}}/resource", auth=Auth("oauth2", {"scope": "api", **params}))


def test_client_credentials_with_an_encoded_basic_header(strict_server: strict.StrictTokenServer,
                                                         run_code: RunCode) -> None:
    """Client credentials, Basic client auth: the call succeeds; a wrong or unset secret exits non-zero."""
    env = Environment("Dev", (KeyValue("base", strict_server.url), KeyValue("clientSecret", ODD_SECRET)),
                      frozenset({"clientSecret"}))
    request = _oauth({"token_url": "{{base}}/token", "client_id": ODD_ID, "client_secret": "{{clientSecret}}",
                      "client_auth": "basic"})
    for lang in RUN:
        code = generate(request, lang, env=env)
        assert ODD_SECRET not in code and "environment variables: clientSecret" in code
        ok = run_code(lang, code, {"clientSecret": ODD_SECRET})
        assert ok.returncode == 0, (lang, ok.stdout, ok.stderr)
        assert '"ok": true' in ok.stdout, lang
        assert strict_server.requests[-1].method == "basic"
        refused = run_code(lang, code, {"clientSecret": "wrong"})
        assert refused.returncode != 0 and "invalid_client" in refused.stderr, (lang, refused.stderr)
        unset = run_code(lang, code, {})
        assert unset.returncode != 0 and "clientSecret" in unset.stderr, (lang, unset.stderr)


def test_password_grant_with_credentials_in_the_body_found_by_discovery(strict_server: strict.StrictTokenServer,
                                                                        run_code: RunCode) -> None:
    """Password grant, client credentials in the body, token URL from OIDC discovery at run time.

    The client secret is typed into the auth (read from WORKBENCH_CLIENT_SECRET); the user's
    password is `{{userPassword}}`, a variable not marked secret, yet read from `userPassword`
    because it fills a secret field.
    """
    env = Environment("Dev", (KeyValue("base", strict_server.url), KeyValue("userPassword", "decoy-value")))
    request = _oauth({"grant_type": "password", "discovery_url": "{{base}}", "client_id": "body-only",
                      "client_secret": "body-secret", "client_auth": "body", "username": "alice",
                      "password": "{{userPassword}}"})
    right = {"WORKBENCH_CLIENT_SECRET": "body-secret", "userPassword": "wonder land:+/%"}
    for lang in RUN:
        code = generate(request, lang, env=env)
        assert "body-secret" not in code and "decoy-value" not in code and "/.well-known/openid-configuration" in code
        ok = run_code(lang, code, right)
        assert ok.returncode == 0, (lang, ok.stdout, ok.stderr)
        seen = strict_server.requests[-1]
        assert (seen.grant_type, seen.method, seen.form["username"]) == ("password", "body", "alice")
        wrong = run_code(lang, code, {**right, "userPassword": "wrong"})
        assert wrong.returncode != 0 and "invalid_grant" in wrong.stderr, (lang, wrong.stderr)


def test_a_refused_call_exits_non_zero(strict_token: strict.StrictTokenServer, run_code: RunCode) -> None:
    """A 401 from the resource (a token it did not issue, or revoked) fails the script (JavaScript exited 0)."""
    request = Request("Resource", "GET", f"{strict_token.url}/resource",
                      auth=Auth("bearer", {"token": "{{accessToken}}"}))
    for lang in RUN:
        out = run_code(lang, generate(request, lang), {"accessToken": "at-revoked"})
        assert out.returncode != 0 and "invalid_token" in out.stdout, (lang, out.returncode, out.stdout)


@pytest.mark.parametrize("client, secret, client_auth", [("basic-client", "basic-secret", "basic"),
                                                         ("post-client", "post-secret", "body")])
def test_oidc_provider_discovery_and_token(oidc_server: peers.Peer, httpbin: peers.Peer, run_code: RunCode,
                                           client: str, secret: str, client_auth: str) -> None:
    """Against oidc-provider: discovery, client credentials, and the JWT it issued reaches the resource."""
    env = Environment("Dev", (KeyValue("idp", oidc_server.url), KeyValue("clientSecret", secret)),
                      frozenset({"clientSecret"}))
    request = Request("Bearer", "GET", f"{httpbin.url}/bearer", auth=Auth("oauth2", {
        "discovery_url": "{{idp}}/.well-known/openid-configuration", "client_id": client,
        "client_secret": "{{clientSecret}}", "client_auth": client_auth, "scope": "api"}))
    for lang in RUN:
        code = generate(request, lang, env=env)
        assert secret not in code
        out = run_code(lang, code, {"clientSecret": secret})
        assert out.returncode == 0, (lang, out.stdout, out.stderr)
        body = json.loads(out.stdout if lang == "curl" else out.stdout.split("\n", 1)[1])
        claims = json.loads(base64.urlsafe_b64decode(body["token"].split(".")[1] + "=="))
        assert claims["iss"] == oidc_server.url and claims["client_id"] == client, lang
    refused = run_code("javascript", generate(request, "javascript", env=env), {"clientSecret": "wrong"})
    assert refused.returncode != 0 and "invalid_client" in refused.stderr
