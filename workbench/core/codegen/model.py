"""What the generated code must do, resolved once for every language: `build(request) -> CodeRequest`.

The request is resolved as a send would resolve it (the `SendContext` from `core/context/`
gives its variables and which of them are secret), with every secret replaced by a marker
(`marks.py`). Generated code must never hold a secret in clear text: it ends up in chats,
tickets and git. So secret variables (an environment's secret ones, names that look like
credentials, and any variable an auth secret field or a credential header refers to), the
secret fields of the auth and the values of credential headers become environment reads.
Unknown `{{variables}}` stay as `{{placeholders}}` for the user to fill in.

OAuth 2.0 client-credentials and password grants become a `TokenFetch`: the code asks the
token endpoint itself (found by OIDC discovery at run time when only a discovery URL is set),
with the client authentication the workbench uses, so it runs on its own in a script or CI.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, replace
from typing import Mapping

from workbench.core.auth.oauth2 import (
    OAuth2Config,
    build_token_request,
    discovery_document_url,
)
from workbench.core.codegen import marks
from workbench.core.collections import Auth, Body, Collection, Environment, Request
from workbench.core.errors import AuthError, CodegenError
from workbench.core.sending.prepare import effective_auth, inherited_headers, prepare
from workbench.core.sending.send import SendContext
from workbench.core.variables import Resolver, names_in
from workbench.core.workspace.secrets import SECRET_PARAMS, is_reference

_SECRETISH = re.compile(r"(secret|passw|pwd|token|api_?key|apikey|credential|private)", re.I)
_CREDENTIAL_HEADERS = re.compile(r"^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|"
                                 r"x-auth-token|token|x-access-token)$", re.I)
# Grants a script can run unattended; the others (a browser sign-in) read a token from the environment.
_SELF_SERVED_GRANTS = ("client_credentials", "password")


@dataclass(frozen=True, slots=True)
class TokenFetch:
    """The token request the code sends before the call (RFC 6749 §4.4 client credentials, §4.3 password).

    `form` is the form body exactly as `oauth2.build_token_request` makes it for the app (grant,
    scope, audience, resource, extras, and the client credentials when they go in the body).
    `basic` is (client id, secret) when they go in a Basic header; `basic_encoded` says whether
    each is form-urlencoded first (RFC 6749 §2.3.1) or sent raw ("basic-unencoded").
    """

    token_url: str
    discovery_url: str  # the metadata document; used only when `token_url` is empty
    form: tuple[tuple[str, str], ...]
    basic: tuple[str, str] | None = None
    basic_encoded: bool = True
    grant_type: str = "client_credentials"


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """What the code must send; string values may hold markers (see `marks.py`)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body_kind: str = "none"
    text: str = ""
    form: tuple[tuple[str, str], ...] = ()
    parts: tuple[tuple[str, str, str, str], ...] = ()  # (name, value, file path, content type)
    file: str = ""
    basic: tuple[str, str] | None = None  # (username, password) when auth is basic
    query_auth: tuple[str, str] | None = None  # (name, value) of an API key sent in the query
    env_vars: tuple[str, ...] = ()  # environment variables read, token request's first
    dynamics: tuple[str, ...] = ()  # GUID, TIMESTAMP, ISOTIMESTAMP, RANDOMINT used by the request
    note: str = ""
    token: TokenFetch | None = None

    def comment_lines(self, prefix: str) -> list[str]:
        """The lines every language puts at the top: which environment variables to set, and why not."""
        lines = []
        if self.env_vars:
            lines.append(f"{prefix} Secrets are read from environment variables: {', '.join(self.env_vars)}")
        if self.token is not None:
            where = "the token endpoint" + (" (found by OpenID Connect discovery)" if not self.token.token_url else "")
            lines.append(f"{prefix} OAuth 2.0 ({self.token.grant_type.replace('_', ' ')}): the code asks {where} "
                         "for an access token before the call.")
        if self.note:
            lines.append(f"{prefix} {self.note}")
        return lines


