"""Usable example values from schemas, so an imported request can be sent at once.

A value is taken, in this order, from what the descriptor's author wrote (`example`,
`examples`, `default`, `const`, the first `enum` value) and only then made up from the type:
format-aware (`date`, `date-time`, `uuid`, `email`, `uri`, `int32`/`int64`, …) and within the
simple constraints a validating server checks (`minimum`/`maximum`, `exclusiveMinimum`,
`multipleOf`, `minLength`/`maxLength`, `pattern`, `minItems`). Composition follows JSON Schema:
`allOf` merges, `oneOf`/`anyOf` take the first non-null branch. Request bodies leave out
`readOnly` properties and responses `writeOnly` ones (OpenAPI 3.0 §4.7.24 Schema Object).
OpenAPI 3.1 schemas are JSON Schema 2020-12: type arrays, `const`, `prefixItems`, `examples`.

Values are deterministic (a re-import produces the same request, so user edits can be told
apart from spec changes) and cached per schema object, so a descriptor that reuses one large
schema in 400 operations builds its sample once. A circular schema is cut where it repeats.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Literal, Mapping

from workbench.core.openapi.refs import LocalRefs

try:  # the regex parser moved to `re._parser` in 3.11; `sre_parse` warns on import there
    from re import _constants as _sc  # type: ignore[attr-defined]
    from re import _parser as _sp  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sc  # type: ignore[no-redef, unused-ignore]
    import sre_parse as _sp  # type: ignore[no-redef, unused-ignore]

Mode = Literal["request", "response"]
MAX_DEPTH = 12
MAX_OPTIONAL_DEPTH = 4  # below this depth only required properties are filled in
_FORMAT_SAMPLES: dict[str, Any] = {
    "date": "2024-01-15",
    "date-time": "2024-01-15T09:30:00Z",
    "time": "09:30:00Z",
    "duration": "P1D",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "guid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "uri-reference": "/resource",
    "iri-reference": "/resource",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c2FtcGxl",
    "binary": "sample",
    "password": "secret-value",
    "json-pointer": "/path",
    "regex": "^[a-z]+$",
    "language": "en",
    "int32": 1,
    "int64": 1,
}


MAX_SAMPLE_STRING = 4096  # characters in a generated string, whatever `minLength` asks
MAX_SAMPLE_ITEMS = 20  # items in a generated array, whatever `minItems` asks
MAX_PATTERN_LENGTH = 2000  # characters of a `pattern` we parse at all
MAX_MATCH_INPUT = 2000  # characters of a value we match against an author's `pattern`


def _parse_pattern(pattern: str) -> Any:
    """Python's parse tree of `pattern`, or None when it is invalid or too big to be worth it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return None
    try:
        return _sp.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None


def _repeats_unbounded(low: int, high: int) -> bool:
    return high > 1 and high != low


def _backtracks(tree: Any, inside_repeat: bool = False, depth: int = 0) -> bool:
    """Could `re` backtrack exponentially on this tree? (`(a+)+`, `(a|a)*`, `(\\1)`)

    Python's `re` is a backtracking engine without a time limit, so an author's pattern only
    runs when it has no repeat inside a repeat, no alternation inside a repeat and no
    back-reference: then matching is polynomial in the (capped) input length. Conservative on
    purpose: a pattern refused here only means its example is not checked.
    """
    if depth > 50:
        return True
    for op, arg in tree:
        if op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) or getattr(_sc, "POSSESSIVE_REPEAT", None) is op:
            low, high, sub = arg
            repeating = _repeats_unbounded(low, high)
            if inside_repeat and repeating:
                return True
            if _backtracks(sub, inside_repeat or repeating, depth + 1):
                return True
        elif op is _sc.SUBPATTERN:
            if _backtracks(arg[-1], inside_repeat, depth + 1):
                return True
        elif op is _sc.BRANCH:
            if inside_repeat:
                return True
            if any(_backtracks(branch, inside_repeat, depth + 1) for branch in arg[1]):
                return True
        elif op in (_sc.GROUPREF, _sc.GROUPREF_EXISTS):
            return True
        elif op in (_sc.ASSERT, _sc.ASSERT_NOT):
            if _backtracks(arg[1], inside_repeat, depth + 1):
                return True
        elif getattr(_sc, "ATOMIC_GROUP", None) is op:
            if _backtracks(arg, inside_repeat, depth + 1):
                return True
    return False


