"""The JSON structure index: browse a 100 MB body without turning it into Python objects.

A 100 MB JSON body parsed with `orjson.loads` holds the GIL for about half a second and turns
into 4-6x its size of Python objects, so the viewers never do that for big bodies. `JsonIndex`
is a *structure index*: byte ranges of each container's children, found by a scanner that walks
only brackets (strings and scalars are skipped by one C regex call each run). Containers bigger
than `SMALL_CONTAINER_BYTES` are indexed while the document is scanned (progressively, so the
tree fills while it loads); small ones are scanned when first expanded. A value becomes a Python
object only when shown (`orjson.loads` of its slice), so a 100 MB document costs the bytes plus
a few MB of offsets. Every C call is short, so a scanning thread hands the GIL back to the UI
thread every few milliseconds.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import threading
import time
from array import array
from typing import Any, Callable, cast

import orjson

from workbench.core.errors import JsonSyntaxError, ViewError
from workbench.core.response import pretty

SMALL_CONTAINER_BYTES = 256 * 1024
#: Regex searches run over windows of this size so no single C call holds the GIL for long.
SEARCH_WINDOW = 2 * 1024 * 1024

_WS = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# A run without brackets, whole strings included: one C call skips the scalars of a record.
_FLAT = re.compile(rb'[^\[\]{}"]*+(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"[^\[\]{}"]*+)*+', re.S)
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
# Both patterns also match the empty string, so their `match` never returns None.
_ws_match = cast("Callable[[Any, int], re.Match[bytes]]", _WS.match)
_flat_match = cast("Callable[[Any, int, int], re.Match[bytes]]", _FLAT.match)

KIND_NAMES = {"o": "object", "a": "array", "s": "string", "n": "number", "b": "boolean", "z": "null"}


class _Container:
    """The children of one object or array: byte offsets, kinds and (for objects) keys."""

    __slots__ = ("start", "end", "is_object", "keys", "starts", "ends", "kinds", "subs", "complete")

    def __init__(self, start: int, is_object: bool) -> None:
        self.start = start
        self.end = -1
        self.is_object = is_object
        self.keys: list[str] | None = [] if is_object else None
        self.starts = array("q")
        self.ends = array("q")
        self.kinds = bytearray()
        self.subs: dict[int, _Container] = {}
        self.complete = False

    def __len__(self) -> int:
        return len(self.kinds)


class JsonNode:
    """One value in the document: its key (member name or array index), kind and byte range."""

    __slots__ = ("key", "kind", "start", "row", "parent", "_container", "_end")

    def __init__(self, key: str | int | None, kind: str, start: int, row: int,
                 parent: "JsonNode | None", container: _Container | None, end: int) -> None:
        self.key = key
        self.kind = kind  # one of KIND_NAMES
        self.start = start
        self.row = row
        self.parent = parent
        self._container = container  # the parent's container (root: None)
        self._end = end

    @property
    def end(self) -> int:
        """Exclusive end offset; -1 while a big container is still being scanned."""
        if self._end < 0 and self._container is not None:
            end = self._container.ends[self.row]
            if end >= 0:
                self._end = end
        return self._end

    @property
    def is_container(self) -> bool:
        return self.kind in ("o", "a")

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def path(self) -> str:
        """The JSONPath of this value, e.g. `$.value[3].name` or `$['@odata.context']`."""
        parts: list[str] = []
        node: JsonNode | None = self
        while node is not None and node.parent is not None:
            key = node.key
            if isinstance(key, int):
                parts.append(f"[{key}]")
            elif isinstance(key, str) and _IDENT.match(key):
                parts.append(f".{key}")
            else:
                parts.append("['" + str(key).replace("\\", "\\\\").replace("'", "\\'") + "']")
            node = node.parent
        return "$" + "".join(reversed(parts))

    def __repr__(self) -> str:
        return f"JsonNode({self.path()}, {self.kind_name}, {self.start}-{self._end})"


def _kind_of(byte: int) -> str:
    if byte == 0x7B:
        return "o"
    if byte == 0x5B:
        return "a"
    if byte == 0x22:
        return "s"
    if byte in (0x74, 0x66):
        return "b"
    if byte == 0x6E:
        return "z"
    return "n"


class JsonIndex:
    """A lazily built structure index over one JSON document (see the module docstring).

    `build()` runs in a worker thread; the UI thread may read children of containers while
    they are still being filled (arrays only grow, and `complete` says when they are done).
    """

    def __init__(self, data: bytes | mmap.mmap, small_container: int = SMALL_CONTAINER_BYTES) -> None:
        self.data = data
        self.size = len(data)
        self.small_container = small_container
        self.error: JsonSyntaxError | None = None
        self.complete = False
        self._registry: dict[int, _Container] = {}
        self._cache: dict[int, _Container] = {}
        start = _ws_match(data, 0).end() if self.size else 0
        if start >= self.size:
            raise JsonSyntaxError("The body is empty: there is no JSON value to show.", 0)
        kind = _kind_of(data[start])
        self.root = JsonNode(None, kind, start, 0, None, None, -1)
        if not self.root.is_container:
            self.root._end = self._scalar_end(start, kind)
            self.complete = True
        else:
            self._registry[start] = _Container(start, kind == "o")
            if self.size <= small_container:
                try:
                    self.build()  # small: index now, it takes well under a millisecond per KB
                except JsonSyntaxError:
                    pass  # kept in self.error; callers show it

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "JsonIndex":
        """Index a file through mmap: pages are read as the scanner reaches them, not up front."""
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return cls(b"")
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(mapped)

    # ------------------------------------------------------------------ scanning
    def _fail(self, message: str, offset: int) -> JsonSyntaxError:
        line, col = pretty.line_col(self.data, offset)
        return JsonSyntaxError(f"Invalid JSON at line {line}, column {col}: {message}", offset)

    def _scalar_end(self, pos: int, kind: str) -> int:
        data = self.data
        if kind == "s":
            m = _STRING.match(data, pos)
            if m is None:
                raise self._fail("unterminated string", pos)
            return m.end()
        if kind == "b":
            for word in (b"true", b"false"):
                if data[pos:pos + len(word)] == word:
                    return pos + len(word)
            raise self._fail("unexpected character", pos)
        if kind == "z":
            if data[pos:pos + 4] == b"null":
                return pos + 4
            raise self._fail("unexpected character", pos)
        m = _NUMBER.match(data, pos)
        if m is None or m.end() == pos:
            raise self._fail(f"unexpected character {chr(data[pos])!r}", pos)
        return m.end()

    def _container_end(self, pos: int, limit: int) -> int:
        """End of the container opening at `pos`, or -1 when it is longer than `limit` bytes."""
        data = self.data
        n = self.size
        stop = min(n, pos + limit) if limit > 0 else n
        flat = _flat_match
        depth = 0
        while True:
            c = data[pos]
            if c == 0x7B or c == 0x5B:
                depth += 1
            elif c == 0x7D or c == 0x5D:
                depth -= 1
                if depth == 0:
                    return pos + 1
            elif stop < n:
                return -1  # a string runs past the window: the container is big
            else:
                raise self._fail("unterminated string", pos)
            pos = flat(data, pos + 1, stop).end()
            if pos >= stop:
                if stop < n:
                    return -1
                raise self._fail("the document ends inside an object or array", n)

    def _scan(self, box: _Container, cancel: threading.Event | None, eager: bool) -> None:
        """Fill `box` with its children; with `eager`, big children are indexed right away."""
        data = self.data
        n = self.size
        ws = _ws_match
        string = _STRING.match
        is_object = box.is_object
        close = 0x7D if is_object else 0x5D
        keys, starts, ends, kinds = box.keys, box.starts, box.ends, box.kinds
        try:
            pos = ws(data, box.start + 1).end()
            if data[pos] == close:
                box.end = pos + 1
                box.complete = True
                return
            count = 0
            while True:
                if is_object:
                    if data[pos] != 0x22:
                        raise self._fail("expected a member name in double quotes", pos)
                    m = string(data, pos)
                    if m is None:
                        raise self._fail("unterminated member name", pos)
                    raw = m.group()
                    key = raw[1:-1].decode("utf-8", "replace") if b"\\" not in raw else orjson.loads(raw)
                    pos = ws(data, m.end()).end()
                    if data[pos] != 0x3A:
                        raise self._fail("expected ':' after the member name", pos)
                    pos = ws(data, pos + 1).end()
                c = data[pos]
                if c == 0x7B or c == 0x5B:
                    kind = "o" if c == 0x7B else "a"
                    end = self._container_end(pos, self.small_container) if eager else self._container_end(pos, 0)
                    if end < 0:
                        sub = _Container(pos, kind == "o")
                        row = len(kinds)
                        if is_object:
                            keys.append(key)  # type: ignore[union-attr]
                        starts.append(pos)
                        ends.append(-1)
                        box.subs[row] = sub
                        self._registry[pos] = sub
                        kinds.append(ord(kind))
                        self._scan(sub, cancel, eager)
                        end = sub.end
                        ends[row] = end
                        pos = end
                        appended = True
                    else:
                        appended = False
                elif c == 0x22:
                    kind = "s"
                    m = string(data, pos)
                    if m is None:
                        raise self._fail("unterminated string", pos)
                    end = m.end()
                    appended = False
                else:
                    kind = _kind_of(c)
                    end = self._scalar_end(pos, kind)
                    appended = False
                if not appended:
                    if is_object:
                        keys.append(key)  # type: ignore[union-attr]
                    starts.append(pos)
                    ends.append(end)
                    kinds.append(ord(kind))
                pos = ws(data, end).end()
                if pos >= n:
                    raise self._fail("the document ends inside an object or array", n)
                c = data[pos]
                if c == 0x2C:
                    pos = ws(data, pos + 1).end()
                    count += 1
                    if not count & 1023:
                        if cancel is not None and cancel.is_set():
                            raise _Cancelled()
                        time.sleep(0)  # hand the GIL to the UI thread if it is waiting
                    continue
                if c == close:
                    box.end = pos + 1
                    box.complete = True
                    return
                raise self._fail(f"expected ',' or '{chr(close)}'", pos)
        except IndexError:
            raise self._fail("the document ends inside an object or array", n) from None

    def build(self, cancel: threading.Event | None = None) -> bool:
        """Index the document (call from a worker thread). False when cancelled.

        Raises `JsonSyntaxError` for structural errors (kept in `self.error` as well); the parts
        indexed before the error stay browsable.
        """
        if self.complete or self.error is not None:
            if self.error is not None:
                raise self.error
            return True
        box = self._registry[self.root.start]
        if box.kinds or box.complete:  # a second build (another thread) would double the rows
            return True
        try:
            self._scan(box, cancel, eager=True)
            pos = _ws_match(self.data, box.end).end()
            if pos < self.size:
                raise self._fail("unexpected data after the JSON value", pos)
        except _Cancelled:
            return False
        except RecursionError:
            self.error = JsonSyntaxError("The document is nested too deeply to index.", -1)
            raise self.error from None
        except JsonSyntaxError as exc:
            self.error = exc
            raise
        finally:
            self.root._end = box.end
        self.complete = True
        return True

    # ------------------------------------------------------------------ reading
    def container(self, node: JsonNode) -> _Container:
        """The children table of a container node (scanned now if it is a small one)."""
        box = self._registry.get(node.start) or self._cache.get(node.start)
        if box is not None:
            return box
        box = _Container(node.start, node.kind == "o")
        self._scan(box, None, eager=False)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[node.start] = box
        return box

    def child_count(self, node: JsonNode) -> int:
        if not node.is_container:
            return 0
        try:
            return len(self.container(node))
        except JsonSyntaxError:
            return 0

    def has_children(self, node: JsonNode) -> bool:
        """True for a non-empty object or array, read from its first bytes (no scan)."""
        if not node.is_container:
            return False
        box = self._registry.get(node.start) or self._cache.get(node.start)
        if box is not None and len(box):
            return True
        pos = _ws_match(self.data, node.start + 1).end()
        return pos < self.size and self.data[pos] not in (0x7D, 0x5D)

    def is_filled(self, node: JsonNode) -> bool:
        """True once every child of `node` is known (big containers fill while indexing)."""
        if not node.is_container:
            return True
        box = self._registry.get(node.start)
        return box.complete if box is not None else True

    def children(self, node: JsonNode, first: int = 0, last: int | None = None) -> list[JsonNode]:
        """Children `first` ≤ row < `last` of a container (only those indexed so far)."""
        box = self.container(node)
        count = len(box)
        last = count if last is None else min(last, count)
        out: list[JsonNode] = []
        keys = box.keys
        for row in range(first, last):
            key: str | int = keys[row] if keys is not None else row
            out.append(JsonNode(key, chr(box.kinds[row]), box.starts[row], row, node, box, box.ends[row]))
        return out

    def child(self, node: JsonNode, key: str | int) -> JsonNode | None:
        """The member `key` of an object (first match) or item `key` of an array."""
        box = self.container(node)
        if box.keys is not None:
            if not isinstance(key, str) or key not in box.keys:
                return None
            row = box.keys.index(key)
        else:
            if not isinstance(key, int) or not 0 <= key < len(box):
                return None
            row = key
        return self.children(node, row, row + 1)[0]

    def raw(self, node: JsonNode) -> bytes:
        end = node.end
        if end < 0:
            raise ViewError("This part of the document is still being indexed.")
        return bytes(self.data[node.start:end])

    def value(self, node: JsonNode) -> Any:
        """The node as Python objects (parses only its own slice)."""
        return pretty.parse_full(self.raw(node))

    def preview(self, node: JsonNode, max_chars: int = 200) -> str:
        """A one-line text for the value column: scalars as written, containers summarised."""
        if node.kind == "o" or node.kind == "a":
            count = self.child_count(node)
            filled = "" if self.is_filled(node) else "+"
            if node.kind == "o":
                return f"{{{count}{filled} {'key' if count == 1 else 'keys'}}}"
            return f"[{count}{filled} {'item' if count == 1 else 'items'}]"
        end = node.end
        raw = bytes(self.data[node.start:min(end, node.start + max_chars * 4 + 2)])
        if node.kind == "s":
            if end - node.start <= max_chars * 4 + 2:
                try:
                    text = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    text = raw[1:-1].decode("utf-8", "replace")
            else:
                text = raw[1:].decode("utf-8", "replace")
            text = str(text).replace("\n", "⏎").replace("\r", "")
            return text if len(text) <= max_chars else text[:max_chars] + "…"
        return raw.decode("utf-8", "replace")

    def pretty(self, node: JsonNode) -> str:
        """Indented text of one value (for "copy value")."""
        if node.kind == "s":
            value = self.value(node)
            return value if isinstance(value, str) else str(value)
        if not node.is_container:
            return self.raw(node).decode("utf-8", "replace")
        return pretty.pretty_text(self.value(node)).rstrip("\n")

    def node_at(self, offset: int, exact_start: bool = False) -> list[JsonNode]:
        """The chain root → deepest value containing byte `offset` (for search results).

        An offset inside a member name lands on that member (the member whose value follows).
        """
        chain = [self.root]
        node = self.root
        while node.is_container:
            try:
                box = self.container(node)
            except JsonSyntaxError:
                break
            starts = box.starts
            count = len(box)
            lo, hi = 0, count
            while lo < hi:  # last child starting at or before offset
                mid = (lo + hi) // 2
                if starts[mid] <= offset:
                    lo = mid + 1
                else:
                    hi = mid
            row = lo - 1
            if row >= 0 and (box.ends[row] < 0 or offset < box.ends[row]):
                node = self.children(node, row, row + 1)[0]
            elif box.is_object and lo < count:
                node = self.children(node, lo, lo + 1)[0]  # offset in the name of member `lo`
                chain.append(node)
                break
            else:
                break
            chain.append(node)
            if exact_start and node.start == offset:
                break
        return chain

    def find(self, needle: str, start: int, backwards: bool = False, key_only: bool = False,
             case_sensitive: bool = False, cancel: threading.Event | None = None) -> tuple[int, int] | None:
        """Next (or previous) match of `needle` from byte `start`: (match offset, node offset).

        Searches the raw bytes in windows (short GIL holds). With `key_only`, only member names
        equal to `needle` match and the node offset is that member's value. The text form
        matches what is written in the body (an escaped `\\u00e9` does not match "é").
        """
        if not needle:
            return None
        flags = 0 if case_sensitive else re.IGNORECASE
        if key_only:
            encoded = orjson.dumps(needle)
            pattern = re.compile(re.escape(encoded) + rb"[ \t\r\n]*:[ \t\r\n]*", flags)
        else:
            pattern = re.compile(_needle_pattern(needle, case_sensitive), flags)
        overlap = len(needle.encode("utf-8")) * 2 + 64
        data = self.data
        if not backwards:
            pos = max(0, start)
            while pos < self.size:
                stop = min(self.size, pos + SEARCH_WINDOW)
                m = pattern.search(data, pos, min(self.size, stop + overlap))
                if m is not None:
                    return m.start(), (m.end() if key_only else m.start())
                if cancel is not None and cancel.is_set():
                    return None
                pos = stop
            return None
        end = min(self.size, start)
        while end > 0:
            begin = max(0, end - SEARCH_WINDOW)
            last = None
            for m in pattern.finditer(data, begin, min(self.size, end + overlap)):
                if m.start() >= end:
                    break
                last = m
            if last is not None:
                return last.start(), (last.end() if key_only else last.start())
            if cancel is not None and cancel.is_set():
                return None
            end = begin
        return None

    def validate(self, cancel: threading.Event | None = None) -> JsonSyntaxError | None:
        """Check every value the index has not parsed (call after `build`, in a worker).

        The index only checks structure; this parses each leaf slice with orjson (without
        keeping the objects), so a body is never shown as valid when it is not. Returns the
        first error, with the JSONPath of the value, or None. None too when cancelled.
        """
        if self.error is not None:
            return self.error
        view = memoryview(cast(Any, self.data))
        pending: list[JsonNode] = [self.root] if self.root.is_container else []
        checked = 0
        while pending:
            node = pending.pop()
            box = self._registry.get(node.start)
            if box is None:
                continue
            starts, ends = box.starts, box.ends
            for row in range(len(box)):
                if row in box.subs:
                    pending.append(self.children(node, row, row + 1)[0])
                    continue
                try:
                    orjson.loads(view[starts[row]:ends[row]])
                except orjson.JSONDecodeError as exc:
                    child = self.children(node, row, row + 1)[0]
                    try:
                        json.loads(bytes(view[starts[row]:ends[row]]))  # e.g. 1e400: valid JSON, orjson refuses
                        continue
                    except (ValueError, RecursionError):
                        pass
                    child = self._locate(child)
                    line, col = pretty.line_col(self.data, child.start)
                    return JsonSyntaxError(f"Invalid JSON in {child.path()} (line {line}, column {col}): {exc}",
                                           child.start, detail=str(exc))
                checked += 1
                if not checked & 1023:
                    if cancel is not None and cancel.is_set():
                        return None
                    time.sleep(0)
        return None

    def _locate(self, node: JsonNode) -> JsonNode:
        """The deepest value under `node` that does not parse (for a precise error path)."""
        while node.is_container:
            try:
                kids = self.children(node)
            except JsonSyntaxError as exc:
                return self._failing_member(node, exc)
            for kid in kids:
                try:
                    orjson.loads(self.raw(kid))
                except orjson.JSONDecodeError:
                    node = kid
                    break
            else:
                return node
        return node

    def _failing_member(self, node: JsonNode, error: JsonSyntaxError) -> JsonNode:
        """The member (or item) of `node` where scanning stopped with `error`."""
        box = _Container(node.start, node.kind == "o")
        try:
            self._scan(box, None, eager=False)
        except JsonSyntaxError:
            pass
        row = len(box)
        key: str | int = row
        if box.keys is not None:
            pos = box.ends[row - 1] if row else node.start + 1
            pos = _ws_match(self.data, pos).end()
            if self.data[pos:pos + 1] == b",":
                pos = _ws_match(self.data, pos + 1).end()
            m = _STRING.match(self.data, pos)
            if m is None:
                return node
            try:
                key = orjson.loads(m.group())
            except orjson.JSONDecodeError:
                return node
        offset = max(error.offset, node.start)
        return JsonNode(key, "z", offset, row, node, None, offset)

    def materialize(self, cancel: threading.Event | None = None) -> Any:
        """The whole document as Python objects, built child by child (short GIL holds)."""
        if self.size <= pretty.FULL_PARSE_BYTES:
            return pretty.parse_full(self.data)
        return self._materialize(self.root, cancel)

    def _materialize(self, node: JsonNode, cancel: threading.Event | None) -> Any:
        box = self._registry.get(node.start)
        if box is None:
            return self.value(node)
        if cancel is not None and cancel.is_set():
            raise _Cancelled()
        kids = self.children(node)
        if box.is_object:
            return {kid.key: self._materialize(kid, cancel) for kid in kids}
        return [self._materialize(kid, cancel) for kid in kids]


def _needle_pattern(needle: str, case_sensitive: bool) -> bytes:
    """A bytes regex for `needle`; non-ASCII letters get both cases spelled out (re.I on
    bytes only folds ASCII)."""
    out = []
    for ch in needle:
        if case_sensitive or ch.isascii() or ch.lower() == ch.upper():
            out.append(re.escape(ch.encode("utf-8")))
        else:
            variants = {ch.lower().encode("utf-8"), ch.upper().encode("utf-8"), ch.encode("utf-8")}
            out.append(b"(?:" + b"|".join(re.escape(v) for v in sorted(variants)) + b")")
    return b"".join(out)


class _Cancelled(Exception):
    """Internal: a worker saw its cancel event."""


def index_bytes(data: bytes | mmap.mmap, cancel: threading.Event | None = None) -> JsonIndex:
    """Index a whole document now (tests, CLI): `JsonIndex(data)` then `build()`."""
    index = JsonIndex(data)
    index.build(cancel)
    return index
