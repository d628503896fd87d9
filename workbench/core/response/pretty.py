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




class _Reader:
    """A file-like view over bytes or an mmap (ijson reads it in pieces, no copy of the whole)."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        self._view = memoryview(data)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else min(len(self._view), self._pos + size)
        chunk = bytes(self._view[self._pos:end])
        self._pos = end
        return chunk


def _scalar_text(event: str, value: Any) -> str:
    if event == "string":
        return orjson.dumps(value).decode()
    if event == "boolean":
        return "true" if value else "false"
    if event == "null":
        return "null"
    return repr(value) if isinstance(value, float) else str(value)


@dataclass
class PrettyProgress:
    """What `iter_pretty` produced: chars so far, whether it stopped at the limit, an error."""

    chars: int = 0
    truncated: bool = False
    error: JsonSyntaxError | None = None


def iter_pretty(data: bytes | mmap.mmap, limit_chars: int, chunk_chars: int = 32 * 1024,
                progress: PrettyProgress | None = None, cancel: threading.Event | None = None) -> Iterator[str]:
    """Indented JSON text in chunks, from ijson events, stopping after about `limit_chars`.

    The incremental parser means the first chunk exists after reading a few KB, whatever the
    body size; a syntax error ends the stream and is reported in `progress.error` (the text up
    to that point is still worth showing).
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