def pattern_is_checkable(pattern: str) -> bool:
    """True when matching values against `pattern` is safe in time (see `_backtracks`)."""
    tree = _parse_pattern(pattern)
    if tree is None:
        return False
    try:
        return not _backtracks(tree)
    except (TypeError, ValueError):
        return False


def regex_sample(pattern: str) -> str | None:
    """A short string matching `pattern` (walks Python's regex parse tree); None when unsure."""
    tree = _parse_pattern(pattern)
    if tree is None:
        return None
    try:
        text = _emit(tree, 0)
    except (ValueError, RecursionError, OverflowError, TypeError):
        return None
    if len(text) > MAX_SAMPLE_STRING:
        return None
    if not pattern_is_checkable(pattern):
        return text  # generated from the tree; not re-checked with a backtracking engine
    try:
        return text if re.search(pattern, text) else None
    except re.error:
        return None


def _emit(tree: Any, depth: int) -> str:
    if depth > 20:
        raise ValueError("too deep")
    out: list[str] = []
    for op, arg in tree:
        if op is _sc.LITERAL:
            out.append(chr(arg))
        elif op is _sc.NOT_LITERAL:
            out.append("a" if chr(arg) != "a" else "b")
        elif op is _sc.ANY:
            out.append("a")
        elif op is _sc.IN:
            out.append(_emit_in(arg))
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) or getattr(_sc, "POSSESSIVE_REPEAT", None) is op:
            low, high, sub = arg
            count = low if low > 0 else (1 if high > 0 else 0)
            part = _emit(sub, depth + 1)
            if len(part) * count > MAX_SAMPLE_STRING:
                raise ValueError("sample too long")
            out.append(part * count)
        elif op is _sc.SUBPATTERN:
            out.append(_emit(arg[-1], depth + 1))
        elif op is _sc.ATOMIC_GROUP if hasattr(_sc, "ATOMIC_GROUP") else False:
            out.append(_emit(arg, depth + 1))
        elif op is _sc.BRANCH:
            out.append(_emit(arg[1][0], depth + 1))
        elif op is _sc.AT:
            continue
        elif op is _sc.CATEGORY:
            out.append(_category(arg))
        elif op in (_sc.ASSERT, _sc.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"unsupported {op}")
    return "".join(out)


def _category(cat: Any) -> str:
    name = str(cat)
    if "NOT_DIGIT" in name:
        return "a"
    if "DIGIT" in name:
        return "1"
    if "NOT_SPACE" in name or "NOT_WORD" in name:
        return "a" if "NOT_SPACE" in name else "-"
    if "SPACE" in name:
        return " "
    return "a"


def _emit_in(items: Any) -> str:
    negate = False
    for op, arg in items:
        if op is _sc.NEGATE:
            negate = True
            continue
        if negate:
            break
        if op is _sc.LITERAL:
            return chr(arg)
        if op is _sc.RANGE:
            low, high = arg
            for preferred in ("a", "A", "1"):
                if low <= ord(preferred) <= high:
                    return preferred
            return chr(low)
        if op is _sc.CATEGORY:
            return _category(arg)
    if negate:
        excluded = {chr(a) for o, a in items if o is _sc.LITERAL}
        return next(c for c in "axyz1_" if c not in excluded)
    raise ValueError("empty class")


def _first(values: Any) -> Any:
    if isinstance(values, list) and values:
        return values[0]
    if isinstance(values, Mapping) and values:
        first = next(iter(values.values()))
        return first.get("value") if isinstance(first, Mapping) and "value" in first else first
    return None


