"""Import an OpenAPI/Swagger descriptor as a collection a user can send from at once.

Entry points (all synchronous and Qt-free; the UI runs them through `workers.in_worker`):

- `import_openapi(source, group_by=..., auth=..., root=...) -> ImportResult`: read a file,
  folder, ZIP or URL (`openapi_sources.py`), bundle its `$ref`s into one document
  (`openapi_refs.py`) and convert it: one request per operation, folders by tag or by path,
  parameters and bodies filled with usable values (`openapi_samples.py`), one environment per
  server, collection auth from the security schemes.
- `import_into_workspace(source, workspace_root, ...) -> ImportSummary`: the same, written to
  a workspace with `storage`; a re-import of a newer descriptor keeps the user's edits
  (`openapi_merge.py`). A bundled copy of the descriptor is kept as `openapi.json` beside the
  collection, so responses can later be checked against their contract.
- `load_operation_contract(collection_dir, "get /pets/{petId}")`: the response schemas of one
  operation, as JSON Schema (see its docstring for validating with `jsonschema`).

Versions: Swagger 2.0, OpenAPI 3.0.x and 3.1.x (3.2 is read as 3.1 with a warning). Mapping
rules follow the OpenAPI Specification's objects: Server Object (§4.8.5, variables with
`enum`/`default`), Parameter Object (§4.8.12: `in` path/query/header/cookie, `required`,
`style`/`explode`; `Accept`, `Content-Type` and `Authorization` header parameters are ignored
as the spec says), Request Body Object (§4.8.13), Security Scheme/Requirement Objects
(§4.8.27, §4.8.30: `security: []` removes auth for an operation). Partial problems become
warnings, never silent drops; only a document that cannot be imported at all raises
`SpecImportError`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Mapping
from urllib.parse import urljoin, urlsplit

import orjson

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
from workbench.core.errors import SpecImportError, StorageError
from workbench.core.openapi.refs import LocalRefs, bundle
from workbench.core.openapi.samples import SampleGenerator, strip_cuts, to_text
from workbench.core.openapi.sources import display_name, open_source, spec_version

GroupBy = Literal["tag", "path"]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BUNDLE_FILE = "openapi.json"
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}
_VAR_NAME = re.compile(r"[^\w.\-$]")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a descriptor becomes: the collection, its environments, what could not be mapped."""

    collection: Collection
    environments: tuple[Environment, ...]
    warnings: tuple[str, ...]
    spec: dict[str, Any]

    @property
    def folder_count(self) -> int:
        return _count_folders(self.collection.folders)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What `import_into_workspace` did, for the dialog and `workbench import --json`."""

    collection: str
    collection_path: str
    folders: int
    requests: int
    environments: int
    warnings: tuple[str, ...]
    changes: Any = None  # openapi_merge.ChangeSummary on a re-import

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"collection": self.collection, "folders": self.folders, "requests": self.requests,
                               "environments": self.environments, "warnings": list(self.warnings),
                               "path": self.collection_path}
        if self.changes is not None:
            out["changes"] = self.changes.as_json()
        return out


def _count_folders(folders: Iterable[Folder]) -> int:
    return sum(1 + _count_folders(f.folders) for f in folders)


# --------------------------------------------------------------------------- entry points


def import_openapi(source: str | Path, *, group_by: GroupBy = "tag", auth: Auth | None = None,
                   root: str | None = None, should_stop: Callable[[], bool] | None = None) -> ImportResult:
    """Read and convert a descriptor (file, folder, ZIP or URL); never modifies the source.

    `should_stop` is polled between operations (the UI's Cancel, from another thread); when it
    returns True the import ends with SpecImportError("import cancelled").
    """
    if group_by not in ("tag", "path"):
        raise SpecImportError(f"group_by must be 'tag' or 'path', not {group_by!r}")
    store = open_source(source, auth, root)
    version = spec_version(store.root)
    if version is None:
        raise SpecImportError(f"{display_name(store.root_uri)}: not an OpenAPI or Swagger descriptor "
                              "(no `openapi` or `swagger` field at the top)")
    check_version(version, display_name(store.root_uri))
    doc = bundle(store)
    text = str(source)
    source_url = text if re.match(r"^https?://", text, re.I) else ""
    name_hint = Path(urlsplit(text).path if source_url else text).stem
    _check_stop(should_stop)
    return convert(doc, group_by=group_by, source_url=source_url, name_hint=name_hint,
                   source_label=text, should_stop=should_stop)


def _check_stop(should_stop: Callable[[], bool] | None) -> None:
    if should_stop is not None and should_stop():
        raise SpecImportError("import cancelled")


def check_version(version: str, where: str = "descriptor") -> str:
    """`2.0`, `3.0` or `3.1` (the dialect we read); SpecImportError for anything else."""
    if version == "2.0":
        return "2.0"
    match = re.fullmatch(r"3\.(\d+)(\.\d+)?(-.*)?", version)
    if match:
        minor = int(match.group(1))
        return "3.0" if minor == 0 else "3.1"
    raise SpecImportError(f"{where}: unsupported OpenAPI version {version!r} "
                          "(supported: Swagger 2.0, OpenAPI 3.0 and 3.1)")


def convert(doc: dict[str, Any], *, group_by: GroupBy = "tag", source_url: str = "", name_hint: str = "",
            source_label: str = "", should_stop: Callable[[], bool] | None = None) -> ImportResult:
    """Convert a bundled descriptor (internal `$ref`s only) into a collection and environments."""
    converter = _Converter(doc, group_by, source_url, name_hint, source_label)
    converter.should_stop = should_stop
    return converter.run()


# --------------------------------------------------------------------------- conversion


@dataclass
class _Server:
    url: str  # with {{var}} placeholders
    description: str
    variables: list[KeyValue] = field(default_factory=list)


@dataclass
class _SchemeVars:
    auth: Auth
    variables: list[KeyValue]
    headers: list[KeyValue] = field(default_factory=list)
    params: list[KeyValue] = field(default_factory=list)


class _Converter:
    def __init__(self, doc: dict[str, Any], group_by: GroupBy, source_url: str, name_hint: str,
                 source_label: str) -> None:
        version = spec_version(doc)
        if version is None:
            raise SpecImportError("not an OpenAPI or Swagger descriptor (no `openapi` or `swagger` field at the top)")
        self.dialect = check_version(version, name_hint or "descriptor")
        self.version = version
        self.doc = doc
        self.v2 = self.dialect == "2.0"
        self.refs = LocalRefs(doc)
        self.samples = SampleGenerator(self.refs, openapi30=self.dialect != "3.1", check=self.sample_fits)
        self._validators: dict[int, Any] = {}
        self.group_by = group_by
        self.source_url = source_url
        self.source_label = source_label
        self.name_hint = name_hint
        self.warnings: list[str] = []
        self.path_vars: dict[str, tuple[str, tuple[Any, ...]]] = {}  # var name -> (value, compat key)
        self.path_var_rows: list[KeyValue] = []
        self.scheme_cache: dict[tuple[str, tuple[str, ...]], _SchemeVars | None] = {}
        self.used_var_names: set[str] = set()
        self.auth_vars: dict[str, KeyValue] = {}
        self.scheme_var_names: dict[str, dict[str, str]] = {}
        self.warned: set[str] = set()
        self.relative_token_urls: dict[str, str] = {}
        self.should_stop: Callable[[], bool] | None = None

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            self.warnings.append(message)

    def deref(self, node: Any, where: str) -> Any:
        try:
            return self.refs.deref(node)
        except SpecImportError as exc:
            raise SpecImportError(f"{exc.message} (at {where})", detail=exc.detail) from exc

    # ------------------------------------------------------------------ top level

    def run(self) -> ImportResult:
        doc = self.doc
        info = _as_map(doc.get("info"))
        title = str(info.get("title") or self.name_hint or "Imported API").strip() or "Imported API"
        servers = self.servers()
        global_security = doc.get("security")
        self.collection_auth, coll_extra = self.security_auth(global_security, "the descriptor")
        paths = doc.get("paths") or {}
        if not isinstance(paths, Mapping):
            raise SpecImportError("`paths` must be a mapping of paths to path items")
        tag_order = [str(t.get("name")) for t in (doc.get("tags") or []) if isinstance(t, Mapping) and t.get("name")]
        tag_docs = {str(t.get("name")): str(t.get("description") or "") for t in (doc.get("tags") or [])
                    if isinstance(t, Mapping)}
        entries: list[tuple[list[str], Request]] = []
        operation_ids: dict[str, str] = {}
        for path, raw_item in paths.items():
            if not isinstance(path, str) or not path.startswith("/"):
                if not str(path).startswith("x-"):
                    self.warn(f"path {path!r} does not start with '/': skipped")
                continue
            item = self.deref(raw_item, f"paths.{path}")
            if not isinstance(item, Mapping):
                self.warn(f"path {path!r} is not a Path Item object: skipped")
                continue
            for key in item:
                if key not in METHODS and key not in ("parameters", "summary", "description", "servers", "$ref") \
                        and not str(key).startswith("x-"):
                    self.warn(f"{key.upper()} {path}: not an HTTP method OpenAPI knows; skipped")
            _check_stop(self.should_stop)
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                if not isinstance(op, Mapping):
                    self.warn(f"{method.upper()} {path}: operation is not an object; skipped")
                    continue
                try:
                    request, tags = self.operation(path, method, item, op, global_security)
                except SpecImportError as exc:
                    if exc.message.startswith(("unresolvable $ref", "circular $ref")):
                        raise
                    self.warn(f"{method.upper()} {path}: {exc.message}; skipped")
                    continue
                op_id = str(op.get("operationId") or "")
                if op_id:
                    if op_id in operation_ids:
                        self.warn(f"operationId {op_id!r} is used by both {operation_ids[op_id]} and "
                                  f"{method.upper()} {path}; re-import matches the second by method and path")
                        request = replace(request, meta={k: v for k, v in request.meta.items() if k != "operationId"})
                    else:
                        operation_ids[op_id] = f"{method.upper()} {path}"
                entries.append((tags, request))
        if not isinstance(global_security, list):
            entries = self.hoist_auth(entries)
        for tag in tag_order:
            tag_docs.setdefault(tag, "")
        folders, root_requests = self.group(entries, tag_order, tag_docs)
        webhook_docs = self.webhooks()
        if not entries:
            self.warn("the descriptor has no operations under `paths`: the collection is empty")
        variables = [KeyValue("baseUrl", servers[0].url, True,
                              "Base URL of the API (the environments set it per server)")]
        seen = {"baseUrl"}
        for row in servers[0].variables:
            if row.name not in seen:
                seen.add(row.name)
                variables.append(row)
        for row in self.path_var_rows:
            if row.name not in seen:
                seen.add(row.name)
                variables.append(row)
        docs = self.collection_docs(info, webhook_docs)
        meta = {
            "openapi_version": self.version,
            "openapi_title": title,
            "openapi_info_version": str(info.get("version") or ""),
            "openapi_group_by": self.group_by,
        }
        if self.source_label:
            meta["openapi_source"] = self.source_label
        collection = Collection(
            name=title, requests=tuple(root_requests), folders=tuple(folders), variables=tuple(variables),
            auth=self.collection_auth, headers=tuple(coll_extra.headers) if coll_extra else (), docs=docs, meta=meta)
        if coll_extra and coll_extra.params:
            collection = _add_params_everywhere(collection, coll_extra.params)
        environments = self.environments(title, servers)
        return ImportResult(collection, environments, tuple(self.warnings), self.doc)

    def hoist_auth(self, entries: list[tuple[list[str], Request]]) -> list[tuple[list[str], Request]]:
        """No global `security` but most operations share one: set it once on the collection.

        Requests with that auth inherit it; requests that had none get an explicit "none", so
        what is sent does not change (Swagger Petstore 3 declares security per operation).
        """
        counts: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        for _tags, request in entries:
            if request.auth.type not in ("inherit", "none"):
                key = (request.auth.type, tuple(sorted(request.auth.params.items())))
                counts[key] = counts.get(key, 0) + 1
        if not counts:
            return entries
        (kind, params), count = max(counts.items(), key=lambda kv: kv[1])
        if count * 2 <= len(entries):
            return entries
        common = Auth(kind, dict(params))  # type: ignore[arg-type]
        self.collection_auth = common
        out = []
        for tags, request in entries:
            if request.auth == common:
                request = replace(request, auth=Auth("inherit"))
            elif request.auth.type == "inherit":
                request = replace(request, auth=Auth("none"))
            out.append((tags, request))
        return out

    def collection_docs(self, info: Mapping[str, Any], webhook_docs: str) -> str:
        parts = []
        if info.get("description"):
            parts.append(str(info["description"]).strip())
        if info.get("version"):
            parts.append(f"API version: {info['version']} (OpenAPI {self.version})")
        contact = info.get("contact")
        if isinstance(contact, Mapping) and (contact.get("email") or contact.get("url")):
            who = " ".join(str(contact.get(k)) for k in ("name", "email", "url") if contact.get(k))
            parts.append(f"Contact: {who}")
        ext = self.doc.get("externalDocs")
        if isinstance(ext, Mapping) and ext.get("url"):
            parts.append(f"More: {ext['url']}")
        if webhook_docs:
            parts.append(webhook_docs)
        return "\n\n".join(parts)

    def webhooks(self) -> str:
        """OpenAPI 3.1 `webhooks` are requests the API sends to *us*: documented, not sendable."""
        hooks = self.doc.get("webhooks")
        if not isinstance(hooks, Mapping) or not hooks:
            return ""
        lines = ["Webhooks (sent by the API to your endpoint; not requests you send):"]
        for name, raw in hooks.items():
            item = self.deref(raw, f"webhooks.{name}")
            if not isinstance(item, Mapping):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, Mapping):
                    label = op.get("summary") or op.get("operationId") or ""
                    lines.append(f"- {name}: {method.upper()}" + (f" — {label}" if label else ""))
                    self.warn(f"webhook {name!r} ({method.upper()}) is listed in the collection docs, not imported "
                              "as a request: the API calls you with it")
        return "\n".join(lines)

    # ------------------------------------------------------------------ servers and environments

    def servers(self) -> list[_Server]:
        doc = self.doc
        if self.v2:
            return self.servers_v2()
        raw = doc.get("servers")
        out: list[_Server] = []
        if isinstance(raw, list):
            for server in raw:
                if isinstance(server, Mapping) and isinstance(server.get("url"), str):
                    out.append(self.server(server))
        if not out:
            if self.source_url:
                out.append(self.server({"url": "/"}))
            else:
                out.append(_Server("http://localhost", "", []))
                self.warn("the descriptor names no server: baseUrl is http://localhost — set it in the environment")
        return out

    def server(self, server: Mapping[str, Any]) -> _Server:
        url = str(server["url"]).strip()
        variables: list[KeyValue] = []
        declared = _as_map(server.get("variables"))
        for name, var in declared.items():
            if not isinstance(var, Mapping):
                continue
            default = var.get("default")
            enum = [str(e) for e in var.get("enum") or []]
            value = str(default if default is not None else (enum[0] if enum else ""))
            description = str(var.get("description") or "").strip()
            if enum:
                description = (description + " " if description else "") + "Choices: " + ", ".join(enum)
            variables.append(KeyValue(self.var_name(name), value, True, description))
        names = {str(n) for n in declared}

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in names:
                self.warn(f"server URL {url!r} uses {{{name}}} without declaring it; it became a variable")
                variables.append(KeyValue(self.var_name(name), "", True, "server variable"))
            return "{{" + self.var_name(name) + "}}"

        templated = re.sub(r"\{([^{}]+)\}", placeholder, url)
        templated = self.absolute(templated)
        # `{scheme}://{host}/{basePath}` with an empty basePath would give `https://host//v1/...`:
        # an optional path variable carries its own leading slash instead (Iceberg's servers).
        for i, row in enumerate(variables):
            holder = "/{{" + row.name + "}}"
            if row.value == "" and templated.endswith(holder):
                templated = templated[: -len(holder)] + "{{" + row.name + "}}"
                variables[i] = replace(row, description=_one_line_join(row.description,
                                                                       "(empty, or a path starting with /)"))
        return _Server(templated.rstrip("/") if templated.rstrip("/") not in ("", "http:", "https:") else templated,
                       str(server.get("description") or ""), variables)

    def absolute(self, url: str) -> str:
        """A relative server URL is relative to where the descriptor came from (OAS 3.1 §4.4)."""
        if re.match(r"^(\{\{[^}]+\}\}|[A-Za-z][A-Za-z0-9+.-]*:)", url):
            return url
        if self.source_url:
            return urljoin(self.source_url, url)
        if url.startswith("//"):
            return "https:" + url
        self.warn(f"server URL {url!r} is relative and the descriptor came from a file: "
                  "baseUrl starts with http://localhost — change it in the environment")
        return "http://localhost" + ("" if url.startswith("/") else "/") + url

    def servers_v2(self) -> list[_Server]:
        doc = self.doc
        host = str(doc.get("host") or "")
        base_path = str(doc.get("basePath") or "")
        src = urlsplit(self.source_url) if self.source_url else None
        if not host:
            if src is not None:
                host = src.netloc
            else:
                host = "localhost"
                self.warn("the descriptor has no `host`: baseUrl uses localhost — set it in the environment")
        schemes = [str(s).lower() for s in doc.get("schemes") or [] if str(s).lower() in ("http", "https")]
        if not schemes:
            schemes = [src.scheme if src is not None and src.scheme in ("http", "https") else
                       ("http" if host.startswith(("localhost", "127.")) else "https")]
        if schemes == ["http", "https"] or (len(schemes) == 2 and "https" in schemes):
            schemes = ["https", "http"]
        base = base_path.rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        return [_Server(f"{scheme}://{host}{base}", scheme.upper(), []) for scheme in schemes]

    def environments(self, title: str, servers: list[_Server]) -> tuple[Environment, ...]:
        envs: list[Environment] = []
        names: set[str] = set()
        for index, server in enumerate(servers):
            label = server.description.strip().splitlines()[0] if server.description.strip() else ""
            if not label:
                host = urlsplit(server.url).netloc if "{{" not in urlsplit(server.url).netloc else ""
                label = host or f"server {index + 1}"
            name = title if len(servers) == 1 else f"{title} – {label}"
            name = name[:100]
            base, n = name, 2
            while name in names:
                name, n = f"{base} {n}", n + 1
            names.add(name)
            rows = [KeyValue("baseUrl", server.url, True, server.description.strip() or "Base URL of the API")]
            rows.extend(server.variables)
            secret: set[str] = set()
            for var in self.auth_vars.values():
                rows.append(var)
                if var.name not in ("username", "clientId") and not var.name.endswith(("_username", "_clientId")):
                    secret.add(var.name)
            for var_name, relative in self.relative_token_urls.items():
                rows.append(KeyValue(var_name, _join_base(server.url, relative), True,
                                     f"OAuth2 endpoint {relative} relative to this server"))
            envs.append(Environment(name, tuple(_dedupe(rows)), frozenset(secret)))
        return tuple(envs)

    def var_name(self, name: str) -> str:
        return _VAR_NAME.sub("_", str(name)) or "var"

    # ------------------------------------------------------------------ grouping

    def group(self, entries: list[tuple[list[str], Request]], tag_order: list[str],
              tag_docs: dict[str, str]) -> tuple[list[Folder], list[Request]]:
        if self.group_by == "tag":
            by_tag: dict[str, list[Request]] = {}
            root: list[Request] = []
            for tags, request in entries:
                if tags:
                    by_tag.setdefault(tags[0], []).append(request)
                else:
                    root.append(request)
            order = [t for t in tag_order if t in by_tag] + [t for t in by_tag if t not in tag_order]
            folders = [Folder(tag, tuple(by_tag[tag]), docs=tag_docs.get(tag, "")) for tag in order]
            return folders, root
        tree: dict[str, Any] = {"requests": [], "children": {}}
        for _tags, request in entries:
            path = request.meta.get("openapi_operation", " /").split(" ", 1)[1]
            segments = [s for s in path.strip("/").split("/") if s and not (s.startswith("{") and s.endswith("}"))]
            node = tree
            for segment in segments[:-1] if len(segments) > 1 else segments:
                node = node["children"].setdefault(segment, {"requests": [], "children": {}})
            node["requests"].append(request)

        def build(name: str, node: dict[str, Any]) -> Folder:
            children = node["children"]
            # Collapse a chain of folders that hold nothing but one sub-folder (`api/v1/pets`).
            while not node["requests"] and len(children) == 1:
                (child_name, child), = children.items()
                name = f"{name}/{child_name}"
                node, children = child, child["children"]
            return Folder(name, tuple(node["requests"]), tuple(build(k, v) for k, v in children.items()))

        return [build(k, v) for k, v in tree["children"].items()], list(tree["requests"])

    # ------------------------------------------------------------------ operations

    def operation(self, path: str, method: str, item: Mapping[str, Any], op: Mapping[str, Any],
                  global_security: Any) -> tuple[Request, list[str]]:
        where = f"{method.upper()} {path}"
        params = self.merged_parameters(item, op, where)
        url_path = path
        query: list[KeyValue] = []
        headers: list[KeyValue] = []
        cookies_on: list[str] = []
        cookies_off: list[KeyValue] = []
        body_params: list[Mapping[str, Any]] = []
        form_params: list[Mapping[str, Any]] = []
        for param in params:
            name = str(param.get("name") or "")
            location = str(param.get("in") or "")
            if not name:
                self.warn(f"{where}: a parameter without a name was skipped")
                continue
            if location == "body" and self.v2:
                body_params.append(param)
                continue
            if location == "formData" and self.v2:
                form_params.append(param)
                continue
            description = _one_line_join(param.get("description"), "Deprecated." if param.get("deprecated") else "")
            required = bool(param.get("required")) or location == "path"
            if location == "path":
                value = self.param_value(param)
                var = self.path_variable(name, value, param)
                if "{" + name + "}" not in url_path:
                    self.warn(f"{where}: path parameter {name!r} does not appear in the path")
                url_path = url_path.replace("{" + name + "}", "{{" + var + "}}")
            elif location == "query":
                for row_name, row_value in self.query_rows(param):
                    query.append(KeyValue(row_name, row_value, required, description))
            elif location == "header":
                if name.lower() in _IGNORED_HEADERS:
                    continue
                headers.append(KeyValue(name, self.param_value(param), required, description))
            elif location == "cookie":
                value = self.param_value(param)
                if required:
                    cookies_on.append(f"{name}={value}")
                else:
                    cookies_off.append(KeyValue("Cookie", f"{name}={value}", False,
                                                _one_line_join(f"cookie {name}", description)))
            else:
                self.warn(f"{where}: parameter {name!r} has an unknown location {location!r}; skipped")
        for leftover in re.findall(r"\{([^{}]+)\}", re.sub(r"\{\{[^}]+\}\}", "", url_path)):
            self.warn(f"{where}: path template {{{leftover}}} has no parameter; it became a variable")
            var = self.path_variable(leftover, "1", {})
            url_path = url_path.replace("{" + leftover + "}", "{{" + var + "}}")
        if cookies_on:
            headers.append(KeyValue("Cookie", "; ".join(cookies_on), True, "cookie parameters"))
        headers.extend(cookies_off)
        body = Body()
        if self.v2:
            body = self.body_v2(op, body_params, form_params, where)
        elif op.get("requestBody") is not None:
            body = self.body_v3(op["requestBody"], where)
        accept = self.accept(op)
        if accept and not any(h.name.lower() == "accept" for h in headers):
            headers.insert(0, KeyValue("Accept", accept, True, ""))
        op_servers = op.get("servers") or item.get("servers")
        base = "{{baseUrl}}"
        if not self.v2 and isinstance(op_servers, list) and op_servers and op_servers != self.doc.get("servers"):
            first = op_servers[0]
            if isinstance(first, Mapping) and isinstance(first.get("url"), str):
                server = self.server(first)
                literal = server.url
                for row in server.variables:
                    literal = literal.replace("{{" + row.name + "}}", row.value)
                base = literal
                self.warn(f"{where}: has its own server {first['url']!r}; its URL uses it instead of baseUrl")
        url = base + url_path
        auth, extra = self.operation_auth(op, global_security, where)
        if extra:
            headers.extend(extra.headers)
            query.extend(extra.params)
        op_id = str(op.get("operationId") or "")
        summary = str(op.get("summary") or "").strip()
        name = (summary.splitlines()[0] if summary else "") or op_id or f"{method.upper()} {path}"
        docs = self.operation_docs(op, summary)
        meta = {"openapi_operation": f"{method} {path}"}
        if op_id:
            meta["operationId"] = op_id
        tags = [str(t) for t in op.get("tags") or [] if isinstance(t, (str, int))]
        request = Request(name=name[:200], method=method.upper(), url=url, params=tuple(query), headers=tuple(headers),
                          body=body, auth=auth, docs=docs, meta=meta)
        return request, tags

    def operation_docs(self, op: Mapping[str, Any], summary: str) -> str:
        parts = []
        description = str(op.get("description") or "").strip()
        if description:
            parts.append(description)
        elif summary and "\n" in summary:
            parts.append(summary)
        if op.get("deprecated"):
            parts.append("Deprecated: the API marks this operation as deprecated.")
        ext = op.get("externalDocs")
        if isinstance(ext, Mapping) and ext.get("url"):
            parts.append(f"More: {ext['url']}")
        callbacks = op.get("callbacks")
        if isinstance(callbacks, Mapping) and callbacks:
            parts.append("Callbacks (the API calls you back; not sent from here): " + ", ".join(map(str, callbacks)))
        return "\n\n".join(parts)

    def merged_parameters(self, item: Mapping[str, Any], op: Mapping[str, Any], where: str) -> list[Mapping[str, Any]]:
        """Path-level parameters overridden by operation ones with the same name and `in` (OAS §4.8.10)."""
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for source in (item.get("parameters"), op.get("parameters")):
            if not isinstance(source, list):
                continue
            for raw in source:
                param = self.deref(raw, where)
                if not isinstance(param, Mapping):
                    self.warn(f"{where}: a parameter is not an object; skipped")
                    continue
                merged[(str(param.get("name")), str(param.get("in")))] = param
        return list(merged.values())

    def param_schema(self, param: Mapping[str, Any]) -> Mapping[str, Any]:
        if self.v2:
            return param
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), Mapping) and param["content"]:
            media = next(iter(param["content"].values()))
            schema = media.get("schema") if isinstance(media, Mapping) else None
        return _as_map(schema)

    def param_sample(self, param: Mapping[str, Any]) -> Any:
        if "example" in param and param["example"] is not None:
            return param["example"]
        if "x-example" in param and param["x-example"] is not None:
            return param["x-example"]
        examples = param.get("examples")
        if isinstance(examples, Mapping) and examples:
            first = self.deref(next(iter(examples.values())), "parameter examples")
            if isinstance(first, Mapping) and "value" in first:
                return first["value"]
        schema = self.param_schema(param)
        if self.v2 and param.get("type") == "array" and isinstance(param.get("items"), Mapping):
            return [strip_cuts(self.samples.sample(param["items"]))]
        return strip_cuts(self.samples.sample(schema))

    def param_value(self, param: Mapping[str, Any]) -> str:
        value = self.param_sample(param)
        if not self.v2 and isinstance(param.get("content"), Mapping) and isinstance(value, (dict, list)):
            return orjson.dumps(value).decode()  # `content: {application/json: …}` parameters are JSON text
        if isinstance(value, dict) and not self.v2:
            # style simple/form without explode: k,v,k,v (OAS §4.8.12.4 style values)
            return ",".join(f"{k},{to_text(v)}" for k, v in value.items())
        return to_text(value)

    def query_rows(self, param: Mapping[str, Any]) -> list[tuple[str, str]]:
        name = str(param["name"])
        value = self.param_sample(param)
        if self.v2:
            if isinstance(value, list):
                fmt = param.get("collectionFormat", "csv")
                if fmt == "multi":
                    return [(name, to_text(v)) for v in value] or [(name, "")]
                sep = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(str(fmt), ",")
                return [(name, sep.join(to_text(v) for v in value))]
            return [(name, to_text(value))]
        style = param.get("style", "form")
        explode = param.get("explode", style == "form")
        if isinstance(param.get("content"), Mapping) and isinstance(value, (dict, list)):
            return [(name, orjson.dumps(value).decode())]
        if isinstance(value, dict):
            if style == "deepObject":
                return [(f"{name}[{k}]", to_text(v)) for k, v in value.items()] or [(name, "")]
            if explode:
                return [(str(k), to_text(v)) for k, v in value.items()] or [(name, "")]
            return [(name, ",".join(f"{k},{to_text(v)}" for k, v in value.items()))]
        if isinstance(value, list):
            if explode:
                return [(name, to_text(v)) for v in value] or [(name, "")]
            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(str(style), ",")
            return [(name, sep.join(to_text(v) for v in value))]
        return [(name, to_text(value))]

    def path_variable(self, name: str, value: str, param: Mapping[str, Any]) -> str:
        """The collection variable for a path parameter; one per name unless their types clash."""
        schema = self.param_schema(param) if param else {}
        schema = self.refs.deref(schema) if isinstance(schema, Mapping) else {}
        compat = (schema.get("type") if isinstance(schema, Mapping) else None,
                  schema.get("format") if isinstance(schema, Mapping) else None,
                  tuple(map(str, schema.get("enum") or ())) if isinstance(schema, Mapping) else (),
                  schema.get("pattern") if isinstance(schema, Mapping) else None)
        base = self.var_name(name)
        candidate, n = base, 2
        while candidate in self.path_vars and self.path_vars[candidate][1] != compat:
            candidate, n = f"{base}_{n}", n + 1
        if candidate not in self.path_vars:
            self.path_vars[candidate] = (value, compat)
            described = param.get("description") if param else ""
            description = "path parameter" + (f": {_one_line_join(described)}" if described else "")
            self.path_var_rows.append(KeyValue(candidate, value, True, description))
        return candidate

    # ------------------------------------------------------------------ bodies

    def accept(self, op: Mapping[str, Any]) -> str:
        responses = op.get("responses")
        if not isinstance(responses, Mapping):
            return ""
        by_key = {str(k): v for k, v in responses.items()}
        keys = sorted(by_key, key=lambda k: (not k.startswith("2"), k))
        for key in keys:
            if not (key.startswith("2") or key == "default"):
                continue
            if self.v2:
                response = self.deref(by_key[key], "responses")
                if isinstance(response, Mapping) and response.get("schema") is not None:
                    produces = op.get("produces") or self.doc.get("produces") or []
                    return _prefer_json([str(p) for p in produces]) if produces else ""
                continue
            response = self.deref(by_key[key], "responses")
            content = response.get("content") if isinstance(response, Mapping) else None
            if isinstance(content, Mapping) and content:
                return _prefer_json([str(c) for c in content])
        return ""

    def media_example(self, media: Mapping[str, Any], where: str) -> tuple[bool, Any]:
        if "example" in media and media["example"] is not None:
            return True, media["example"]
        examples = media.get("examples")
        if isinstance(examples, Mapping):
            for name, raw in examples.items():
                example = self.deref(raw, where)
                if isinstance(example, Mapping):
                    if "value" in example:
                        return True, example["value"]
                    if example.get("externalValue"):
                        self.warn(f"{where}: example {name!r} is external ({example['externalValue']}); "
                                  "a sample from the schema is used instead")
        return False, None

    def body_v3(self, raw: Any, where: str) -> Body:
        request_body = self.deref(raw, where)
        if not isinstance(request_body, Mapping):
            return Body()
        content = request_body.get("content")
        if not isinstance(content, Mapping) or not content:
            return Body()
        media_type = _pick_media_type([str(c) for c in content])
        media = self.deref(content[media_type], where)
        media = _as_map(media)
        schema = _as_map(media.get("schema"))
        found, example = self.media_example(media, where)
        if found and (problem := self.example_problem(schema, example)):
            self.warn(f"{where}: the descriptor's request example breaks its own schema ({problem}); "
                      "a sample built from the schema is used instead")
            found = False
        if not found:
            example = strip_cuts(self.samples.sample(schema, "request"))
        encoding = _as_map(media.get("encoding"))
        return self.make_body(media_type, example, schema, where, encoding)

    def sample_fits(self, schema: Mapping[str, Any], value: Any) -> bool:
        return self.example_problem(schema, value) is None

    def example_problem(self, schema: Any, example: Any) -> str | None:
        """Why `example` fails `schema` (JSON Schema validation, formats included), or None."""
        if not isinstance(schema, Mapping) or not schema:
            return None
        import jsonschema
        import referencing.exceptions

        try:
            validator = self._validators.get(id(schema))
            if validator is None:
                holder = _self_contained(self.doc, schema, self.refs, self.dialect != "3.1")
                validator = jsonschema.Draft202012Validator(holder, format_checker=_format_checker())
                self._validators[id(schema)] = validator
            error = jsonschema.exceptions.best_match(validator.iter_errors(example))
        except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable,
                RecursionError, TypeError, ValueError):
            return None
        if error is None:
            return None
        where = ".".join(map(str, error.absolute_path)) or "body"
        return f"{where}: {error.message[:160]}"

    def body_v2(self, op: Mapping[str, Any], body_params: list[Mapping[str, Any]],
                form_params: list[Mapping[str, Any]], where: str) -> Body:
        consumes = [str(c) for c in (op.get("consumes") or self.doc.get("consumes") or [])]
        if body_params:
            param = body_params[0]
            schema = _as_map(param.get("schema"))
            media_type = _pick_media_type(consumes) if consumes else "application/json"
            example_set = _as_map(param.get("x-examples"))
            if media_type in example_set:
                example = example_set[media_type]
            elif isinstance(schema, Mapping) and "example" in schema:
                example = schema["example"]
            else:
                example = strip_cuts(self.samples.sample(schema, "request"))
            return self.make_body(media_type, example, schema, where, {})
        if form_params:
            multipart = any(p.get("type") == "file" for p in form_params) or \
                (any(c.startswith("multipart/") for c in consumes) and
                 not any(c == "application/x-www-form-urlencoded" for c in consumes[:1]))
            if multipart:
                parts = []
                for p in form_params:
                    value = "sample" if p.get("type") == "file" else to_text(self.param_sample(p))
                    ctype = "application/octet-stream" if p.get("type") == "file" else ""
                    parts.append(FormPart(str(p["name"]), value, "", ctype, bool(p.get("required"))))
                return Body("multipart", "multipart/form-data", parts=tuple(parts))
            rows = [KeyValue(str(p["name"]), to_text(self.param_sample(p)), bool(p.get("required")),
                             _one_line_join(p.get("description"))) for p in form_params]
            return Body("form", "application/x-www-form-urlencoded", form=tuple(rows))
        return Body()

    def make_body(self, media_type: str, example: Any, schema: Mapping[str, Any], where: str,
                  encoding: Mapping[str, Any]) -> Body:
        lower = media_type.lower()
        target = self.refs.deref(schema) if isinstance(schema, Mapping) else {}
        keys = set(example) if isinstance(example, Mapping) else set()
        required = self.required_names(target, keys, 0)
        if lower == "application/x-www-form-urlencoded":
            rows = []
            if isinstance(example, Mapping):
                for key, value in example.items():
                    style = _as_map(encoding.get(key)).get("style")
                    for row_name, row_value in _form_rows(str(key), value, deep=style == "deepObject"):
                        # Like parameters: required fields enabled, optional ones present but disabled.
                        rows.append(KeyValue(row_name, row_value, key in required,
                                             self.property_description(target, key)))
            return Body("form", media_type, form=tuple(rows))
        if lower.startswith("multipart/form-data"):
            parts = []
            props = target.get("properties") if isinstance(target, Mapping) else {}
            if isinstance(example, Mapping):
                for key, value in example.items():
                    prop = self.refs.deref(props.get(key)) if isinstance(props, Mapping) and props.get(key) else {}
                    is_file = isinstance(prop, Mapping) and (prop.get("format") in ("binary", "base64") or
                                                             prop.get("contentMediaType") is not None)
                    enc = _as_map(encoding.get(key))
                    ctype = str(enc.get("contentType") or ("application/octet-stream" if is_file else ""))
                    if isinstance(value, (dict, list)) and not ctype:
                        ctype = "application/json"
                    parts.append(FormPart(str(key), to_text(value) if ctype != "application/json"
                                          else orjson.dumps(value).decode(), "", ctype.split(",")[0].strip(),
                                          key in required))
            return Body("multipart", media_type, parts=tuple(parts))
        if _is_json(lower) or lower == "*/*":
            if isinstance(example, str) and example.strip()[:1] in ("{", "["):
                text = example
            else:
                text = orjson.dumps(example, option=orjson.OPT_INDENT_2).decode() if example is not None else "{}"
            return Body("raw", "application/json" if lower == "*/*" else media_type, text=text)
        if "xml" in lower:
            root = (target.get("xml") or {}).get("name") if isinstance(target, Mapping) and \
                isinstance(target.get("xml"), Mapping) else None
            root = root or _schema_name(schema) or "root"
            text = example if isinstance(example, str) else _to_xml(str(root), example)
            return Body("raw", media_type, text=text)
        if isinstance(example, str):
            return Body("raw", media_type, text=example)
        if example is None:
            return Body("raw", media_type, text="")
        if lower.startswith("text/"):
            return Body("raw", media_type, text=to_text(example))
        return Body("raw", media_type, text=orjson.dumps(example).decode() if isinstance(example, (dict, list))
                    else to_text(example))

    def required_names(self, schema: Any, keys: set[str], depth: int) -> set[str]:
        """Required properties of an object schema, through allOf and the oneOf/anyOf branch the
        sample came from (Iceberg's token request is a oneOf of form bodies)."""
        schema = self.refs.deref(schema) if isinstance(schema, Mapping) else None
        if not isinstance(schema, Mapping) or depth > 8:
            return set()
        names = {str(n) for n in schema.get("required") or ()}
        for part in schema.get("allOf") or ():
            names |= self.required_names(part, keys, depth + 1)
        for key in ("oneOf", "anyOf"):
            for branch in schema.get(key) or ():
                branch_names = self.required_names(branch, keys, depth + 1)
                if branch_names and branch_names <= keys:
                    names |= branch_names
                    break
        return names

    def property_description(self, schema: Any, key: str) -> str:
        if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping):
            prop = schema["properties"].get(key)
            prop = self.refs.deref(prop) if isinstance(prop, Mapping) else None
            if isinstance(prop, Mapping):
                return _one_line_join(prop.get("description"))
        return ""

    # ------------------------------------------------------------------ security

    def schemes(self) -> Mapping[str, Any]:
        if self.v2:
            found = self.doc.get("securityDefinitions")
        else:
            found = (self.doc.get("components") or {}).get("securitySchemes")
        return _as_map(found)

    def operation_auth(self, op: Mapping[str, Any], global_security: Any,
                       where: str) -> tuple[Auth, _SchemeVars | None]:
        if "security" not in op:
            return Auth("inherit"), None
        security = op.get("security")
        if security == global_security:
            return Auth("inherit"), None
        if isinstance(security, list) and not security:
            return Auth("none"), None
        auth, extra = self.security_auth(security, where)
        if auth == self.collection_auth and not extra:
            return Auth("inherit"), None
        return auth, extra

    def security_auth(self, security: Any, where: str) -> tuple[Auth, _SchemeVars | None]:
        """The first requirement we can map (OAS: any one requirement object satisfies)."""
        if not isinstance(security, list) or not security:
            return Auth("none"), None
        if any(isinstance(r, Mapping) and not r for r in security) and len(security) == 1:
            return Auth("none"), None
        unsupported: list[str] = []
        for requirement in security:
            if not isinstance(requirement, Mapping) or not requirement:
                continue
            mapped = [(name, self.scheme_auth(str(name), tuple(map(str, scopes or ())), where))
                      for name, scopes in requirement.items()]
            usable = [(n, m) for n, m in mapped if m is not None]
            if not usable:
                unsupported.extend(str(n) for n, _ in mapped)
                continue
            (first_name, first), *others = usable
            extra = _SchemeVars(first.auth, [], [], [])
            for other_name, other in others:
                if other.auth.type == "apikey":
                    row = KeyValue(other.auth.get("name"), other.auth.get("value"), True,
                                   f"API key of security scheme {other_name}")
                    if other.auth.get("in") == "query":
                        extra.params.append(row)
                    elif other.auth.get("in") == "cookie":
                        extra.headers.append(KeyValue("Cookie", f"{row.name}={row.value}", True, row.description))
                    else:
                        extra.headers.append(row)
                else:
                    self.warn(f"{where}: security requirement also needs {other_name!r}; "
                              f"only {first_name!r} is set up as auth")
            return first.auth, extra if (extra.headers or extra.params) else None
        if unsupported:
            self.warn(f"{where}: no supported security scheme among {', '.join(sorted(set(unsupported)))}; "
                      "auth is left to you")
        return Auth("none"), None

    def auth_var(self, scheme: str, kind: str, description: str) -> str:
        """A `{{variable}}` name for one secret/setting of a scheme (`apiKey`, `bearerToken`, …)."""
        per_scheme = self.scheme_var_names.setdefault(scheme, {})
        if kind in per_scheme:
            return per_scheme[kind]
        name = kind if kind not in self.used_var_names else f"{self.var_name(scheme)}_{kind}"
        self.used_var_names.add(name)
        per_scheme[kind] = name
        self.auth_vars[name] = KeyValue(name, "", True, description)
        return name

    def scheme_auth(self, name: str, scopes: tuple[str, ...], where: str) -> _SchemeVars | None:
        key = (name, scopes)
        if key in self.scheme_cache:
            return self.scheme_cache[key]
        result = self._scheme_auth(name, scopes, where)
        self.scheme_cache[key] = result
        return result

    def _scheme_auth(self, name: str, scopes: tuple[str, ...], where: str) -> _SchemeVars | None:
        raw = self.schemes().get(name)
        if raw is None:
            self.warn(f"{where}: security scheme {name!r} is not defined; ignored")
            return None
        scheme = self.deref(raw, f"security scheme {name}")
        if not isinstance(scheme, Mapping):
            return None
        kind = str(scheme.get("type") or "")
        desc = _one_line_join(scheme.get("description"))
        if kind == "apiKey":
            location = str(scheme.get("in") or "header")
            if location not in ("header", "query", "cookie"):
                self.warn(f"security scheme {name!r}: API key in {location!r} is not supported")
                return None
            header = str(scheme.get("name") or "Authorization")
            var = self.auth_var(name, "apiKey", _one_line_join(f"API key ({location} {header}) for {name}", desc))
            return _SchemeVars(Auth("apikey", {"name": header, "value": "{{" + var + "}}", "in": location}), [])
        if kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            user = self.auth_var(name, "username", f"user name for {name} (HTTP Basic)")
            password = self.auth_var(name, "password", f"password for {name} (HTTP Basic)")
            return _SchemeVars(Auth("basic", {"username": "{{" + user + "}}", "password": "{{" + password + "}}"}), [])
        if kind == "http":
            http_scheme = str(scheme.get("scheme", "")).lower()
            if http_scheme == "bearer":
                fmt = str(scheme.get("bearerFormat") or "")
                token = self.auth_var(name, "bearerToken",
                                      _one_line_join(f"bearer token for {name}" + (f" ({fmt})" if fmt else ""), desc))
                return _SchemeVars(Auth("bearer", {"token": "{{" + token + "}}"}), [])
            self.warn(f"security scheme {name!r}: HTTP {http_scheme or '?'} auth is not supported; set it up by hand")
            return None
        if kind == "oauth2":
            return self.oauth2(name, scheme, scopes)
        if kind == "openIdConnect":
            url = str(scheme.get("openIdConnectUrl") or "")
            client_id = self.auth_var(name, "clientId", f"OAuth2 client id for {name}")
            secret = self.auth_var(name, "clientSecret", f"OAuth2 client secret for {name}")
            discovery = self.resolve_oauth_url(url, name, "discoveryUrl")
            params = {"grant_type": "authorization_code", "discovery_url": discovery,
                      "scope": " ".join(dict.fromkeys(("openid",) + scopes)), "client_id": "{{" + client_id + "}}",
                      "client_secret": "{{" + secret + "}}", "client_auth": "basic"}
            return _SchemeVars(Auth("oauth2", params), [])
        if kind == "mutualTLS":
            self.warn(f"security scheme {name!r}: mutual TLS needs a client certificate; set it up in Settings")
            return None
        self.warn(f"security scheme {name!r} has an unknown type {kind!r}; ignored")
        return None

    def oauth2(self, name: str, scheme: Mapping[str, Any], scopes: tuple[str, ...]) -> _SchemeVars | None:
        flows: Mapping[str, Any]
        if self.v2:  # Swagger 2.0: one flow per scheme, with older names
            flow_name = str(scheme.get("flow") or "")
            v2_names = {"application": "clientCredentials", "accessCode": "authorizationCode",
                        "password": "password", "implicit": "implicit"}
            flows = {v2_names.get(flow_name, flow_name): scheme}
        else:
            flows = _as_map(scheme.get("flows"))
        order = ("clientCredentials", "authorizationCode", "password", "implicit")
        chosen = next((f for f in order if isinstance(flows.get(f), Mapping)), None)
        if chosen is None:
            self.warn(f"security scheme {name!r}: OAuth2 without a known flow; ignored")
            return None
        flow = flows[chosen]
        grant = {"clientCredentials": "client_credentials", "authorizationCode": "authorization_code",
                 "password": "password", "implicit": "implicit"}[chosen]
        all_scopes = list((flow.get("scopes") or {}).keys()) if isinstance(flow.get("scopes"), Mapping) else []
        client_id = self.auth_var(name, "clientId", f"OAuth2 client id for {name}")
        params = {"grant_type": grant, "client_id": "{{" + client_id + "}}"}
        if grant != "implicit":  # RFC 6749 §4.2: the implicit grant has no client authentication
            secret = self.auth_var(name, "clientSecret", f"OAuth2 client secret for {name}")
            params["client_secret"] = "{{" + secret + "}}"
            params["client_auth"] = "basic"
        params["scope"] = " ".join(scopes or all_scopes)
        token_url = flow.get("tokenUrl")
        auth_url = flow.get("authorizationUrl")
        if token_url:
            params["token_url"] = self.resolve_oauth_url(str(token_url), name, "tokenUrl")
        if auth_url:
            params["auth_url"] = self.resolve_oauth_url(str(auth_url), name, "authUrl")
        if flow.get("refreshUrl"):
            params["refresh_url"] = self.resolve_oauth_url(str(flow["refreshUrl"]), name, "refreshUrl")
        if grant == "password":
            user = self.auth_var(name, "username", f"resource owner user name for {name}")
            password = self.auth_var(name, "password", f"resource owner password for {name}")
            params["username"] = "{{" + user + "}}"
            params["password"] = "{{" + password + "}}"
        if len([f for f in order if isinstance(flows.get(f), Mapping)]) > 1:
            others = [f for f in order if isinstance(flows.get(f), Mapping) and f != chosen]
            self.warn(f"security scheme {name!r}: OAuth2 flow {chosen} chosen; also offered: {', '.join(others)}")
        return _SchemeVars(Auth("oauth2", params), [])

    def resolve_oauth_url(self, url: str, scheme: str, kind: str) -> str:
        """OAS 3.1: relative OAuth URLs are relative to the server URL — per environment, so a variable."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) or not url:
            return url
        if self.source_url and not self.v2 and not self.doc.get("servers"):
            return urljoin(self.source_url, url)
        per_scheme = self.scheme_var_names.setdefault(scheme, {})
        if kind not in per_scheme:
            var = kind if kind not in self.used_var_names else f"{self.var_name(scheme)}_{kind}"
            self.used_var_names.add(var)
            per_scheme[kind] = var
            self.relative_token_urls[var] = url
        return "{{" + per_scheme[kind] + "}}"


# --------------------------------------------------------------------------- small pure helpers

_FORMATS: Any = None


def _format_checker() -> Any:
    """jsonschema's format checker plus the formats validating servers (ajv, Prism) insist on."""
    global _FORMATS
    if _FORMATS is None:
        import jsonschema

        checker = jsonschema.FormatChecker()
        absolute = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
        date_time = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$")
        checker.checks("uri")(lambda v: not isinstance(v, str) or bool(absolute.match(v)))
        checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(date_time.match(v)))
        _FORMATS = checker
    return _FORMATS


