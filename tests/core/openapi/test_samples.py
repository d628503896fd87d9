"""Sample values from schemas: the author's values first, then type- and format-aware, within constraints."""

from __future__ import annotations

import re
from typing import Any

import pytest

from workbench.core.openapi.refs import LocalRefs
from workbench.core.openapi.samples import (
    SampleGenerator,
    fits,
    regex_sample,
    strip_cuts,
)


def sample(schema: Any, mode: str = "request", components: dict[str, Any] | None = None) -> Any:
    doc = {"components": {"schemas": components or {}}}
    return strip_cuts(SampleGenerator(LocalRefs(doc)).sample(schema, mode))  # type: ignore[arg-type]


@pytest.mark.parametrize("schema, expected", [
    ({"type": "string", "example": "ex", "default": "e", "enum": ["e", "ex"]}, "ex"),
    ({"type": "string", "examples": ["first", "second"], "default": "d"}, "first"),
    ({"type": "integer", "default": 42, "enum": [1, 42]}, 42),
    ({"type": "string", "enum": [None, "b", "c"]}, "b"),
    ({"const": "fixed"}, "fixed"),
    ({"type": "boolean"}, True),
    ({"type": "null"}, None),
])
def test_author_values_first(schema: dict[str, Any], expected: Any) -> None:
    """example, else examples[0] (3.1), else const, else default, else first non-null enum."""
    assert sample(schema) == expected


@pytest.mark.parametrize("fmt, check", [
    ("date", r"^\d{4}-\d{2}-\d{2}$"),
    ("date-time", r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"),
    ("uuid", r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
    ("email", r"^[^@]+@[^@]+\.\w+$"),
    ("uri", r"^https://"),
    ("ipv4", r"^\d+\.\d+\.\d+\.\d+$"),
    ("byte", r"^[A-Za-z0-9+/=]+$"),
])
def test_string_formats(fmt: str, check: str) -> None:
    assert re.match(check, sample({"type": "string", "format": fmt}))


def test_integer_formats_and_bounds() -> None:
    """int32/int64 are integers; minimum/maximum/exclusive bounds (3.0 flags and 3.1 numbers), multipleOf."""
    assert sample({"type": "integer", "format": "int32"}) == 1
    assert sample({"type": "integer", "format": "int64", "minimum": 100}) == 100
    assert sample({"type": "integer", "minimum": 5, "exclusiveMinimum": True}) == 6
    assert sample({"type": "integer", "exclusiveMinimum": 9}) == 10
    assert sample({"type": "integer", "maximum": -3}) == -3
    assert sample({"type": "integer", "minimum": 1, "multipleOf": 25}) == 25
    value = sample({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 0.5})
    assert 0 < value <= 0.5


def test_string_lengths_and_patterns() -> None:
    assert len(sample({"type": "string", "minLength": 12})) == 12
    assert sample({"type": "string", "maxLength": 3}) == "str"
    for pattern in (r"^[A-Z]{3}-\d{4}$", r"^(foo|bar)_[a-z]+$", r"^'([^']|'')*'$", r"^\w+@example\.org$"):
        value = sample({"type": "string", "pattern": pattern})
        assert re.search(pattern, value), (pattern, value)
    assert regex_sample("(?<=x)y") is None or re.search("(?<=x)y", regex_sample("(?<=x)y") or "")


def test_objects_required_read_only_write_only() -> None:
    """readOnly properties are left out of requests, writeOnly ones out of responses (OAS 3.0 Schema Object)."""
    schema = {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "string"}, "id": {"type": "integer", "readOnly": True},
        "secret": {"type": "string", "writeOnly": True}}}
    assert sample(schema, "request") == {"a": "string", "secret": "string"}
    assert sample(schema, "response") == {"a": "string", "id": 1}


def test_all_of_merges_and_required_from_another_branch() -> None:
    """allOf: branches merged; `required` naming a property declared in another branch is honoured."""
    components = {"Base": {"type": "object", "properties": {"id": {"type": "integer"}}}}
    schema = {"required": ["kind"], "allOf": [{"$ref": "#/components/schemas/Base"},
                                              {"properties": {"kind": {"type": "string", "enum": ["x"]}}}]}
    assert sample(schema, components=components) == {"id": 1, "kind": "x"}


def test_one_of_any_of_take_the_first_non_null_branch() -> None:
    assert sample({"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 3}]}) == 3
    assert sample({"anyOf": [{"type": "string", "format": "date"}, {"type": "integer"}]}) == "2024-01-15"
    assert sample({"type": ["null", "string"], "format": "email"}) == "user@example.com"


def test_arrays_min_items_unique_and_prefix_items() -> None:
    assert sample({"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True}) == [1, 2, 3]
    assert sample({"type": "array", "prefixItems": [{"const": "a"}, {"type": "boolean"}]}) == ["a", True]


def test_circular_schema_is_cut() -> None:
    """A schema that contains itself ends where it repeats, never recursing forever."""
    components = {"Node": {"type": "object", "required": ["next"], "properties": {
        "v": {"type": "integer"}, "next": {"$ref": "#/components/schemas/Node"}}}}
    value = sample({"$ref": "#/components/schemas/Node"}, components=components)
    assert value == {"v": 1, "next": {}}


def test_invalid_author_examples_are_replaced() -> None:
    """Specs often break their own rules (PayPal: `website: www.test.com` for format uri): such
    scalar examples are skipped in favour of a generated value that validating servers accept."""
    assert sample({"type": "string", "format": "uri", "example": "www.test.com"}) == "https://example.com/resource"
    assert sample({"type": "integer", "example": "12"}) == 1
    assert sample({"type": "string", "enum": ["a", "b"], "default": "z"}) == "a"
    assert fits({"type": "string", "format": "date"}, "2024-02-03")
    assert not fits({"type": "string", "pattern": "^x"}, "y")


def test_samples_are_deterministic_and_cached() -> None:
    """Same schema object → same value (so re-imports diff cleanly); built once per schema."""
    components = {"Big": {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(50)}}}
    generator = SampleGenerator(LocalRefs({"components": {"schemas": components}}))
    first = generator.sample({"$ref": "#/components/schemas/Big"})
    second = generator.sample({"$ref": "#/components/schemas/Big"})
    assert first == second and first is second
