"""OAuth 2.0 access tokens: the grants, client authentication, discovery, caching, refresh.

A small module of our own on httpx rather than authlib's httpx client. Authlib covers the
grants, but its `client_secret_basic` joins `client_id:client_secret` and base64-encodes them
as Latin-1 *without* the form-urlencoding RFC 6749 §2.3.1 requires (authlib 1.9), so a secret
holding `:`, `+`, `%` or a space is sent wrong, and a non-Latin-1 one raises. We also need what
authlib does not give: a third, labelled "Basic, unencoded" choice for servers that ignore
§2.3.1, the raw server response on every failure (shown one click away), plain-words errors for
HTML answers and transport failures, a cache keyed by the auth settings in the secret store,
and a loopback redirect listener we can cancel. What remains is ~one form POST per grant.

Grants (RFC 6749): client credentials (§4.4), resource owner password (§4.3), authorization
code (§4.1) with PKCE S256 (RFC 7636) over a loopback redirect on 127.0.0.1 (RFC 8252 §7.3),
and refresh (§6). Refresh requests authenticate the client exactly as the grant did.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import json
import secrets as _random
import time
import webbrowser
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Literal, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import httpx

from workbench.core.collections import Auth, Settings
from workbench.core.errors import AuthError, TokenError
from workbench.core.sending.transport import describe_transport_error
from workbench.core.workspace import secrets

GrantType = Literal["client_credentials", "password", "authorization_code", "refresh_token"]
GRANT_TYPES: tuple[GrantType, ...] = ("client_credentials", "password", "authorization_code", "refresh_token")
GRANT_LABELS: dict[str, str] = {
    "client_credentials": "Client credentials",
    "password": "Password (resource owner)",
    "authorization_code": "Authorization code with PKCE (browser)",
    "refresh_token": "Refresh token",
}

ClientAuth = Literal["basic", "body", "basic-unencoded"]
CLIENT_AUTHS: tuple[ClientAuth, ...] = ("basic", "body", "basic-unencoded")
CLIENT_AUTH_LABELS: dict[str, str] = {
    "basic": "Send as Basic Auth header",
    "body": "Send client credentials in body",
    "basic-unencoded": "Basic header, unencoded (servers that ignore RFC 6749 §2.3.1)",
}

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
OAUTH_METADATA_SUFFIX = "/.well-known/oauth-authorization-server"
CALLBACK_PATH = "/callback"
BrowserOpener = Callable[[str], Any]


# --------------------------------------------------------------------------- errors and data


@dataclass(frozen=True, slots=True)
class Token:
    """A token response (RFC 6749 §5.1); `expires_at` is epoch seconds, None when not told."""

    access_token: str
    token_type: str = "Bearer"
    expires_at: float | None = None
    scope: str = ""
    refresh_token: str = ""
    id_token: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)
    obtained_at: float = 0.0

    def expires_in(self, now: float | None = None) -> int | None:
        """Whole seconds left (0 when expired), None when the server gave no lifetime."""
        if self.expires_at is None:
            return None
        return max(0, int(self.expires_at - (time.time() if now is None else now)))

    def is_fresh(self, now: float | None = None) -> bool:
        """Usable for a while yet: not expired and not inside the refresh margin.

        The margin (a tenth of the lifetime, at most 60 s, at least 1 s) covers clock skew and
        the time the request takes, so a token is not refused mid-flight.
        """
        if self.expires_at is None:
            return True
        now = time.time() if now is None else now
        lifetime = max(0.0, self.expires_at - (self.obtained_at or now))
        margin = min(60.0, max(1.0, lifetime * 0.1))
        return now < self.expires_at - margin

    def to_json(self) -> str:
        """For the secret store. The tokens are not repeated inside `raw`: some keyrings cap an
        entry's size (Windows Credential Manager: 2560 bytes), and a JWT pair can be near that."""
        raw = {k: v for k, v in self.raw.items() if k not in ("access_token", "refresh_token", "id_token")}
        return json.dumps({
            "access_token": self.access_token, "token_type": self.token_type, "expires_at": self.expires_at,
            "scope": self.scope, "refresh_token": self.refresh_token, "id_token": self.id_token,
            "raw": raw, "obtained_at": self.obtained_at,
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Token":
        data = json.loads(text)
        return cls(str(data["access_token"]), str(data.get("token_type") or "Bearer"),
                   None if data.get("expires_at") is None else float(data["expires_at"]),
                   str(data.get("scope") or ""), str(data.get("refresh_token") or ""), str(data.get("id_token") or ""),
                   dict(data.get("raw") or {}), float(data.get("obtained_at") or 0.0))


@dataclass(frozen=True, slots=True)
class OAuth2Config:
    """The `oauth2` Auth params, checked and typed (names as in collections.Auth.params)."""

    grant_type: GrantType = "client_credentials"
    token_url: str = ""
    discovery_url: str = ""
    auth_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    client_auth: ClientAuth = "basic"
    scope: str = ""
    audience: str = ""
    resource: str = ""
    username: str = ""
    password: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    redirect_port: int = 0
    refresh_token: str = ""
    header_prefix: str = "Bearer"
    refresh_url: str = ""

    @classmethod
    def from_auth(cls, auth: Auth) -> "OAuth2Config":
        """Parse and check; AuthError names the missing or wrong field in plain words."""
        if auth.type != "oauth2":
            raise AuthError(f"Not an OAuth 2.0 auth (type {auth.type!r}).")
        p = auth.params
        grant = (p.get("grant_type") or "client_credentials").strip()
        if grant == "implicit":
            # Imported from an OpenAPI `implicit` flow. The implicit grant is deprecated (RFC 9700
            # §2.1.2: tokens in the URL fragment leak); code + PKCE uses the same authorization URL.
            grant = "authorization_code"
        if grant not in GRANT_TYPES:
            raise AuthError(f"Unknown grant type {grant!r}: use one of {', '.join(GRANT_TYPES)}.")
        client_auth = (p.get("client_auth") or "basic").strip()
        if client_auth not in CLIENT_AUTHS:
            raise AuthError(f"Unknown client authentication {client_auth!r}: use basic, body or basic-unencoded.")
        port_text = (p.get("redirect_port") or "").strip()
        try:
            port = int(port_text) if port_text else 0
        except ValueError:
            raise AuthError(f"Redirect port {port_text!r} is not a number.") from None
        if not 0 <= port <= 65535:
            raise AuthError(f"Redirect port {port} is out of range (1-65535, or empty for any free port).")
        cfg = cls(grant, (p.get("token_url") or "").strip(), (p.get("discovery_url") or "").strip(),
                  (p.get("auth_url") or "").strip(), (p.get("client_id") or "").strip(), p.get("client_secret") or "",
                  client_auth, (p.get("scope") or "").strip(), (p.get("audience") or "").strip(),
                  (p.get("resource") or "").strip(), p.get("username") or "", p.get("password") or "",
                  parse_extra(p.get("extra") or ""), port, (p.get("refresh_token") or "").strip(),
                  p.get("header_prefix", "Bearer"), (p.get("refresh_url") or "").strip())
        if not cfg.token_url and not cfg.discovery_url:
            raise AuthError("OAuth 2.0 needs a token URL, or a discovery URL to find it.")
        if grant == "password" and not cfg.username:
            raise AuthError("The password grant needs a username.")
        if grant == "refresh_token" and not cfg.refresh_token:
            raise AuthError("The refresh-token grant needs a refresh token.")
        if grant == "authorization_code" and not cfg.client_id:
            raise AuthError("The authorization-code grant needs a client ID.")
        return cfg

    def cache_key(self) -> str:
        """Identity of "the same auth": every field that changes which token the server gives.

        A digest, so the key itself reveals no secret; the header prefix is left out (it only
        changes how the token is sent).
        """
        parts = [self.grant_type, self.token_url, self.discovery_url, self.auth_url, self.client_id,
                 self.client_secret, self.client_auth, self.scope, self.audience, self.resource,
                 self.username, self.password, urlencode(self.extra), self.refresh_token, self.refresh_url]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def parse_extra(text: str) -> tuple[tuple[str, str], ...]:
    """Extra token parameters written `k=v&k2=v2` (URL-encoded), also one per line."""
    pairs: list[tuple[str, str]] = []
    for line in text.replace("\n", "&").split("&"):
        if line.strip():
            pairs.extend(parse_qsl(line.strip(), keep_blank_values=True))
    return tuple(pairs)


# --------------------------------------------------------------------------- building requests


def form_encode_credential(value: str) -> str:
    """RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded, UTF-8, space as `+`."""
    return quote(value, safe="", encoding="utf-8").replace("%20", "+")


def client_basic_header(client_id: str, client_secret: str, encoded: bool = True) -> str:
    """The client's `Authorization: Basic` value.

    RFC 6749 §2.3.1: client id and secret are each form-urlencoded, *then* joined by `:` and
    base64-encoded (RFC 7617), so a `:` inside the id or secret cannot split them wrongly.
    `encoded=False` is the raw form some servers expect although it breaks the RFC.
    """
    if encoded:
        text = f"{form_encode_credential(client_id)}:{form_encode_credential(client_secret)}"
    else:
        text = f"{client_id}:{client_secret}"
    return "Basic " + base64.b64encode(text.encode("utf-8")).decode("ascii")


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One token-endpoint POST as it goes on the wire (testable without a network)."""

    url: str
    headers: tuple[tuple[str, str], ...]
    form: tuple[tuple[str, str], ...]

    def body(self) -> bytes:
        return urlencode(self.form, quote_via=quote).encode("ascii")


def build_token_request(cfg: OAuth2Config, token_url: str, grant: Mapping[str, str]) -> TokenRequest:
    """The POST for `grant` (its own params) with scope, audience/resource, extras and client auth.

    Client auth (RFC 6749 §2.3.1) is applied the same way for every grant, refresh included.
    A public client (no secret) identifies itself with `client_id` in the body (§3.2.1).
    """
    form: list[tuple[str, str]] = list(grant.items())
    if cfg.scope and "scope" not in grant:
        form.append(("scope", cfg.scope))
    if cfg.audience:
        form.append(("audience", cfg.audience))
    for res in cfg.resource.split():  # RFC 8707 §2: the parameter may be repeated
        form.append(("resource", res))
    taken = {k for k, _ in form}
    form.extend((k, v) for k, v in cfg.extra if k not in taken or k in ("resource", "audience"))
    headers: list[tuple[str, str]] = [("Accept", "application/json"),
                                      ("Content-Type", "application/x-www-form-urlencoded")]
    if cfg.client_id or cfg.client_secret:
        if not cfg.client_secret:
            form.append(("client_id", cfg.client_id))
        elif cfg.client_auth == "body":
            form.extend([("client_id", cfg.client_id), ("client_secret", cfg.client_secret)])
        else:
            headers.append(("Authorization", client_basic_header(cfg.client_id, cfg.client_secret,
                                                                 encoded=cfg.client_auth == "basic")))
    return TokenRequest(token_url, tuple(headers), tuple(form))


def _client(settings: Settings | None) -> httpx.AsyncClient:
    s = settings or Settings()
    return httpx.AsyncClient(timeout=httpx.Timeout(s.timeout_s, connect=s.connect_timeout_s), verify=s.verify_tls,
                             proxy=s.proxy or None, trust_env=False, follow_redirects=False)


# --------------------------------------------------------------------------- responses and errors

_ERROR_WORDS = {
    "invalid_client": "The server refused the client credentials (invalid_client): check the client ID, the secret "
                      "and how they are sent (Basic header or body).",
    "invalid_grant": "The server refused the grant (invalid_grant): wrong username or password, or an expired, "
                     "used or revoked code or refresh token.",
    "invalid_scope": "The server refused the requested scope (invalid_scope).",
    "invalid_request": "The server rejected the token request as incomplete or malformed (invalid_request).",
    "unauthorized_client": "This client is not allowed to use this grant type (unauthorized_client).",
    "unsupported_grant_type": "The server does not support this grant type (unsupported_grant_type).",
    "access_denied": "Access was denied (access_denied).",
    "invalid_target": "The server refused the requested resource or audience (invalid_target).",
}


def _plain_error(error: str, description: str, status: int, grant: str) -> str:
    words = _ERROR_WORDS.get(error, f"The token endpoint answered {status} with error {error!r}.")
    if error in ("unauthorized_client", "unsupported_grant_type"):
        words = words.replace("this grant type", f"the grant type {grant!r}")
    return f"{words} Server says: {description}" if description else words


def _looks_html(content_type: str, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return "html" in content_type or head.startswith("<!doctype html") or head.startswith("<html")


def parse_token_response(status: int, content_type: str, text: str, grant: str = "",
                         now: float | None = None) -> Token:
    """A token from a token-endpoint answer, or TokenError in plain words (RFC 6749 §5.1, §5.2)."""
    now = time.time() if now is None else now
    content_type = content_type.lower()
    data: Any = None
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
    elif "x-www-form-urlencoded" in content_type:  # GitHub's old default; tolerated
        data = dict(parse_qsl(text, keep_blank_values=True))
    if not isinstance(data, dict):
        reason = f" {status}" if status else ""
        if _looks_html(content_type, text):
            what = "an HTML page"
        elif not text.strip():
            what = "an empty body"
        else:
            what = f"{content_type or 'text'} that is not JSON"
        hint = " Is the token URL right?" if status < 500 else " The server failed."
        raise TokenError(f"The token endpoint answered{reason} with {what}, not a JSON token response.{hint}",
                         status=status, body=text)
    if status >= 400 or "error" in data:
        error = str(data.get("error") or "")
        description = str(data.get("error_description") or data.get("message") or "")
        if not error:
            raise TokenError(f"The token endpoint answered {status} without an OAuth error code."
                             + (f" Server says: {description}" if description else ""),
                             status=status, body=text, error_description=description)
        raise TokenError(_plain_error(error, description, status, grant), error=error,
                         error_description=description, status=status, body=text)
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise TokenError("The token endpoint answered without an access_token.", status=status, body=text)
    expires_at: float | None = None
    raw_exp = data.get("expires_in")
    if raw_exp not in (None, ""):
        try:  # some servers (Azure AD v1) send it as a string
            expires_at = now + float(raw_exp)
        except (TypeError, ValueError):
            expires_at = None
    if expires_at is None:
        from workbench.core.auth import jwt

        try:
            expires_at = jwt.decode(access).expires_at
        except AuthError:
            expires_at = None
    return Token(access, str(data.get("token_type") or "Bearer"), expires_at, str(data.get("scope") or ""),
                 str(data.get("refresh_token") or ""), str(data.get("id_token") or ""), data, now)


_SECRET_FORM_FIELDS = ("client_secret", "password", "refresh_token", "code", "code_verifier", "client_assertion",
                       "assertion", "subject_token")


def request_secrets(req: TokenRequest) -> list[str]:
    """The secret values a token request carries: form fields and the Basic/Bearer credential."""
    found = [v for k, v in req.form if k in _SECRET_FORM_FIELDS and v]
    for name, value in req.headers:
        if name.lower() == "authorization":
            scheme, _, credential = value.partition(" ")
            found.append(credential or scheme)
            if scheme.lower() == "basic":
                try:
                    user, _, password = base64.b64decode(credential).decode("utf-8").partition(":")
                    found.extend(unquote(part) for part in (password, user) if part)
                except (ValueError, UnicodeDecodeError):
                    pass
    return found


def masked_token_error(exc: TokenError, req: TokenRequest) -> TokenError:
    """`exc` with the request's secrets masked in every text a user sees (message, server text, body).

    A token server may reflect the request in its error text or `Location`, which printed the
    client secret, the password or the Basic credentials verbatim.
    """
    from workbench.core.masking import masker

    mask = masker(request_secrets(req))
    return TokenError(mask(exc.message), error=mask(exc.error), error_description=mask(exc.error_description),
                      status=exc.status, body=mask(exc.body),
                      detail=mask(exc.detail) if exc.detail is not None else None)


async def post_token_request(req: TokenRequest, settings: Settings | None = None, grant: str = "",
                             client: httpx.AsyncClient | None = None) -> Token:
    """Send one token request; transport failures become TokenError with the reason in words."""
    own = client is None
    client = client or _client(settings)
    try:
        try:
            response = await client.post(req.url, headers=list(req.headers), content=req.body())
        except (httpx.HTTPError, OSError) as exc:
            raise TokenError(f"Token request failed: {describe_transport_error(exc, req.url)}",
                             detail=repr(exc)) from exc
        try:
            if response.is_redirect:
                where = response.headers.get("location", "")
                raise TokenError(f"The token endpoint answered {response.status_code} redirecting to {where!r}: "
                                 "use the final URL as the token URL.", status=response.status_code,
                                 body=response.text)
            return parse_token_response(response.status_code, response.headers.get("content-type", ""),
                                        response.text, grant)
        except TokenError as exc:
            raise masked_token_error(exc, req) from None
    finally:
        if own:
            await asyncio.shield(client.aclose())


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True, slots=True)
class Discovery:
    """What an OpenID Provider publishes (OpenID Connect Discovery 1.0 §3; RFC 8414 §2)."""

    url: str
    issuer: str
    token_endpoint: str
    authorization_endpoint: str = ""
    grant_types: tuple[str, ...] = ()
    auth_methods: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)


def discovery_document_url(url: str) -> str:
    """Accept an issuer URL or the full metadata URL (OIDC Discovery §4.1, RFC 8414 §3)."""
    url = url.strip()
    if "/.well-known/" in url:
        return url
    return url.rstrip("/") + DISCOVERY_SUFFIX


_discovered: dict[str, Discovery] = {}


async def discover(url: str, settings: Settings | None = None, *, refresh: bool = False) -> Discovery:
    """Fetch (once per process) the provider metadata; TokenError in plain words when it fails."""
    doc_url = discovery_document_url(url)
    if not refresh and doc_url in _discovered:
        return _discovered[doc_url]
    if not doc_url.startswith(("http://", "https://")):
        raise TokenError(f"The discovery URL {url!r} must start with http:// or https://.")
    async with _client(settings) as client:
        try:
            response = await client.get(doc_url, headers={"Accept": "application/json"}, follow_redirects=True)
        except (httpx.HTTPError, OSError) as exc:
            raise TokenError(f"Discovery failed: {describe_transport_error(exc, doc_url)}", detail=repr(exc)) from exc
    text = response.text
    if response.status_code >= 400:
        raise TokenError(f"Discovery failed: {doc_url} answered {response.status_code} {response.reason_phrase}.",
                         status=response.status_code, body=text)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        what = "an HTML page" if _looks_html(response.headers.get("content-type", ""), text) else "something"
        raise TokenError(f"Discovery failed: {doc_url} answered with {what} that is not JSON metadata.",
                         status=response.status_code, body=text)
    token_endpoint = data.get("token_endpoint")
    if not isinstance(token_endpoint, str) or not token_endpoint:
        raise TokenError(f"Discovery failed: the metadata at {doc_url} has no token_endpoint.",
                         status=response.status_code, body=text)

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    found = Discovery(doc_url, str(data.get("issuer") or ""), token_endpoint,
                      str(data.get("authorization_endpoint") or ""), strings("grant_types_supported"),
                      strings("token_endpoint_auth_methods_supported"), strings("scopes_supported"), data)
    _discovered[doc_url] = found
    return found


async def resolve_endpoints(cfg: OAuth2Config, settings: Settings | None = None) -> tuple[str, str]:
    """(token URL, authorization URL): typed ones win, else discovery fills them."""
    token_url, auth_url = cfg.token_url, cfg.auth_url
    if cfg.discovery_url and (not token_url or (cfg.grant_type == "authorization_code" and not auth_url)):
        found = await discover(cfg.discovery_url, settings)
        token_url = token_url or found.token_endpoint
        auth_url = auth_url or found.authorization_endpoint
    return token_url, auth_url


# --------------------------------------------------------------------------- authorization code + PKCE


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) per RFC 7636 §4.1-4.2: 43-128 unreserved chars."""
    verifier = _random.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class LoopbackListener:
    """A one-shot HTTP listener on 127.0.0.1 receiving the authorization redirect (RFC 8252 §7.3).

    Only 127.0.0.1 (not `localhost`, which may resolve elsewhere, RFC 8252 §8.3). It answers
    the browser with a short page and hands the query parameters of the first request to the
    callback path to `wait()`; other paths (favicon) get 404.
    """

    def __init__(self) -> None:
        self._server: asyncio.base_events.Server | None = None
        self._result: asyncio.Future[dict[str, str]] | None = None
        self.port = 0

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    async def start(self, port: int = 0) -> "LoopbackListener":
        self._result = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", port)
        except OSError as exc:
            raise AuthError(f"Cannot listen for the redirect on 127.0.0.1:{port}: {exc.strerror or exc}. "
                            "Choose another redirect port.") from exc
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            target = parts[1] if len(parts) >= 2 else "/"
            split = urlsplit(target)
            if split.path != CALLBACK_PATH or self._result is None or self._result.done():
                body = b"Not found"
                status = "404 Not Found"
            else:
                params = dict(parse_qsl(split.query, keep_blank_values=True))
                ok = "code" in params and "error" not in params
                message = ("Signed in. You can close this window and return to API Workbench." if ok else
                           "Sign-in failed: " + (params.get("error_description") or params.get("error") or
                                                 "no code in the redirect") + ". Return to API Workbench.")
                body = ("<!doctype html><html><head><meta charset='utf-8'><title>API Workbench</title></head>"
                        f"<body><p>{_html_escape(message)}</p></body></html>").encode("utf-8")
                status = "200 OK"
                self._result.set_result(params)
            writer.write(f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                         f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode("ascii") + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    async def wait(self, timeout: float) -> dict[str, str]:
        assert self._result is not None
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except asyncio.TimeoutError:
            raise AuthError(f"No sign-in arrived within {int(timeout)} s: the browser never came back "
                            f"to {self.redirect_uri}.") from None

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def authorization_url(cfg: OAuth2Config, auth_url: str, redirect_uri: str, state: str, challenge: str) -> str:
    """The authorization request URL (RFC 6749 §4.1.1 + RFC 7636 §4.3)."""
    params = [("response_type", "code"), ("client_id", cfg.client_id), ("redirect_uri", redirect_uri),
              ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256")]
    if cfg.scope:
        params.append(("scope", cfg.scope))
    if cfg.audience:
        params.append(("audience", cfg.audience))
    for res in cfg.resource.split():
        params.append(("resource", res))
    sep = "&" if "?" in auth_url else "?"
    return auth_url + sep + urlencode(params, quote_via=quote)


async def _authorization_code(cfg: OAuth2Config, token_url: str, auth_url: str, settings: Settings | None,
                              open_browser: BrowserOpener | None, timeout: float) -> Token:
    if not auth_url:
        raise AuthError("The authorization-code grant needs an authorization URL (typed, or found by discovery).")
    verifier, challenge = pkce_pair()
    state = _random.token_urlsafe(24)
    listener = await LoopbackListener().start(cfg.redirect_port)
    opener_task: asyncio.Future[Any] | None = None
    try:
        url = authorization_url(cfg, auth_url, listener.redirect_uri, state, challenge)
        opened = (open_browser or _default_browser)(url)
        if inspect.isawaitable(opened):
            opener_task = asyncio.ensure_future(opened)
        params = await listener.wait(timeout)
    finally:
        await listener.close()
        if opener_task is not None and not opener_task.done():
            # Let an in-process "browser" read the page we answered, then stop it.
            await asyncio.wait({opener_task}, timeout=2)
            opener_task.cancel()
    if "error" in params:
        description = params.get("error_description", "")
        raise TokenError(_plain_error(params["error"], description, 0, cfg.grant_type), error=params["error"],
                         error_description=description, body=urlencode(params))
    if params.get("state") != state:  # RFC 6749 §10.12: CSRF protection
        raise TokenError("The redirect came back with a wrong state: ignored (possible cross-site request forgery).",
                         body=urlencode(params))
    if not params.get("code"):
        raise TokenError("The redirect came back without an authorization code.", body=urlencode(params))
    grant = {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": listener.redirect_uri,
             "code_verifier": verifier}
    return await post_token_request(build_token_request(replace(cfg, scope=""), token_url, grant), settings,
                                    "authorization_code")


def _default_browser(url: str) -> None:
    if not webbrowser.open(url):
        raise AuthError("Could not open a web browser for sign-in; open this URL yourself: " + url)


# --------------------------------------------------------------------------- grants


async def _new_grant(cfg: OAuth2Config, settings: Settings | None, open_browser: BrowserOpener | None,
                     browser_timeout: float) -> Token:
    token_url, auth_url = await resolve_endpoints(cfg, settings)
    if cfg.grant_type == "client_credentials":
        grant = {"grant_type": "client_credentials"}
    elif cfg.grant_type == "password":
        grant = {"grant_type": "password", "username": cfg.username, "password": cfg.password}
    elif cfg.grant_type == "refresh_token":
        grant = {"grant_type": "refresh_token", "refresh_token": cfg.refresh_token}
    else:
        return await _authorization_code(cfg, token_url, auth_url, settings, open_browser, browser_timeout)
    return await post_token_request(build_token_request(cfg, token_url, grant), settings, cfg.grant_type)


async def refresh(cfg: OAuth2Config, refresh_token: str, settings: Settings | None = None) -> Token:
    """A refresh (RFC 6749 §6) authenticating the client exactly as the grant does.

    The server may omit a new refresh token (§6: "MAY issue"); the old one is then kept.
    """
    token_url = cfg.refresh_url or (await resolve_endpoints(cfg, settings))[0]  # OpenAPI `refreshUrl`
    grant = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    token = await post_token_request(build_token_request(cfg, token_url, grant), settings, "refresh_token")
    if not token.refresh_token:
        token = replace(token, refresh_token=refresh_token)
    return token


# --------------------------------------------------------------------------- cache


class TokenCache:
    """Tokens by auth identity: in memory, and in the secret store (keyring) so a later run reuses them.

    Never in workspace YAML: the store is the OS keyring or its fallback outside the workspace.
    """

    PREFIX = "oauth2-token/"
    INDEX = "oauth2-token-index"
    KEEP_DAYS = 30  # a token unused this long (its auth changed or was deleted) is removed
    KEEP_MAX = 100

    def __init__(self) -> None:
        self._memory: dict[str, Token] = {}

    def _index(self) -> dict[str, float]:
        try:
            data = json.loads(secrets.backend().get(self.INDEX) or "{}")
            return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except Exception:  # noqa: BLE001 - a broken index only costs pruning
            return {}

    def _touch(self, key: str | None, drop: str | None = None) -> None:
        """Record use of `key` and prune tokens of auths not used for KEEP_DAYS (or beyond KEEP_MAX).

        Every distinct auth setting gets its own slot, so without pruning old tokens would pile up
        in the keyring each time a user edits a client ID or scope.
        """
        index = self._index()
        now = time.time()
        if key is not None:
            index[key] = now
        if drop is not None:
            index.pop(drop, None)
        stale = {k for k, used in index.items() if now - used > self.KEEP_DAYS * 86400}
        kept = sorted((k for k in index if k not in stale), key=index.__getitem__)  # oldest first
        if len(kept) > self.KEEP_MAX:
            stale.update(kept[:len(kept) - self.KEEP_MAX])
        backend = secrets.backend()
        for old in stale:
            index.pop(old, None)
            self._memory.pop(old, None)
            backend.delete(self.PREFIX + old)
        backend.set(self.INDEX, json.dumps(index, sort_keys=True))

    def get(self, key: str) -> Token | None:
        if key in self._memory:
            return self._memory[key]
        try:
            stored = secrets.backend().get(self.PREFIX + key)
        except Exception:  # noqa: BLE001 - a broken keyring must not stop a send
            stored = None
        if stored:
            try:
                token = Token.from_json(stored)
            except (ValueError, KeyError, TypeError):
                return None
            self._memory[key] = token
            return token
        return None

    def put(self, key: str, token: Token) -> None:
        self._memory[key] = token
        try:
            secrets.backend().set(self.PREFIX + key, token.to_json())
            self._touch(key)
        except Exception:  # noqa: BLE001 - memory still holds it
            pass

    def drop(self, key: str) -> None:
        self._memory.pop(key, None)
        try:
            secrets.backend().delete(self.PREFIX + key)
            self._touch(None, drop=key)
        except Exception:  # noqa: BLE001
            pass

    def expire(self, key: str) -> None:
        """Mark expired but keep the refresh token (after a 401, RFC 6750 §3.1 invalid_token)."""
        token = self.get(key)
        if token is not None:
            self.put(key, replace(token, expires_at=0.0))

    def clear_memory(self) -> None:
        self._memory.clear()


cache = TokenCache()
_locks: dict[tuple[int, str], asyncio.Lock] = {}


def _lock_for(key: str) -> asyncio.Lock:
    """One token request at a time per auth (concurrent sends share it), per event loop."""
    loop_id = id(asyncio.get_running_loop())
    lock = _locks.get((loop_id, key))
    if lock is None:
        for stale in [k for k in _locks if k[0] != loop_id]:
            _locks.pop(stale, None)
        lock = _locks[(loop_id, key)] = asyncio.Lock()
    return lock


def cached_token(auth: Auth) -> Token | None:
    """The cached token for `auth`, fresh or not (for showing its state); None if none."""
    try:
        return cache.get(OAuth2Config.from_auth(auth).cache_key())
    except AuthError:
        return None


async def obtain_token(auth: Auth, *, force: bool = False, settings: Settings | None = None,
                       open_browser: BrowserOpener | None = None, browser_timeout: float = 300.0) -> Token:
    """A usable token for `auth`: the cached one, else a refreshed one, else a new grant.

    `force` skips the cache and runs the grant (the "Get new access token" button). When a
    refresh fails (revoked, expired refresh token) a new grant is tried; only the refresh's
    error would hide the real cause, so the grant's error is the one raised.
    """
    cfg = OAuth2Config.from_auth(auth)
    key = cfg.cache_key()
    async with _lock_for(key):
        known = cache.get(key)
        cached = None if force else known
        if cached is not None and cached.is_fresh():
            return cached
        token: Token | None = None
        refresh_with = cached.refresh_token if cached is not None else ""
        if force and cfg.grant_type == "refresh_token" and known is not None and known.refresh_token:
            # A pasted refresh token may have been rotated (RFC 9700 §4.14.2): use the newest we hold.
            refresh_with = known.refresh_token
        if refresh_with:
            try:
                token = await refresh(cfg, refresh_with, settings)
            except TokenError:
                token = None
        if token is None:
            token = await _new_grant(cfg, settings, open_browser, browser_timeout)
        cache.put(key, token)
        return token


async def access_token_for(auth: Auth, settings: Settings | None = None) -> str:
    """The access token string for a send (obtaining, reusing or refreshing)."""
    return (await obtain_token(auth, settings=settings)).access_token


def invalidate(auth: Auth) -> None:
    """Forget that the cached token is good (a 401 came back); its refresh token is kept."""
    try:
        cache.expire(OAuth2Config.from_auth(auth).cache_key())
    except AuthError:
        pass


def forget(auth: Auth) -> None:
    """Drop the cached token entirely (the user pressed "Clear token")."""
    try:
        cache.drop(OAuth2Config.from_auth(auth).cache_key())
    except AuthError:
        pass


def attach_to_context(ctx: Any, workspace_root: Path | None, open_browser: BrowserOpener | None = None) -> None:
    """Give a SendContext its token provider and invalidator (see core/sending/send.py).

    The cache is keyed by the auth settings, not the workspace, so the same client in two
    workspaces shares a token; `workspace_root` is accepted for the contract's sake.
    `open_browser` opens the sign-in page for the authorization-code grant (the UI passes Qt's).
    """
    settings = getattr(ctx, "settings", None)

    async def provider(auth: Auth) -> str:
        return (await obtain_token(auth, settings=settings, open_browser=open_browser)).access_token

    ctx.token_provider = provider
    ctx.token_invalidator = invalidate

