"""A strict OAuth 2.0 token endpoint of our own (stdlib http.server in a thread, 127.0.0.1).

oidc-provider accepts a client's secret in either place, so it cannot tell whether we sent
it where we were told. This server can: each client is registered with ONE method and any
other is refused with `invalid_client`; Basic credentials must be form-urlencoded exactly as
RFC 6749 §2.3.1 says (characters outside the unreserved set must arrive percent-encoded, and
space as `+`), except for clients registered as "basic-unencoded" (a server ignoring §2.3.1).
Sending credentials both ways at once is refused too (RFC 6749 §2.3: "MUST NOT use more than
one authentication method in each request").

It also serves the password and refresh grants (rotating refresh tokens), discovery, a
protected `/resource` that answers 401 for unknown tokens (to test the retry on 401), an
HTML "token endpoint" and records every token request for the tests to inspect.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

# What a correctly form-urlencoded credential may contain (RFC 6749 Appendix B).
_ENCODED = re.compile(r"^(?:[A-Za-z0-9\-._~+*]|%[0-9A-Fa-f]{2})*$")


@dataclass
class Client:
    secret: str
    method: str  # "basic", "body" or "basic-unencoded"


@dataclass
class Seen:
    """One token request as received."""

    form: dict[str, str]
    authorization: str
    grant_type: str
    method: str  # how the client authenticated: basic, body, none


@dataclass
class StrictTokenServer:
    clients: dict[str, Client] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=lambda: {"alice": "wonder land:+/%"})
    ttl: int = 3600
    scopes: frozenset[str] = frozenset({"api", "read", "write"})
    url: str = ""
    requests: list[Seen] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    refresh_tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # refresh -> (client, user)
    _httpd: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, tls: "ssl.SSLContext | None" = None) -> "StrictTokenServer":
        """Serve on a free 127.0.0.1 port (HTTPS when `tls` is given: for TLS-failure tests)."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(200, {"issuer": server.url, "token_endpoint": f"{server.url}/token",
                                     "grant_types_supported": ["client_credentials", "password", "refresh_token"],
                                     "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                                               "client_secret_post"]})
                elif path == "/resource":
                    auth = self.headers.get("Authorization", "")
                    token = auth[7:] if auth.startswith("Bearer ") else ""
                    if token and token in server.valid_tokens:
                        self._json(200, {"ok": True})
                    else:
                        self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if path == "/html/token":
                    body = b"<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                    self._json(400, {"error": "invalid_request", "error_description": "form body expected"})
                    return
                form = dict(parse_qsl(raw, keep_blank_values=True))
                status, payload = server.token(form, self.headers.get("Authorization", ""))
                self._json(status, payload, {"WWW-Authenticate": "Basic"} if status == 401 else None)

            def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "no-store")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def revoke_all(self) -> None:
        """Every access token becomes invalid (refresh tokens stay): the next call gets 401."""
        with self._lock:
            self.valid_tokens.clear()

    # ------------------------------------------------------------------ token logic

    def _authenticate(self, form: dict[str, str], authorization: str) -> tuple[str | None, str, str]:
        """(client id or None, method used, error description)."""
        in_body = "client_secret" in form
        if authorization.startswith("Basic "):
            if in_body:
                return None, "both", "client credentials sent both in the header and the body (RFC 6749 §2.3)"
            try:
                decoded = base64.b64decode(authorization[6:], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None, "basic", "malformed Basic header"
            raw_id, sep, raw_secret = decoded.partition(":")
            if not sep:
                return None, "basic", "Basic credentials without ':'"
            # A server that ignores §2.3.1 takes the raw text; try that registration first.
            legacy = self.clients.get(raw_id)
            if legacy is not None and legacy.method == "basic-unencoded":
                if legacy.secret == raw_secret:
                    return raw_id, "basic-unencoded", ""
                return None, "basic-unencoded", "client authentication failed"
            if not (_ENCODED.match(raw_id) and _ENCODED.match(raw_secret)):
                return None, "basic", "client id/secret in the Basic header are not form-urlencoded (RFC 6749 §2.3.1)"
            client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            client = self.clients.get(client_id)
            if client is None or client.secret != secret:
                return None, "basic", "client authentication failed"
            if client.method != "basic":
                return None, "basic", f"this client must authenticate with method {client.method!r}"
            return client_id, "basic", ""
        if in_body:
            client_id = form.get("client_id", "")
            client = self.clients.get(client_id)
            if client is None or client.secret != form.get("client_secret"):
                return None, "body", "client authentication failed"
            if client.method != "body":
                return None, "body", f"this client must authenticate with method {client.method!r}"
            return client_id, "body", ""
        return None, "none", "no client authentication"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", "")
        client_id, method, problem = self._authenticate(form, authorization)
        with self._lock:
            self.requests.append(Seen(dict(form), authorization, grant, method))
        if client_id is None:
            status = 400 if method == "both" else 401
            return status, {"error": "invalid_request" if method == "both" else "invalid_client",
                            "error_description": problem}
        requested = form.get("scope", "").split()
        unknown = [s for s in requested if s not in self.scopes]
        if unknown:
            return 400, {"error": "invalid_scope", "error_description": f"unknown scope {unknown[0]!r}"}
        user = ""
        if grant == "client_credentials":
            pass
        elif grant == "password":
            user = form.get("username", "")
            if self.users.get(user) != form.get("password"):
                return 400, {"error": "invalid_grant", "error_description": "wrong username or password"}
        elif grant == "refresh_token":
            with self._lock:
                owner = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if owner is None or owner[0] != client_id:
                return 400, {"error": "invalid_grant", "error_description": "unknown or used refresh token"}
            user = owner[1]
        else:
            return 400, {"error": "unsupported_grant_type", "error_description": f"grant {grant!r} not supported"}
        access = "at-" + secrets.token_urlsafe(16)
        payload: dict[str, Any] = {"access_token": access, "token_type": "Bearer", "expires_in": self.ttl,
                                   "scope": " ".join(requested) or "api"}
        with self._lock:
            self.valid_tokens.add(access)
            if grant != "client_credentials":
                refresh = "rt-" + secrets.token_urlsafe(16)
                self.refresh_tokens[refresh] = (client_id, user)
                payload["refresh_token"] = refresh
        payload["issued_at"] = int(time.time())
        return 200, payload


def default_server(ttl: int = 3600, tls: ssl.SSLContext | None = None) -> StrictTokenServer:
    """The registrations the tests use: one client per method, one with §2.3.1-hostile credentials."""
    return StrictTokenServer(clients={
        "basic-only": Client("basic-secret", "basic"),
        "body-only": Client("body-secret", "body"),
        "odd client:1": Client("s3c:r+t/=#% x", "basic"),
        "legacy": Client("le:ga+cy", "basic-unencoded"),
    }, ttl=ttl).start(tls)
