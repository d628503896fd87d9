"""The quick checker may only say "valid" where jsonschema (with the import's format checker) agrees."""

from __future__ import annotations

import itertools

import jsonschema

from workbench.core.openapi.bodies import _format_checker
from workbench.core.openapi.quick_check import DIALECT, UNCHECKED_FORMATS, surely_valid

SCHEMAS = [
    {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"},
    {"type": ["string", "null"]}, {"type": "object"}, {"type": "array"},
    {"enum": ["a", 1, True, None]}, {"enum": [0, 1.5]}, {"enum": [False]}, {"enum": [{"a": 1}, "x"]},
    {"type": "string", "maxLength": 3}, {"minLength": 2}, {"format": "unix-time", "type": "integer"},
    {"format": "date-time"}, {"format": "uri"}, {"format": "email"},
    {"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]},
    {"anyOf": [{"type": "string", "pattern": "^a"}, {"enum": [1]}]},
    {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "integer"}}},
     "required": ["a"], "additionalProperties": False, "title": "T", "x-stripe": 1},
    {"type": "object", "additionalProperties": {"type": "string"}},
    {"properties": {"a": True, "b": False}}, {"items": False}, {"items": [{"type": "string"}]},
    {"type": "object", "properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"type": "string"}}},
    {"minimum": 3}, {"nullable": True, "type": "string"}, {"type": "strange"}, {"maxLength": "3"},
]
VALUES = ["", "ab", "abcd", "2020-01-01T00:00:00Z", "mailto:x", 0, 1, 1.0, 1.5, True, False, None, [], [1, "a"],
          [1, 2], {}, {"a": "x"}, {"a": "x", "b": [1, 2.0]}, {"a": 1}, {"a": "x", "c": 1}, {"b": []},
          {"a": "x", "b": [True]}, {"a": 1}, float("nan")]


def test_valid_only_where_jsonschema_finds_no_error() -> None:
    proven = 0
    for schema, value in itertools.product(SCHEMAS, VALUES):
        holder = {"$schema": DIALECT, **schema}
        if surely_valid(holder, value):
            proven += 1
            errors = list(jsonschema.Draft202012Validator(holder, format_checker=_format_checker()).iter_errors(value))
            assert errors == [], (schema, value)
    assert proven > 60  # the checker does prove the common shapes


def test_fails_and_unknown_keywords_are_left_to_jsonschema() -> None:
    assert not surely_valid({"type": "integer"}, True)
    assert not surely_valid({"enum": [1]}, True)
    assert not surely_valid({"minimum": 3}, 5)
    assert not surely_valid({"$ref": "#/x", "x": {}}, 1)
    assert not surely_valid({"$schema": "http://json-schema.org/draft-04/schema#"}, 1)
    assert surely_valid({"type": "integer", "format": "unix-time"}, 1.0)


def test_unchecked_formats_are_unknown_to_the_format_checker() -> None:
    assert not UNCHECKED_FORMATS & set(_format_checker().checkers)
