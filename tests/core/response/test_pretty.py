"""Pretty JSON text (core/response/pretty.py): the full parse and the streamed first part."""

from __future__ import annotations

import json
import random
import time
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


def test_a_50_mb_string_is_shown_cut_short_in_linear_time() -> None:
    """yajl re-read a string spanning two 64 KB reads from its start: 18 s and a 50 MB line
    for `"aaaa…"` (issue 18). The reader passes the first 16 KB and counts the cut."""
    body = b'["' + b"a" * (50 * 1024 * 1024) + b'", "next"]'
    progress = pretty.PrettyProgress()
    start = time.perf_counter()
    text = "".join(iter_pretty(body, 10**9, progress=progress))
    assert time.perf_counter() - start < 5
    assert json.loads(text) == ["a" * pretty.LONG_STRING_BYTES + pretty.CUT_MARK, "next"]
    assert progress.cut_strings == 1 and progress.error is None
    assert "A string longer than 16 KB is shown cut short" in pretty.cut_note(1)


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_cutting_strings_never_splits_an_escape_or_a_character(ensure_ascii: bool) -> None:
    """Whatever the read size and the cut length, what the parser gets is valid JSON whose
    strings are the originals or a prefix of them ending in the mark; uncut, it is the body."""
    rng = random.Random(18)
    alphabet = ["a", "é", "€", "😀", '"', "\\", "\n", "\u2028", "\x01", "/"]

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))

    for _ in range(20):
        doc = [[text(), [text() for _ in range(4)]] for _ in range(3)]
        data = json.dumps(doc, ensure_ascii=ensure_ascii).encode()
        for clip in (5, 13, 10**6):
            for size in (1, 2, 7, 4096):
                reader = pretty._Reader(data, clip)
                out = b"".join(iter(lambda: reader.read(size), b""))  # noqa: B023 - consumed here
                if clip == 10**6:
                    assert out == data and reader.cut == 0
                    continue
                got = json.loads(out)
                for original, shown in zip(_strings(doc), _strings(got)):
                    assert shown == original or (shown.endswith(pretty.CUT_MARK)
                                                 and original.startswith(shown[:-1]) and len(shown) <= clip + 1)


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [s for item in value for s in _strings(item)]
