"""URL box <-> Params table conversions (core/urls.py)."""

from __future__ import annotations

from workbench.core.collections import KeyValue
from workbench.core.urls import encode_component, join_url, merge_params, split_url


def test_split_keeps_order_duplicates_empty_values_and_variables() -> None:
    base, rows = split_url("{{base}}/People?$filter=a eq 'x'&tag=1&tag=2&flag&empty=&v={{id}}#frag")
    assert base == "{{base}}/People"
    assert rows == [KeyValue("$filter", "a eq 'x'"), KeyValue("tag", "1"), KeyValue("tag", "2"),
                    KeyValue("flag", ""), KeyValue("empty", ""), KeyValue("v", "{{id}}")]


def test_split_decodes_percent_and_plus() -> None:
    assert split_url("http://h/p?q=a%20b+c&x=%24")[1] == [KeyValue("q", "a b c"), KeyValue("x", "$")]


def test_split_without_query() -> None:
    assert split_url("  http://h/p  ") == ("http://h/p", [])


def test_join_for_display_and_for_the_wire() -> None:
    rows = [KeyValue("$filter", "name eq 'a b'"), KeyValue("off", "1", False), KeyValue("", "ignored")]
    assert join_url("http://h/p", rows) == "http://h/p?$filter=name eq 'a b'"
    assert join_url("http://h/p", rows, encode=True) == "http://h/p?$filter=name%20eq%20'a%20b'"
    assert join_url("http://h/p?a=1", [KeyValue("b", "2")]) == "http://h/p?a=1&b=2"
    assert join_url("http://h/p", []) == "http://h/p"


def test_round_trip_display() -> None:
    url = "http://h/People?$expand=Trips($select=Name;$top=2)&$top=5&x={{v}}"
    base, rows = split_url(url)
    assert join_url(base, rows) == url


def test_encode_component_keeps_odata_punctuation() -> None:
    assert encode_component("contains(title,'o') and x/y eq 1") == "contains(title,'o')%20and%20x/y%20eq%201"
    assert encode_component("a&b=c#d+e") == "a%26b%3Dc%23d%2Be"


def test_merge_keeps_disabled_rows_and_descriptions() -> None:
    old = (KeyValue("a", "1", True, "first"), KeyValue("debug", "true", False, "optional"), KeyValue("gone", "x"))
    typed = [KeyValue("a", "2"), KeyValue("b", "3")]
    assert merge_params(old, typed) == (KeyValue("a", "2", True, "first"), KeyValue("b", "3"),
                                        KeyValue("debug", "true", False, "optional"))
