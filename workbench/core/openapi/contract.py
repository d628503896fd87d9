"""The response contract of one imported operation, as self-contained JSON Schema.

Read from the bundled descriptor beside the collection (`bundle.py`), so a response can be
checked against what the API promised (`core/response/contract.py`) long after the import.
OpenAPI 3.0 and Swagger 2.0 schemas are a dialect of JSON Schema; they are rewritten to
JSON Schema 2020-12 (which OpenAPI 3.1 already uses) so one validator serves all three.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from workbench.core.errors import SpecImportError
from workbench.core.openapi.bundle import BUNDLE_FILE, load_bundle
from workbench.core.openapi.refs import LocalRefs

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
                schema = self_contained(doc, response["schema"], refs, True)
                out = {str(ct): schema for ct in produces}
        else:
            for ct, media in (response.get("content") or {}).items():
                media = refs.deref(media)
                if isinstance(media, Mapping) and media.get("schema") is not None:
                    out[str(ct)] = self_contained(doc, media["schema"], refs, dialect30)
                else:
                    out[str(ct)] = {}
        responses[str(status)] = out
    return {"responses": responses, "operation": f"{method} {op_path}", "openapi": version}


def self_contained(doc: Mapping[str, Any], schema: Any, refs: LocalRefs, dialect30: bool) -> dict[str, Any]:
    """`schema` as JSON Schema 2020-12 with every part it references copied in at the same pointer.

    So `#/components/...` resolves against the schema's own root and a validator needs no
    registry; the import validates the descriptor's examples with the same schemas.
    """
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

