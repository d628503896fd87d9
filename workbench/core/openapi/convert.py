"""Convert a bundled OpenAPI/Swagger descriptor into a collection a user can send from at once.

One request per operation, folders by tag or by path, parameters filled with usable values
(`samples.py`), one environment per server (`servers.py`), auth from the security schemes
(`security.py`), bodies from the request bodies (`bodies.py`). This module drives the walk over
`paths`; reading a file or URL and writing a workspace are the entry points' (`importer.py`).

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

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Callable, Literal

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    Folder,
    KeyValue,
    Request,
)
from workbench.core.errors import SpecImportError
from workbench.core.openapi.bodies import RequestBodies
from workbench.core.openapi.bundle import dump_json
from workbench.core.openapi.descriptor import (
    Descriptor,
    as_map,
    one_line_join,
    var_name,
)
from workbench.core.openapi.results import ImportResult
from workbench.core.openapi.samples import strip_cuts, to_text
from workbench.core.openapi.security import SecuritySchemes
from workbench.core.openapi.servers import Servers
from workbench.core.openapi.styles import STYLES, serialize
from workbench.core.path_variables import PLACEHOLDER, placeholder_names

GroupBy = Literal["tag", "path"]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def check_stop(should_stop: Callable[[], bool] | None) -> None:
    """Raise SpecImportError("import cancelled") when the caller asked to stop (the UI's Cancel)."""
    if should_stop is not None and should_stop():
        raise SpecImportError("import cancelled")


def convert(doc: dict[str, Any], *, group_by: GroupBy = "tag", source_url: str = "", name_hint: str = "",
            source_label: str = "", should_stop: Callable[[], bool] | None = None) -> ImportResult:
    """Convert a bundled descriptor (internal `$ref`s only) into a collection and environments."""
    converter = _Converter(doc, group_by, source_url, name_hint, source_label)
    converter.should_stop = should_stop
    return converter.run()


class _Converter:
    """One conversion: the walk over `paths`, with servers, security and bodies as its parts.

    The parts share the `Descriptor` (document, dialect, warnings); the converter keeps what
    only operations need: path variables and how requests are grouped.
    """

    def __init__(self, doc: dict[str, Any], group_by: GroupBy, source_url: str, name_hint: str,
                 source_label: str) -> None:
        self.descriptor = Descriptor(doc, source_url, name_hint)
        self.version = self.descriptor.version
        self.doc = doc
        self.v2 = self.descriptor.v2
        self.refs = self.descriptor.refs
        self.warn = self.descriptor.warn
        self.deref = self.descriptor.deref
        self.servers = Servers(self.descriptor)
        self.security = SecuritySchemes(self.descriptor)
        self.bodies = RequestBodies(self.descriptor, self.param_sample)
        self.samples = self.bodies.samples
        self.group_by = group_by
        self.source_label = source_label
        self.name_hint = name_hint
        self.path_vars: dict[str, tuple[str, tuple[Any, ...]]] = {}  # var name -> (value, compat key)
        self.path_var_rows: list[KeyValue] = []
        self.should_stop: Callable[[], bool] | None = None

    # ------------------------------------------------------------------ top level

    def run(self) -> ImportResult:
        doc = self.doc
        info = as_map(doc.get("info"))
        title = str(info.get("title") or self.name_hint or "Imported API").strip() or "Imported API"
        servers = self.servers.read()
        global_security = doc.get("security")
        self.security.collection_auth, coll_extra = self.security.security_auth(global_security, "the descriptor")
        paths = doc.get("paths") or {}
        if not isinstance(paths, Mapping):
            raise SpecImportError("`paths` must be a mapping of paths to path items")
        raw_tags = doc.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []  # a stranger's file: any shape
        tag_order = [str(t.get("name")) for t in tags if isinstance(t, Mapping) and t.get("name")]
        tag_docs = {str(t.get("name")): str(t.get("description") or "") for t in tags if isinstance(t, Mapping)}
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
                    self.warn(f"{str(key).upper()} {path}: not an HTTP method OpenAPI knows; skipped")
            check_stop(self.should_stop)
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
            auth=self.security.collection_auth, headers=tuple(coll_extra.headers) if coll_extra else (), docs=docs,
            meta=meta)
        if coll_extra and coll_extra.params:
            collection = _add_params_everywhere(collection, coll_extra.params)
        environments = self.servers.environments(title, servers, self.security.auth_vars,
                                                 self.security.relative_token_urls)
        return ImportResult(collection, environments, tuple(self.descriptor.warnings), self.doc)

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
        self.security.collection_auth = common
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

    # ------------------------------------------------------------------ grouping

    def group(self, entries: list[tuple[list[str], Request]], tag_order: list[str],
              tag_docs: dict[str, str]) -> tuple[list[Folder], list[Request]]:
        # A spec without tags (Stripe: 417 operations) would otherwise land flat in one folder.
        if self.group_by == "tag" and any(tags for tags, _ in entries):
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
        path_rows: list[KeyValue] = []
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
            description = one_line_join(param.get("description"), "Deprecated." if param.get("deprecated") else "")
            required = bool(param.get("required")) or location == "path"
            if location == "path":
                value = self.param_value(param)
                if "{" + name + "}" not in url_path:
                    self.warn(f"{where}: path parameter {name!r} does not appear in the path")
                elif PLACEHOLDER.fullmatch("{" + name + "}"):
                    # The URL keeps `{name}`; the request's Path Variables table fills it (issue 14).
                    path_rows.append(KeyValue(name, value, True, description))
                else:  # a name no placeholder can hold (`{a b}`): a collection variable as before
                    var = self.path_variable(name, value, param)
                    url_path = url_path.replace("{" + name + "}", "{{" + var + "}}")
            elif location == "query":
                for row_name, row_value in self.query_rows(param):
                    query.append(KeyValue(row_name, row_value, required, description))
            elif location == "header":
                if name.lower() in _IGNORED_HEADERS:
                    continue
                headers.append(KeyValue(name, self.param_value(param), required, description))
            elif location == "cookie":
                value = "; ".join(f"{n}={v}" for n, v in self.param_pairs(param))
                if required:
                    cookies_on.append(value)
                else:
                    cookies_off.append(KeyValue("Cookie", value, False,
                                                one_line_join(f"cookie {name}", description)))
            else:
                self.warn(f"{where}: parameter {name!r} has an unknown location {location!r}; skipped")
        declared = {row.name for row in path_rows}
        for leftover in placeholder_names(url_path):
            if leftover not in declared:
                self.warn(f"{where}: path template {{{leftover}}} has no parameter; it became a path variable")
                path_rows.append(KeyValue(leftover, "1", True, "not declared in the descriptor"))
        path_rows.sort(key=lambda row: url_path.find("{" + row.name + "}"))
        if cookies_on:
            headers.append(KeyValue("Cookie", "; ".join(cookies_on), True, "cookie parameters"))
        headers.extend(cookies_off)
        body = Body()
        if self.v2:
            body = self.bodies.body_v2(op, body_params, form_params, where)
        elif op.get("requestBody") is not None:
            body = self.bodies.body_v3(op["requestBody"], where)
        accept = self.bodies.accept(op)
        if accept and not any(h.name.lower() == "accept" for h in headers):
            headers.insert(0, KeyValue("Accept", accept, True, ""))
        op_servers = op.get("servers") or item.get("servers")
        base = "{{baseUrl}}"
        if not self.v2 and isinstance(op_servers, list) and op_servers and op_servers != self.doc.get("servers"):
            first = op_servers[0]
            if isinstance(first, Mapping) and isinstance(first.get("url"), str):
                server = self.servers.server(first)
                literal = server.url
                for row in server.variables:
                    literal = literal.replace("{{" + row.name + "}}", row.value)
                base = literal
                self.warn(f"{where}: has its own server {first['url']!r}; its URL uses it instead of baseUrl")
        url = base + url_path
        auth, extra = self.security.operation_auth(op, global_security, where)
        if extra:
            headers.extend(extra.headers)
            query.extend(extra.params)
        op_id = str(op.get("operationId") or "")
        summary = str(op.get("summary") or "").strip()
        # An operationId reads like code ("deleteCoreV1CollectionNamespacedPod") and gets cut in the tree:
        # the summary, else what the request does on the wire, names it; the operationId stays in meta.
        name = (summary.splitlines()[0] if summary else "") or f"{method.upper()} {path}"
        docs = self.operation_docs(op, summary)
        meta = {"openapi_operation": f"{method} {path}"}
        if op_id:
            meta["operationId"] = op_id
        raw_tags = op.get("tags")
        tags = [str(t) for t in raw_tags if isinstance(t, (str, int))] if isinstance(raw_tags, list) else []
        request = Request(name=name[:200], method=method.upper(), url=url, params=tuple(query), headers=tuple(headers),
                          body=body, auth=auth, docs=docs, meta=meta, path_variables=tuple(path_rows))
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
        return as_map(schema)

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
        """A path or header parameter's sample as one text, serialized by its style (OAS §4.8.12.4)."""
        return self.param_pairs(param)[0][1]

    def param_pairs(self, param: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The sample of a parameter as (name, text) pairs, by `style`/`explode` (`styles.py`).

        `content: {application/json: …}` parameters are JSON text; Swagger 2 has no styles
        (its arrays are `csv` by default in paths, headers and cookies).
        """
        name = str(param["name"])
        location = str(param.get("in") or "")
        value = self.param_sample(param)
        if self.v2 or location not in STYLES:
            return [(name, to_text(value))]
        if isinstance(param.get("content"), Mapping) and isinstance(value, (dict, list)):
            return [(name, dump_json(value))]
        explode = param.get("explode")
        return serialize(name, value, location, param.get("style"),  # type: ignore[arg-type]
                         explode if isinstance(explode, bool) else None)

    def query_rows(self, param: Mapping[str, Any]) -> list[tuple[str, str]]:
        name = str(param["name"])
        if not self.v2:
            return self.param_pairs(param)
        value = self.param_sample(param)
        if isinstance(value, list):
            fmt = param.get("collectionFormat", "csv")
            if fmt == "multi":
                return [(name, to_text(v)) for v in value] or [(name, "")]
            sep = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(str(fmt), ",")
            return [(name, sep.join(to_text(v) for v in value))]
        return [(name, to_text(value))]

    def path_variable(self, name: str, value: str, param: Mapping[str, Any]) -> str:
        """The collection variable for a path parameter; one per name unless their types clash."""
        schema = self.param_schema(param) if param else {}
        schema = self.refs.deref(schema) if isinstance(schema, Mapping) else {}
        compat = (schema.get("type") if isinstance(schema, Mapping) else None,
                  schema.get("format") if isinstance(schema, Mapping) else None,
                  _strings(schema.get("enum")) if isinstance(schema, Mapping) else (),
                  schema.get("pattern") if isinstance(schema, Mapping) else None)
        base = var_name(name)
        candidate, n = base, 2
        while candidate in self.path_vars and self.path_vars[candidate][1] != compat:
            candidate, n = f"{base}_{n}", n + 1
        if candidate not in self.path_vars:
            self.path_vars[candidate] = (value, compat)
            described = param.get("description") if param else ""
            description = "path parameter" + (f": {one_line_join(described)}" if described else "")
            self.path_var_rows.append(KeyValue(candidate, value, True, description))
        return candidate



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


def _strings(value: Any) -> tuple[str, ...]:
    """A list's items as text; anything else (a stranger's `enum: 3`) as nothing."""
    return tuple(map(str, value)) if isinstance(value, list) else ()
