"""OAuth 2.0 token logic against real servers: oidc-provider, oauth2-mock-server, our strict endpoint."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Iterator

import httpx
import peers
import pytest
import strict_token as strict

from workbench.core.auth import jwt, oauth2
from workbench.core.collections import Auth, Request
from workbench.core.sending.send import SendContext, send
from workbench.core.workspace import secrets

ODD_ID = "odd client:1"
ODD_SECRET = "s3c:r+t/=#% x"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    oauth2.cache.clear_memory()
    yield
    oauth2.cache.clear_memory()


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def oauth(**params: str) -> Auth:
    return Auth("oauth2", params)


def _seen_since(server: strict.StrictTokenServer, start: int) -> list[strict.Seen]:
    return server.requests[start:]


# --------------------------------------------------------------------------- wire format (no network)


def test_basic_header_form_encodes_id_and_secret_rfc6749_2_3_1() -> None:
    """RFC 6749 §2.3.1: each of id and secret is form-urlencoded before base64, space as '+'."""
    header = oauth2.client_basic_header(ODD_ID, ODD_SECRET)
    assert header.startswith("Basic ")
    decoded = base64.b64decode(header[6:]).decode()
    assert decoded == "odd+client%3A1:s3c%3Ar%2Bt%2F%3D%23%25+x"
    raw = base64.b64decode(oauth2.client_basic_header(ODD_ID, ODD_SECRET, encoded=False)[6:]).decode()
    assert raw == f"{ODD_ID}:{ODD_SECRET}"
    # Non-ASCII is UTF-8 percent-encoded, so the header stays ASCII.
    assert base64.b64decode(oauth2.client_basic_header("ü", "€")[6:]).decode() == "%C3%BC:%E2%82%AC"


def test_build_token_request_places_client_credentials() -> None:
    cfg = oauth2.OAuth2Config.from_auth(oauth(token_url="http://t/token", client_id="c", client_secret="s",
                                              client_auth="body", scope="a b", audience="aud",
                                              resource="urn:x urn:y", extra="tenant=t1&prompt=none"))
    req = oauth2.build_token_request(cfg, "http://t/token", {"grant_type": "client_credentials"})
    form = list(req.form)
    assert ("client_id", "c") in form and ("client_secret", "s") in form
    assert ("scope", "a b") in form and ("audience", "aud") in form
    assert [v for k, v in form if k == "resource"] == ["urn:x", "urn:y"]
    assert ("tenant", "t1") in form and ("prompt", "none") in form
    assert not any(k.lower() == "authorization" for k, _ in req.headers)
    # A public client (no secret) sends only its id, in the body (RFC 6749 §3.2.1).
    public = oauth2.build_token_request(oauth2.OAuth2Config.from_auth(oauth(token_url="http://t", client_id="pub")),
                                        "http://t", {"grant_type": "client_credentials"})
    assert ("client_id", "pub") in public.form
    assert not any(k.lower() == "authorization" for k, _ in public.headers)


def test_config_errors_name_the_missing_field() -> None:
    with pytest.raises(oauth2.AuthError, match="token URL"):
        oauth2.OAuth2Config.from_auth(oauth(client_id="x"))
    with pytest.raises(oauth2.AuthError, match="username"):
        oauth2.OAuth2Config.from_auth(oauth(token_url="http://t", grant_type="password"))
    with pytest.raises(oauth2.AuthError, match="client authentication"):
        oauth2.OAuth2Config.from_auth(oauth(token_url="http://t", client_auth="header"))
    with pytest.raises(oauth2.AuthError, match="grant type"):
        oauth2.OAuth2Config.from_auth(oauth(token_url="http://t", grant_type="device_code"))


def test_cache_key_changes_with_settings_but_not_prefix() -> None:
    base = dict(token_url="http://t", client_id="c", client_secret="s")
    key = oauth2.OAuth2Config.from_auth(oauth(**base)).cache_key()
    assert key == oauth2.OAuth2Config.from_auth(oauth(**base, header_prefix="Token")).cache_key()
    assert key != oauth2.OAuth2Config.from_auth(oauth(**base, scope="api")).cache_key()
    assert key != oauth2.OAuth2Config.from_auth(oauth(**{**base, "client_secret": "other"})).cache_key()
    assert "s" not in key.replace("s", "") and len(key) == 32


def test_parse_token_response_variants() -> None:
    now = 1_000_000.0
    token = oauth2.parse_token_response(200, "application/json",
                                        '{"access_token":"a","token_type":"bearer","expires_in":"3600"}', now=now)
    assert token.expires_at == now + 3600 and token.token_type == "bearer"
    form = oauth2.parse_token_response(200, "application/x-www-form-urlencoded",
                                       "access_token=abc&token_type=bearer&scope=repo", now=now)
    assert form.access_token == "abc" and form.scope == "repo" and form.expires_at is None
    with pytest.raises(oauth2.TokenError, match="without an access_token"):
        oauth2.parse_token_response(200, "application/json", '{"token_type":"bearer"}')
    with pytest.raises(oauth2.TokenError, match="empty body"):
        oauth2.parse_token_response(502, "text/plain", "")


def test_token_freshness_margin() -> None:
    t = oauth2.Token("a", expires_at=1000.0, obtained_at=100.0)
    assert t.is_fresh(900.0) and not t.is_fresh(945.0)  # margin: min(60, 10% of lifetime)
    assert oauth2.Token("a").is_fresh() and oauth2.Token("a").expires_in() is None
    assert oauth2.Token.from_json(t.to_json()) == t
    full = oauth2.Token("AT", refresh_token="RT", id_token="IT", raw={"access_token": "AT", "id_token": "IT",
                                                                     "refresh_token": "RT", "ext": 1})
    stored = full.to_json()
    assert stored.count("AT") == 1 and stored.count("IT") == 1  # not repeated in raw (keyring size limits)
    assert oauth2.Token.from_json(stored).raw == {"ext": 1}


# --------------------------------------------------------------------------- oidc-provider


def test_client_credentials_basic_header_at_oidc_provider(oidc_server: peers.Peer) -> None:
    token = run(oauth2.obtain_token(oauth(token_url=f"{oidc_server.url}/token", client_id="basic-client",
                                          client_secret="basic-secret", scope="api")))
    claims = jwt.decode(token.access_token).claims
    assert claims["client_id"] == "basic-client" and claims["scope"] == "api"
    assert token.scope == "api" and token.token_type == "Bearer"
    assert 3500 < (token.expires_in() or 0) <= 3600


def test_client_credentials_in_body_at_oidc_provider(oidc_server: peers.Peer) -> None:
    token = run(oauth2.obtain_token(oauth(token_url=f"{oidc_server.url}/token", client_id="post-client",
                                          client_secret="post-secret", client_auth="body", scope="api")))
    assert jwt.decode(token.access_token).claims["client_id"] == "post-client"


def test_odd_secret_works_encoded_and_fails_unencoded_at_oidc_provider(oidc_server: peers.Peer) -> None:
    """oidc-provider decodes §2.3.1: the encoded header works, the raw one is refused."""
    auth = oauth(token_url=f"{oidc_server.url}/token", client_id=ODD_ID, client_secret=ODD_SECRET, scope="api")
    token = run(oauth2.obtain_token(auth))
    assert jwt.decode(token.access_token).claims["client_id"] == ODD_ID
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(Auth("oauth2", {**auth.params, "client_auth": "basic-unencoded"})))
    assert info.value.status == 400 and "not properly encoded" in info.value.error_description


def test_invalid_client_is_explained_with_server_description(oidc_server: peers.Peer) -> None:
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(oauth(token_url=f"{oidc_server.url}/token", client_id="basic-client",
                                      client_secret="wrong")))
    err = info.value
    assert err.error == "invalid_client" and err.status == 401
    assert "client ID" in err.message and "client authentication failed" in err.message
    assert '"invalid_client"' in err.body and err.detail == err.body


def test_discovery_accepts_issuer_or_full_url(oidc_server: peers.Peer) -> None:
    by_issuer = run(oauth2.discover(oidc_server.url, refresh=True))
    full = run(oauth2.discover(f"{oidc_server.url}/.well-known/openid-configuration/", refresh=True))
    assert by_issuer.token_endpoint == f"{oidc_server.url}/token"
    assert full.token_endpoint == by_issuer.token_endpoint
    assert "client_credentials" in by_issuer.grant_types and "client_secret_basic" in by_issuer.auth_methods
    token = run(oauth2.obtain_token(oauth(discovery_url=oidc_server.url, client_id="basic-client",
                                          client_secret="basic-secret", scope="api")))
    assert jwt.decode(token.access_token).claims["iss"] == oidc_server.url


def test_discovery_failure_is_plain(httpbin: peers.Peer) -> None:
    with pytest.raises(oauth2.TokenError, match="answered 404"):
        run(oauth2.discover(httpbin.url + "/status/404"))
    with pytest.raises(oauth2.TokenError, match="no token_endpoint"):
        run(oauth2.discover(httpbin.url + "/.well-known/../json"))


def test_scopes_requested_and_dropped(oidc_server: peers.Peer) -> None:
    base = dict(token_url=f"{oidc_server.url}/token", client_id="basic-client", client_secret="basic-secret")
    with_scope = run(oauth2.obtain_token(oauth(**base, scope="api")))
    without = run(oauth2.obtain_token(oauth(**base)))
    assert with_scope.scope == "api" and jwt.decode(with_scope.access_token).claims["scope"] == "api"
    assert without.scope == "" and "scope" not in jwt.decode(without.access_token).claims


@pytest.fixture(scope="module")
def short_oidc() -> Iterator[peers.Peer]:
    peer = peers.start_oidc(ttl=2)
    yield peer
    peer.stop()


def test_token_is_reused_then_renewed_before_expiry(short_oidc: peers.Peer) -> None:
    """Client credentials have no refresh token: near expiry a new grant runs (short TTL)."""
    auth = oauth(token_url=f"{short_oidc.url}/token", client_id="basic-client", client_secret="basic-secret",
                 scope="api")

    async def flow() -> tuple[oauth2.Token, oauth2.Token, oauth2.Token]:
        first = await oauth2.obtain_token(auth)
        again = await oauth2.obtain_token(auth)
        deadline = time.monotonic() + 5
        while first.is_fresh() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        renewed = await oauth2.obtain_token(auth)
        return first, again, renewed

    first, again, renewed = run(flow())
    assert first.expires_in() is not None and first.expires_at - first.obtained_at == pytest.approx(2, abs=0.5)
    assert again.access_token == first.access_token
    assert renewed.access_token != first.access_token and renewed.is_fresh()


# --------------------------------------------------------------------------- strict endpoint


@pytest.mark.parametrize("client_id,secret,method,ok", [
    ("basic-only", "basic-secret", "basic", True),
    ("basic-only", "basic-secret", "body", False),
    ("body-only", "body-secret", "body", True),
    ("body-only", "body-secret", "basic", False),
    (ODD_ID, ODD_SECRET, "basic", True),
    (ODD_ID, ODD_SECRET, "basic-unencoded", False),
    ("legacy", "le:ga+cy", "basic-unencoded", True),
    ("legacy", "le:ga+cy", "basic", False),
])
def test_strict_endpoint_refuses_wrong_client_auth(strict_token: strict.StrictTokenServer, client_id: str,
                                                   secret: str, method: str, ok: bool) -> None:
    start = len(strict_token.requests)
    auth = oauth(token_url=f"{strict_token.url}/token", client_id=client_id, client_secret=secret, client_auth=method)
    if ok:
        token = run(oauth2.obtain_token(auth))
        assert token.access_token in strict_token.valid_tokens
    else:
        with pytest.raises(oauth2.TokenError) as info:
            run(oauth2.obtain_token(auth))
        assert info.value.error == "invalid_client" and info.value.status == 401
    seen = _seen_since(strict_token, start)
    assert len(seen) == 1
    assert ("client_secret" in seen[0].form) == (method == "body")
    assert seen[0].authorization.startswith("Basic ") == (method != "body")


def test_strict_endpoint_sees_exact_rfc_encoding(strict_token: strict.StrictTokenServer) -> None:
    start = len(strict_token.requests)
    run(oauth2.obtain_token(oauth(token_url=f"{strict_token.url}/token", client_id=ODD_ID, client_secret=ODD_SECRET)))
    seen = _seen_since(strict_token, start)[0]
    assert base64.b64decode(seen.authorization[6:]).decode() == "odd+client%3A1:s3c%3Ar%2Bt%2F%3D%23%25+x"
    assert "client_secret" not in seen.form


def test_password_grant_and_refresh_use_same_client_auth(strict_token: strict.StrictTokenServer) -> None:
    """RFC 6749 §6: the refresh request authenticates the client like the grant did."""
    for client_id, secret, method in (("basic-only", "basic-secret", "basic"), ("body-only", "body-secret", "body")):
        start = len(strict_token.requests)
        auth = oauth(grant_type="password", token_url=f"{strict_token.url}/token", client_id=client_id,
                     client_secret=secret, client_auth=method, username="alice", password="wonder land:+/%",
                     scope="read")

        async def flow() -> tuple[oauth2.Token, oauth2.Token]:
            first = await oauth2.obtain_token(auth)
            oauth2.invalidate(auth)  # as after a 401
            return first, await oauth2.obtain_token(auth)

        first, second = run(flow())
        seen = _seen_since(strict_token, start)
        assert [s.grant_type for s in seen] == ["password", "refresh_token"]
        assert [s.method for s in seen] == [method, method]
        assert seen[1].form["refresh_token"] == first.refresh_token
        assert second.access_token != first.access_token and second.refresh_token != first.refresh_token
        assert second.scope == "read"


def test_password_grant_wrong_password_and_invalid_scope(strict_token: strict.StrictTokenServer) -> None:
    base = dict(token_url=f"{strict_token.url}/token", client_id="basic-only", client_secret="basic-secret")
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(oauth(**base, grant_type="password", username="alice", password="nope")))
    assert info.value.error == "invalid_grant" and "wrong username or password" in info.value.message
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(oauth(**base, scope="admin")))
    assert info.value.error == "invalid_scope" and "'admin'" in info.value.message


def test_refresh_before_expiry_uses_refresh_token(strict_token: strict.StrictTokenServer) -> None:
    short = strict.default_server(ttl=2)
    try:
        auth = oauth(grant_type="password", token_url=f"{short.url}/token", client_id="basic-only",
                     client_secret="basic-secret", username="alice", password="wonder land:+/%")

        async def flow() -> tuple[oauth2.Token, oauth2.Token]:
            first = await oauth2.obtain_token(auth)
            deadline = time.monotonic() + 5
            while first.is_fresh() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return first, await oauth2.obtain_token(auth)

        first, second = run(flow())
        assert [s.grant_type for s in short.requests] == ["password", "refresh_token"]
        assert second.access_token != first.access_token
    finally:
        short.stop()


def test_failed_refresh_falls_back_to_a_new_grant(strict_token: strict.StrictTokenServer) -> None:
    auth = oauth(grant_type="password", token_url=f"{strict_token.url}/token", client_id="basic-only",
                 client_secret="basic-secret", username="alice", password="wonder land:+/%")
    start = len(strict_token.requests)

    async def flow() -> oauth2.Token:
        await oauth2.obtain_token(auth)
        strict_token.refresh_tokens.clear()  # server forgot every refresh token
        oauth2.invalidate(auth)
        return await oauth2.obtain_token(auth)

    token = run(flow())
    assert [s.grant_type for s in _seen_since(strict_token, start)] == ["password", "refresh_token", "password"]
    assert token.access_token in strict_token.valid_tokens


def test_html_instead_of_json_and_unreachable_host(strict_token: strict.StrictTokenServer) -> None:
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(oauth(token_url=f"{strict_token.url}/html/token", client_id="a", client_secret="b")))
    assert "HTML page" in info.value.message and "<h1>Sign in</h1>" in info.value.body
    assert info.value.status == 200
    port = peers.free_port()
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(oauth(token_url=f"http://127.0.0.1:{port}/token", client_id="a", client_secret="b")))
    assert f"Could not connect to 127.0.0.1:{port} — connection refused" in info.value.message and info.value.status is None


def test_concurrent_sends_share_one_token_request(strict_token: strict.StrictTokenServer) -> None:
    auth = oauth(token_url=f"{strict_token.url}/token", client_id="basic-only", client_secret="basic-secret",
                 scope="write")
    start = len(strict_token.requests)

    async def flow() -> list[oauth2.Token]:
        return list(await asyncio.gather(*(oauth2.obtain_token(auth) for _ in range(6))))

    tokens = run(flow())
    assert len({t.access_token for t in tokens}) == 1
    assert len(_seen_since(strict_token, start)) == 1


def test_cache_lives_in_secret_store_and_survives_memory_loss(strict_token: strict.StrictTokenServer) -> None:
    auth = oauth(token_url=f"{strict_token.url}/token", client_id="body-only", client_secret="body-secret",
                 client_auth="body", scope="api")
    first = run(oauth2.obtain_token(auth))
    key = oauth2.OAuth2Config.from_auth(auth).cache_key()
    stored = secrets.backend().get(oauth2.TokenCache.PREFIX + key)
    assert stored is not None and first.access_token in stored
    oauth2.cache.clear_memory()  # e.g. a new `workbench token` process
    start = len(strict_token.requests)
    assert run(oauth2.obtain_token(auth)).access_token == first.access_token
    assert len(_seen_since(strict_token, start)) == 0
    assert run(oauth2.obtain_token(auth, force=True)).access_token != first.access_token
    oauth2.forget(auth)
    assert secrets.backend().get(oauth2.TokenCache.PREFIX + key) is None


def test_send_retries_once_with_new_token_after_401(strict_token: strict.StrictTokenServer) -> None:
    auth = oauth(token_url=f"{strict_token.url}/token", client_id="basic-only", client_secret="basic-secret")
    request = Request("resource", url=f"{strict_token.url}/resource", auth=auth)
    ctx = SendContext()
    oauth2.attach_to_context(ctx, None)

    async def flow() -> tuple[int, int, int]:
        first = await send(request, ctx)
        strict_token.revoke_all()
        start = len(strict_token.requests)
        second = await send(request, ctx)
        return first.response.status, second.response.status, len(strict_token.requests) - start

    first, second, token_requests = run(flow())
    assert (first, second, token_requests) == (200, 200, 1)


# --------------------------------------------------------------------------- oauth2-mock-server


def test_password_grant_and_refresh_at_mock(oauth_mock: peers.Peer) -> None:
    auth = oauth(grant_type="password", discovery_url=oauth_mock.url, client_id="app", client_secret="s",
                 username="alice", password="wonderland", scope="api")

    async def flow() -> tuple[oauth2.Token, oauth2.Token]:
        first = await oauth2.obtain_token(auth)
        cfg = oauth2.OAuth2Config.from_auth(auth)
        return first, await oauth2.refresh(cfg, first.refresh_token)

    first, refreshed = run(flow())
    claims = jwt.decode(first.access_token).claims
    assert claims["sub"] == "alice" and claims["amr"] == ["pwd"] and first.scope == "api"
    assert first.refresh_token and first.id_token
    assert refreshed.access_token != first.access_token and refreshed.refresh_token != first.refresh_token


def test_authorization_code_with_pkce_through_loopback(oauth_mock: peers.Peer) -> None:
    """The 'browser' follows the redirect to our 127.0.0.1 listener; the mock checks the PKCE verifier."""
    seen: dict[str, str] = {}

    async def browser(url: str) -> None:
        seen["url"] = url
        async with httpx.AsyncClient(follow_redirects=True) as client:
            response = await client.get(url)
            seen["page"] = response.text

    auth = oauth(grant_type="authorization_code", discovery_url=oauth_mock.url, client_id="desktop",
                 scope="openid api")
    token = run(oauth2.obtain_token(auth, open_browser=browser, browser_timeout=20))
    assert jwt.decode(token.access_token).claims["sub"] == "johndoe"
    assert "code_challenge_method=S256" in seen["url"] and "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in seen["url"]
    assert "You can close this window" in seen["page"]
    assert token.refresh_token


def test_authorization_code_times_out_when_browser_never_returns(oauth_mock: peers.Peer) -> None:
    auth = oauth(grant_type="authorization_code", auth_url=f"{oauth_mock.url}/authorize",
                 token_url=f"{oauth_mock.url}/token", client_id="desktop")
    with pytest.raises(oauth2.AuthError, match="No sign-in arrived"):
        run(oauth2.obtain_token(auth, open_browser=lambda url: None, browser_timeout=0.3))


def test_authorization_code_listener_rejects_wrong_state() -> None:
    async def flow() -> None:
        async def browser(url: str) -> None:
            redirect = httpx.URL(url).params["redirect_uri"]
            async with httpx.AsyncClient() as client:
                await client.get(redirect, params={"code": "c", "state": "forged"})

        auth = oauth(grant_type="authorization_code", auth_url="http://127.0.0.1:9/authorize",
                     token_url="http://127.0.0.1:9/token", client_id="desktop")
        await oauth2.obtain_token(auth, open_browser=browser, browser_timeout=10)

    with pytest.raises(oauth2.TokenError, match="wrong state"):
        run(flow())


def test_imported_implicit_flow_runs_code_with_pkce_and_refresh_url_is_used(
        strict_token: strict.StrictTokenServer) -> None:
    cfg = oauth2.OAuth2Config.from_auth(oauth(grant_type="implicit", auth_url="http://a/authorize",
                                              token_url="http://a/token", client_id="spa"))
    assert cfg.grant_type == "authorization_code"
    # OpenAPI `refreshUrl`: refreshes go there, the grant to the token URL.
    auth = oauth(grant_type="password", token_url=f"{strict_token.url}/html/token",
                 refresh_url=f"{strict_token.url}/token", client_id="basic-only", client_secret="basic-secret")
    start = len(strict_token.requests)
    strict_token.refresh_tokens["rt-known"] = ("basic-only", "alice")
    token = run(oauth2.refresh(oauth2.OAuth2Config.from_auth(
        Auth("oauth2", {**auth.params, "username": "alice"})), "rt-known"))
    assert token.access_token in strict_token.valid_tokens
    assert [s.grant_type for s in _seen_since(strict_token, start)] == ["refresh_token"]


@pytest.fixture(scope="module")
def tls_token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[strict.StrictTokenServer]:
    """Our strict endpoint over HTTPS with a self-signed certificate (made by the openssl CLI)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI is not installed: cannot make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = strict.default_server(tls=context)
    yield server
    server.stop()


