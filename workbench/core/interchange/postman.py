"""Postman Collection v2.0/v2.1 and Postman environment files, as a collection and environments.

Formats: https://schema.getpostman.com/json/collection/v2.1.0/collection.json (v2.0 differs in
auth, whose parameters are a mapping, not a list of key/value rows). Postman's `{{variable}}`
syntax is ours, so URLs, headers and bodies carry over as written; `:name` path variables
become their value, or a `{{name}}` variable when they have none.

Scripts (pre-request and tests) cannot run here: each is kept as documentation on its request,
folder or collection and named in the warnings, so nobody believes a check ran that did not.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    Environment,
    Folder,
    FormPart,
    KeyValue,
    Request,
)
from workbench.core.errors import SpecImportError
from workbench.core.interchange.result import Imported
from workbench.core.urls import split_url

MAX_DEPTH = 64  # folders nested deeper are a hostile file, not a collection

_GRANTS = {"client_credentials": "client_credentials", "password_credentials": "password",
           "authorization_code": "authorization_code", "authorization_code_with_pkce": "authorization_code",
           "implicit": "authorization_code"}
#: Postman's auth keys -> our Auth.params names (see collections.Auth and auth/oauth2.OAuth2Config);
#: the export (`postman_export`) writes the same table backwards, so a round trip keeps every key.
AUTH_KEYS: dict[str, dict[str, str]] = {
    "basic": {"username": "username", "password": "password"},
    "bearer": {"token": "token"},
    "apikey": {"key": "name", "value": "value", "in": "in"},
    "oauth2": {"accessTokenUrl": "token_url", "authUrl": "auth_url", "clientId": "client_id",
               "clientSecret": "client_secret", "scope": "scope", "username": "username", "password": "password",
               "headerPrefix": "header_prefix", "audience": "audience", "resource": "resource",
               "refreshTokenUrl": "refresh_url", "accessToken": "access_token"},
}
_LANGUAGE_TYPES = {"json": "application/json", "xml": "application/xml", "html": "text/html",
                   "javascript": "application/javascript", "text": "text/plain", "graphql": "application/json"}


def is_collection(doc: Any) -> bool:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("info"), Mapping):
        return False
    info = doc["info"]
    return "getpostman.com" in str(info.get("schema", "")) or ("_postman_id" in info and "item" in doc)


def is_environment(doc: Any) -> bool:
    return (isinstance(doc, Mapping) and isinstance(doc.get("values"), list) and "name" in doc
            and (doc.get("_postman_variable_scope") in (None, "environment", "globals")))


def _text(value: Any) -> str:
    """A description (a string, or `{content, type}`), a value or a script line, as text."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return _text(value.get("content"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _Reader:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ small parts

    def rows(self, data: Any, key: str = "key") -> tuple[KeyValue, ...]:
        if isinstance(data, str):  # v2.0 headers may be "Name: value\nName2: value2"
            out = []
            for line in data.splitlines():
                name, sep, value = line.partition(":")
                if sep and name.strip():
                    out.append(KeyValue(name.strip(), value.strip()))
            return tuple(out)
        if not isinstance(data, list):
            return ()
        return tuple(KeyValue(_text(r.get(key, r.get("name"))), _text(r.get("value")), not r.get("disabled", False),
                              _text(r.get("description")))
                     for r in data if isinstance(r, Mapping) and (r.get(key) is not None or r.get("name")))

    def auth(self, data: Any, where: str, default: str = "inherit") -> Auth:
        if not isinstance(data, Mapping) or not data.get("type"):
            return Auth(default)  # type: ignore[arg-type]
        kind = str(data["type"])
        if kind == "noauth":
            return Auth("none")
        raw = data.get(kind)
        params: dict[str, str] = {}
        if isinstance(raw, list):  # v2.1: [{key, value, type}]
            params = {str(r.get("key")): _text(r.get("value")) for r in raw if isinstance(r, Mapping)}
        elif isinstance(raw, Mapping):  # v2.0: {key: value}
            params = {str(k): _text(v) for k, v in raw.items()}
        if kind not in AUTH_KEYS:
            self.warnings.append(f"{where}: Postman auth {kind!r} is not supported here; it was left out")
            return Auth(default)  # type: ignore[arg-type]
        ours = {mine: params[theirs] for theirs, mine in AUTH_KEYS[kind].items() if params.get(theirs)}
        if kind == "apikey":
            where_to = params.get("in", "header")
            ours["in"] = where_to if where_to in ("header", "query") else "header"
            ours.setdefault("name", "X-API-Key")
        if kind == "oauth2":
            grant = params.get("grant_type", "authorization_code")
            ours["grant_type"] = _GRANTS.get(grant, "client_credentials")
            if grant not in _GRANTS:
                self.warnings.append(f"{where}: OAuth 2.0 grant {grant!r} is unknown; client credentials assumed")
            if grant == "implicit":
                self.warnings.append(f"{where}: the implicit grant became authorization code with PKCE (RFC 9700)")
            ours["client_auth"] = "body" if params.get("client_authentication") == "body" else "basic"
            if params.get("addTokenTo") == "queryParams":
                self.warnings.append(f"{where}: the OAuth 2.0 token goes in the Authorization header here, "
                                     "not in the query")
            ours.pop("access_token", None)  # a token is obtained, not imported stale
        return Auth(kind, ours)  # type: ignore[arg-type]

    def scripts(self, events: Any, where: str) -> str:
        """Scripts as documentation (Markdown code blocks), each named in the warnings."""
        docs = []
        for event in events if isinstance(events, list) else []:
            if not isinstance(event, Mapping) or not isinstance(event.get("script"), Mapping):
                continue
            script = event["script"]
            exec_ = script.get("exec")
            code = "\n".join(_text(line) for line in exec_) if isinstance(exec_, list) else _text(exec_)
            if not code.strip() or event.get("disabled"):
                continue
            label = {"prerequest": "Pre-request script", "test": "Test script"}.get(str(event.get("listen")),
                                                                                   f"{event.get('listen')} script")
            docs.append(f"{label} (from Postman; not run by API Workbench):\n\n```javascript\n{code}\n```")
            self.warnings.append(f"{where}: {label.lower()} kept as documentation (scripts are not run)")
        return "\n\n".join(docs)

    def url(self, data: Any, where: str) -> tuple[str, tuple[KeyValue, ...], tuple[KeyValue, ...]]:
        """The URL (`:id` segments become `{id}` placeholders), its query rows and its path variables."""
        if isinstance(data, str) or data is None:
            base, typed = split_url(data or "")
            return *self.path_variables(base, [], where), tuple(typed)
        if not isinstance(data, Mapping):
            return "", (), ()
        raw = _text(data.get("raw"))
        if not raw:
            host = data.get("host")
            host_text = ".".join(map(_text, host)) if isinstance(host, list) else _text(host)
            path = data.get("path")
            path_text = "/".join(map(_text, path)) if isinstance(path, list) else _text(path)
            raw = f"{_text(data.get('protocol')) + '://' if data.get('protocol') else ''}{host_text}" \
                  f"{':' + _text(data['port']) if data.get('port') else ''}{'/' + path_text if path_text else ''}"
        base, typed = split_url(raw)
        params = self.rows(data.get("query")) if isinstance(data.get("query"), list) else tuple(typed)
        variables = data.get("variable")
        return *self.path_variables(base, variables if isinstance(variables, list) else [], where), params

    def path_variables(self, base: str, variables: list[Any], where: str) -> tuple[str, tuple[KeyValue, ...]]:
        """Postman's `:id` path segments as our `{id}` placeholders, with `url.variable`'s values.

        A segment without a value in `url.variable` gets `{{id}}`, so a variable of that name fills it.
        """
        given = {_text(v.get("key")): v for v in variables if isinstance(v, Mapping)}
        rows: list[KeyValue] = []

        def placeholder(name: str) -> str:
            if name not in (r.name for r in rows):
                var = given.get(name, {})
                rows.append(KeyValue(name, _text(var.get("value")) or "{{" + name + "}}", True,
                                     _text(var.get("description"))))
            return "{" + name + "}"

        scheme, sep, rest = base.partition("://") if "://" in base else ("", "", base)
        host, slash, path = rest.partition("/")
        segments = [placeholder(seg[1:]) if re.fullmatch(r":[A-Za-z_][\w.-]*", seg) else seg
                    for seg in path.split("/")]
        return f"{scheme}{sep}{host}{slash}{'/'.join(segments) if slash else ''}", tuple(rows)

    def body(self, data: Any, headers: tuple[KeyValue, ...], where: str) -> Body:
        if not isinstance(data, Mapping) or data.get("disabled"):
            return Body()
        mode = data.get("mode")
        declared = next((h.value for h in headers if h.name.lower() == "content-type" and h.enabled), "")
        if mode == "raw":
            options: Any = data.get("options")
            raw_opts = options.get("raw") if isinstance(options, Mapping) else None
            language = raw_opts.get("language") if isinstance(raw_opts, Mapping) else None
            ctype = declared or _LANGUAGE_TYPES.get(str(language), "")
            return Body("raw", ctype, _text(data.get("raw")))
        if mode == "urlencoded":
            return Body("form", form=self.rows(data.get("urlencoded")))
        if mode == "formdata":
            parts = []
            for p in data.get("formdata") or []:
                if not isinstance(p, Mapping):
                    continue
                if p.get("type") == "file":
                    src = p.get("src")
                    if isinstance(src, list):
                        if len(src) > 1:
                            self.warnings.append(f"{where}: form part {p.get('key')!r} holds several files; "
                                                 "the first was kept")
                        src = src[0] if src else ""
                    parts.append(FormPart(_text(p.get("key")), file=_text(src),
                                          content_type=_text(p.get("contentType")), enabled=not p.get("disabled")))
                else:
                    parts.append(FormPart(_text(p.get("key")), _text(p.get("value")),
                                          content_type=_text(p.get("contentType")), enabled=not p.get("disabled")))
            return Body("multipart", parts=tuple(parts))
        if mode == "file":
            file = data.get("file")
            src = _text(file.get("src")) if isinstance(file, Mapping) else ""
            if not src and isinstance(file, Mapping) and file.get("content"):
                return Body("raw", declared, _text(file.get("content")))
            return Body("binary", declared, file=src)
        if mode == "graphql":
            gql: Any = data.get("graphql") if isinstance(data.get("graphql"), Mapping) else {}
            variables: Any = gql.get("variables") or None
            if isinstance(variables, str):
                try:
                    variables = json.loads(variables) if variables.strip() else None
                except ValueError:
                    self.warnings.append(f"{where}: GraphQL variables are not valid JSON; kept as text")
            payload: dict[str, Any] = {"query": _text(gql.get("query"))}
            if variables is not None:
                payload["variables"] = variables
            return Body("raw", declared or "application/json", json.dumps(payload, indent=2, ensure_ascii=False))
        if mode:
            self.warnings.append(f"{where}: body mode {mode!r} is not supported; the body was left out")
        return Body()

    def settings(self, behaviour: Any) -> dict[str, float | int | bool | str]:
        out: dict[str, float | int | bool | str] = {}
        if isinstance(behaviour, Mapping):
            if isinstance(behaviour.get("followRedirects"), bool):
                out["follow_redirects"] = behaviour["followRedirects"]
            if isinstance(behaviour.get("strictSSL"), bool):
                out["verify_tls"] = behaviour["strictSSL"]
        return out

    # ------------------------------------------------------------------ tree

    def request(self, item: Mapping[str, Any], where: str) -> Request:
        name = _text(item.get("name")) or "request"
        where = f"{where}/{name}" if where else name
        data = item.get("request")
        if isinstance(data, str):
            data = {"url": data, "method": "GET"}
        if not isinstance(data, Mapping):
            data = {}
        headers = self.rows(data.get("header"))
        url, path_variables, params = self.url(data.get("url"), where)
        body = self.body(data.get("body"), headers, where)
        if body.kind in ("raw", "binary"):
            headers = tuple(h for h in headers if not (h.name.lower() == "content-type" and h.enabled
                                                        and h.value == body.content_type))
        elif body.kind in ("form", "multipart"):
            headers = tuple(h for h in headers if h.name.lower() != "content-type"
                            or "multipart" not in h.value and "urlencoded" not in h.value)
        docs = "\n\n".join(d for d in (_text(data.get("description")) or _text(item.get("description")),
                                       self.scripts(item.get("event"), where)) if d)
        method = (_text(data.get("method")) or "GET").upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_-]*", method):
            self.warnings.append(f"{where}: method {method!r} is not an HTTP method; GET assumed")
            method = "GET"
        return Request(name, method, url, params, headers, body, self.auth(data.get("auth"), where), docs,
                       meta={"postman_id": _text(item.get("id"))} if item.get("id") else {},
                       settings=self.settings(item.get("protocolProfileBehavior")), path_variables=path_variables)

    def items(self, items: Any, where: str, depth: int) -> tuple[tuple[Folder, ...], tuple[Request, ...]]:
        if depth > MAX_DEPTH:
            raise SpecImportError(f"{where}: folders nested more than {MAX_DEPTH} deep")
        folders: list[Folder] = []
        requests: list[Request] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping):
                continue
            if isinstance(item.get("item"), list):
                folders.append(self.folder(item, where, depth + 1))
            else:
                requests.append(self.request(item, where))
        return tuple(folders), tuple(requests)

    def folder(self, item: Mapping[str, Any], where: str, depth: int) -> Folder:
        name = _text(item.get("name")) or "folder"
        path = f"{where}/{name}" if where else name
        subfolders, requests = self.items(item.get("item"), path, depth)
        docs = "\n\n".join(d for d in (_text(item.get("description")), self.scripts(item.get("event"), path)) if d)
        return Folder(name, requests, subfolders, self.auth(item.get("auth"), path), docs=docs,
                      variables=self.rows(item.get("variable")), settings=self.settings(item.get("protocolProfileBehavior")))


