"""Export a collection as a Postman Collection v2.1 document, for teammates on other clients and newman.

Secret values (passwords, client secrets, tokens, API keys) are exported as `{{variables}}`
named after the field, never in clear text: the document is meant to be shared.
Format: https://schema.getpostman.com/json/collection/v2.1.0/collection.json
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from workbench.core.collections import Auth, Body, Collection, Folder, KeyValue, Request
from workbench.core.interchange.postman import AUTH_KEYS
from workbench.core.path_variables import PLACEHOLDER, encode_path_value
from workbench.core.urls import join_url
from workbench.core.workspace.secrets import SECRET_PARAMS, is_template

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

# Our Auth.params name -> Postman's key, per scheme: the import's table read backwards, less a
# stored access token (state, not settings: the import drops it as stale, and it is a secret).
_AUTH_KEYS: dict[str, dict[str, str]] = {
    kind: {ours: theirs for theirs, ours in keys.items() if ours != "access_token"} for kind, keys in AUTH_KEYS.items()}
_GRANTS = {"client_credentials": "client_credentials", "password": "password_credentials",
           "authorization_code": "authorization_code_with_pkce", "refresh_token": "client_credentials"}


def _secret_free(key: str, value: str) -> str:
    if key in SECRET_PARAMS and value and not is_template(value):
        return "{{" + key + "}}"
    return value


def _auth(auth: Auth) -> dict[str, Any] | None:
    if auth.type == "inherit":
        return None
    if auth.type == "none":
        return {"type": "noauth"}
    keys = _AUTH_KEYS.get(auth.type, {})
    entries = [{"key": theirs, "value": _secret_free(ours, auth.get(ours)), "type": "string"}
               for ours, theirs in keys.items() if auth.get(ours)]
    if auth.type == "oauth2":
        entries.append({"key": "grant_type", "value": _GRANTS.get(auth.get("grant_type", "client_credentials"),
                                                                  "client_credentials"), "type": "string"})
        entries.append({"key": "client_authentication",
                        "value": "body" if auth.get("client_auth") == "body" else "header", "type": "string"})
        entries.append({"key": "addTokenTo", "value": "header", "type": "string"})
    return {"type": auth.type, auth.type: entries}


def _rows(rows: tuple[KeyValue, ...], key: str = "key") -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item: dict[str, Any] = {key: row.name, "value": row.value}
        if not row.enabled:
            item["disabled"] = True
        if row.description:
            item["description"] = row.description
        out.append(item)
    return out


def _body(body: Body) -> dict[str, Any] | None:
    if body.kind == "raw":
        language = "json" if "json" in body.content_type else "xml" if "xml" in body.content_type else "text"
        return {"mode": "raw", "raw": body.text, "options": {"raw": {"language": language}}}
    if body.kind == "form":
        return {"mode": "urlencoded", "urlencoded": _rows(body.form)}
    if body.kind == "multipart":
        return {"mode": "formdata", "formdata": [
            {"key": p.name, "type": "file", "src": p.file} if p.file else
            {"key": p.name, "value": p.value, "type": "text", **({"disabled": True} if not p.enabled else {})}
            for p in body.parts]}
    if body.kind == "binary":
        return {"mode": "file", "file": {"src": body.file}}
    return None


def _path_variables(request: Request) -> tuple[str, list[dict[str, Any]]]:
    """Our `{id}` placeholders as Postman's `:id` segments and `url.variable` rows.

    Postman knows a path variable only as a whole segment; a placeholder inside one
    (`/files/{name}.json`) gets its value written in, encoded as `prepare` would send it.
    """
    values = {row.name: row for row in request.path_variables}
    variables: list[dict[str, Any]] = []

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        row = values.get(name, KeyValue(name, "{{" + name + "}}"))
        whole = match.start() > 0 and match.string[match.start() - 1] == "/" and \
            match.string[match.end():match.end() + 1] in ("", "/")
        if not whole:  # a `{{variable}}` stays for Postman to resolve
            return row.value if "{{" in row.value else encode_path_value(row.value)
        if name not in (v["key"] for v in variables):
            variables.append({"key": name, "value": row.value, **({"description": row.description}
                                                                   if row.description else {})})
        return ":" + name

    return PLACEHOLDER.sub(sub, request.url), variables


def _url(base: str, raw: str, params: tuple[KeyValue, ...],
         variables: list[dict[str, Any]] | None = None) -> dict[str, Any] | str:
    """Postman's structured URL (host and path segments), needed to keep disabled query rows and path variables."""
    if not params and not variables:
        return raw
    rest = base
    url: dict[str, Any] = {"raw": raw}
    if "://" in rest:
        url["protocol"], rest = rest.split("://", 1)
    host, _, path = rest.partition("/")
    host, sep, port = host.rpartition(":") if ":" in host and not host.endswith("}}") else (host, "", "")
    if sep:
        url["port"] = port
    url["host"] = host.split(".") if not host.startswith("{{") else [host]
    url["path"] = [seg for seg in path.split("/")] if path else []
    url["query"] = _rows(params)
    if variables:
        url["variable"] = variables
    return url


