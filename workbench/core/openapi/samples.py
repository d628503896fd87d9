"""Usable example values from schemas, so an imported request can be sent at once, and is valid.

A value is taken, in this order, from what the descriptor's author wrote (`example`,
`examples`, `default`, `const`, the first `enum` value; each only when it obeys the schema) and
only then made up from the type: format-aware (`date`, `date-time`, `uuid`, `email`, `uri`,
`ipv4`, `byte`, `int32`/`int64`, …), kept in shape by `minLength`/`maxLength`, and within the
constraints a validating server checks (`minimum`/`maximum`, both forms of `exclusiveMinimum`,
`multipleOf` as validators test it, `pattern`, `minItems`, `minProperties`/`maxProperties`).

Composition follows JSON Schema: `allOf` is merged into one schema first (`composition.py`), a
`oneOf` value matches exactly one branch (the discriminator names the branch; a property only
that branch has, or its required properties alone, tell it from the others) and an `anyOf`
value at least one. Request bodies leave out `readOnly` properties and responses `writeOnly`
ones (OpenAPI 3.0 §4.7.24 Schema Object). OpenAPI 3.1 schemas are JSON Schema 2020-12: type
arrays, `const`, `prefixItems`, `examples`. A schema met inside itself is left out where
optional and bottoms out where required (null, an empty array, or its required properties
once more). Where no valid value exists (identical oneOf branches, an allOf of a string and an
integer, endless required recursion) the importer is told (`warn`), never silently.

Values are deterministic (a re-import produces the same request, so user edits can be told
apart from spec changes), bounded (depth, string and array sizes, validations per choice) and
cached per schema object, so a descriptor that reuses one large schema in 400 operations builds
its sample once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Literal

from workbench.core.errors import SpecImportError
from workbench.core.openapi.composition import (
    Merged,
    discriminator_value,
    merge_all_of,
    same_value,
)
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
MAX_CHECKED_BRANCHES = 12  # a oneOf/anyOf with more branches takes its first without validating
MAX_CHOICE_CHECKS = 24  # validations spent choosing one oneOf/anyOf value
MAX_CHOICE_WORK = 400  # candidates tried per sample: nested choices that all fail stay linear, not 24^depth
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
    """Builds sample values from the schemas of one bundled descriptor (see the module docstring).

    `check` (supplied by the importer) is full JSON Schema validation: it vets object and array
    examples and picks the `oneOf` value that matches exactly one branch. `warn` hears about
    schemas no value can satisfy, so the import says so instead of sending a refused request.
    """

    def __init__(self, refs: LocalRefs, openapi30: bool = False,
                 check: Callable[[Mapping[str, Any], Any], bool] | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.refs = refs
        self.openapi30 = openapi30  # `exclusiveMinimum: true` is a flag there, a number in 3.1
        self.check = check
        self.warn = warn
        self._cache: dict[tuple[int, str, int], Any] = {}
        self._merged: dict[int, tuple[Mapping[str, Any], Merged]] = {}  # keeps the source alive: ids stay unique
        self._noted: set[int] = set()
        self._where = ""
        self._work = 0

    # ------------------------------------------------------------------ public

    def sample(self, schema: Any, mode: Mode = "request", where: str = "") -> Any:
        """A value valid for `schema` (a JSON-able Python value); `where` names the use in warnings."""
        previous, self._where = self._where, where
        self._work = 0
        try:
            return self._value(schema, mode, 0, ())
        finally:
            self._where = previous

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
            if depth > MAX_DEPTH or ref in stack:
                return _CUT  # a schema met inside itself: an optional property is left out (see _reenter)
            try:
                target = self.refs.target(ref)
            except SpecImportError:
                return _CUT
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
                    self._trusted_unchecked(schema, example, mode, stack)
                    return example
        if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"] \
                and fits(schema, schema["examples"][0]):
            self._trusted_unchecked(schema, schema["examples"][0], mode, stack)
            return schema["examples"][0]
        if "const" in schema:
            return schema["const"]
        if "default" in schema and schema["default"] is not None and fits(schema, schema["default"]):
            return schema["default"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((e for e in enum if e is not None), enum[0])
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, mode, depth, stack)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return self._choice(schema, key, branches, mode, depth, stack)
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

    def _note(self, node: Mapping[str, Any], mode: Mode, stack: tuple[str, ...], message: str) -> None:
        """Tell the importer (once per schema) that no valid value exists where `node` is."""
        if self.warn is None or mode != "request" or id(node) in self._noted:
            return
        self._noted.add(id(node))
        at = f"schema {stack[-1]}" if stack else "an inline schema"
        prefix = f"{self._where}: " if self._where else ""
        self.warn(f"{prefix}{at}: {message}; the sample sent may be refused")

    def _trusted_unchecked(self, schema: Mapping[str, Any], example: Any, mode: Mode, stack: tuple[str, ...]) -> None:
        """Warn when an author's example is used without being matched against its `pattern`.

        `fits` trusts a string it cannot match safely (a pattern too long, invalid or prone to
        exponential backtracking, or a value over MAX_MATCH_INPUT): say so rather than silently.
        """
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and isinstance(example, str) and (
                len(example) > MAX_MATCH_INPUT or not pattern_is_checkable(pattern)):
            shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
            self._note(schema, mode, stack, f"its example is used unchecked: the pattern {shown!r} cannot be "
                                            "matched safely (too long, invalid or prone to runaway backtracking)")

    def _merge(self, schema: Mapping[str, Any]) -> Merged:
        """`schema`'s allOf as one schema (`composition.merge_all_of`), once per schema object."""
        found = self._merged.get(id(schema))
        if found is None or found[0] is not schema:
            found = (schema, merge_all_of(schema, self.refs))
            self._merged[id(schema)] = found
        return found[1]

    def _shape(self, schema: Any) -> Mapping[str, Any]:
        """What `schema` says about an object's properties: `$ref`s followed, allOf merged."""
        try:
            target = self.refs.deref(schema) if isinstance(schema, Mapping) else None
        except SpecImportError:
            return {}
        if not isinstance(target, Mapping):
            return {}
        if isinstance(target.get("allOf"), list):
            merged: Mapping[str, Any] = self._merge(target).schema
            return merged
        shape: Mapping[str, Any] = target
        return shape

    def _all_of(self, schema: Mapping[str, Any], mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        found = self._merge(schema)
        if found.conflicts:
            self._note(schema, mode, stack, "no value satisfies its allOf: " + "; ".join(found.conflicts))
        # The parts' `$ref`s count as entered: `next: {nullable: true, allOf: [$ref ListNode]}` recurses.
        if any(ref in stack for ref in found.refs):
            return _CUT
        merged = found.schema
        value = self._value(merged, mode, depth, stack + found.refs)
        # Inheritance (`Cat: allOf [Pet, …]`, Pet has the discriminator): the value names Cat.
        disc = merged.get("discriminator")
        if isinstance(value, dict) and isinstance(disc, Mapping) and stack:
            try:
                is_target = self.refs.target(stack[-1]) is schema
            except SpecImportError:
                is_target = False
            if is_target:
                value = self._with_discriminator(value, disc, {"$ref": stack[-1]}, merged)
        return value

    def _with_discriminator(self, value: dict[str, Any], disc: Mapping[str, Any], branch: Any,
                            shape: Mapping[str, Any]) -> dict[str, Any]:
        """`value` with the discriminator property naming `branch` (unless the branch pins it itself)."""
        prop = disc.get("propertyName")
        name = discriminator_value(disc, branch)
        if not isinstance(prop, str) or name is None:
            return value
        props = shape.get("properties")
        declared = self._shape(props.get(prop)) if isinstance(props, Mapping) else {}
        if "enum" in declared or "const" in declared:
            return value  # the branch's own enum/const already says which it is
        return {**value, prop: name}

    def _branch_order(self, branches: list[Any]) -> list[int]:
        """Non-null branches first (a null sample is rarely what a user wants to send)."""
        def is_null(branch: Any) -> bool:
            target = self._shape(branch)
            return _type_of(target) == "null" if target else False

        nulls = [is_null(b) for b in branches]
        return [i for i, n in enumerate(nulls) if not n] + [i for i, n in enumerate(nulls) if n]

    def _choice(self, schema: Mapping[str, Any], key: str, branches: list[Any], mode: Mode, depth: int,
                stack: tuple[str, ...]) -> Any:
        """oneOf: a value valid for exactly one branch; anyOf: for at least one (JSON Schema §10.2.1).

        Each branch in turn offers candidates: its full sample, then with only its required
        properties plus one property no other branch declares, then with required properties
        only; with a discriminator, its property names the branch (mapping key, else schema
        name). The first candidate the whole schema accepts wins; without a validator, the first
        candidate. When none passes, the first is used and the import warns.
        """
        siblings = {k: v for k, v in schema.items()
                    if k not in (key, "discriminator", "example", "examples", "default", "x-example")}
        base = self._object(siblings, mode, depth, stack) if siblings.get("properties") else None
        disc = schema.get("discriminator") if key == "oneOf" else None
        shapes = [self._shape(b) for b in branches[:MAX_CHECKED_BRANCHES]]
        checked = self.check is not None and len(branches) <= MAX_CHECKED_BRANCHES
        first: Any = _CUT
        checks = 0
        for index in self._branch_order(branches)[:MAX_CHECKED_BRANCHES]:
            for candidate in self._candidates(branches[index], index, shapes, mode, depth, stack):
                if isinstance(candidate, dict):
                    if base:
                        candidate = {**base, **candidate}
                    if isinstance(disc, Mapping):
                        candidate = self._with_discriminator(candidate, disc, branches[index], shapes[index])
                if first is _CUT:
                    first = candidate
                if self.check is None:
                    return candidate
                self._work += 1
                if self._work > MAX_CHOICE_WORK:
                    return first  # this sample's budget is spent: no more tries anywhere below
                if not checked:  # too many branches to try: the first, checked once
                    if not self.check(schema, strip_cuts(candidate)):
                        self._note(schema, mode, stack, f"the sample of its {key} (only its first of "
                                                        f"{len(branches)} branches is tried) is not valid")
                    return candidate
                if checks >= MAX_CHOICE_CHECKS:
                    return first
                if key == "anyOf" and not base and _plainly_fits(shapes[index], candidate) and \
                        not any(k in schema for k in _CONSTRAINTS):
                    return candidate  # a scalar its own simple branch accepts: no validator needed
                checks += 1
                if self.check(schema, strip_cuts(candidate)):
                    return candidate
        if first is not _CUT and checked:
            what = "exactly one of its oneOf branches (as when two branches accept the same values)" if key == "oneOf" \
                else "any of its anyOf branches"
            self._note(schema, mode, stack, f"no sample matches {what}")
        return first

    def _candidates(self, branch: Any, index: int, shapes: list[Mapping[str, Any]], mode: Mode, depth: int,
                    stack: tuple[str, ...]) -> Iterator[Any]:
        full = self._value(branch, mode, depth, stack)
        if full is _CUT:
            return
        yield full
        shape = shapes[index]
        if isinstance(full, bool):
            return
        if isinstance(full, int) and _type_of(shape) == "number":
            yield full + 0.5  # a number that is not an integer tells `number` from `integer`
            return
        if not isinstance(full, dict):
            return
        lean = self._value(branch, mode, max(depth, MAX_OPTIONAL_DEPTH), stack)
        if not isinstance(lean, dict):
            return
        others: set[str] = set()
        for i, other in enumerate(shapes):
            props = other.get("properties")
            if i != index and isinstance(props, Mapping):
                others.update(str(n) for n in props)
        props = shape.get("properties")
        own = [str(n) for n in props if str(n) not in others and str(n) in full and str(n) not in lean] \
            if isinstance(props, Mapping) else []
        for name in own[:3]:
            yield {**lean, name: full[name]}
        if lean != full:
            yield lean

    def _object(self, schema: Mapping[str, Any], mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        props = schema.get("properties")
        required = {n for n in _as_list(schema.get("required")) if isinstance(n, str)}
        out: dict[str, Any] = {}
        skipped: list[str] = []
        if isinstance(props, Mapping):
            for name, prop in props.items():
                target = self._shape(prop)
                if mode == "request" and target.get("readOnly") is True:
                    continue
                if mode == "response" and target.get("writeOnly") is True:
                    continue
                if name not in required and depth >= MAX_OPTIONAL_DEPTH:
                    skipped.append(name)
                    continue
                value = self._value(prop, mode, depth + 1, stack)
                if value is _CUT and name in required:
                    value = _bottom(target)
                    if value is _CUT:
                        value = self._reenter(prop, mode, depth + 1, stack)
                    if value is _CUT and depth > 0:
                        return _CUT  # no finite value here: let an array end empty or a branch give way
                    if value is _CUT:
                        self._note(schema, mode, stack, f"required property {name!r} contains itself "
                                                        "without end (no finite value exists)")
                        kind = _type_of(target)
                        value = {} if kind in ("object", "") else ([] if kind == "array" else None)
                if value is not _CUT:
                    out[name] = value
        self._property_count(schema, out, skipped, required, mode, depth, stack)
        return out

    def _reenter(self, prop: Any, mode: Mode, depth: int, stack: tuple[str, ...]) -> Any:
        """A required property whose schema is one it sits in: entered once more, required
        properties only, so it bottoms out one level down (`Folder.entries[].folder` → a Folder
        with empty entries). A schema already entered twice is cut."""
        if not isinstance(prop, Mapping) or depth > MAX_DEPTH:
            return _CUT
        ref = prop.get("$ref")
        lean = max(depth, MAX_OPTIONAL_DEPTH)
        if isinstance(ref, str):
            if stack.count(ref) >= 2:
                return _CUT
            try:
                target = self.refs.target(ref)
            except SpecImportError:
                return _CUT
            return self._value(target, mode, lean, stack + (ref,))
        if isinstance(prop.get("allOf"), list):
            found = self._merge(prop)
            if any(stack.count(r) >= 2 for r in found.refs):
                return _CUT
            return self._value(found.schema, mode, lean, stack + found.refs)
        return _CUT

    def _property_count(self, schema: Mapping[str, Any], out: dict[str, Any], skipped: list[str],
                        required: set[str], mode: Mode, depth: int, stack: tuple[str, ...]) -> None:
        """minProperties: declared properties first, then extra ones when they are allowed; maxProperties."""
        min_props = schema.get("minProperties")
        props = schema.get("properties")
        if isinstance(min_props, int) and len(out) < min_props and isinstance(props, Mapping):
            for name in skipped:
                if len(out) >= min_props:
                    break
                value = self._value(props[name], mode, depth + 1, stack)
                if value is not _CUT:
                    out[name] = value
        extra = schema.get("additionalProperties")
        if isinstance(min_props, int) and len(out) < min_props and extra is not False:
            extra_schema = extra if isinstance(extra, Mapping) else {}
            i = 1
            while len(out) < min(min_props, MAX_SAMPLE_ITEMS) and i <= MAX_SAMPLE_ITEMS:
                key = f"key{i}"
                if key not in out and not (isinstance(props, Mapping) and key in props):
                    value = self._value(extra_schema, mode, depth + 1, stack)
                    out[key] = "string" if value is _CUT else value
                i += 1
        max_props = schema.get("maxProperties")
        if isinstance(max_props, int) and not isinstance(max_props, bool) and len(out) > max_props:
            for name in [n for n in reversed(list(out)) if n not in required][:len(out) - max_props]:
                del out[name]

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
            choices = self._shape(items).get("enum")
            if schema.get("uniqueItems") and count > 1 and isinstance(choices, list) and len(choices) >= count:
                out = list(choices[:count])
            elif schema.get("uniqueItems") and count > 1 and not isinstance(value, (dict, list)):
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
        low = min(min_len, MAX_SAMPLE_STRING) if isinstance(min_len, int) and not isinstance(min_len, bool) else 0
        high = max_len if isinstance(max_len, int) and not isinstance(max_len, bool) else None
        fitted = _fit_length(value, fmt, low, high)
        if isinstance(pattern, str) and fitted != value and not _search(pattern, fitted):
            # Padding broke the pattern (`^[A-Z]+$`, minLength 4): pad with a character it allows.
            for pad in dict.fromkeys((value[-1:] or "a") + (value[:1] or "a") + "aA1x_-"):
                grown = _fit_length(value, "", low, high, pad)
                if _search(pattern, grown):
                    return grown
                if len(value) < low:  # or inside it (`^[a-z]+\d$`): after the first character
                    grown = value[:1] + pad * (low - len(value)) + value[1:]
                    if _search(pattern, grown):
                        return grown
        return fitted

    def _number(self, schema: Mapping[str, Any], integer: bool) -> float | int:
        """A number within the bounds (both OpenAPI 3.0's boolean and 3.1's numeric exclusive forms)
        that is a multiple of `multipleOf` the way validators test it: `value / step` is an integer."""
        low, low_open = _bound(schema, "minimum", "exclusiveMinimum", max)
        high, high_open = _bound(schema, "maximum", "exclusiveMaximum", min)
        step = _real(schema.get("multipleOf"))
        step = step if step is not None and step > 0 else None

        def ok(v: float) -> bool:
            if low is not None and (v < low or (low_open and v <= low)):
                return False
            if high is not None and (v > high or (high_open and v >= high)):
                return False
            if integer and not float(v).is_integer():
                return False
            return step is None or (v / step).is_integer()

        starts: list[float] = [1.0]
        if low is not None:
            starts = [low, low + 1, low + (min(1.0, (high - low) / 2) if high is not None else 1.0)]
        if high is not None:
            starts += [high, high - 1, (low + high) / 2 if low is not None else high - 0.5, 0.0, -1.0]
        for start in starts:
            for candidate in (_multiples(start, step) if step is not None else [start, float(math.ceil(start))]):
                if ok(candidate):
                    return _as_number(candidate, integer)
        fallback = low if low is not None else (high if high is not None else 1.0)
        return _as_number(fallback, integer)


_CONSTRAINTS = ("type", "enum", "const", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
                "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "not", "allOf", "oneOf", "properties",
                "required", "items", "additionalProperties")


def _plainly_fits(shape: Mapping[str, Any], value: Any) -> bool:
    """A scalar value that `fits` a branch with only simple scalar keywords (Stripe's
    `anyOf: [{type: string, maxLength: 5000}, {enum: [""]}]` needs no JSON Schema validator)."""
    if isinstance(value, (dict, list)) or not shape or value is _CUT:
        return False
    if any(k in shape for k in ("oneOf", "anyOf", "allOf", "not", "$ref", "properties", "items")):
        return False
    return bool(shape.get("type") or "enum" in shape or "const" in shape) and fits(shape, value)


def _bottom(target: Mapping[str, Any]) -> Any:
    """Where a required property's schema recurses: null when allowed, an empty array, else cut."""
    types = target.get("type")
    if target.get("nullable") is True or types == "null" or (isinstance(types, list) and "null" in types):
        return None
    if _type_of(target) == "array" and not (isinstance(target.get("minItems"), int) and target["minItems"] > 0):
        return []
    return _CUT


def _real(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value) else None


def _bound(schema: Mapping[str, Any], inclusive: str, exclusive: str,
           tighter: Callable[[float, float], float]) -> tuple[float | None, bool]:
    """The tighter of `minimum` and `exclusiveMinimum` (3.0: a flag on minimum; 3.1: a number)."""
    plain = _real(schema.get(inclusive))
    flag = schema.get(exclusive)
    if flag is True:
        return plain, plain is not None
    open_bound = _real(flag)
    if open_bound is None:
        return plain, False
    if plain is None or tighter(plain, open_bound) == open_bound:
        return open_bound, True
    return plain, False


def _multiples(start: float, step: float) -> list[float]:
    """Multiples of `step` at and after `start`, rounded to the step's decimals (0.1 * 3 is not 0.3)."""
    decimals = max(0, min(15, 12 - int(math.floor(math.log10(step)))))
    first = math.ceil(start / step - 1e-9) if abs(start / step) < 1e15 else 1
    return [round((first + k) * step, decimals) for k in range(4)]


def _as_number(value: float, integer: bool) -> float | int:
    if integer or float(value).is_integer():
        return int(math.ceil(value))
    return float(value)


def _fit_length(value: str, fmt: str, low: int, high: int | None, pad: str = "x") -> str:
    """`value` padded or cut to [low, high] characters, keeping its format valid where it can."""
    if high is not None and high < low:
        high = low
    if len(value) < low:
        if fmt in ("email", "idn-email") and "@" in value:
            local, _, domain = value.partition("@")
            return local + pad * (low - len(value)) + "@" + domain
        if fmt == "byte":
            blocks = -(-(low - len(value)) // 4)
            return (value + "QUFB" * blocks)[:MAX_SAMPLE_STRING]
        return value + pad * (low - len(value))
    if high is not None and len(value) > high:
        short = _SHORT_FORMATS.get(fmt)
        if short is not None and low <= len(short) <= high:
            return short
        if fmt == "byte":
            return value[:max(high - high % 4, 0)]
        return value[:max(high, 0)]
    return value


_SHORT_FORMATS = {"email": "a@b.co", "idn-email": "a@b.co", "uri": "https://a.io", "url": "https://a.io",
                  "iri": "https://a.io", "hostname": "a.io", "idn-hostname": "a.io", "uri-reference": "/a",
                  "password": "secret"}


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
    if isinstance(enum, list) and enum and not any(same_value(value, e) for e in enum):
        return False
    if "const" in schema and not same_value(value, schema["const"]):
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
        low, low_open = _bound(schema, "minimum", "exclusiveMinimum", max)
        high, high_open = _bound(schema, "maximum", "exclusiveMaximum", min)
        if (low_open and low is not None and value <= low) or (high_open and high is not None and value >= high):
            return False
        step = _real(schema.get("multipleOf"))
        if step is not None and step > 0 and not (value / step).is_integer():
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
    if "format" in schema and schema["format"] in ("float", "double"):
        return "number"
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
