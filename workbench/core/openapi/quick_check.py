"""A tiny JSON Schema 2020-12 checker that can only say "valid", for the import's example checks.

Importing `jsonschema` (~65 ms) and building its validators cost Stripe's import more than every
check it then ran, and every one of Stripe's checked values is valid against schemas made of
`type`/`enum`/`maxLength`/`anyOf`/`properties`/`required`/`items`. `surely_valid` walks such a
schema itself; it answers True only when the value is valid by the 2020-12 rules as jsonschema
applies them (booleans are not numbers, `1.0` is an integer, enum members compare as jsonschema's
`equal` does). Anything else (a keyword it does not know, a `$ref`, a format jsonschema's checker
knows, a value that fails) answers False: "not proven", and `bodies.py` asks jsonschema, whose
verdict and message stand. So the answer of the import never changes, only who gives it.
"""

from __future__ import annotations

from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_DEPTH = 64
MAX_NODES = 20_000  # schema nodes visited for one value: past that, jsonschema decides

# Keywords that never make a value invalid (annotations, and definitions only a `$ref` reaches:
# a `$ref` anywhere makes the checker give up, so they are never reached).
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "example", "deprecated", "readOnly",
                          "writeOnly", "$comment", "$defs", "definitions", "components"})
# Formats that neither jsonschema's FormatChecker nor bodies._format_checker registers, so a
# `format` of one of these checks nothing (tests/core/openapi/test_quick_check.py proves it).
UNCHECKED_FORMATS = frozenset({"unix-time", "int32", "int64", "float", "double", "byte", "binary", "password",
                               "decimal"})
_NUMBER = (int, float)


class _GiveUp(Exception):
    """The checker cannot prove the value valid: jsonschema decides."""


def surely_valid(schema: Any, value: Any) -> bool:
    """True when `value` is valid against the self-contained 2020-12 `schema`; False = not proven."""
    if not isinstance(schema, dict) or schema.get("$schema", DIALECT) != DIALECT:
        return False
    budget = [MAX_NODES]
    try:
        return _valid(schema, value, 0, budget)
    except (_GiveUp, RecursionError):
        return False


def _valid(schema: Any, value: Any, depth: int, budget: list[int]) -> bool:
    """Whether `value` is proven valid; raises `_GiveUp` for what only jsonschema may judge."""
    if schema is True:
        return True
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        raise _GiveUp
    budget[0] -= 1
    if budget[0] < 0:
        raise _GiveUp
    kind = type(value)
    if kind not in (str, int, float, bool, dict, list) and value is not None:
        raise _GiveUp  # dates from YAML, subclasses: jsonschema's type rules would need a closer look
    if kind is dict and not all(type(name) is str for name in value):
        raise _GiveUp
    for key, rule in schema.items():
        if key in _ANNOTATIONS or (isinstance(key, str) and key.startswith("x-")):
            continue
        if key == "$schema":
            if rule != DIALECT:
                raise _GiveUp
            continue
        if key == "type":
            names = rule if isinstance(rule, list) else [rule]
            if not any(_is_type(value, name) for name in names):
                return False
        elif key == "enum":
            if not isinstance(rule, list) or not any(_equal(member, value) for member in rule):
                return False
        elif key in ("maxLength", "minLength"):
            if type(rule) is not int:
                raise _GiveUp
            if kind is str and (len(value) > rule if key == "maxLength" else len(value) < rule):
                return False
        elif key == "format":
            if type(rule) is not str or rule not in UNCHECKED_FORMATS:
                raise _GiveUp
        elif key == "anyOf":
            if not isinstance(rule, list) or not rule:
                raise _GiveUp
            if not any(_branch(branch, value, depth, budget) for branch in rule):
                return False
        elif key == "properties":
            if not isinstance(rule, dict):
                raise _GiveUp
            if kind is dict:
                for name, sub in rule.items():
                    if name in value and not _valid(sub, value[name], depth + 1, budget):
                        return False
        elif key == "required":
            if not isinstance(rule, list) or not all(type(n) is str for n in rule):
                raise _GiveUp
            if kind is dict and any(n not in value for n in rule):
                return False
        elif key == "additionalProperties":
            if kind is dict and not _additional(schema, rule, value, depth, budget):
                return False
        elif key == "items":
            if rule is True or not (kind is list):
                if not isinstance(rule, (dict, bool)):
                    raise _GiveUp
                continue
            for item in value:
                if not _valid(rule, item, depth + 1, budget):
                    return False
        else:
            raise _GiveUp  # `$ref`, `pattern`, `minimum`, `oneOf`, `allOf`, …
    return True


def _branch(schema: Any, value: Any, depth: int, budget: list[int]) -> bool:
    """One `anyOf` branch: a branch the checker cannot judge only means "not proven by this one"."""
    try:
        return _valid(schema, value, depth + 1, budget)
    except _GiveUp:
        if budget[0] < 0:
            raise
        return False


def _additional(schema: dict[str, Any], rule: Any, value: dict[Any, Any], depth: int, budget: list[int]) -> bool:
    if "patternProperties" in schema:
        raise _GiveUp
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        raise _GiveUp
    extra = [name for name in value if name not in props]
    if rule is True or not extra:
        return True
    if rule is False:
        return False
    return all(_valid(rule, value[name], depth + 1, budget) for name in extra)


def _is_type(value: Any, name: Any) -> bool:
    kind = type(value)
    if name == "string":
        return kind is str
    if name == "object":
        return kind is dict
    if name == "array":
        return kind is list
    if name == "boolean":
        return kind is bool
    if name == "null":
        return value is None
    if name == "number":
        return kind is int or kind is float
    if name == "integer":
        return kind is int or (kind is float and value.is_integer())
    raise _GiveUp  # an unknown type name is a schema error for jsonschema


def _equal(member: Any, value: Any) -> bool:
    """jsonschema's `equal` for scalars: booleans never equal numbers; containers are left to it."""
    if isinstance(member, (dict, list)) or isinstance(value, (dict, list)):
        raise _GiveUp
    if type(member) is bool or type(value) is bool:
        return type(member) is type(value) and member == value
    if isinstance(member, _NUMBER) and isinstance(value, _NUMBER):
        return bool(member == value)
    if type(member) is str and type(value) is str:
        return bool(member == value)
    if member is None or value is None:
        return member is value
    if type(member) not in (str, int, float) or type(value) not in (str, int, float):
        raise _GiveUp
    return False
