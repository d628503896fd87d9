"""Where a page's rows are, on parsed JSON and on the lazy index the Table reads."""

from __future__ import annotations

import json

from workbench.core.paging.items import (
    collection_node,
    envelope,
    page_items,
    total_count,
)
from workbench.core.response.json_index import JsonIndex


def test_rows_in_every_envelope() -> None:
    assert page_items({"value": [1]}) == (1,)
    assert page_items({"d": {"results": [2]}}) == (2,)
    assert page_items({"data": [3], "paging": {}}) == (3,)
    assert page_items([4]) == (4,)
    assert page_items({"_embedded": {"things": [5]}}) == (5,)
    assert page_items({"name": "x"}) == ()
    assert total_count({"data": [], "paging": {"totalCount": 57}}) == 57
    assert total_count({"@odata.count": 9}) == 9 and total_count({"d": {"__count": "830"}}) == 830
    assert total_count({"data": []}) is None


def test_collection_node_and_envelope_on_the_index() -> None:
    body = {"data": [{"id": 1}, {"id": 2}], "paging": {"nextPage": "http://h/?PageNumber=2", "totalCount": 2}}
    index = JsonIndex(json.dumps(body).encode())
    node = collection_node(index)
    assert node is not None and node.key == "data" and index.child_count(node) == 2
    assert envelope(index, node) == {"data": [], "paging": body["paging"]}
    top = JsonIndex(b'[{"a": 1}, {"a": 2}]')
    assert collection_node(top) is top.root
    assert collection_node(JsonIndex(b"[1, 2]")) is None  # not rows of objects
    assert collection_node(JsonIndex(b'{"tags": ["a"]}')) is None
