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
    """A schema that contains itself is entered once more with required properties only, then
    cut: it never recurses forever (a required self-reference has no finite valid value, so the
    outermost object gets a placeholder and the import warns, see below)."""
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


# --------------------------------------------------------------------------- issue 17: fidelity
# These go through the importer's own wiring (RequestBodies: JSON Schema check and warnings), so a
# oneOf sample is checked the way the import checks it.

def checked(schema: Any, components: dict[str, Any] | None = None, version: str = "3.0.3") -> tuple[Any, list[str]]:
    """The request sample as the importer builds it, and the import warnings it caused."""
    from workbench.core.openapi.bodies import RequestBodies
    from workbench.core.openapi.descriptor import Descriptor

    descriptor = Descriptor({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
                             "components": {"schemas": components or {}}}, "", "t")
    bodies = RequestBodies(descriptor, lambda p: None)
    value = strip_cuts(bodies.samples.sample(schema, "request", "POST /x"))
    assert bodies.example_problem(schema, value) is None or descriptor.warnings, value
    return value, descriptor.warnings


def valid(schema: Any, value: Any, components: dict[str, Any] | None = None, version: str = "3.0.3") -> bool:
    from workbench.core.openapi.bodies import RequestBodies
    from workbench.core.openapi.descriptor import Descriptor

    descriptor = Descriptor({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
                             "components": {"schemas": components or {}}}, "", "t")
    return RequestBodies(descriptor, lambda p: None).example_problem(schema, value) is None


PETS = {
    "Cat": {"type": "object", "required": ["petType", "hunts"], "properties": {
        "petType": {"type": "string"}, "hunts": {"type": "boolean"}, "packSize": {"type": "integer"}}},
    "Dog": {"type": "object", "required": ["petType", "packSize"], "properties": {
        "petType": {"type": "string"}, "packSize": {"type": "integer"}, "hunts": {"type": "boolean"}}},
}
CAT, DOG = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}


def test_one_of_discriminator_mapping_key_and_one_branch_only() -> None:
    """OAS 3.1 §4.8.25: the discriminator property holds the mapping key of the chosen branch; the
    value matches that branch only (Cat's full sample, with its optional packSize, is also a Dog)."""
    schema = {"oneOf": [CAT, DOG], "discriminator": {"propertyName": "petType",
                                                     "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"}}}
    value, warnings = checked(schema, PETS)
    assert value == {"petType": "cat", "hunts": True} and not warnings


def test_one_of_discriminator_without_mapping_uses_the_schema_name() -> None:
    value, _ = checked({"oneOf": [DOG, CAT], "discriminator": {"propertyName": "petType"}}, PETS)
    assert value["petType"] == "Dog" and "hunts" not in value


def test_one_of_without_discriminator_drops_what_another_branch_requires() -> None:
    schema = {"oneOf": [
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
        {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
    ]}
    assert checked(schema)[0] == {"a": "string"}


def test_one_of_adds_a_property_only_the_chosen_branch_has() -> None:
    """Against a closed branch, a property only the chosen branch declares tells them apart."""
    schema = {"oneOf": [
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "c": {"type": "string"}}},
        {"type": "object", "required": ["a"], "additionalProperties": False, "properties": {"a": {"type": "string"}}},
    ]}
    assert checked(schema)[0] == {"a": "string", "c": "string"}


def test_one_of_number_or_integer_gets_a_fraction() -> None:
    assert checked({"oneOf": [{"type": "number"}, {"type": "integer"}]})[0] == 1.5


def test_one_of_that_no_value_can_satisfy_is_a_warning() -> None:
    """Two identical branches: every value matches both, so oneOf fails whatever is sent. Said once."""
    schema = {"oneOf": [{"type": "string"}, {"type": "string"}]}
    value, warnings = checked(schema)
    assert value == "string"
    assert len(warnings) == 1 and "POST /x" in warnings[0] and "exactly one" in warnings[0]