def import_collection(doc: Mapping[str, Any], source: str = "") -> Imported:
    """A Postman v2.0/v2.1 collection document as our collection (with its secret variables apart)."""
    info: Any = doc.get("info") if isinstance(doc.get("info"), Mapping) else {}
    schema = str(info.get("schema", ""))
    if "v1." in schema:
        raise SpecImportError(f"{source or 'the file'}: Postman Collection v1 is not supported: "
                              "export it again from Postman as v2.1")
    reader = _Reader()
    name = _text(info.get("name")) or "Postman collection"
    folders, requests = reader.items(doc.get("item"), "", 0)
    variables = [v for v in doc.get("variable") or [] if isinstance(v, Mapping)]
    secret = [v for v in variables if v.get("type") == "secret"]
    plain = reader.rows([v for v in variables if v.get("type") != "secret"])
    environments: tuple[Environment, ...] = ()
    if secret:
        rows = reader.rows(secret)
        environments = (Environment(f"{name} secrets", rows, frozenset(r.name for r in rows)),)
        reader.warnings.append(f"secret collection variables ({', '.join(r.name for r in rows)}) went to the "
                               f"environment {environments[0].name!r}, kept in the secret store")
    docs = "\n\n".join(d for d in (_text(info.get("description")), reader.scripts(doc.get("event"), name)) if d)
    collection = Collection(name, requests, folders, plain, reader.auth(doc.get("auth"), name, "none"), docs=docs,
                            meta={"source": "postman"}, environments=environments,
                            settings=reader.settings(doc.get("protocolProfileBehavior")))
    return Imported("postman", collection, environments, tuple(dict.fromkeys(reader.warnings)))


def import_environment(doc: Mapping[str, Any]) -> Imported:
    """A Postman environment (`{name, values: [{key, value, type, enabled}]}`); secret values kept secret."""
    rows = []
    secrets = set()
    for value in doc.get("values") or []:
        if not isinstance(value, Mapping) or not value.get("key"):
            continue
        key = _text(value.get("key"))
        rows.append(KeyValue(key, _text(value.get("value")), bool(value.get("enabled", True))))
        if value.get("type") == "secret":
            secrets.add(key)
    env = Environment(_text(doc.get("name")) or "Postman environment", tuple(rows), frozenset(secrets))
    return Imported("postman-environment", None, (env,))
