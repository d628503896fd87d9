"""JSON as text for the Pretty view: one full parse for small bodies, a streamed first part for big ones.

`iter_pretty` streams indented text from `ijson` events for the first view of a big body
(RFC 8259 JSON text, re-indented by two spaces) and stops at a limit: the Pretty view says it
shows the first part, the Tree view always has the whole document. `parse_full` is the one full
parse (orjson, falling back to the stdlib for numbers orjson refuses) for bodies small enough to
hold as objects (JSONPath filter, contract checks).
"""

from __future__ import annotations

import json
import mmap
import re
import threading
from dataclasses import dataclass
from typing import Any, Iterator

import orjson

from workbench.core.errors import JsonSyntaxError

#: Bodies at most this big are parsed whole with orjson (one short GIL hold).
FULL_PARSE_BYTES = 8 * 1024 * 1024

def line_col(data: bytes | mmap.mmap, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset (for error messages)."""
    offset = max(0, min(offset, len(data)))
    line = 1
    for start in range(0, offset, 8 * 1024 * 1024):  # mmap has no count(): go by pieces
        line += bytes(data[start:min(offset, start + 8 * 1024 * 1024)]).count(b"\n")
    last = data.rfind(b"\n", 0, offset)
    return line, offset - last



def parse_full(data: bytes | bytearray | memoryview | mmap.mmap) -> Any:
    """The whole document as Python objects (orjson; stdlib fallback for e.g. 1e400)."""
    raw = bytes(data) if not isinstance(data, bytes) else data
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            pass
        raise JsonSyntaxError(f"Invalid JSON: {exc}", getattr(exc, "pos", -1), detail=str(exc)) from exc




#: A string (or member name) longer than this many bytes is cut short in the streamed pretty text.
LONG_STRING_BYTES = 16 * 1024
CUT_MARK = "\u2026"  # appended inside a string that was cut short

# The body of a JSON string from where it is: runs of plain bytes and complete escapes. It stops
# at the closing quote, at a lone backslash that ends the chunk, or at the end of the chunk.
_STRING_BODY = re.compile(rb'[^"\\]*+(?:\\.[^"\\]*+)*+', re.S)
# Whole characters of a string body, so a cut never splits `\u00e9`, a surrogate pair or a UTF-8
# sequence (a lone surrogate or a stray byte counts as whole: the parser judges it, not the cut).
_HIGH = rb'\\u[dD][89abAB][0-9a-fA-F]{2}'
_WHOLE_UNITS = re.compile(
    rb'(?:' + _HIGH + rb'\\u[dD][c-fC-F][0-9a-fA-F]{2}|' + _HIGH + rb'(?=[^\\]|\\[^u]|\\u(?![dD][c-fC-F])[0-9a-fA-F]{4})'
    rb'|\\u(?![dD][89abAB])[0-9a-fA-F]{4}|\\[^u]|[\x00-\x5b\x5d-\xbf\xf8-\xff]|[\xc0-\xdf][\x80-\xbf]'
    rb'|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3})*', re.S)
_TAIL = 16  # an escape or UTF-8 sequence is at most 12 bytes; only this much of a piece's end is checked


class _Reader:
    """A file-like view over bytes or an mmap that ijson reads in pieces, strings cut short.

    Why cut: yajl re-reads a token that spans two reads from its start, so a 50 MB string read
    in 64 KB pieces took 18 s (quadratic) and then became one 50 MB line of pretty text. The
    reader follows string boundaries (one C regex call per string piece) and passes on only the
    first `clip` bytes of each string plus `CUT_MARK`, cut between whole characters; `cut`
    counts the strings shortened. The index and the Tree view still see the whole body.
    """

    def __init__(self, data: bytes | mmap.mmap, clip: int = LONG_STRING_BYTES) -> None:
        self._view = memoryview(data)
        self._pos = 0
        self._clip = clip
        self._in_string = False
        self._kept = 0  # bytes of the current string read so far
        self._cut_this = False  # the current string has been cut (the rest is skipped)
        self._carry = b""  # a lone backslash that ended the last piece: its escaped byte is next
        self.cut = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson's probe for bytes vs text
            return b""
        while True:
            end = len(self._view) if size < 0 else min(len(self._view), self._pos + size)
            chunk = self._carry + bytes(self._view[self._pos:end])
            self._pos = end
            self._carry = b""
            at_end = end >= len(self._view)
            data = self._clip_strings(chunk, at_end)
            if data or at_end:  # an empty read means the end: skip pieces that were all cut
                return data

    def _clip_strings(self, chunk: bytes, at_end: bool) -> bytes:
        out: list[bytes] = []
        i, n = 0, len(chunk)
        while i < n:
            if not self._in_string:
                quote = chunk.find(b'"', i)
                if quote < 0:
                    out.append(chunk[i:])
                    break
                out.append(chunk[i:quote + 1])
                self._in_string, self._kept, self._cut_this, i = True, 0, False, quote + 1
                continue
            stop = _STRING_BODY.match(chunk, i).end()  # type: ignore[union-attr]  # matches empty
            # The string continues in the next read (no closing quote in this piece).
            goes_on = not at_end and (stop == n or (stop == n - 1 and chunk[stop] == 0x5C))
            if goes_on:
                # Hand over whole characters only, and carry the tail (`\u00`, half of `é`, a lone
                # backslash) to the next read, so a cut there can still fall between characters.
                start = max(i, stop - _TAIL)
                while start > i and chunk[start - 1] == 0x5C:  # a run of backslashes starts a unit
                    start -= 1
                whole = _WHOLE_UNITS.match(chunk, start, n).end()  # type: ignore[union-attr]
                if n - whole <= _TAIL:
                    self._carry, stop = chunk[whole:], whole
                else:
                    stop = n
            piece = chunk[i:stop]
            if piece and not self._cut_this:
                room = self._clip - self._kept
                if len(piece) > room:
                    piece = piece[:max(room, 0)]
                    piece = piece[:_WHOLE_UNITS.match(piece).end()]  # type: ignore[union-attr]
                    out.append(piece + CUT_MARK.encode())
                    self.cut += 1
                    self._cut_this = True
                else:
                    out.append(piece)
            self._kept += stop - i
            i = stop
            if goes_on:
                break
            if i < n and chunk[i] == 0x22:  # the closing quote
                out.append(b'"')
                self._in_string = False
                i += 1
            elif i < n:  # a lone backslash at the very end of the body
                out.append(chunk[i:])
                break
        return b"".join(out)


def _scalar_text(event: str, value: Any) -> str:
    if event == "string":
        return orjson.dumps(value).decode()
    if event == "boolean":
        return "true" if value else "false"
    if event == "null":
        return "null"
    return repr(value) if isinstance(value, float) else str(value)


def cut_note(count: int) -> str:
    """The viewer's note for `count` strings shown cut short by `iter_pretty`."""
    what = "A string" if count == 1 else f"{count:,} strings"
    return (f"{what} longer than {LONG_STRING_BYTES // 1024} KB {'is' if count == 1 else 'are'} shown cut short, "
            f"ending in \"{CUT_MARK}\": Copy value in the Tree view and Save body as… have {'it' if count == 1 else 'them'} whole.")


@dataclass
class PrettyProgress:
    """What `iter_pretty` produced: chars so far, whether it stopped at the limit, an error."""

    chars: int = 0
    truncated: bool = False
    error: JsonSyntaxError | None = None
    #: Strings (and member names) longer than `LONG_STRING_BYTES`, shown cut short with `CUT_MARK`.
    cut_strings: int = 0


def iter_pretty(data: bytes | mmap.mmap, limit_chars: int, chunk_chars: int = 32 * 1024,
                progress: PrettyProgress | None = None, cancel: threading.Event | None = None) -> Iterator[str]:
    """Indented JSON text in chunks, from ijson events, stopping after about `limit_chars`.

    The incremental parser means the first chunk exists after reading a few KB, whatever the
    body size; a syntax error ends the stream and is reported in `progress.error` (the text up
    to that point is still worth showing). Strings longer than `LONG_STRING_BYTES` are shown
    cut short (`progress.cut_strings` counts them; see `_Reader`).
    """
    import ijson

    progress = progress if progress is not None else PrettyProgress()
    parts: list[str] = []
    size = 0
    depth = 0
    first = True
    after_key = False
    dumps = orjson.dumps
    reader = _Reader(data)
    try:
        for event, value in ijson.basic_parse(reader, use_float=True, buf_size=64 * 1024):
            if event == "map_key":
                text = ("\n" if first else ",\n") + "  " * depth + dumps(value).decode() + ": "
                first = False
                after_key = True
            elif event == "end_map" or event == "end_array":
                depth -= 1
                close = "}" if event == "end_map" else "]"
                text = close if first else "\n" + "  " * depth + close
                first = False
                after_key = False
            else:
                if after_key or depth == 0:
                    prefix = ""
                else:
                    prefix = ("\n" if first else ",\n") + "  " * depth
                after_key = False
                if event == "start_map":
                    text = prefix + "{"
                    depth += 1
                    first = True
                elif event == "start_array":
                    text = prefix + "["
                    depth += 1
                    first = True
                else:
                    text = prefix + _scalar_text(event, value)
                    first = False
            parts.append(text)
            size += len(text)
            if size >= chunk_chars:
                chunk = "".join(parts)
                parts.clear()
                progress.chars += len(chunk)
                progress.cut_strings = reader.cut
                size = 0
                yield chunk
                if cancel is not None and cancel.is_set():
                    return
                if progress.chars >= limit_chars:
                    progress.truncated = True
                    return
    except ijson.common.JSONError as exc:
        offset = reader._pos
        summary = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        progress.error = JsonSyntaxError(f"Invalid JSON: {summary}", offset, detail=str(exc))
    progress.cut_strings = reader.cut
    if parts:
        chunk = "".join(parts) + ("\n" if progress.error is None else "")
        progress.chars += len(chunk)
        yield chunk


def pretty_text(obj: Any) -> str:
    """Indented JSON text of an already parsed value (two spaces, key order kept)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode() + "\n"
    except TypeError:  # e.g. a stdlib-parsed number orjson cannot write
        return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
