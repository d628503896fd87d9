"""From a saved request to exactly what goes on the wire: path variables, variables, inheritance, body.

Kept apart from `http.py` so the same prepared request feeds sending, code generation and
`$batch` parts, and so a test can check what would be sent without a network.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.errors import SendError
from workbench.core.path_variables import fill_path
from workbench.core.urls import encode_component, join_url, split_url
from workbench.core.variables import Resolver, layered


@dataclass(frozen=True, slots=True)
class FilePart:
    """A multipart part ready to send (file content read at prepare time)."""

    name: str
    filename: str | None
    content: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """A fully resolved request: no `{{variables}}`, auth applied, body encoded."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    form_fields: tuple[tuple[str, str], ...] = ()
    files: tuple[FilePart, ...] = ()
    missing_variables: frozenset[str] = frozenset()
    auth: Auth = field(default_factory=lambda: Auth("none"))

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    def with_header(self, name: str, value: str) -> "PreparedRequest":
        """A copy with `name` set (replacing any header of that name, case-insensitively)."""
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=kept + ((name, value),))

    def with_query(self, name: str, value: str) -> "PreparedRequest":
        sep = "&" if "?" in self.url else "?"
        return replace(self, url=f"{self.url}{sep}{encode_component(name)}={encode_component(value)}")


def effective_auth(collection: Collection | None, request: Request) -> Auth:
    """The auth that applies to `request`: its own, else the nearest folder's, else the collection's."""
    if request.auth.type != "inherit":
        return request.auth
    if collection is not None:
        for folder in reversed(collection.chain(request.path)):
            if folder.auth.type != "inherit":
                return folder.auth
        if collection.auth.type != "inherit":
            return collection.auth
    return Auth("none")


def inherited_headers(collection: Collection | None, request: Request) -> list[KeyValue]:
    """Headers set once on the collection and its folders (e.g. x-client-id), then the request's."""
    rows: list[KeyValue] = []
    if collection is not None:
        rows.extend(collection.headers)
        for folder in collection.chain(request.path):
            rows.extend(folder.headers)
    rows.extend(request.headers)
    return [r for r in rows if r.enabled and r.name]


def variables_for(collection: Collection | None, env: Environment | None,
                  overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Collection variables < environment < overrides: the two-layer view of a hand-made context.

    Entry points do not call this: they ask their `SendContext` (made by `core/context/`), which
    knows every layer (globals, shared and collection environments, folders).
    """
    coll_vars = {v.name: v.value for v in collection.variables if v.enabled} if collection else {}
    return layered(coll_vars, env.as_dict() if env else None, overrides)


def prepare(request: Request, collection: Collection | None = None, env: Environment | None = None,
            overrides: Mapping[str, str] | None = None, base_dir: str | Path = ".", *,
            variables: Mapping[str, str] | None = None) -> PreparedRequest:
    """Resolve variables and encode the body; auth is attached (resolved) but not applied yet.

    Auth is applied by `auth.apply` at send time because OAuth2 may need a network round trip.
    `variables` (from `SendContext.variables_for`) replaces the `env`/`overrides` pair.
    """
    resolve = Resolver(dict(variables) if variables is not None else variables_for(collection, env, overrides))
    # Path variables first: their values are encoded as path text, so a `{` they hold cannot
    # start a placeholder or variable; then `{{variables}}` in the rest of the URL.
    templated, unfilled = fill_path(request.url, {row.name: row.value for row in request.path_variables}, resolve)
    base, typed = split_url(resolve(templated))
    params = [KeyValue(resolve(p.name), resolve(p.value)) for p in request.params if p.enabled and p.name]
    url = join_url(base, typed + params, encode=True)
    if not url:
        raise SendError("The request has no URL.")
    if "://" not in url:
        url = "http://" + url
    # Header merge: later (more specific) wins, case-insensitive, keeping the last spelling.
    merged: dict[str, tuple[str, str]] = {}
    for row in inherited_headers(collection, request):
        merged[resolve(row.name).lower()] = (resolve(row.name), resolve(row.value))
    headers = list(merged.values())
    body = request.body
    data = b""
    form_fields: list[tuple[str, str]] = []
    files: list[FilePart] = []
    has_ct = "content-type" in merged

    def add_ct(value: str) -> None:
        nonlocal has_ct
        if not has_ct and value:
            headers.append(("Content-Type", value))
            has_ct = True

    if body.kind == "raw":
        data = resolve(body.text).encode("utf-8")
        ct = body.content_type or _sniff_content_type(body.text)
        add_ct(ct)
    elif body.kind == "form":
        pairs = [(resolve(r.name), resolve(r.value)) for r in body.form if r.enabled and r.name]
        data = "&".join(f"{encode_component(k)}={encode_component(v)}" for k, v in pairs).encode()
        add_ct("application/x-www-form-urlencoded")
    elif body.kind == "multipart":
        for part in body.parts:
            if not part.enabled or not part.name:
                continue
            if part.file:
                path = Path(base_dir) / resolve(part.file)
                try:
                    content = path.read_bytes()
                except OSError as exc:
                    raise SendError(f"Cannot read the file for part {part.name!r}: {path} ({exc.strerror})") from exc
                ctype = part.content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                files.append(FilePart(resolve(part.name), path.name, content, ctype))
            elif part.content_type:
                files.append(FilePart(resolve(part.name), None, resolve(part.value).encode(), part.content_type))
            else:
                form_fields.append((resolve(part.name), resolve(part.value)))
    elif body.kind == "binary":
        path = Path(base_dir) / resolve(body.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SendError(f"Cannot read the body file {path} ({exc.strerror})") from exc
        add_ct(body.content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    auth = Auth(effective_auth(collection, request).type,
                {k: resolve(v) for k, v in effective_auth(collection, request).params.items()})
    return PreparedRequest(request.method.upper(), url, tuple(headers), data, tuple(form_fields), tuple(files),
                           frozenset(resolve.missing | unfilled), auth)


def _sniff_content_type(text: str) -> str:
    """A raw body with no declared type: JSON if it parses, XML if it looks like it, else text."""
    stripped = text.lstrip()
    if not stripped:
        return ""
    if stripped[0] in "{[":
        try:
            json.loads(text)
            return "application/json"
        except ValueError:
            return "text/plain"
    if stripped.startswith("<"):
        return "application/xml"
    return "text/plain"
