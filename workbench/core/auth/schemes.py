"""Applying a request's effective auth to a prepared request, just before it is sent.

Each scheme is a small function; OAuth2 asks `oauth2.py` for a (cached, refreshed) token.
Async because getting a token may take a network round trip.

Schemes: Basic (RFC 7617), Bearer (RFC 6750 §2.1, prefix editable because some platforms
want `Token`, `SharedAccessSignature` or nothing), API key in a header (any name, including a
bare `Authorization: <key>`), a query parameter or a cookie (RFC 6265 §4.2.1), and OAuth 2.0.
"""

from __future__ import annotations

import base64
import re
from typing import Awaitable, Callable, Literal
from urllib.parse import quote

from workbench.core.collections import Auth
from workbench.core.errors import AuthError
from workbench.core.sending.prepare import PreparedRequest

TokenProvider = Callable[[Auth], Awaitable[str]]

AUTH_LABELS: dict[str, str] = {
    "inherit": "Inherit from parent",
    "none": "No auth",
    "basic": "Basic auth",
    "bearer": "Bearer token",
    "apikey": "API key",
    "oauth2": "OAuth 2.0",
}
ApiKeyLocation = Literal["header", "query", "cookie"]
APIKEY_LOCATIONS: tuple[ApiKeyLocation, ...] = ("header", "query", "cookie")
# RFC 6265 §4.1.1 cookie-octet: no CTLs, whitespace, DQUOTE, comma, semicolon or backslash.
_COOKIE_UNSAFE = re.compile(r'[\x00-\x20",;\\\x7f]')


def basic_header(username: str, password: str) -> str:
    """RFC 7617 Basic credentials: user-id and password joined by ':' and base64 (UTF-8).

    RFC 7617 §2: a user-id containing ':' cannot be represented, because the server splits
    at the first colon; we refuse it rather than send credentials the server reads wrongly.
    """
    if ":" in username:
        raise AuthError("A Basic auth username cannot contain ':' (RFC 7617 §2): the server would split it there.")
    raw = f"{username}:{password}".encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")


def cookie_pair(name: str, value: str) -> str:
    """`name=value` for a Cookie header; a value with unsafe octets is percent-encoded (RFC 6265 §4.1.1)."""
    if _COOKIE_UNSAFE.search(value):
        value = quote(value, safe="")
    return f"{name}={value}"


def describe(auth: Auth | None) -> str:
    """One line saying what an auth does, with no secret in it (for "inherited from" and logs)."""
    if auth is None:
        return "No auth"
    kind = auth.type
    if kind == "basic":
        user = auth.get("username")
        return f"Basic auth as {user!r}" if user else "Basic auth"
    if kind == "bearer":
        return f"Bearer token (prefix {auth.get('prefix', 'Bearer')!r})" if auth.get("prefix", "Bearer") != "Bearer" \
            else "Bearer token"
    if kind == "apikey":
        name = auth.get("name") or "Authorization"
        where = {"header": "header", "query": "query parameter", "cookie": "cookie"}.get(auth.get("in", "header"),
                                                                                         "header")
        return f"API key in {where} {name!r}"
    if kind == "oauth2":
        grant = auth.get("grant_type") or "client_credentials"
        where = auth.get("token_url") or auth.get("discovery_url")
        client = auth.get("client_id")
        text = f"OAuth 2.0, {grant.replace('_', ' ')}"
        if client:
            text += f", client {client!r}"
        return text + (f" at {where}" if where else "")
    return AUTH_LABELS.get(kind, kind)


async def apply(prepared: PreparedRequest, token_provider: TokenProvider | None = None) -> PreparedRequest:
    """`prepared` with its auth's header, query parameter or cookie added."""
    auth = prepared.auth
    kind = auth.type
    if kind in ("none", "inherit"):
        return prepared
    if kind == "basic":
        return prepared.with_header("Authorization", basic_header(auth.get("username"), auth.get("password")))
    if kind == "bearer":
        token = auth.get("token")
        prefix = auth.get("prefix", "Bearer")
        return prepared.with_header("Authorization", f"{prefix} {token}".strip())
    if kind == "apikey":
        name = auth.get("name") or "Authorization"
        value = auth.get("value")
        where = auth.get("in", "header")
        if where not in APIKEY_LOCATIONS:
            raise AuthError(f"API key location {where!r} is unknown: use header, query or cookie.")
        if where == "query":
            return prepared.with_query(name, value)
        if where == "cookie":
            existing = prepared.header("Cookie")
            pair = cookie_pair(name, value)
            cookie = f"{existing}; {pair}" if existing else pair
            return prepared.with_header("Cookie", cookie)
        return prepared.with_header(name, value)
    if kind == "oauth2":
        if token_provider is None:
            raise AuthError("OAuth 2.0 auth needs a token: get one in the Auth panel or with `workbench token`.")
        token = await token_provider(auth)
        prefix = auth.get("header_prefix", "Bearer")
        return prepared.with_header("Authorization", f"{prefix} {token}".strip())
    raise AuthError(f"Unknown auth type {kind!r}")
