"""Request bodies' schema checks: answers shared by content, never by an unbounded walk."""

from __future__ import annotations

import time
from typing import Any

from workbench.core.openapi import bodies as bodies_module
from workbench.core.openapi.bodies import RequestBodies
from workbench.core.openapi.descriptor import Descriptor


def request_bodies(components: dict[str, Any] | None = None) -> tuple[RequestBodies, Descriptor]:
    descriptor = Descriptor({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                             "components": {"schemas": components or {}}}, "", "t")
    return RequestBodies(descriptor, lambda p: None), descriptor


def metadata_schema() -> dict[str, Any]:
    """A fresh copy of Stripe's inline `metadata` anyOf, as each operation repeats it."""
    return {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}},
                      {"type": "string", "enum": [""]}]}


def test_equal_schemas_share_one_validator_and_answer() -> None:
    """Stripe repeats the same inline anyOf as distinct objects: one validator, same verdicts."""
    bodies, _ = request_bodies()
    first, second = metadata_schema(), metadata_schema()
    assert bodies.example_problem(first, {"k": "v"}) is None
    assert bodies.example_problem(second, {"k": "v"}) is None
    assert len(bodies._validators) == 1
    assert bodies.example_problem(second, {"k": 1}) is not None  # another value: validated, not guessed
    assert bodies.example_problem(first, "") is None
    assert len(bodies._validators) == 1


def test_references_resolve_the_same_for_equal_text() -> None:
    bodies, _ = request_bodies({"Id": {"type": "string", "pattern": "^[a-z]+$"}})
    ref = {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Id"}}}
    assert bodies.example_problem(ref, {"id": "abc"}) is None
    assert bodies.example_problem(dict(ref), {"id": "ABC"}) is not None


def test_values_that_print_alike_are_not_shared() -> None:
    """NaN prints as null and a date as a string in orjson: such values are checked on their own."""
    import datetime

    assert bodies_module._fingerprint({"a": None}) is None
    assert bodies_module._fingerprint({"a": float("nan")}) is None
    assert bodies_module._fingerprint({"d": datetime.date(2024, 1, 15)}) is None
    assert bodies_module._fingerprint({1: "x"}) is None
    assert bodies_module._fingerprint({"nullable": True}) == b'{"nullable":true}'
    bodies, _ = request_bodies()
    schema = {"type": "object", "properties": {"d": {"type": "string"}}}
    assert bodies.example_problem(schema, {"d": "2024-01-15"}) is None
    assert bodies.example_problem(schema, {"d": datetime.date(2024, 1, 15)}) is not None


def test_shared_nodes_do_not_explode_the_fingerprint() -> None:
    """YAML aliases can nest shared nodes 2^40 deep in text: the fingerprint gives up at once."""
    node: Any = {"type": "string"}
    for _ in range(40):
        node = {"anyOf": [node, node]}
    started = time.perf_counter()
    assert bodies_module._fingerprint(node) is None
    assert time.perf_counter() - started < 1.0