def _behaviour(settings: Mapping[str, Any]) -> dict[str, bool]:
    """Our `follow_redirects`/`verify_tls` settings as Postman's protocolProfileBehavior (newman honours it)."""
    out = {}
    if isinstance(settings.get("follow_redirects"), bool):
        out["followRedirects"] = bool(settings["follow_redirects"])
    if isinstance(settings.get("verify_tls"), bool):
        out["strictSSL"] = bool(settings["verify_tls"])
    return out


def _request(request: Request) -> dict[str, Any]:
    base, variables = _path_variables(request)
    raw = join_url(base, request.params)
    headers = _rows(request.headers)
    if request.body.kind in ("raw", "binary") and request.body.content_type and \
            not any(h.name.lower() == "content-type" for h in request.headers):
        # Postman derives a raw body's type from its "language" (json, xml, text): say ours exactly.
        headers.append({"key": "Content-Type", "value": request.body.content_type})
    item: dict[str, Any] = {"name": request.name, "request": {
        "method": request.method,
        "header": headers,
        "url": _url(base, raw, request.params, variables),
    }}
    if (body := _body(request.body)) is not None:
        item["request"]["body"] = body
    if (auth := _auth(request.auth)) is not None:
        item["request"]["auth"] = auth
    if request.docs:
        item["request"]["description"] = request.docs
    if behaviour := _behaviour(request.settings):
        item["protocolProfileBehavior"] = behaviour
    return item


def _folder(folder: Folder) -> dict[str, Any]:
    item: dict[str, Any] = {"name": folder.name,
                            "item": [_folder(f) for f in folder.folders] + [_request(r) for r in folder.requests]}
    if (auth := _auth(folder.auth)) is not None:
        item["auth"] = auth
    if folder.docs:
        item["description"] = folder.docs
    if folder.variables:
        item["variable"] = [{"key": v.name, "value": _secret_free(v.name, v.value), **({"disabled": True} if not
                             v.enabled else {})} for v in folder.variables]
    if behaviour := _behaviour(folder.settings):
        item["protocolProfileBehavior"] = behaviour
    return item


def to_postman(collection: Collection) -> dict[str, Any]:
    """The Postman v2.1 document for `collection` (collection headers go onto every request)."""
    doc: dict[str, Any] = {
        "info": {"name": collection.name, "schema": SCHEMA, "description": collection.docs},
        "item": [_folder(f) for f in collection.folders] + [_request(r) for r in collection.requests],
        "variable": [{"key": v.name, "value": _secret_free(v.name, v.value)} for v in collection.variables],
    }
    if (auth := _auth(collection.auth)) is not None:
        doc["auth"] = auth
    if behaviour := _behaviour(collection.settings):
        doc["protocolProfileBehavior"] = behaviour
    if collection.headers:
        def add_headers(items: list[dict[str, Any]]) -> None:
            for it in items:
                if "request" in it:
                    names = {h["key"].lower() for h in it["request"]["header"]}
                    it["request"]["header"] = _rows(tuple(h for h in collection.headers if h.name.lower() not in names)) \
                        + it["request"]["header"]
                else:
                    add_headers(it["item"])
        add_headers(doc["item"])
    return doc
