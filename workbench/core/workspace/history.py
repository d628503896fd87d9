"""History of sent requests, one JSON line each, beside the workspace (`.workbench/`).

JSON lines because appending is atomic enough for one writer and a torn last line is simply
skipped on read. Secrets are redacted before anything is written: auth headers, credentials
in the URL, query parameters that carry keys or tokens, and, by value, every secret variable
and auth secret wherever it travelled (any parameter or header name, a path segment).
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from workbench.core.collections import Auth, Request
from workbench.core.masking import masker
from workbench.core.sending.prepare import effective_auth
from workbench.core.sending.transport import Exchange
from workbench.core.urls import encode_component
from workbench.core.workspace.secrets import SECRET_PARAMS, redact_header
from workbench.core.workspace.storage import state_dir

if TYPE_CHECKING:
    from workbench.core.sending.send import SendContext

HISTORY_FILE = "history.jsonl"
MAX_ENTRIES = 1000
_SECRET_QUERY = re.compile(r"([?&](?:access_token|token|api_key|apikey|api-key|key|subscription-key|code|client_secret"
                           r"|secret|password|sig|signature)=)[^&#]*", re.I)
_URL_USERINFO = re.compile(r"(://)[^/@]+@")
_AUTH_SECRET_FIELDS = tuple(sorted(SECRET_PARAMS | {"secret", "private_key"}))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    method: str
    url: str
    status: int
    elapsed_ms: float
    at: float
    request_path: str = ""
    collection: str = ""
    headers: tuple[tuple[str, str], ...] = ()


def redact_url(url: str) -> str:
    return _SECRET_QUERY.sub(r"\1•••", _URL_USERINFO.sub(r"\1•••@", url))


def secret_values(variables: Mapping[str, str], secret_names: Iterable[str]) -> frozenset[str]:
    """The values of the secret variables a request saw (pass to `record(secrets=…)`)."""
    return frozenset(str(variables[name]) for name in secret_names if name in variables)


def context_secrets(ctx: SendContext, request: Request) -> frozenset[str]:
    """Every secret value a send of `request` in `ctx` may carry: pass it to `record(secrets=…)`.

    The secret variables of every layer (workspace globals to `--var`), and the secret parameters
    of the auth that applies (inherited as a send inherits it, its variables resolved), because
    a `{{apiKey}}` typed into a query parameter named `subscription-key`, an `X-Auth` header or a
    path segment is still the secret. The OAuth 2.0 token a send obtained is taken from the
    exchange by `record` itself.
    """
    variables = ctx.variables_for(request)
    found = set(secret_values(variables, ctx.secret_names(request)))
    auth = effective_auth(ctx.collection, request)
    resolve = ctx.resolver(request)
    found.update(_auth_secrets(Auth(auth.type, {k: resolve(v) for k, v in auth.params.items()})))
    return frozenset(v for v in found if v)


def _auth_secrets(auth: Auth) -> list[str]:
    """The secret parts of the auth applied to a request, and the Basic credential they form."""
    found = [str(auth.get(name)) for name in _AUTH_SECRET_FIELDS if auth.get(name)]
    if auth.type == "basic" and (auth.get("username") or auth.get("password")):
        pair = f"{auth.get('username')}:{auth.get('password')}".encode()
        found.append(base64.b64encode(pair).decode())
    return found


def _obtained_token(exchange: Exchange) -> list[str]:
    """The OAuth 2.0 token that went out with the request (it is in no file, only in the header)."""
    req = exchange.request
    if req.auth.type != "oauth2":
        return []
    value = req.header("Authorization") or ""
    token = value.split()[-1] if value.split() else ""
    return [token] if token else []


def record(workspace_root: str | Path, exchange: Exchange, request_path: str = "", collection: str = "",
           secrets: Iterable[str] = ()) -> HistoryEntry:
    """Append one exchange (redacted) to the workspace history and return the entry.

    `secrets` are values to mask wherever they travelled (`context_secrets(ctx, request)`);
    the applied auth's own secrets and the OAuth 2.0 token sent are masked without being named.
    """
    req = exchange.request
    mask = masker([*secrets, *_auth_secrets(req.auth), *_obtained_token(exchange)])
    # An API key may travel under any name the service chose: redact that name too.
    key_name = req.auth.get("name").lower() if req.auth.type == "apikey" else ""
    url = redact_url(req.url)
    if key_name and req.auth.get("in") == "query":
        url = re.sub(rf"([?&]{re.escape(encode_component(req.auth.get('name')))}=)[^&#]*", r"\1•••", url, flags=re.I)

    url = mask(url)

    def header(k: str, v: str) -> str:
        return "•••" if key_name and k.lower() == key_name else mask(redact_header(k, v))

    entry = HistoryEntry(
        req.method, url, exchange.response.status, round(exchange.response.elapsed_ms, 1),
        exchange.started_at, request_path, collection,
        tuple((k, header(k, v)) for k, v in req.headers),
    )
    path = state_dir(workspace_root) / HISTORY_FILE
    line = json.dumps({
        "method": entry.method, "url": entry.url, "status": entry.status, "elapsed_ms": entry.elapsed_ms,
        "at": entry.at, "request_path": entry.request_path, "collection": entry.collection,
        "headers": [list(h) for h in entry.headers],
    }, ensure_ascii=False)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    if path.stat().st_size > MAX_ENTRIES * 2048:
        _trim(path)
    return entry


def _trim(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()[-MAX_ENTRIES:]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load(workspace_root: str | Path) -> list[HistoryEntry]:
    """Newest first; unreadable lines are skipped."""
    path = Path(workspace_root) / ".workbench" / HISTORY_FILE
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            d = json.loads(line)
            entries.append(HistoryEntry(d["method"], d["url"], int(d["status"]), float(d["elapsed_ms"]),
                                        float(d["at"]), d.get("request_path", ""), d.get("collection", ""),
                                        tuple(tuple(h) for h in d.get("headers", []))))
        except (ValueError, KeyError, TypeError):
            continue
    entries.reverse()
    return entries[:MAX_ENTRIES]


def clear(workspace_root: str | Path) -> None:
    """Forget every recorded exchange of the workspace (the file is removed, not truncated in place)."""
    path = Path(workspace_root) / ".workbench" / HISTORY_FILE
    try:
        path.unlink()
    except FileNotFoundError:
        pass
