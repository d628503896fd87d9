"""The query model: value semantics, positions outside equality, JSON view, builders."""

from __future__ import annotations

import json

import pytest

from workbench.core.odata.deep import run_deep
from workbench.core.odata.parser import parse_url
from workbench.core.odata.query import (
    JSON_INDENT_CAP,
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
    json_text,
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


@pytest.mark.parametrize("value", [1, "é\"\\\n\u2028\x00", [], {}, {"a": []}, [[[]]], ["x", {"y": None}],
                                   {"a": {"b": [1, {"c": None, "d": [True, 2.5, -3]}], "e": {}}}])
def test_json_text_writes_what_json_dumps_indent_2_writes(value: object) -> None:
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_text_of_a_5000_level_tree_is_linear() -> None:
    """A 5,000-term `or` key list is a tree 5,000 levels tall: the text grows with the nodes, not
    nodes x depth (json.dumps(indent=2) wrote 577 MB of it in a minute), and is the same value."""
    deep: dict[str, object] = {"node": "Literal", "text": "1"}
    for i in range(5000):
        deep = {"node": "BinaryOp", "op": "or", "left": deep, "right": {"node": "Literal", "pos": i}}
    text = json_text(deep)  # no deep stack needed to write it, only to read it back
    assert run_deep(lambda: json.loads(text) == deep)
    lines = text.splitlines()
    assert len(lines) < 8 * 5000 + 10 and max(len(line) for line in lines) <= 2 * JSON_INDENT_CAP + 40
    assert json_text({"a": {"b": 1}}, indent_cap=1) == '{\n  "a": {\n  "b": 1\n  }\n}'


def test_defaults() -> None:
    assert QueryOptions().is_empty()
    assert ODataUrl("http://h").entity_set == ""
    assert ODataUrl("http://h", (Segment("People"),)).entity_set == "People"
    assert ExpandItem(("a",)).options == QueryOptions()
