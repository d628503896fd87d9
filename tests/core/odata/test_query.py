"""The query model: value semantics, positions outside equality, JSON view, builders."""

from __future__ import annotations

import json

import pytest

from workbench.core.odata.parser import parse_url
from workbench.core.odata.query import (
    NULL,
    BinaryOp,
    Call,
    ExpandItem,
    Lambda,
    ListExpr,
    Literal,
    MemberPath,
    ODataUrl,
    QueryOptions,
    Segment,
    UnaryOp,
    and_all,
    boolean,
    number,
    or_all,
    prop,
    string,
    to_json,
    walk,
)


def test_nodes_are_frozen_values() -> None:
    node = prop("owner/city")
    with pytest.raises(AttributeError):
        node.segments = ("x",)  # type: ignore[misc]
    assert node == MemberPath(("owner", "city"))
    assert hash(node) == hash(MemberPath(("owner", "city")))


def test_positions_do_not_take_part_in_equality() -> None:
    assert Literal("int", "1", pos=5) == Literal("int", "1", pos=9)
    a = parse_url("http://h/svc/People?$filter=A eq 1&$top=3")
    b = parse_url("http://h/svc/People?$top=3&$filter=A  eq  1")
    assert a == b
    assert a.options.position_of("$top") != b.options.position_of("$top")


def test_builders_pick_literal_kinds() -> None:
    assert number(3) == Literal("int", "3")
    assert number("2.50") == Literal("decimal", "2.50")
    assert number(1e300) == Literal("double", "1e+300")
    assert boolean(False) == Literal("bool", "false")
    assert string("x") == Literal("string", "x") and NULL.kind == "null"
    assert and_all([]) is None
    a, b, c = prop("a"), prop("b"), prop("c")
    assert and_all([a, b, c]) == BinaryOp("and", BinaryOp("and", a, b), c)
    assert or_all([a, b]) == BinaryOp("or", a, b)
    with pytest.raises(TypeError):
        number(True)


def test_walk_visits_every_node() -> None:
    expr = BinaryOp("and", UnaryOp("not", Call("contains", (prop("t"), string("x")))),
                    Lambda(prop("tasks"), "any", "x", BinaryOp("in", prop("x/id"), ListExpr((number(1),)))))
    kinds = [type(n).__name__ for n in walk(expr)]
    assert kinds.count("MemberPath") == 3 and "Lambda" in kinds and "ListExpr" in kinds and "Literal" in kinds


def test_to_json_is_json_and_names_nodes() -> None:
    url = parse_url("http://h/svc/People?$filter=FirstName eq 'Scott'&$expand=Trips($top=1)")
    data = json.loads(json.dumps(to_json(url)))
    assert data["node"] == "ODataUrl" and data["service_root"] == "http://h/svc"
    filt = data["options"]["filter"]
    assert filt["node"] == "BinaryOp" and filt["op"] == "eq"
    assert filt["right"] == {"node": "Literal", "kind": "string", "text": "Scott", "pos": 41}
    assert data["options"]["expand"][0]["options"] == {"node": "QueryOptions", "top": 1}
    assert "spans" not in data["options"]


def test_defaults() -> None:
    assert QueryOptions().is_empty()
    assert ODataUrl("http://h").entity_set == ""
    assert ODataUrl("http://h", (Segment("People"),)).entity_set == "People"
    assert ExpandItem(("a",)).options == QueryOptions()
