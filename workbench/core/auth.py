"""Applying a request's effective auth to a prepared request, just before it is sent.

Each scheme is a small function; OAuth2 asks `oauth2.py` for a (cached, refreshed) token.
Async because getting a token may take a network round trip.
"""

from __future__ import annotations

import base64
from typing import Awaitable, Callable

from workbench.core.collections import Auth
from workbench.core.errors import AuthError
from workbench.core.prepare import PreparedRequest

TokenProvider = Callable[[Auth], Awaitable[str]]


def basic_header(username: str, password: str) -> str:
    """RFC 7617 Basic credentials: user-id and password joined by ':' and base64 (UTF-8)."""
    raw = f"{username}:{password}".encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")


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
        if where == "query":
            return prepared.with_query(name, value)
        if where == "cookie":
            existing = prepared.header("Cookie")
            cookie = f"{existing}; {name}={value}" if existing else f"{name}={value}"
            return prepared.with_header("Cookie", cookie)
        return prepared.with_header(name, value)
    if kind == "oauth2":
        if token_provider is None:
            raise AuthError("OAuth 2.0 auth needs a token: get one in the Auth panel or with `workbench token`.")
        token = await token_provider(auth)
        prefix = auth.get("header_prefix", "Bearer")
        return prepared.with_header("Authorization", f"{prefix} {token}".strip())
    raise AuthError(f"Unknown auth type {kind!r}")
