"""allOf merged into one schema (JSON Schema 2020-12 §10.2.1.1: every part at once), discriminator values."""

from __future__ import annotations

from workbench.core.openapi.composition import (
    discriminator_value,
    merge_all_of,
    same_value,
)
from workbench.core.openapi.refs import LocalRefs


def refs(**schemas: object) -> LocalRefs:
    return LocalRefs({"components": {"schemas": schemas}})


def test_types_intersect_bounds_tighten_enums_meet() -> None:
    merged = merge_all_of({"allOf": [
        {"type": ["number", "null"], "minimum": 1, "maximum": 9, "enum": [2, 4, 6, True]},
        {"type": "integer", "minimum": 3, "exclusiveMaximum": 8, "enum": [4, 6, 1]},
        {"multipleOf": 2}, {"multipleOf": 3}]}, refs())
    assert merged.schema == {"type": "integer", "minimum": 3, "maximum": 9, "exclusiveMaximum": 8,
                             "enum": [4, 6], "multipleOf": 6}
    assert merged.conflicts == ()


def test_properties_merge_as_all_of_and_required_unite_through_refs() -> None:
    base = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    merged = merge_all_of({"allOf": [{"$ref": "#/components/schemas/Base"},
                                      {"allOf": [{"required": ["name"], "properties": {
                                          "id": {"minimum": 5}, "name": {"type": "string"}}}]}]}, refs(Base=base))
    assert merged.schema["required"] == ["id", "name"]
    assert merged.schema["properties"]["id"] == {"allOf": [{"type": "integer"}, {"minimum": 5}]}
    assert merged.refs == ("#/components/schemas/Base",)


def test_conflicts_are_named() -> None:
    assert merge_all_of({"allOf": [{"type": "string"}, {"type": "integer"}]}, refs()).conflicts
    assert merge_all_of({"allOf": [{"enum": ["a"]}, {"const": "b"}]}, refs()).conflicts
    assert merge_all_of({"allOf": [{"minLength": 5}, {"maxLength": 2}]}, refs()).conflicts
    closed = merge_all_of({"allOf": [{"additionalProperties": False, "properties": {"a": {}}},
                                     {"required": ["b"], "properties": {"b": {}}}]}, refs())
    assert closed.conflicts and "'b'" in closed.conflicts[0] and set(closed.schema["properties"]) == {"a"}


def test_self_including_all_of_ends() -> None:
    loop = {"allOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "object"}]}
    assert merge_all_of(loop, refs(Loop=loop)).schema == {"type": "object"}


def test_discriminator_value_mapping_then_schema_name() -> None:
    disc = {"propertyName": "kind", "mapping": {"c": "#/components/schemas/Cat", "d": "Dog"}}
    assert discriminator_value(disc, {"$ref": "#/components/schemas/Cat"}) == "c"
    assert discriminator_value(disc, {"$ref": "#/components/schemas/Dog"}) == "d"
    assert discriminator_value(disc, {"$ref": "#/components/schemas/Eel"}) == "Eel"
    assert discriminator_value(disc, {"type": "object"}) is None


def test_same_value_is_json_equality() -> None:
    assert same_value(1, 1.0) and not same_value(True, 1) and not same_value(0, False)
    assert same_value({"a": [True]}, {"a": [True]}) and not same_value({"a": [1]}, {"a": [True]})
