"""Long and/or chains walked with loops: text, balanced tree, depth (issue 18, the window's side)."""

from __future__ import annotations

import pytest

from workbench.core.odata.chains import (
    balanced,
    chain_length,
    depth,
    filter_text,
    url_text,
)
from workbench.core.odata.parser import parse_filter, parse_url
from workbench.core.odata.serializer import expr_text, serialize_url


@pytest.mark.parametrize("text", [
    "a eq 1 or b eq 2 or c eq 3",
    "a eq 1 and (b eq 2 or c eq 3) and d eq 4",
    "(a eq 1 or b eq 2) and c eq 3",
    "a eq 1 or (b eq 2 or c eq 3)",
    "not (a eq 1 or b eq 2) or x/any(t: t eq 1 or t eq 2)",
])
def test_filter_text_writes_what_the_serializer_writes(text: str) -> None:
    expr = parse_filter(text)
    assert filter_text(expr) == expr_text(expr)
    assert expr_text(balanced(expr)).replace("(", "").replace(")", "") == \
        expr_text(expr).replace("(", "").replace(")", "")  # same operands, same order


def test_a_5000_term_chain_is_flat_text_and_a_shallow_tree() -> None:
    text = " or ".join(f"ID eq {i}" for i in range(5000))
    expr = parse_filter(text)
    assert depth(expr) == 5001 and chain_length(expr) == 5000
    assert filter_text(expr) == text
    assert depth(balanced(expr)) <= 15


def test_url_text_matches_serialize_url_and_handles_long_filters() -> None:
    short = parse_url("http://h/svc/People?$select=Name&$filter=Name eq 'a%26b' or Age gt 3&$top=2", "http://h/svc")
    assert url_text(short) == serialize_url(short, encode=False)
    assert url_text(short, encode=True) == serialize_url(short, encode=True)
    terms = " or ".join(f"Name eq 'a%26{i}'" for i in range(300))  # `&` inside a literal, escaped
    long = parse_url(f"http://h/svc/People?$select=Name&$filter={terms}&$top=2", "http://h/svc")
    written = url_text(long)
    assert written == f"http://h/svc/People?$select=Name&$filter={terms}&$top=2"
    assert url_text(long, encode=True).count("%26") == 300  # each `&` encoded once
    assert chain_length(parse_url(written, "http://h/svc").options.filter) == 300
