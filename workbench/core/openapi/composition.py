"""Schema composition for samples: `allOf` merged into one schema, a `oneOf` branch's discriminator value.

Why merge `allOf` rather than sample each part and overlay the results: the parts constrain the
same value together (`allOf: [Base, {properties: {id: {maximum: 9}}}]`), and a value built per
part satisfies only the part that wrote it last. `allOf` means every part at once (JSON Schema
2020-12 §10.2.1.1), so keywords combine: types intersect (`integer` is a `number`), bounds
tighten, enums intersect, a property declared in several parts becomes the `allOf` of its
declarations, `required` lists unite, and `additionalProperties: false` in one part forbids what
only other parts declare. What cannot combine (a string that is an integer, disjoint enums) is
reported: no value is valid then, and the import says so instead of sending one silently.

Validating servers do the same before they validate: Prism runs json-schema-merge-allof.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import SpecImportError
from workbench.core.openapi.refs import LocalRefs

MAX_MERGE_DEPTH = 8  # allOf inside allOf inside allOf… deeper parts are ignored
MAX_MERGE_PARTS = 64  # parts of one flattened allOf
_METADATA = frozenset({"title", "description", "$comment", "externalDocs", "xml", "deprecated",
                       "$schema", "$id", "$anchor", "$defs", "definitions"})
_AUTHOR_VALUES = ("example", "examples", "default", "x-example")
_LOWER = ("minimum", "minLength", "minItems", "minProperties", "minContains")
_UPPER = ("maximum", "maxLength", "maxItems", "maxProperties", "maxContains")


@dataclass(frozen=True, slots=True)
class Merged:
    """An `allOf` as one schema (no `allOf` at its top), why no value can satisfy it (if so), and
    the `$ref`s followed to build it (a sampler watching for recursion must count them as entered)."""

    schema: dict[str, Any]
    conflicts: tuple[str, ...]
    refs: tuple[str, ...] = ()


def merge_all_of(schema: Mapping[str, Any], refs: LocalRefs) -> Merged:
    """`schema` (which has an `allOf`) as one schema: see the module docstring."""
    parts: list[Mapping[str, Any]] = []
    followed: list[str] = []
    _flatten(schema, refs, parts, (), 0, followed)
    conflicts: list[str] = []
    out: dict[str, Any] = {}
    substantive = [p for p in parts if any(k not in _METADATA and k not in _AUTHOR_VALUES for k in p)]
    # The allOf node's own example was tried before merging; a part's example is the whole's only
    # when that part is the only one with constraints (`allOf: [$ref]` beside a description).
    if len(substantive) == 1:
        out.update({k: substantive[0][k] for k in _AUTHOR_VALUES if k in substantive[0]})
    _merge_types(parts, out, conflicts)
    if schema.get("nullable") is True:  # OpenAPI 3.0's nullable `$ref`: `{nullable: true, allOf: [$ref]}`
        out["nullable"] = True
    _merge_enums(parts, out, conflicts)
    _merge_bounds(parts, out, conflicts)
    _merge_objects(parts, out, conflicts)
    items = [p["items"] for p in parts if isinstance(p.get("items"), (Mapping, bool))]
    if items:
        out["items"] = items[0] if len(items) == 1 else {"allOf": items}
    for part in parts:
        for key, value in part.items():
            if key in out or key in _AUTHOR_VALUES or key in ("allOf", "nullable", "$ref"):
                continue
            if key in ("readOnly", "writeOnly", "uniqueItems"):
                out[key] = any(p.get(key) is True for p in parts)
            elif key in ("oneOf", "anyOf", "discriminator", "format", "pattern", "prefixItems",
                         "patternProperties", "propertyNames", "not", "contentMediaType", "contentEncoding") \
                    or key in _METADATA or (isinstance(key, str) and key.startswith("x-")):  # keys: any YAML scalar
                out[key] = value  # the first part that has it
    return Merged(out, tuple(dict.fromkeys(conflicts)), tuple(dict.fromkeys(followed)))


def _flatten(node: Any, refs: LocalRefs, parts: list[Mapping[str, Any]], seen: tuple[str, ...], depth: int,
             followed: list[str]) -> None:
    if not isinstance(node, Mapping) or depth > MAX_MERGE_DEPTH or len(parts) >= MAX_MERGE_PARTS:
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return  # an allOf that includes itself adds nothing the second time
        try:
            target = refs.target(ref)
        except SpecImportError:
            return
        followed.append(ref)
        _flatten(target, refs, parts, seen + (ref,), depth + 1, followed)
        siblings = {k: v for k, v in node.items() if k != "$ref"}  # OpenAPI 3.1: $ref with siblings
        if siblings:
            _flatten(siblings, refs, parts, seen, depth + 1, followed)
        return
    own = {k: v for k, v in node.items() if k != "allOf"}
    if own:
        parts.append(own)
    nested = node.get("allOf")
    if isinstance(nested, list):
        for part in nested:
            _flatten(part, refs, parts, seen, depth + 1, followed)


def _types_of(part: Mapping[str, Any]) -> set[str] | None:
    declared = part.get("type")
    if isinstance(declared, str):
        kinds = {declared}
    elif isinstance(declared, list):
        kinds = {k for k in declared if isinstance(k, str)}
    else:
        return None
    if part.get("nullable") is True or part.get("x-nullable") is True:
        kinds.add("null")
    return kinds


def _merge_types(parts: list[Mapping[str, Any]], out: dict[str, Any], conflicts: list[str]) -> None:
    allowed: set[str] | None = None
    for part in parts:
        kinds = _types_of(part)
        if kinds is None:
            continue
        if allowed is None:
            allowed = kinds
            continue
        # `integer` is a `number`: {number} ∩ {integer} = {integer}.
        allowed = {k for k in allowed if k in kinds or (k == "integer" and "number" in kinds)} | \
                  {k for k in kinds if k == "integer" and "number" in allowed}
        if not allowed:
            declared = sorted({str(p.get("type")) for p in parts if p.get("type") is not None})
            conflicts.append(f"allOf parts declare incompatible types ({', '.join(declared)})")
            return
    if allowed is None:
        return
    order = ["object", "array", "string", "integer", "number", "boolean", "null"]
    ordered = sorted(allowed, key=lambda k: order.index(k) if k in order else len(order))
    out["type"] = ordered[0] if len(ordered) == 1 else ordered


def same_value(a: Any, b: Any) -> bool:
    """JSON equality: `true` is not `1` (Python's `True == 1` is)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return bool(a == b)


def _merge_enums(parts: list[Mapping[str, Any]], out: dict[str, Any], conflicts: list[str]) -> None:
    enum: list[Any] | None = None
    for part in parts:
        values = part.get("enum")
        if "const" in part:
            values = [part["const"]]
        if not isinstance(values, list):
            continue
        enum = list(values) if enum is None else [v for v in enum if any(same_value(v, w) for w in values)]
    if enum is None:
        return
    if not enum:
        conflicts.append("allOf parts allow no common value (their enum/const values do not meet)")
        return
    consts = [p["const"] for p in parts if "const" in p]
    if consts:
        out["const"] = enum[0]
    else:
        out["enum"] = enum


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _merge_bounds(parts: list[Mapping[str, Any]], out: dict[str, Any], conflicts: list[str]) -> None:
    for low_key, high_key in zip(_LOWER, _UPPER):
        lows = [p[low_key] for p in parts if _number(p.get(low_key)) is not None]
        highs = [p[high_key] for p in parts if _number(p.get(high_key)) is not None]
        if lows:
            out[low_key] = max(lows)
        if highs:
            out[high_key] = min(highs)
        if lows and highs and max(lows) > min(highs):
            conflicts.append(f"allOf parts ask {low_key} {max(lows)} but {high_key} {min(highs)}")
    # exclusive bounds: OpenAPI 3.0's boolean flag belongs to its own part's minimum/maximum.
    for flag, bound, pick in (("exclusiveMinimum", "minimum", max), ("exclusiveMaximum", "maximum", min)):
        values = []
        for part in parts:
            value = part.get(flag)
            if value is True and _number(part.get(bound)) is not None:
                values.append(part[bound])
            elif _number(value) is not None:
                values.append(value)
        if values:
            out[flag] = pick(values)
    steps = [p["multipleOf"] for p in parts if _number(p.get("multipleOf")) is not None and p["multipleOf"] > 0]
    if steps:
        if all(isinstance(s, int) for s in steps):
            out["multipleOf"] = math.lcm(*steps)
        else:
            out["multipleOf"] = max(steps)


def _merge_objects(parts: list[Mapping[str, Any]], out: dict[str, Any], conflicts: list[str]) -> None:
    declared: dict[str, list[Any]] = {}
    closed: list[set[str]] = []  # property names of each part with additionalProperties: false
    extra: Any = None
    required: list[str] = []
    for part in parts:
        props = part.get("properties")
        names = set()
        if isinstance(props, Mapping):
            for name, prop in props.items():
                declared.setdefault(str(name), []).append(prop)
                names.add(str(name))
        if part.get("additionalProperties") is False:
            closed.append(names)
        elif isinstance(part.get("additionalProperties"), Mapping) and extra is None:
            extra = part["additionalProperties"]
        required.extend(n for n in part.get("required") or () if isinstance(n, str) and n not in required)
    allowed = set.intersection(*closed) if closed else None
    if allowed is not None:
        out["additionalProperties"] = False
        outside = [n for n in required if n not in allowed]
        if outside:
            conflicts.append(f"property {outside[0]!r} is required, but another allOf part has "
                             "additionalProperties: false without it")
        declared = {n: d for n, d in declared.items() if n in allowed}
    elif extra is not None:
        out["additionalProperties"] = extra
    if declared:
        out["properties"] = {n: d[0] if len(d) == 1 else {"allOf": d} for n, d in declared.items()}
    if required:
        out["required"] = required


def discriminator_value(discriminator: Any, branch: Any) -> str | None:
    """The discriminator value that selects `branch` (OAS 3.1 §4.8.25 Discriminator Object).

    The `mapping` key whose value names the branch (a `$ref` or a schema name), else the
    branch's schema name (the last segment of its `$ref`); None for an inline branch.
    """
    if not isinstance(discriminator, Mapping) or not isinstance(branch, Mapping):
        return None
    ref = branch.get("$ref")
    if not isinstance(ref, str):
        return None
    name = ref.rsplit("/", 1)[-1]
    mapping = discriminator.get("mapping")
    if isinstance(mapping, Mapping):
        for key, target in mapping.items():
            if isinstance(target, str) and (target == ref or target == name):
                return str(key)
    return name