def test_tls_failure_is_plain_and_verify_setting_is_respected(tls_token_server: strict.StrictTokenServer) -> None:
    from workbench.core.collections import Settings

    auth = oauth(token_url=f"{tls_token_server.url}/token", client_id="basic-only", client_secret="basic-secret")
    with pytest.raises(oauth2.TokenError) as info:
        run(oauth2.obtain_token(auth))
    assert "TLS handshake with 127.0.0.1" in info.value.message and "certificate" in info.value.message
    token = run(oauth2.obtain_token(auth, settings=Settings(verify_tls=False)))
    assert token.access_token in tls_token_server.valid_tokens


def test_refresh_token_grant_follows_rotation(strict_token: strict.StrictTokenServer) -> None:
    """A pasted refresh token is used once; after rotation the newest one we hold is used (also on force)."""
    strict_token.refresh_tokens["rt-pasted"] = ("basic-only", "alice")
    auth = oauth(grant_type="refresh_token", refresh_token="rt-pasted", token_url=f"{strict_token.url}/token",
                 client_id="basic-only", client_secret="basic-secret")
    start = len(strict_token.requests)

    async def flow() -> tuple[oauth2.Token, oauth2.Token]:
        first = await oauth2.obtain_token(auth)
        return first, await oauth2.obtain_token(auth, force=True)

    first, second = run(flow())
    seen = _seen_since(strict_token, start)
    assert [s.form["refresh_token"] for s in seen] == ["rt-pasted", first.refresh_token]
    assert second.access_token in strict_token.valid_tokens