def build(request: Request, collection: Collection | None = None, env: Environment | None = None,
          overrides: Mapping[str, str] | None = None, *, context: SendContext | None = None) -> CodeRequest:
    """Resolve `request` as it would be sent, with every secret replaced by a marker.

    `context` (from `core/context/`) gives the variables the request really sees: globals,
    shared and collection environments, folders. Without it, `collection`/`env`/`overrides`
    stand for a two-layer context.
    """
    if context is None:
        context = SendContext(collection=collection, environment=env, overrides=dict(overrides or {}))
    collection = context.collection
    values = context.variables_for(request)
    raw_auth = effective_auth(collection, request)
    secret_vars = set(context.secret_names(request))
    secret_vars |= {n for n in values if _SECRETISH.search(n)}
    secret_vars |= {n for n, v in values.items() if is_reference(v)}
    # A variable put in a secret auth field or a credential header holds a secret, whatever its name.
    secret_vars |= {n for k, v in raw_auth.params.items() if k in SECRET_PARAMS for n in names_in(v)}
    secret_vars |= {n for row in inherited_headers(collection, request) if _CREDENTIAL_HEADERS.match(row.name)
                    for n in names_in(row.value)}
    masked = {n: marks.secret(marks.env_var_name(n)) for n in secret_vars if not n.startswith("$")}
    masked.update({name: marks.dynamic(kind) for name, kind in marks.DYNAMIC_KINDS.items() if name not in values})
    body = request.body
    # Files are referenced by path in the code, not read now: prepare sees no file body.
    prepared = prepare(replace(request, body=body if body.kind in ("none", "raw", "form") else Body()),
                       collection, variables={**values, **masked})
    resolve = Resolver({**values, **masked})
    headers: list[tuple[str, str]] = []
    for name, value in prepared.headers:
        if _CREDENTIAL_HEADERS.match(name) and not _scheme_and_secrets(value):
            value = _keep_scheme(value, marks.secret(marks.field_env_name(name)))
        headers.append((name, value))

    auth = prepared.auth
    params = dict(auth.params)
    for key, value in params.items():
        if key in SECRET_PARAMS and value and not marks.only_secrets(value):
            params[key] = marks.secret(marks.field_env_name(key))
    basic = None
    query_auth = None
    token = None
    note = ""
    if auth.type == "basic":
        basic = (params.get("username", ""), params.get("password", ""))
    elif auth.type == "bearer":
        prefix = params.get("prefix", "Bearer")
        headers = _set_header(headers, "Authorization", f"{prefix} {params.get('token', '')}".strip())
    elif auth.type == "apikey":
        name = params.get("name") or "Authorization"
        value = params.get("value", "")
        where = params.get("in", "header")
        if where == "query":
            query_auth = (name, value)
        elif where == "cookie":
            headers = _set_header(headers, "Cookie", f"{name}={value}")
        else:
            headers = _set_header(headers, name, value)
    elif auth.type == "oauth2":
        prefix = params.get("header_prefix", "Bearer")
        token = token_fetch(Auth("oauth2", params))
        if token is not None:
            headers = _set_header(headers, "Authorization", f"{prefix} {marks.TOKEN}".strip())
        else:
            read = marks.secret(marks.field_env_name("access_token"))
            headers = _set_header(headers, "Authorization", f"{prefix} {read}".strip())
            grant = (params.get("grant_type") or "").replace("_", " ")
            note = (f"OAuth 2.0 ({grant}): a script cannot sign in by itself, so it reads an access token from "
                    f"WORKBENCH_ACCESS_TOKEN (e.g. from `workbench token`).")

    text = ""
    form: tuple[tuple[str, str], ...] = ()
    if body.kind == "raw":
        text = prepared.body.decode("utf-8", errors="replace")
    elif body.kind == "form":
        form = tuple((resolve(r.name), resolve(r.value)) for r in body.form if r.enabled and r.name)
    parts = tuple((resolve(p.name), "" if p.file else resolve(p.value), resolve(p.file), p.content_type)
                  for p in body.parts if p.enabled and p.name) if body.kind == "multipart" else ()
    if body.kind == "multipart":
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
    file = resolve(body.file) if body.kind == "binary" else ""
    if body.kind == "binary" and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", body.content_type or mimetypes.guess_type(file)[0]
                        or "application/octet-stream"))
    if body.kind == "form":
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]

    texts = [prepared.url, *(v for _, v in headers), text, *(v for _, v in form), *(p[1] for p in parts),
             *(basic or ()), *(query_auth or ())]
    if token is not None:
        texts = [token.token_url, token.discovery_url, *(v for _, v in token.form), *(token.basic or ()), *texts]
    all_text = " ".join(texts)
    env_vars = tuple(dict.fromkeys(marks.secrets_in(all_text)))
    dynamics = tuple(dict.fromkeys(marks.dynamics_in(all_text)))
    return CodeRequest(prepared.method, prepared.url, tuple(headers), body.kind, text, form, parts, file,
                       basic, query_auth, env_vars, dynamics, note, token)


def token_fetch(auth: Auth) -> TokenFetch | None:
    """The token request for an OAuth 2.0 auth whose secrets are markers; None for grants needing a person.

    The form comes from `oauth2.build_token_request`, the function the app sends with, so the
    code asks for the same token (same parameter names, scope, audience, resource, extras).
    """
    try:
        cfg = OAuth2Config.from_auth(auth)
    except AuthError as exc:
        raise CodegenError(f"Cannot generate the token request: {exc.message}") from exc
    if cfg.grant_type not in _SELF_SERVED_GRANTS:
        return None
    if cfg.grant_type == "password":
        grant = {"grant_type": "password", "username": cfg.username, "password": cfg.password}
    else:
        grant = {"grant_type": "client_credentials"}
    made = build_token_request(cfg, cfg.token_url, grant)
    basic = None
    if any(k == "Authorization" for k, _ in made.headers):
        basic = (cfg.client_id, cfg.client_secret)
    discovery = discovery_document_url(cfg.discovery_url) if cfg.discovery_url and not cfg.token_url else ""
    return TokenFetch(cfg.token_url, discovery, made.form, basic, cfg.client_auth == "basic", cfg.grant_type)


def _scheme_and_secrets(value: str) -> bool:
    """`Bearer <secret read>` is safe; `Bearer eyJhbGci…` is not."""
    if not marks.has_secret(value):
        return False
    rest = marks.without_secrets(value).strip()
    return rest.lower() in ("", "bearer", "basic", "token", "apikey")


def _keep_scheme(value: str, secret: str) -> str:
    scheme, sep, _ = value.partition(" ")
    if sep and scheme.lower() in ("bearer", "basic", "token", "digest"):
        return f"{scheme} {secret}"
    return secret


def _set_header(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]