def _as_map(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one (descriptors put anything anywhere)."""
    return value if isinstance(value, Mapping) else {}


def _join_base(base: str, relative: str) -> str:
    """`/v1/oauth2/token` against `https://api.example.com/v2` → `https://api.example.com/v1/oauth2/token`."""
    if relative.startswith("/"):
        origin = re.match(r"^([^:/]+://[^/]+)", base)
        if origin:
            return origin.group(1) + relative
    return base.rstrip("/") + "/" + relative.lstrip("/")


def _dedupe(rows: list[KeyValue]) -> list[KeyValue]:
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.name not in seen:
            seen.add(row.name)
            out.append(row)
    return out


def _add_params_everywhere(collection: Collection, params: list[KeyValue]) -> Collection:
    def fix(request: Request) -> Request:
        if request.auth.type == "inherit":
            return replace(request, params=request.params + tuple(params))
        return request

    def fix_folder(folder: Folder) -> Folder:
        return replace(folder, requests=tuple(fix(r) for r in folder.requests),
                       folders=tuple(fix_folder(f) for f in folder.folders))

    return replace(collection, requests=tuple(fix(r) for r in collection.requests),
                   folders=tuple(fix_folder(f) for f in collection.folders))


def _one_line_join(*parts: Any) -> str:
    text = " ".join(str(p).strip() for p in parts if p and str(p).strip())
    return " ".join(text.split())[:500]


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip()
    return base in ("application/json", "text/json") or base.endswith("+json") or base.endswith("/json")


def _prefer_json(types: list[str]) -> str:
    for t in types:
        if _is_json(t.lower()):
            return t
    return types[0] if types else ""


def _pick_media_type(types: list[str]) -> str:
    """JSON first (validated and edited best), then forms, XML, text, anything else."""
    lowered = [(t, t.lower().split(";")[0].strip()) for t in types]
    checks = (_is_json, lambda t: t == "application/x-www-form-urlencoded",
              lambda t: t.startswith("multipart/form-data"), lambda t: "xml" in t, lambda t: t.startswith("text/"))
    for check in checks:
        for original, low in lowered:
            if check(low):
                return original
    return types[0]


def _form_rows(name: str, value: Any, deep: bool = False) -> list[tuple[str, str]]:
    """Form fields for a nested value: objects as `a[b]`, arrays repeated (`form`, explode) or
    indexed `a[0]` under `style: deepObject` (OAS 3 Encoding Object; how Stripe reads them)."""
    if isinstance(value, Mapping):
        rows = []
        for k, v in value.items():
            rows.extend(_form_rows(f"{name}[{k}]", v, deep))
        return rows or [(name, "")]
    if isinstance(value, list):
        if not deep and all(not isinstance(v, (Mapping, list)) for v in value):
            return [(name, to_text(v)) for v in value] or [(name, "")]
        rows = []
        for i, v in enumerate(value):
            rows.extend(_form_rows(f"{name}[{i}]", v, deep))
        return rows
    return [(name, to_text(value))]


def _schema_name(schema: Any) -> str:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return ""


def _to_xml(tag: str, value: Any) -> str:
    from xml.sax.saxutils import escape as xml_escape

    tag = re.sub(r"[^\w.-]", "_", tag) or "root"
    if isinstance(value, Mapping):
        inner = "".join(_to_xml(str(k), v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return "".join(_to_xml(tag, v) for v in value)
    return f"<{tag}>{xml_escape(to_text(value))}</{tag}>"


# --------------------------------------------------------------------------- workspace import


def import_into_workspace(source: str | Path, workspace_root: str | Path, *, group_by: GroupBy = "tag",
                          auth: Auth | None = None, root: str | None = None) -> ImportSummary:
    """Import `source` into a workspace (created when absent); a re-import merges (see openapi_merge)."""
    from workbench.core.openapi.merge import write_import
    from workbench.core.workspace import storage

    result = import_openapi(source, group_by=group_by, auth=auth, root=root)
    try:
        storage.init_workspace(workspace_root)
    except (StorageError, OSError) as exc:
        message = exc.message if isinstance(exc, StorageError) else f"{workspace_root}: cannot create ({exc})"
        raise SpecImportError(message) from exc
    return write_import(result, Path(workspace_root))


def save_bundle(collection_dir: Path, spec: Mapping[str, Any]) -> None:
    """Write the bundled descriptor beside the collection (for contract checks and re-import)."""
    from workbench.core.workspace.storage import write_atomic

    data = orjson.dumps(spec, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    write_atomic(collection_dir / BUNDLE_FILE, data + "\n")


def load_bundle(collection_dir: Path) -> dict[str, Any] | None:
    path = Path(collection_dir) / BUNDLE_FILE
    try:
        loaded = orjson.loads(path.read_bytes())
        return loaded if isinstance(loaded, dict) else None
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SpecImportError(f"{path}: cannot read the saved descriptor ({exc})") from exc


# --------------------------------------------------------------------------- response contracts

_contract_cache: dict[tuple[str, int, int], dict[str, Any]] = {}


def load_operation_contract(collection_dir: Path, operation: str) -> dict[str, Any] | None:
    """The response contract of one imported operation, or None when unknown.

    `operation` is the request's `meta["openapi_operation"]`, e.g. `"get /pets/{petId}"`.
    Returns `{"responses": {status: {content_type: schema}}, "operation": ..., "openapi": version}`
    where `status` is as written in the descriptor (`"200"`, `"4XX"`, `"default"`) and a response
    without a body maps to `{}`. Each schema is self-contained JSON Schema 2020-12: internal
    references (`{"$ref": "#/components/schemas/Pet"}`) are kept and the referenced parts are
    copied into the schema itself at the same JSON pointers (so `#/components/...` resolves
    against the schema's own root, circular schemas stay finite); OpenAPI 3.0/2.0 dialect is
    rewritten (`nullable`/`x-nullable` → a `"null"` type, boolean `exclusiveMinimum`/`Maximum`
    → numbers, `type: file` dropped). Validate a parsed JSON body with::

        import jsonschema
        schema = contract["responses"]["200"]["application/json"]
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(body))

    Pick the status key by exact code, then `"2XX"`-style ranges, then `"default"`.
    """
    path = Path(collection_dir) / BUNDLE_FILE
    try:
        stat = path.stat()
    except OSError:
        return None
    cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _contract_cache.get(cache_key)
    if cached is None:
        doc = load_bundle(Path(collection_dir))
        if not isinstance(doc, dict):
            return None
        cached = {"doc": doc, "ops": {}}
        if len(_contract_cache) > 8:
            _contract_cache.clear()
        _contract_cache[cache_key] = cached
    ops: dict[str, Any] = cached["ops"]
    if operation in ops:
        known: dict[str, Any] | None = ops[operation]
        return known
    contract = _build_contract(cached["doc"], operation)
    ops[operation] = contract
    return contract


def _build_contract(doc: dict[str, Any], operation: str) -> dict[str, Any] | None:
    method, _, op_path = operation.strip().partition(" ")
    method = method.lower()
    refs = LocalRefs(doc)
    try:
        item = refs.deref((doc.get("paths") or {}).get(op_path))
    except SpecImportError:
        return None
    if not isinstance(item, Mapping) or not isinstance(item.get(method), Mapping):
        return None
    op = item[method]
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    v2 = version.startswith("2")
    dialect30 = not version.startswith("3.1") and not version.startswith("3.2")
    responses: dict[str, dict[str, Any]] = {}
    for status, raw in (op.get("responses") or {}).items():
        try:
            response = refs.deref(raw)
        except SpecImportError:
            continue
        if not isinstance(response, Mapping):
            continue
        out: dict[str, Any] = {}
        if v2:
            if response.get("schema") is not None:
                produces = op.get("produces") or doc.get("produces") or ["application/json"]
                schema = _self_contained(doc, response["schema"], refs, True)
                out = {str(ct): schema for ct in produces}
        else:
            for ct, media in (response.get("content") or {}).items():
                media = refs.deref(media)
                if isinstance(media, Mapping) and media.get("schema") is not None:
                    out[str(ct)] = _self_contained(doc, media["schema"], refs, dialect30)
                else:
                    out[str(ct)] = {}
        responses[str(status)] = out
    return {"responses": responses, "operation": f"{method} {op_path}", "openapi": version}


def _self_contained(doc: Mapping[str, Any], schema: Any, refs: LocalRefs, dialect30: bool) -> dict[str, Any]:
    root = _to_json_schema(schema, dialect30) if isinstance(schema, Mapping) else {}
    if not isinstance(root, dict):
        root = {}
    pending = list(_refs_in(schema))
    seen: set[str] = set()
    holder: dict[str, Any] = {}
    while pending:
        ref = pending.pop()
        if ref in seen or not ref.startswith("#/"):
            continue
        seen.add(ref)
        try:
            target = refs.target(ref)
        except SpecImportError:
            continue
        parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
        node = holder
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = _to_json_schema(target, dialect30)
        pending.extend(_refs_in(target))
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema", **root}
    for key, value in holder.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = {**value, **out[key]}
        else:
            out[key] = value
    return out


def _refs_in(node: Any) -> Iterable[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(v for v in current.values() if isinstance(v, (Mapping, list)))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, (Mapping, list)))


def _to_json_schema(node: Any, dialect30: bool) -> Any:
    """OpenAPI 3.0 / Swagger 2.0 schema dialect → JSON Schema 2020-12 (3.1 is already that)."""
    if isinstance(node, list):
        return [_to_json_schema(v, dialect30) for v in node]
    if not isinstance(node, Mapping):
        return node
    out = {k: _to_json_schema(v, dialect30) if k not in ("example", "examples", "default", "enum", "const") else v
           for k, v in node.items()}
    if not dialect30:
        return out
    if out.get("type") == "file":
        out.pop("type")
    nullable = out.pop("nullable", None) is True or out.pop("x-nullable", None) is True
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if out.get(flag) is True and bound in out:
            out[flag] = out.pop(bound)
        elif isinstance(out.get(flag), bool):
            out.pop(flag)
    if nullable:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "$ref" in out or "allOf" in out or "oneOf" in out or "anyOf" in out:
            out = {"anyOf": [out, {"type": "null"}]}
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def spec_hash(doc: Mapping[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)).hexdigest()[:16]