def test_secret_store_prunes_tokens_of_unused_auths(strict_token: strict.StrictTokenServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each distinct auth has a slot; slots unused for KEEP_DAYS or beyond KEEP_MAX are removed."""
    monkeypatch.setattr(oauth2.TokenCache, "KEEP_MAX", 2)
    auths = [oauth(token_url=f"{strict_token.url}/token", client_id="basic-only", client_secret="basic-secret",
                   scope=scope) for scope in ("api", "read", "write")]
    keys = [oauth2.OAuth2Config.from_auth(a).cache_key() for a in auths]
    for auth in auths:
        run(oauth2.obtain_token(auth, force=True))
    store = secrets.backend()
    assert store.get(oauth2.TokenCache.PREFIX + keys[0]) is None  # the oldest went
    assert all(store.get(oauth2.TokenCache.PREFIX + k) for k in keys[1:])
    index = json.loads(store.get(oauth2.TokenCache.INDEX) or "{}")
    assert sorted(index) == sorted(keys[1:])
    # An auth not used for KEEP_DAYS is pruned on the next save.
    index[keys[1]] = time.time() - 31 * 86400
    store.set(oauth2.TokenCache.INDEX, json.dumps(index))
    run(oauth2.obtain_token(auths[2], force=True))
    assert store.get(oauth2.TokenCache.PREFIX + keys[1]) is None
    assert oauth2.cached_token(auths[1]) is None