def test_any_of_takes_the_first_branch_that_holds() -> None:
    """anyOf: the first branch whose value is valid (an integer ≥ 100 and ≤ 50 has none)."""
    schema = {"anyOf": [{"type": "integer", "minimum": 100, "maximum": 50}, {"type": "string", "format": "uuid"}]}
    assert checked(schema)[0] == "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def test_nested_all_of_inside_one_of_merges_required_and_properties() -> None:
    components = {"Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                  "Dated": {"type": "object", "required": ["at"], "properties": {"at": {"format": "date-time"}}}}
    schema = {"oneOf": [
        {"allOf": [{"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Dated"}]},
                   {"required": ["kind"], "properties": {"kind": {"enum": ["event"]}}}]},
        {"allOf": [{"$ref": "#/components/schemas/Named"},
                   {"required": ["kind"], "properties": {"kind": {"enum": ["file"]}}}]}]}
    value, warnings = checked(schema, components)
    assert value == {"name": "string", "at": "2024-01-15T09:30:00Z", "kind": "event"} and not warnings


def test_all_of_parts_constrain_one_property_together() -> None:
    """Bounds tighten, `integer` wins over `number`, a pattern is kept through minLength padding."""
    schema = {"allOf": [
        {"type": "object", "required": ["code", "count"], "properties": {
            "code": {"type": "string", "maxLength": 4}, "count": {"type": "number", "minimum": 10}}},
        {"properties": {"code": {"minLength": 4, "pattern": "^[A-Z]+$"},
                        "count": {"type": "integer", "maximum": 12, "multipleOf": 4}}}]}
    assert checked(schema)[0] == {"code": "AAAA", "count": 12}


def test_all_of_with_a_closed_part_leaves_out_what_only_other_parts_declare() -> None:
    schema = {"allOf": [
        {"type": "object", "additionalProperties": False, "required": ["id"], "properties": {"id": {"type": "integer"}}},
        {"properties": {"id": {"minimum": 5}, "extra": {"type": "string"}}}]}
    assert checked(schema)[0] == {"id": 5}


def test_all_of_conflicting_types_is_a_warning() -> None:
    value, warnings = checked({"allOf": [{"type": "string"}, {"type": "integer"}]})
    assert len(warnings) == 1 and "incompatible types (integer, string)" in warnings[0]


def test_inheritance_discriminator_names_the_subschema() -> None:
    """`Square: allOf [Shape, …]`, Shape has the discriminator: a Square's sample says `Square`."""
    components = {
        "Shape": {"type": "object", "required": ["shape"], "properties": {"shape": {"type": "string"}},
                  "discriminator": {"propertyName": "shape", "mapping": {"circle": "#/components/schemas/Circle"}}},
        "Circle": {"allOf": [{"$ref": "#/components/schemas/Shape"}, {"properties": {"r": {"type": "number"}}}]},
        "Square": {"allOf": [{"$ref": "#/components/schemas/Shape"}, {"properties": {"side": {"type": "number"}}}]},
    }
    assert checked({"$ref": "#/components/schemas/Square"}, components)[0] == {"shape": "Square", "side": 1}
    assert checked({"$ref": "#/components/schemas/Circle"}, components)[0]["shape"] == "circle"


def test_boolean_enums_and_const() -> None:
    """`enum: [false]` is false, not the first truthy thing; JSON's 0 is not false (Python's is)."""
    assert sample({"enum": [False]}) is False
    assert sample({"type": "boolean", "enum": [True]}) is True
    assert sample({"type": "boolean", "enum": [False], "example": True}) is False
    assert sample({"enum": [False], "example": 0}) is False
    assert sample({"enum": [True], "default": 1}) is True
    assert sample({"type": "boolean", "const": False, "examples": [True]}) is False
    assert sample({"type": "array", "items": {"type": "boolean", "enum": [False]}}) == [False]


