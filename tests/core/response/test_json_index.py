"""Body parsing for the viewers: the structure index, incremental pretty text, error bodies."""

from __future__ import annotations

import json
import random
import threading

import orjson
import pytest

from workbench.core.response import json_index as body_parse
from workbench.core.response.json_index import (
    JsonIndex,
    JsonSyntaxError,
    classify,
    error_details,
    index_bytes,
    iter_pretty,
)


def _document(records: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    return {
        "@odata.context": "$metadata#Cases",
        "@odata.count": records,
        "value": [{
            "ID": i, "title": f"Case \"{i}\" — ünïcode ✓", "amount": round(rnd.random() * 1000, 2),
            "urgent": i % 3 == 0, "owner": {"name": "Anna", "tags": ["a", "b", {"deep": [1, 2, 3]}]},
            "note": None, "braces": "text with } ] { [ and \\ backslash",
        } for i in range(records)],
    }


def _walk(index: JsonIndex, node) -> object:
    """Rebuild the document from the index alone (children + scalar values)."""
    if node.kind == "o":
        return {child.key: _walk(index, child) for child in index.children(node)}
    if node.kind == "a":
        return [_walk(index, child) for child in index.children(node)]
    return index.value(node)


@pytest.mark.parametrize("small_container", [64, 256 * 1024])
def test_index_rebuilds_the_document_exactly(small_container: int) -> None:
    """Whatever the eager/lazy split, the index covers every value with its exact byte range."""
    doc = _document(300)
    data = orjson.dumps(doc)
    index = JsonIndex(data, small_container=small_container)
    index.build()
    assert index.complete and index.error is None
    assert _walk(index, index.root) == doc


def test_index_of_pretty_printed_text_with_whitespace() -> None:
    doc = _document(20)
    data = json.dumps(doc, indent=4, ensure_ascii=False).encode()
    index = index_bytes(data)
    value = index.child(index.root, "value")
    assert value is not None and index.child_count(value) == 20
    assert _walk(index, index.root) == doc


def test_big_containers_are_indexed_eagerly_and_small_ones_on_demand() -> None:
    data = orjson.dumps(_document(2000))
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


def test_parse_full_wraps_errors_and_reads_what_orjson_refuses() -> None:
    assert body_parse.parse_full(b'{"x": 1e400}') == {"x": float("inf")}
    with pytest.raises(JsonSyntaxError, match="Invalid JSON"):
        body_parse.parse_full(b'{"x": }')


def test_find_text_and_key_forwards_backwards_and_case() -> None:
    data = orjson.dumps(_document(50))
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
    monkeypatch.setattr(body_parse, "SEARCH_WINDOW", 64)
    data = orjson.dumps({"pad": "x" * 1000, "needle": "haystack-needle"})
    index = index_bytes(data)
    hit = index.find("haystack-needle", 0)
    assert hit is not None and data[hit[0]:hit[0] + 15] == b"haystack-needle"
    back = index.find("pad", len(data), backwards=True, key_only=True)
    assert back is not None and index.node_at(back[1], exact_start=True)[-1].key == "pad"


def test_materialize_builds_big_documents_child_by_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_parse, "FULL_PARSE_BYTES", 100)
    doc = _document(200)
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


def test_iter_pretty_matches_a_full_pretty_print() -> None:
    doc = _document(40)
    text = "".join(iter_pretty(orjson.dumps(doc), limit_chars=10**9, chunk_chars=512))
    assert json.loads(text) == doc
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_iter_pretty_stops_at_the_limit_and_says_so() -> None:
    progress = body_parse.PrettyProgress()
    chunks = list(iter_pretty(orjson.dumps(_document(2000)), limit_chars=20_000, chunk_chars=4096, progress=progress))
    assert progress.truncated and 20_000 <= progress.chars < 30_000
    assert chunks[0].startswith('{\n  "@odata.context": "$metadata#Cases",')


def test_iter_pretty_reports_a_syntax_error_after_the_good_part() -> None:
    progress = body_parse.PrettyProgress()
    text = "".join(iter_pretty(b'{"a": [1, 2], "b": ]', 10**6, progress=progress))
    assert '"a": [' in text
    assert progress.error is not None and "Invalid JSON" in progress.error.message


@pytest.mark.parametrize("content_type, head, kind", [
    ("application/json; charset=utf-8", b"{}", "json"),
    ("application/problem+json", b"{}", "json"),
    ("application/xml", b"<a/>", "xml"),
    ("application/atom+xml", b"<feed/>", "xml"),
    ("text/html", b"<html>", "html"),
    ("image/png", b"\x89PNG\r\n", "image"),
    ("application/octet-stream", b"\x89PNG\r\n\x1a\n", "image"),
    ("text/plain", b'  [1, 2]', "json"),
    ("", b"<?xml version='1.0'?><a/>", "xml"),
    ("application/octet-stream", b"\x00\x01\x02binary", "binary"),
    ("text/plain", b"hello", "text"),
    ("application/json", b"", "empty"),
    ("multipart/mixed; boundary=b", b"--b", "multipart"),
])
def test_classify(content_type: str, head: bytes, kind: str) -> None:
    assert classify(content_type, head) == kind


def test_problem_details_rfc9457() -> None:
    body = {"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.",
            "status": 403, "detail": "Your current balance is 30, but that costs 50.",
            "instance": "/account/12345/msgs/abc", "balance": 30,
            "errors": [{"pointer": "#/amount", "detail": "too much"}]}
    details = error_details("application/problem+json", body)
    assert details is not None and details.flavour == "problem"
    assert (details.status, details.title, details.instance) == (403, "You do not have enough credit.", "/account/12345/msgs/abc")
    assert details.extensions == {"balance": 30}
    assert details.errors == ({"pointer": "#/amount", "detail": "too much"},)


def test_odata_error_v4_and_v2() -> None:
    v4 = {"error": {"code": "404", "message": "Not Found", "target": "Users(999)",
                    "details": [{"code": "x", "message": "y"}], "innererror": {"trace": "abc"}}}
    details = error_details("application/json", v4)
    assert details is not None and details.flavour == "odata"
    assert (details.code, details.title, details.target) == ("404", "Not Found", "Users(999)")
    assert details.errors == ({"code": "x", "message": "y"},) and details.innererror == {"trace": "abc"}
    v2 = {"error": {"code": "SY/530", "message": {"lang": "en", "value": "Resource not found"}}}
    assert error_details("application/json", v2).title == "Resource not found"
    assert error_details("application/json", {"value": []}) is None
    assert error_details("application/json", [1, 2]) is None


def test_xml_is_parsed_safely() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'
    root = body_parse.parse_xml(bomb)
    assert "root:" not in (root.text or "")
    edmx = body_parse.parse_xml(b'<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"/>')
    assert body_parse.is_csdl(edmx)
    assert not body_parse.is_csdl(body_parse.parse_xml(b"<a><b/></a>"))
    assert "  <b/>" in body_parse.pretty_xml(body_parse.parse_xml(b"<a><b/></a>"))
    with pytest.raises(body_parse.ViewError, match="Invalid XML"):
        body_parse.parse_xml(b"<a><b></a>")


def test_validate_finds_bad_values_the_structure_scan_skips() -> None:
    """The bracket scanner skips the inside of small records; validate() parses every leaf slice."""
    doc = _document(400)
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