class SampleGenerator:
    """Builds sample values from the schemas of one bundled descriptor (see the module docstring)."""

    def __init__(self, refs: LocalRefs, openapi30: bool = False,
                 check: Callable[[Mapping[str, Any], Any], bool] | None = None) -> None:
        self.refs = refs
        self.openapi30 = openapi30  # `exclusiveMinimum: true` is a flag there, a number in 3.1
        # Full JSON Schema validation (supplied by the importer): used for object/array examples
        # and to pick a `oneOf` branch whose value matches exactly one branch.
        self.check = check
        self._cache: dict[tuple[int, str, int], Any] = {}

    # ------------------------------------------------------------------ public

    def sample(self, schema: Any, mode: Mode = "request") -> Any:
        """A value valid for `schema` (a JSON-able Python value)."""
        return self._value(schema, mode, 0, ())

    def scalar_text(self, schema: Any, mode: Mode = "request") -> str:
        """The sample as parameter text: strings bare, booleans lowercase, arrays comma-joined."""
        return to_text(self.sample(schema, mode))

    def resolve(self, schema: Any) -> Any:
        return self.refs.deref(schema)

    # ------------------------------------------------------------------ internals

    def _value(self, schema: Any, mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        if not isinstance(schema, Mapping):
            return {} if schema is True else None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in stack or depth > MAX_DEPTH:
                return _CUT
            target = self.refs.target(ref)
            cache_key = (id(target), mode, min(depth, MAX_OPTIONAL_DEPTH + 1))
            if cache_key in self._cache and not stack_sensitive(self._cache[cache_key]):
                return self._cache[cache_key]
            value = self._value(target, mode, depth, stack + (ref,))
            if not stack:
                self._cache[cache_key] = value
            return value
        if depth > MAX_DEPTH:
            return _CUT
        for key in ("example", "x-example"):
            if key in schema and schema[key] is not None and fits(schema, schema[key]):
                example = schema[key]
                if not isinstance(example, (dict, list)) or self.check is None or self.check(schema, example):
                    return example
        if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"] \
                and fits(schema, schema["examples"][0]):
            return schema["examples"][0]
        if "const" in schema:
            return schema["const"]
        if "default" in schema and schema["default"] is not None and fits(schema, schema["default"]):
            return schema["default"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((e for e in enum if e is not None), enum[0])
        if "allOf" in schema and isinstance(schema["allOf"], list):
            return self._all_of(schema, mode, depth, stack)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                merged_props = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                first: Any = _CUT
                for branch in self._branch_order(branches):
                    value = self._value(branch, mode, depth, stack)
                    if merged_props.get("properties") and isinstance(value, dict):
                        value = {**self._object(merged_props, mode, depth, stack), **value}
                    if first is _CUT:
                        first = value
                    if key == "anyOf" or self.check is None or value is _CUT or len(branches) > 12:
                        return value
                    if self.check(schema, strip_cuts(value)):
                        return value  # valid for exactly one branch, as oneOf demands
                return first
        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, mode, depth, stack)
        if kind == "array":
            return self._array(schema, mode, depth, stack)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return int(self._number(schema, integer=True))
        if kind == "number":
            return self._number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        if kind == "file":
            return "sample"
        return "string" if not schema else {}

    def _branch_order(self, branches: list[Any]) -> list[Any]:
        """Non-null branches first (a null sample is rarely what a user wants to send)."""
        def is_null(branch: Any) -> bool:
            target = self.refs.deref(branch) if isinstance(branch, Mapping) else branch
            return isinstance(target, Mapping) and _type_of(target) == "null"

        return [b for b in branches if not is_null(b)] + [b for b in branches if is_null(b)]

    def _all_of(self, schema: Mapping[str, Any], mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        merged: dict[str, Any] = {}
        other: Any = None
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        parts = list(schema["allOf"]) + ([rest] if rest else [])
        for part in parts:
            value = self._value(part, mode, depth, stack)
            if isinstance(value, dict):
                merged.update(value)
            elif value is not _CUT and value is not None and other is None:
                other = value
        # `required` may name a property that another allOf branch declares (PayPal's phone_detail).
        missing = [n for n in self._required_of(schema) if n not in merged]
        for name in missing:
            prop = self._property_in(schema, name)
            if prop is not None:
                value = self._value(prop, mode, depth + 1, stack)
                if value is not _CUT:
                    merged[name] = value
        return merged if merged or other is None else other

    def _required_of(self, schema: Mapping[str, Any], seen: int = 0) -> list[str]:
        names = [n for n in _as_list(schema.get("required")) if isinstance(n, str)]
        if seen < 8:
            for part in schema.get("allOf") or ():
                target = self.refs.deref(part) if isinstance(part, Mapping) else None
                if isinstance(target, Mapping):
                    names.extend(self._required_of(target, seen + 1))
        return names

    def _property_in(self, schema: Mapping[str, Any], name: str, seen: int = 0) -> Any:
        props = schema.get("properties")
        if isinstance(props, Mapping) and name in props:
            return props[name]
        if seen < 8:
            for part in schema.get("allOf") or ():
                target = self.refs.deref(part) if isinstance(part, Mapping) else None
                if isinstance(target, Mapping):
                    found = self._property_in(target, name, seen + 1)
                    if found is not None:
                        return found
        return None

    def _object(self, schema: Mapping[str, Any], mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        props = schema.get("properties")
        required = {n for n in _as_list(schema.get("required")) if isinstance(n, str)}
        out: dict[str, Any] = {}
        if isinstance(props, Mapping):
            for name, prop in props.items():
                if name not in required and depth >= MAX_OPTIONAL_DEPTH:
                    continue
                target = self.refs.deref(prop) if isinstance(prop, Mapping) else prop
                if isinstance(target, Mapping):
                    if mode == "request" and target.get("readOnly") is True:
                        continue
                    if mode == "response" and target.get("writeOnly") is True:
                        continue
                value = self._value(prop, mode, depth + 1, stack)
                if value is _CUT:
                    if name in required:
                        kind = _type_of(target) if isinstance(target, Mapping) else ""
                        out[name] = {} if kind == "object" else ([] if kind == "array" else None)
                    continue
                out[name] = value
        min_props = schema.get("minProperties")
        extra = schema.get("additionalProperties")
        if isinstance(min_props, int) and len(out) < min_props and isinstance(extra, Mapping):
            for i in range(len(out), min_props):
                out[f"key{i + 1}"] = self._value(extra, mode, depth + 1, stack)
        return out

    def _array(self, schema: Mapping[str, Any], mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        out: list[Any] = []
        if isinstance(prefix, list):
            out = [v for v in (self._value(p, mode, depth + 1, stack) for p in prefix) if v is not _CUT]
        elif isinstance(items, list):  # draft 4 tuple form (OpenAPI 3.0 forbids it, some specs use it)
            out = [v for v in (self._value(p, mode, depth + 1, stack) for p in items) if v is not _CUT]
        elif isinstance(items, Mapping):
            value = self._value(items, mode, depth + 1, stack)
            if value is _CUT:
                return []
            min_items = schema.get("minItems")
            count = min(max(1, min_items if isinstance(min_items, int) else 1), MAX_SAMPLE_ITEMS)
            max_items = schema.get("maxItems")
            if isinstance(max_items, int) and not isinstance(max_items, bool):
                count = max(0, min(count, max_items))
            if schema.get("uniqueItems") and count > 1 and not isinstance(value, (dict, list)):
                out = [value] + [_vary(value, i) for i in range(1, count)]
            else:
                out = [value] * count
        return out

    def _string(self, schema: Mapping[str, Any]) -> str:
        fmt = str(schema.get("format") or "")
        pattern = schema.get("pattern")
        value: str | None = None
        if fmt in _FORMAT_SAMPLES and not isinstance(_FORMAT_SAMPLES[fmt], int):
            value = str(_FORMAT_SAMPLES[fmt])
        if isinstance(pattern, str) and (value is None or not _search(pattern, value)):
            value = regex_sample(pattern) or value
        if value is None:
            value = "string"
        min_len = schema.get("minLength")
        max_len = schema.get("maxLength")
        if isinstance(min_len, int) and len(value) < min_len:
            value = value + "x" * (min(min_len, MAX_SAMPLE_STRING) - len(value))
        if isinstance(max_len, int) and len(value) > max_len:
            value = value[:max(max_len, 0)]
        return value

    def _number(self, schema: Mapping[str, Any], integer: bool) -> float | int:
        minimum = schema.get("minimum")
        maximum = schema.get("maximum")
        ex_min = schema.get("exclusiveMinimum")
        ex_max = schema.get("exclusiveMaximum")
        step = schema.get("multipleOf")
        low: float | None = minimum if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) else None
        high: float | None = maximum if isinstance(maximum, (int, float)) and not isinstance(maximum, bool) else None
        low_open = ex_min is True
        high_open = ex_max is True
        if isinstance(ex_min, (int, float)) and not isinstance(ex_min, bool):
            low, low_open = ex_min, True
        if isinstance(ex_max, (int, float)) and not isinstance(ex_max, bool):
            high, high_open = ex_max, True
        value: float = 1
        if low is not None:
            value = low + (1 if low_open else 0) if integer or low_open else low
            if not integer and low_open:
                value = low + (min(1, ((high - low) / 2)) if high is not None else 1)
        if high is not None and (value > high or (high_open and value >= high)):
            value = high - 1 if high_open else high
            if not integer and high_open and low is not None:
                value = (low + high) / 2
        if isinstance(step, (int, float)) and step > 0 and not isinstance(step, bool):
            value = step * max(1, int(value // step) + (1 if value % step else 0)) if value > 0 else step
            if high is not None and value > high:
                value = step * int(high // step)
        if integer:
            value = int(value) if float(value).is_integer() else int(value) + 1
            return int(value)
        return float(value) if not float(value).is_integer() else (int(value) if low is None else value)


class _Cut:
    """Marks a branch cut because its schema repeats (a circular `$ref`)."""

    def __repr__(self) -> str:
        return "<cut>"


_CUT: Any = _Cut()


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_FORMAT_CHECKS: dict[str, Any] = {
    "uuid": _UUID.match,
    "date": _DATE.match,
    "date-time": _DATE_TIME.match,
    "uri": re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$").match,
    "url": re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$").match,
    "email": re.compile(r"^[^@\s]+@[^@\s]+$").match,
}


def fits(schema: Mapping[str, Any], value: Any) -> bool:
    """Does an author's scalar example obey the schema's simple rules? (Specs often break their own.)

    Validating servers (and Prism) reject such examples, so a generated value is used instead.
    Objects and arrays are trusted: checking them deeply would cost more than it saves.
    """
    if isinstance(value, (dict, list)):
        kind = _type_of(schema)
        return not kind or kind == ("object" if isinstance(value, dict) else "array")
    kind = _type_of(schema)
    declared = schema.get("type")
    types: list[Any] = declared if isinstance(declared, list) else ([kind] if kind else [])
    if value is None:
        return "null" in types or schema.get("nullable") is True
    if types:
        ok = False
        for t in types:
            if t == "string" and isinstance(value, str):
                ok = True
            elif t == "integer" and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            elif t == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
                ok = True
            elif t == "boolean" and isinstance(value, bool):
                ok = True
        if not ok:
            return False
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and value not in enum:
        return False
    if isinstance(value, str):
        check = _FORMAT_CHECKS.get(str(schema.get("format") or ""))
        if check is not None and not check(value):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _search(pattern, value):
            return False
        if isinstance(schema.get("maxLength"), int) and len(value) > schema["maxLength"]:
            return False
        if isinstance(schema.get("minLength"), int) and len(value) < schema["minLength"]:
            return False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(schema.get("minimum"), (int, float)) and value < schema["minimum"]:
            return False
        if isinstance(schema.get("maximum"), (int, float)) and value > schema["maximum"]:
            return False
    return True


def _as_list(value: Any) -> list[Any]:
    """A schema keyword that should be a list (`required`); anything else counts as empty."""
    return value if isinstance(value, list) else []


def stack_sensitive(value: Any) -> bool:
    return value is _CUT


def _search(pattern: str, value: str) -> bool:
    """Does `value` match the author's `pattern`? True (trusted) when that cannot be checked safely.

    An invalid pattern, one that could backtrack exponentially (`^(a+)+$`) or a value longer
    than MAX_MATCH_INPUT is not run through `re`: importing must never hang on a descriptor.
    """
    if len(value) > MAX_MATCH_INPUT or not pattern_is_checkable(pattern):
        return True
    try:
        return re.search(pattern, value) is not None
    except (re.error, RecursionError, OverflowError):
        return True


def _type_of(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        return str(non_null[0]) if non_null else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "format" in schema and schema["format"] in ("int32", "int64"):
        return "integer"
    if any(k in schema for k in ("minLength", "maxLength", "pattern")) or schema.get("format") in _FORMAT_SAMPLES:
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return ""


def _vary(value: Any, i: int) -> Any:
    if isinstance(value, bool):
        return not value if i == 1 else value
    if isinstance(value, (int, float)):
        return value + i
    return f"{value}{i}"


def to_text(value: Any) -> str:
    """A sample as it goes into a URL, header or form field."""
    if value is None or value is _CUT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ",".join(to_text(v) for v in value)
    if isinstance(value, dict):
        from workbench.core.openapi.bundle import dump_json

        return dump_json(value)
    return str(value)


def strip_cuts(value: Any) -> Any:
    """`value` without cut markers (they never reach a request body)."""
    if isinstance(value, dict):
        return {k: strip_cuts(v) for k, v in value.items() if v is not _CUT}
    if isinstance(value, list):
        return [strip_cuts(v) for v in value if v is not _CUT]
    return None if value is _CUT else value