def test_recursion_ends_valid() -> None:
    """Optional recursive properties are left out (Tree.parent); a required one ends in an empty
    array or null where the schema allows it, else its schema is entered once more with required
    properties only (Entry.folder); mutual recursion ends the same way."""
    components = {
        "Tree": {"type": "object", "required": ["v", "children"], "properties": {
            "v": {"type": "integer"}, "parent": {"$ref": "#/components/schemas/Tree"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
        "List": {"type": "object", "required": ["next"], "properties": {
            "next": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/List"}]}}},
        "Folder": {"type": "object", "required": ["entries"], "properties": {
            "entries": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}}}},
        "Entry": {"type": "object", "required": ["folder"], "properties": {
            "folder": {"$ref": "#/components/schemas/Folder"}}},
    }
    tree, warnings = checked({"$ref": "#/components/schemas/Tree"}, components)
    assert tree == {"v": 1, "children": []}
    assert checked({"$ref": "#/components/schemas/List"}, components)[0] == {"next": None}
    folder = checked({"$ref": "#/components/schemas/Folder"}, components)[0]
    assert folder == {"entries": [{"folder": {"entries": []}}]}
    assert not warnings


def test_required_recursion_without_end_is_a_warning() -> None:
    components = {"A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                  "B": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/A"}}}}
    _, warnings = checked({"$ref": "#/components/schemas/A"}, components)
    assert len(warnings) == 1 and "contains itself without end" in warnings[0]


def test_recursive_one_of_takes_the_branch_that_ends() -> None:
    components = {
        "Expr": {"oneOf": [{"$ref": "#/components/schemas/Bin"}, {"$ref": "#/components/schemas/Lit"}]},
        "Bin": {"type": "object", "additionalProperties": False, "required": ["l", "r"], "properties": {
            "l": {"$ref": "#/components/schemas/Expr"}, "r": {"$ref": "#/components/schemas/Expr"}}},
        "Lit": {"type": "object", "additionalProperties": False, "required": ["v"], "properties": {"v": {"type": "number"}}},
    }
    assert checked({"$ref": "#/components/schemas/Expr"}, components)[0] == {"l": {"v": 1}, "r": {"v": 1}}


def test_read_only_through_a_ref_is_not_sent_and_required_read_only_is_no_problem() -> None:
    """OAS 3.0.3 readOnly: required applies to responses only; Prism strips such properties too."""
    components = {"Stamp": {"type": "string", "format": "date-time", "readOnly": True}}
    schema = {"type": "object", "additionalProperties": False, "required": ["id", "at", "pw"], "properties": {
        "id": {"type": "string", "readOnly": True}, "at": {"$ref": "#/components/schemas/Stamp"},
        "pw": {"type": "string", "writeOnly": True}}}
    value, warnings = checked(schema, components)
    assert value == {"pw": "string"} and not warnings
    assert valid(schema, value, components)


def test_type_arrays_and_nullable_of_openapi_31() -> None:
    schema = {"type": "object", "required": ["t", "c", "n", "z"], "properties": {
        "t": {"type": ["null", "string"], "minLength": 3}, "c": {"type": ["integer", "null"], "exclusiveMinimum": 4},
        "n": {"type": "null"}, "z": {"enum": [None]}}}
    value, warnings = checked(schema, version="3.1.0")
    assert value == {"t": "string", "c": 5, "n": None, "z": None} and not warnings


