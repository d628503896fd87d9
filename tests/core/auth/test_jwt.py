"""JWT decoding without signature check (RFC 7519 / RFC 7515 compact serialization)."""

from __future__ import annotations

import base64
import json

import pytest

from workbench.core.auth import jwt
from workbench.core.errors import AuthError


def _part(data: dict) -> str:  # type: ignore[type-arg]
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_decodes_header_and_claims_without_padding() -> None:
    token = f"{_part({'alg': 'RS256', 'kid': 'k1'})}.{_part({'sub': 'ü', 'exp': 2000000000, 'scp': ['a', 'b']})}.sig"
    decoded = jwt.decode("Bearer " + token)
    assert decoded.header == {"alg": "RS256", "kid": "k1"}
    assert decoded.claims["sub"] == "ü" and decoded.expires_at == 2000000000
    assert decoded.scopes() == ["a", "b"] and decoded.signed and not decoded.verified
    text = jwt.pretty(decoded)
    assert "signature not verified" in text and "2033-05-18 03:33:20 UTC" in text


def test_unsigned_and_scope_string() -> None:
    decoded = jwt.decode(f"{_part({'alg': 'none'})}.{_part({'scope': 'x y'})}.")
    assert not decoded.signed and decoded.scopes() == ["x", "y"]
    assert "alg none" in jwt.pretty(decoded)


@pytest.mark.parametrize("token,words", [
    ("opaque-token-123", "opaque"),
    ("a.b.c.d.e", "encrypted"),
    ("!!.??.x", "not a JWT"),
    (f"{_part({'alg': 'x'})}.{base64.urlsafe_b64encode(b'[1]').decode()}.s", "not JSON objects"),
])
def test_non_jwt_tokens_are_reported(token: str, words: str) -> None:
    with pytest.raises(AuthError, match=words):
        jwt.decode(token)
    assert not jwt.looks_like_jwt(token)


def test_real_provider_token(oidc_server) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from workbench.core.auth import oauth2
    from workbench.core.collections import Auth

    token = asyncio.run(oauth2.obtain_token(Auth("oauth2", {
        "token_url": f"{oidc_server.url}/token", "client_id": "basic-client", "client_secret": "basic-secret",
        "scope": "api"}), force=True))
    decoded = jwt.decode(token.access_token)
    assert decoded.header["typ"] == "at+jwt" and decoded.header["alg"] == "RS256"
    assert decoded.claims["aud"] == "urn:workbench:api" and decoded.scopes() == ["api"]
    assert set(jwt.describe_time_claims(decoded.claims)) == {"exp", "iat"}
