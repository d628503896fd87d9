"""An Insomnia export (format 4, JSON or YAML) as a collection with its environments.

An export is a flat list of resources linked by `parentId`: a workspace, request groups
(folders), requests and environments. The workspace's base environment holds what every
sub-environment inherits, which is what our collection variables are; sub-environments
become the collection's own environments, and a folder's environment its folder variables.
Insomnia writes variables as Nunjucks, `{{ _.name }}`; ours are `{{name}}`. Nested
environment objects are flattened to dotted names (`{{ _.api.host }}` → `{{api.host}}`).
Template tags (`{% response … %}`, `{% faker … %}`) have no equivalent and are reported.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
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

MAX_DEPTH = 64
_NUNJUCKS_VAR = re.compile(r"\{\{\s*(?:_\.)?([A-Za-z_$][\w.$-]*)\s*\}\}")
_TAG = re.compile(r"\{%.*?%\}", re.S)
_GRANTS = {"client_credentials": "client_credentials", "password": "password",
           "authorization_code": "authorization_code", "implicit": "authorization_code"}


def is_export(doc: Any) -> bool:
    return isinstance(doc, Mapping) and doc.get("_type") == "export" and isinstance(doc.get("resources"), list)


def _flatten(data: Any, prefix: str = "") -> list[KeyValue]:
    if not isinstance(data, Mapping):
        return []
    rows: list[KeyValue] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flatten(value, name + "."))
        elif isinstance(value, list):
            rows.append(KeyValue(name, json.dumps(value, ensure_ascii=False)))
        elif isinstance(value, bool):
            rows.append(KeyValue(name, "true" if value else "false"))
        else:
            rows.append(KeyValue(name, "" if value is None else str(value)))
    return rows


def _sort_key(resource: Mapping[str, Any]) -> float:
    """Insomnia orders siblings by `metaSortKey` (a number; absent sorts first)."""
    key = resource.get("metaSortKey")
    return float(key) if isinstance(key, (int, float)) else 0.0


class _Reader:
    def __init__(self, resources: list[Mapping[str, Any]]) -> None:
        self.warnings: list[str] = []
        self.children: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for res in resources:
            self.children[str(res.get("parentId") or "")].append(res)
        for siblings in self.children.values():
            siblings.sort(key=_sort_key)

    def text(self, value: Any, where: str) -> str:
        text = "" if value is None else str(value)
        if (tag := _TAG.search(text)) is not None:
            self.warnings.append(f"{where}: Insomnia template tag {tag.group(0)[:40]!r} has no equivalent here "
                                 "and was kept as text")
        return _NUNJUCKS_VAR.sub(lambda m: "{{" + m.group(1) + "}}", text)

    def rows(self, data: Any, where: str) -> tuple[KeyValue, ...]:
        return tuple(KeyValue(self.text(r.get("name"), where), self.text(r.get("value"), where),
                              not r.get("disabled", False), str(r.get("description") or ""))
                     for r in data if isinstance(r, Mapping) and r.get("name")) if isinstance(data, list) else ()

    def auth(self, data: Any, where: str) -> Auth:
        if not isinstance(data, Mapping) or not data.get("type"):
            return Auth("inherit")
        if data.get("disabled"):
            return Auth("none")
        kind = str(data["type"])

        def t(key: str) -> str:
            return self.text(data.get(key), where)

        if kind == "none":
            return Auth("none")
        if kind == "basic":
            return Auth("basic", {"username": t("username"), "password": t("password")})
        if kind == "bearer":
            params = {"token": t("token")}
            if data.get("prefix"):
                params["prefix"] = t("prefix")
            return Auth("bearer", params)
        if kind == "apikey":
            add_to = {"header": "header", "queryParams": "query", "cookie": "cookie"}.get(str(data.get("addTo")),
                                                                                         "header")
            return Auth("apikey", {"name": t("key"), "value": t("value"), "in": add_to})
        if kind == "oauth2":
            grant = str(data.get("grantType") or "client_credentials")
            params = {"grant_type": _GRANTS.get(grant, "client_credentials"), "token_url": t("accessTokenUrl"),
                      "auth_url": t("authorizationUrl"), "client_id": t("clientId"),
                      "client_secret": t("clientSecret"), "scope": t("scope"), "username": t("username"),
                      "password": t("password"), "audience": t("audience"), "resource": t("resource"),
                      "client_auth": "body" if data.get("credentialsInBody") else "basic"}
            if data.get("tokenPrefix"):
                params["header_prefix"] = t("tokenPrefix")
            if grant == "implicit":
                self.warnings.append(f"{where}: the implicit grant became authorization code with PKCE (RFC 9700)")
            return Auth("oauth2", {k: v for k, v in params.items() if v})
        self.warnings.append(f"{where}: Insomnia auth {kind!r} is not supported here; it was left out")
        return Auth("inherit")

    def body(self, data: Any, headers: tuple[KeyValue, ...], where: str) -> tuple[Body, tuple[KeyValue, ...]]:
        if not isinstance(data, Mapping) or not data:
            return Body(), headers
        mime = str(data.get("mimeType") or "")
        without_ct = tuple(h for h in headers if h.name.lower() != "content-type")
        if mime == "application/x-www-form-urlencoded":
            return Body("form", form=self.rows(data.get("params"), where)), without_ct
        if mime == "multipart/form-data":
            parts = tuple(
                FormPart(self.text(p.get("name"), where), "" if p.get("type") == "file" else self.text(p.get("value"), where),
                         str(p.get("fileName") or "") if p.get("type") == "file" else "", enabled=not p.get("disabled"))
                for p in data.get("params") or [] if isinstance(p, Mapping))
            return Body("multipart", parts=parts), without_ct
        if data.get("fileName"):
            return Body("binary", mime, file=str(data["fileName"])), without_ct
        if mime == "application/graphql":
            return Body("raw", "application/json", self.text(data.get("text"), where)), without_ct
        if "text" in data:
            return Body("raw", mime, self.text(data.get("text"), where)), without_ct if mime else headers
        return Body(), headers

    def request(self, res: Mapping[str, Any], where: str) -> Request:
        name = str(res.get("name") or "request")
        where = f"{where}/{name}" if where else name
        headers = self.rows(res.get("headers"), where)
        body, headers = self.body(res.get("body"), headers, where)
        base, typed = split_url(self.text(res.get("url"), where))
        params = tuple(typed) + self.rows(res.get("parameters"), where)
        method = str(res.get("method") or "GET").upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_-]*", method):
            self.warnings.append(f"{where}: method {method!r} is not an HTTP method; GET assumed")
            method = "GET"
        settings: dict[str, float | int | bool | str] = {}
        follow = res.get("settingFollowRedirects")
        if follow in ("on", "off"):
            settings["follow_redirects"] = follow == "on"
        return Request(name, method, base, params, headers, body, self.auth(res.get("authentication"), where),
                       str(res.get("description") or ""), meta={"insomnia_id": str(res.get("_id") or "")},
                       settings=settings)

    def tree(self, parent_id: str, where: str, depth: int) -> tuple[tuple[Folder, ...], tuple[Request, ...]]:
        if depth > MAX_DEPTH:
            raise SpecImportError(f"{where}: folders nested more than {MAX_DEPTH} deep")
        folders: list[Folder] = []
        requests: list[Request] = []
        for res in self.children.get(parent_id, []):
            kind = res.get("_type")
            if kind == "request":
                requests.append(self.request(res, where))
            elif kind == "request_group":
                name = str(res.get("name") or "folder")
                path = f"{where}/{name}" if where else name
                subs, reqs = self.tree(str(res.get("_id")), path, depth + 1)
                variables = tuple(KeyValue(r.name, self.text(r.value, path)) for r in _flatten(res.get("environment")))
                folders.append(Folder(name, reqs, subs, self.auth(res.get("authentication"), path),
                                      self.rows(res.get("headers"), path), str(res.get("description") or ""),
                                      variables=variables))
            elif kind in ("grpc_request", "websocket_request", "graphql_request"):
                self.warnings.append(f"{where}/{res.get('name')}: {kind.replace('_', ' ')}s are not supported; left out")
        return tuple(folders), tuple(requests)

    def environments(self, workspace_id: str, prefix: str) -> tuple[tuple[KeyValue, ...], tuple[Environment, ...]]:
        """(base environment's variables, sub-environments)."""
        bases = [r for r in self.children.get(workspace_id, []) if r.get("_type") == "environment"]
        if not bases:
            return (), ()
        base = bases[0]
        base_vars = tuple(KeyValue(r.name, self.text(r.value, "base environment")) for r in _flatten(base.get("data")))
        envs = []
        for sub in self.children.get(str(base.get("_id")), []):
            if sub.get("_type") != "environment":
                continue
            name = f"{prefix}{sub.get('name') or 'environment'}"
            rows = tuple(KeyValue(r.name, self.text(r.value, name)) for r in _flatten(sub.get("data")))
            envs.append(Environment(name, rows))
        return base_vars, tuple(envs)


def import_export(doc: Mapping[str, Any], source: str = "") -> Imported:
    """An Insomnia v4 export as one collection: a workspace's tree, or one folder per workspace when several."""
    fmt = doc.get("__export_format")
    if fmt != 4:
        raise SpecImportError(f"{source or 'the file'}: Insomnia export format {fmt!r} is not supported "
                              "(export as \"Insomnia v4\" JSON or YAML)")
    resources = [r for r in doc["resources"] if isinstance(r, Mapping)]
    reader = _Reader(resources)
    workspaces = [r for r in resources if r.get("_type") == "workspace"]
    if not workspaces:
        raise SpecImportError(f"{source or 'the file'}: the Insomnia export holds no workspace")
    if len(workspaces) == 1:
        ws = workspaces[0]
        folders, requests = reader.tree(str(ws.get("_id")), "", 0)
        variables, envs = reader.environments(str(ws.get("_id")), "")
        name = str(ws.get("name") or "Insomnia workspace")
        docs = str(ws.get("description") or "")
    else:
        name = "Insomnia export"
        docs = ""
        folder_list: list[Folder] = []
        env_list: list[Environment] = []
        for ws in workspaces:
            ws_name = str(ws.get("name") or "workspace")
            subs, reqs = reader.tree(str(ws.get("_id")), ws_name, 1)
            ws_vars, ws_envs = reader.environments(str(ws.get("_id")), f"{ws_name} – ")
            folder_list.append(Folder(ws_name, reqs, subs, docs=str(ws.get("description") or ""), variables=ws_vars))
            env_list.extend(ws_envs)
        folders, requests, variables, envs = tuple(folder_list), (), (), tuple(env_list)
    collection = Collection(name, requests, folders, variables, Auth("none"), docs=docs,
                            meta={"source": "insomnia"}, environments=envs)
    return Imported("insomnia", collection, envs, tuple(dict.fromkeys(reader.warnings)))