def test_min_and_max_properties() -> None:
    assert sample({"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer", "minimum": 3}}) \
        == {"key1": 3, "key2": 3}
    assert sample({"type": "object", "minProperties": 1}) == {"key1": "string"}
    deep = {"type": "object", "minProperties": 1, "additionalProperties": False,
            "properties": {"x": {"type": "string"}}}
    for _ in range(6):  # below MAX_OPTIONAL_DEPTH optional properties are skipped, minProperties still holds
        deep = {"type": "object", "required": ["d"], "properties": {"d": deep}}
    value = sample(deep)
    while "d" in value:
        value = value["d"]
    assert value == {"x": "string"}
    assert sample({"type": "object", "maxProperties": 1, "required": ["b"],
                   "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}) == {"b": "string"}


@pytest.mark.parametrize("schema, expected", [
    ({"type": "string", "format": "email", "minLength": 20}, "userxxxx@example.com"),
    ({"type": "string", "format": "email", "maxLength": 8}, "a@b.co"),
    ({"type": "string", "format": "uri", "minLength": 30}, "https://example.com/resourcexx"),
    ({"type": "string", "format": "byte", "minLength": 10}, "c2FtcGxlQUFB"),
    ({"type": "string", "pattern": r"^[a-z]+\d$", "minLength": 6}, "aaaaa1"),
])
def test_formats_keep_their_shape_within_lengths(schema: dict[str, Any], expected: str) -> None:
    assert sample(schema) == expected


@pytest.mark.parametrize("schema, expected", [
    ({"type": "number", "multipleOf": 0.1, "minimum": 0.25}, 0.4),  # 0.3 / 0.1 is 2.9999999999999996
    ({"type": "number", "multipleOf": 0.01, "minimum": 0.015}, 0.02),
    ({"type": "integer", "multipleOf": 7, "minimum": 10, "maximum": 20}, 14),
    ({"type": "integer", "minimum": 0, "exclusiveMinimum": True, "multipleOf": 5}, 5),  # OpenAPI 3.0 flag
    ({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}, 1),  # OpenAPI 3.1 numbers
    ({"type": "integer", "minimum": 3, "exclusiveMinimum": 5}, 6),  # the tighter bound wins
    ({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": True, "exclusiveMaximum": True}, 0.5),
    ({"type": "integer", "maximum": 0, "exclusiveMaximum": True}, -1),
    ({"type": "integer", "format": "int32", "maximum": -5}, -5),
])
def test_numeric_bounds_and_multiple_of(schema: dict[str, Any], expected: float) -> None:
    value = sample(schema)
    assert value == expected and fits(schema, value)


def test_choices_stay_bounded() -> None:
    """A oneOf wider than MAX_CHECKED_BRANCHES takes its first branch after one check (no
    validation storm), and says so when that value fails."""
    from workbench.core.openapi.samples import MAX_CHECKED_BRANCHES

    schema = {"oneOf": [{"type": "string"}] * (MAX_CHECKED_BRANCHES + 1)}
    value, warnings = checked(schema)
    assert value == "string" and len(warnings) == 1 and "only its first" in warnings[0]


def test_edge_corpus_imports_without_sample_warnings() -> None:
    """Every edge-case spec (tests/data/openapi/edge, sent to Prism in test_prism_acceptance)
    has a valid request for each operation, so its import finds one and warns about nothing."""
    from pathlib import Path

    from workbench.core.openapi.importer import import_openapi

    specs = sorted((Path(__file__).resolve().parents[2] / "data" / "openapi" / "edge").glob("*.yaml"))
    assert len(specs) >= 5
    for spec in specs:
        assert import_openapi(spec).warnings == (), spec.name


def test_nested_unsatisfiable_choices_stay_linear() -> None:
    """Ten nested oneOfs of twelve identical branches: 24^10 tries unbounded (MAX_CHOICE_WORK caps
    them), and validating once would visit 12^10 schemas (bodies refuses to, and says so)."""
    import time

    node: dict[str, Any] = {"type": "string"}
    for _ in range(10):
        node = {"type": "object", "required": ["x"], "properties": {"x": {"oneOf": [node] * 12}}}
    started = time.perf_counter()
    value, warnings = checked(node)
    assert time.perf_counter() - started < 10
    assert str(value).count("'x'") == 10 and any("branches too much" in w for w in warnings)
