"""Body parsing for the viewers: the structure index, incremental pretty text, error bodies."""

from __future__ import annotations

import json
import threading
from typing import Any, Callable

import orjson
import pytest

from workbench.core.errors import JsonSyntaxError
from workbench.core.response import json_index, pretty
from workbench.core.response.json_index import JsonIndex, index_bytes


def _walk(index: JsonIndex, node) -> object:
    """Rebuild the document from the index alone (children + scalar values)."""
    if node.kind == "o":
        return {child.key: _walk(index, child) for child in index.children(node)}
    if node.kind == "a":
        return [_walk(index, child) for child in index.children(node)]
    return index.value(node)


@pytest.mark.parametrize("small_container", [64, 256 * 1024])
def test_index_rebuilds_the_document_exactly(odata_document: Callable[..., dict[str, Any]], small_container: int) -> None:
    """Whatever the eager/lazy split, the index covers every value with its exact byte range."""
    doc = odata_document(300)
    data = orjson.dumps(doc)
    index = JsonIndex(data, small_container=small_container)
    index.build()
    assert index.complete and index.error is None
    assert _walk(index, index.root) == doc


def test_index_of_pretty_printed_text_with_whitespace(odata_document: Callable[..., dict[str, Any]]) -> None:
    doc = odata_document(20)
    data = json.dumps(doc, indent=4, ensure_ascii=False).encode()
    index = index_bytes(data)
    value = index.child(index.root, "value")
    assert value is not None and index.child_count(value) == 20
    assert _walk(index, index.root) == doc


def test_big_containers_are_indexed_eagerly_and_small_ones_on_demand(odata_document: Callable[..., dict[str, Any]]) -> None:
    data = orjson.dumps(odata_document(2000))
    index = JsonIndex(data, small_container=4096)
    index.build()
    value = index.child(index.root, "value")
    assert value.start in index._registry  # bigger than 4 KB: indexed while building
    first = index.children(value, 0, 1)[0]
    assert first.start not in index._registry  # a record: scanned only when asked
    assert index.child_count(first) == 7
    assert first.path() == "$.value[0]"
    owner = index.child(first, "owner")
    assert index.child(owner, "tags").path() == "$.value[0].owner.tags"


def test_paths_use_brackets_for_odd_names() -> None:
    index = index_bytes(b'{"@odata.context": "x", "a b": {"it\'s": 1}}')
    ctx, ab = index.children(index.root)
    assert ctx.path() == "$['@odata.context']"
    assert index.children(ab)[0].path() == "$['a b']['it\\'s']"


def test_preview_summarises_containers_and_cuts_long_strings() -> None:
    index = index_bytes(orjson.dumps({"o": {"a": 1, "b": 2}, "a": [1], "s": "x" * 500, "n": 1.5e3, "z": None}))
    o, a, s, n, z = index.children(index.root)
    assert index.preview(o) == "{2 keys}"
    assert index.preview(a) == "[1 item]"
    assert index.preview(s, max_chars=10) == "x" * 10 + "…"
    assert index.preview(n) == "1500.0"
    assert index.preview(z) == "null"


@pytest.mark.parametrize("text, where", [
    (b'{"a": [1, 2, }', "line 1"),
    (b'{"a": 1 "b": 2}', "expected ','"),
    (b'{"a": "unterminated}', "unterminated"),
    (b'[1, 2', "ends inside"),
    (b'{"a": tru}', "unexpected"),
    (b'{"a": 1} trailing', "after the JSON value"),
])
def test_structural_errors_are_reported_with_a_position(text: bytes, where: str) -> None:
    index = JsonIndex(text, small_container=1)
    with pytest.raises(JsonSyntaxError) as caught:
        index.build()
    assert where in caught.value.message
    assert index.error is caught.value


def test_find_text_and_key_forwards_backwards_and_case(odata_document: Callable[..., dict[str, Any]]) -> None:
    data = orjson.dumps(odata_document(50))
    index = index_bytes(data)
    hit = index.find("ÜNÏCODE", 0)  # non-ASCII letters fold case too
    assert hit is not None
    chain = index.node_at(hit[1])
    assert chain[-1].path() == "$.value[0].title"
    second = index.find("Case \"1\"".replace('"', '\\"'), hit[0] + 1, case_sensitive=True)
    assert second is not None and index.node_at(second[1])[-1].path() == "$.value[1].title"
    key = index.find("urgent", 0, key_only=True)
    assert index.node_at(key[1], exact_start=True)[-1].path() == "$.value[0].urgent"
    last = index.find("urgent", len(data), backwards=True, key_only=True)
    assert index.node_at(last[1], exact_start=True)[-1].path() == "$.value[49].urgent"
    assert index.find("no such text", 0) is None
    assert index.find("URGENT", 0, key_only=True, case_sensitive=True) is None


def test_find_crosses_search_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_index, "SEARCH_WINDOW", 64)
    data = orjson.dumps({"pad": "x" * 1000, "needle": "haystack-needle"})
    index = index_bytes(data)
    hit = index.find("haystack-needle", 0)
    assert hit is not None and data[hit[0]:hit[0] + 15] == b"haystack-needle"
    back = index.find("pad", len(data), backwards=True, key_only=True)
    assert back is not None and index.node_at(back[1], exact_start=True)[-1].key == "pad"


def test_materialize_builds_big_documents_child_by_child(odata_document: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pretty, "FULL_PARSE_BYTES", 100)
    doc = odata_document(200)
    index = JsonIndex(orjson.dumps(doc), small_container=512)
    index.build()
    assert index.materialize() == doc


def test_build_can_be_cancelled() -> None:
    data = orjson.dumps(list(range(20000)))
    cancel = threading.Event()
    cancel.set()
    index = JsonIndex(data, small_container=16)
    assert index.build(cancel) is False
    assert not index.complete


def test_validate_finds_bad_values_the_structure_scan_skips(odata_document: Callable[..., dict[str, Any]]) -> None:
    """The bracket scanner skips the inside of small records; validate() parses every leaf slice."""
    doc = odata_document(400)
    good = orjson.dumps(doc)
    index = JsonIndex(good, small_container=2048)
    index.build()
    assert index.validate() is None
    bad = bytearray(good)
    at = bad.index(b'"urgent":false', len(bad) // 2) + len(b'"urgent":')
    bad[at:at + 5] = b"fals!"
    index = JsonIndex(bytes(bad), small_container=2048)
    index.build()  # the structure is fine
    error = index.validate()
    assert error is not None and error.message.startswith("Invalid JSON in $.value[") and ".urgent (line 1" in error.message
    assert index.validate(threading.Event()) is not None
    assert JsonIndex(b'{"big": 1e400}', small_container=1).validate() is None  # valid JSON orjson refuses
