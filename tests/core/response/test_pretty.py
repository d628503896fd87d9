"""Pretty JSON text (core/response/pretty.py): the full parse and the streamed first part."""

from __future__ import annotations

import json
from typing import Any, Callable

import orjson
import pytest

from workbench.core.errors import JsonSyntaxError
from workbench.core.response import pretty
from workbench.core.response.pretty import iter_pretty


def test_parse_full_wraps_errors_and_reads_what_orjson_refuses() -> None:
    assert pretty.parse_full(b'{"x": 1e400}') == {"x": float("inf")}
    with pytest.raises(JsonSyntaxError, match="Invalid JSON"):
        pretty.parse_full(b'{"x": }')


def test_iter_pretty_matches_a_full_pretty_print(odata_document: Callable[..., dict[str, Any]]) -> None:
    doc = odata_document(40)
    text = "".join(iter_pretty(orjson.dumps(doc), limit_chars=10**9, chunk_chars=512))
    assert json.loads(text) == doc
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_iter_pretty_stops_at_the_limit_and_says_so(odata_document: Callable[..., dict[str, Any]]) -> None:
    progress = pretty.PrettyProgress()
    chunks = list(iter_pretty(orjson.dumps(odata_document(2000)), limit_chars=20_000, chunk_chars=4096, progress=progress))
    assert progress.truncated and 20_000 <= progress.chars < 30_000
    assert chunks[0].startswith('{\n  "@odata.context": "$metadata#Cases",')


def test_iter_pretty_reports_a_syntax_error_after_the_good_part() -> None:
    progress = pretty.PrettyProgress()
    text = "".join(iter_pretty(b'{"a": [1, 2], "b": ]', 10**6, progress=progress))
    assert '"a": [' in text
    assert progress.error is not None and "Invalid JSON" in progress.error.message
