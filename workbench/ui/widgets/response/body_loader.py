"""Loading one response body into the text, tree and XML views without ever blocking the window.

The body is opened (a spilled body is memory-mapped), decoded, parsed and pretty-printed in
worker threads (`core/response/`); text reaches the views in small chunks, one per event-loop
turn, because Qt lays a text block out whole on every append. JSON up to
`pretty.FULL_PARSE_BYTES` is parsed whole; bigger JSON is pretty-printed by the incremental
parser (the first view) while a structure index is built beside it (the Tree reads values from
their byte ranges when shown), then every value is checked so a bad one deep inside is still
reported.

Each response is one loading session: every job (the pane's contract check, `$batch` split and
save included) is guarded by a generation number, so a new response cancels the old jobs and
their late results are dropped, and `loading_finished` fires once all jobs, deferred steps and
queued text are done. Results that concern more than these views reach the pane as signals.
"""

from __future__ import annotations

import gc
import mmap
import os
import queue
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QImage

from workbench.core.errors import JsonSyntaxError, WorkbenchError
from workbench.core.paging import items as page_rows
from workbench.core.response import pretty, xml_body
from workbench.core.response.classify import human_size
from workbench.core.response.json_index import JsonIndex
from workbench.core.sending.transport import Response
from workbench.ui.background import BackgroundJob
from workbench.ui.widgets.response.json_text_view import JsonTextView
from workbench.ui.widgets.response.json_tree_view import JsonTreeView
from workbench.ui.widgets.response.xml_view import XmlView

__all__ = ["BodyLoader", "BodyViews", "CHUNK_CHARS", "LONG_LINE", "PreparedText", "break_long_lines", "head", "open_body",
           "prepare_text"]

CHUNK_CHARS = 16 * 1024
TABLE_ROWS_READ = 200  # the rows whose members the Table reads for its columns (models/odata_table.py)
LONG_LINE = 2048
_LONG_LINE = re.compile(r"([^\n]{%d})(?=[^\n])" % LONG_LINE)
_HTML_NOTE = "HTML is shown as source (it is not rendered: scripts and remote content stay off)."


def open_body(response: Response) -> bytes | mmap.mmap:
    """The body bytes; a spilled body is mapped, not read, so its pages load on demand."""
    if response.body_file:
        with open(response.body_file, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return b""
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return response.body


def head(response: Response, size: int = 4096) -> bytes:
    """The first bytes only: enough to sniff the kind of a body that may be gigabytes."""
    if response.body_file:
        try:
            with open(response.body_file, "rb") as fh:
                return fh.read(size)
        except OSError:
            return b""
    return response.body[:size]


def _split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut text into pieces of about `size` chars at line ends (one piece per event-loop turn)."""
    out: list[str] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
        out.append(text[start:end])
        start = end
    return out


@dataclass(frozen=True, slots=True)
class PreparedText:
    """Text made ready for a view in a worker: long lines broken (`pieces` of them), cut into chunks.

    Breaking the lines of a 7.5 MB body is one regex pass of ~0.3 s: on the UI thread that was
    the window's longest stall after a Send, so workers hand the views text in this form.
    """

    chunks: tuple[str, ...]
    pieces: int


_SLICE = 32 * LONG_LINE  # characters per regex call (a multiple of LONG_LINE, see break_long_lines)


def break_long_lines(text: str) -> tuple[str, int]:
    """Put a line end after every LONG_LINE characters of a longer line; returns (text, breaks).

    The same as one `_LONG_LINE.subn` over the text, done in slices of _SLICE characters: the
    regex engine keeps the GIL for a whole call, and one call over a 7.5 MB body held it (and so
    the UI thread, beside this worker) for 0.3 s. A slice holds whole lines or, inside a line
    longer than the slice, a multiple of LONG_LINE characters from the line's start; a line
    end is added at such a cut when the line goes on.
    """
    if len(text) <= LONG_LINE:
        return text, 0
    out: list[str] = []
    breaks = 0
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + _SLICE)
        cut_inside_line = False
        if end < n:
            newline = text.rfind("\n", start, end)
            if newline >= start:
                end = newline + 1
            else:
                cut_inside_line = True
        piece, count = _LONG_LINE.subn("\\1\n", text[start:end])
        out.append(piece)
        breaks += count
        if cut_inside_line and text[end] != "\n":
            out.append("\n")
            breaks += 1
        start = end
    return "".join(out), breaks


def prepare_text(text: str) -> PreparedText:
    """Break lines longer than LONG_LINE (Qt lays a block out whole) and cut into CHUNK_CHARS pieces."""
    text, pieces = break_long_lines(text)
    return PreparedText(tuple(_split_chunks(text)), pieces)


PIECE_BYTES = 256 * 1024  # parsed and printed in one C call at most: the GIL changes hands between pieces


class _Stop(Exception):
    """The job was cancelled while the document was being read in pieces."""


def parse_and_print(data: bytes | mmap.mmap, cancel: threading.Event) -> tuple[Any, str, JsonIndex] | None:
    """The document, its pretty text (as `pretty.pretty_text` writes it) and its built index.

    One `orjson.loads` of a 7.5 MB body held the GIL for 0.1–0.2 s, and its pretty print
    another 0.07 s: with the GIL held by this worker the UI thread stood still for that long
    (the longest stall after a Send). Here the index is built first (short steps), then
    values of at most PIECE_BYTES are parsed and printed one by one and joined. None when the
    document does not index cleanly or a piece fails: the caller then parses it whole, so an
    invalid body is reported exactly as before.
    """
    index = JsonIndex(data)
    try:
        if not index.build(cancel):
            raise _Stop
    except JsonSyntaxError:
        return None
    root = index.root
    if index.error is not None or root.end < 0 or bytes(data[root.end:]).strip():
        return None
    out: list[str] = []
    try:
        document = _piece(index, root, "", out, cancel)
    except (JsonSyntaxError, TypeError, ValueError, RecursionError):
        return None
    return document, "".join(out) + "\n", index


def _piece(index: JsonIndex, node: Any, indent: str, out: list[str], cancel: threading.Event) -> Any:
    if cancel.is_set():
        raise _Stop
    if not node.is_container or node.end - node.start <= PIECE_BYTES:
        value = index.value(node)
        if node.is_container:
            keep_out_of_collection()
        text = pretty.pretty_text(value)[:-1]
        out.append(text.replace("\n", "\n" + indent) if indent else text)
        return value
    kids = index.children(node)
    is_object = node.kind == "o"
    if is_object and len({kid.key for kid in kids}) != len(kids):
        raise ValueError("duplicate keys")  # the whole parse keeps one of each: printed from it instead
    if not kids:
        out.append("{}" if is_object else "[]")
        return {} if is_object else []
    inner = indent + "  "
    out.append("{" if is_object else "[")
    result: Any = {} if is_object else []
    last = len(kids) - 1
    for i, kid in enumerate(kids):
        out.append("\n" + inner)
        if is_object:
            out.append(pretty.pretty_text(kid.key)[:-1] + ": ")
            result[kid.key] = _piece(index, kid, inner, out, cancel)
        else:
            result.append(_piece(index, kid, inner, out, cancel))
        if i < last:
            out.append(",")
    out.append("\n" + indent + ("}" if is_object else "]"))
    return result


def keep_out_of_collection() -> None:
    """Put every object alive now, the parsed document among them, out of the cyclic GC's sight.

    The app collects on the UI thread (`ui/collector.py`), and one collection of the young
    generation walked every object of a freshly parsed 7.5 MB body: 50–70 ms on the UI thread,
    the longest stall left after a Send. A parsed JSON document holds no cycles, so walking it
    finds nothing; `gc.freeze()` (constant time) moves it, and whatever else is alive, to the
    permanent generation. The pieces of a big body are frozen as they are parsed, so a
    collection in the middle of the parse does not walk the part already built either.
    `release_to_collection` (the loader's reset) gives them back to the oldest generation:
    cyclic garbage frozen with them is collected later, not never.
    """
    gc.freeze()


def release_to_collection() -> None:
    if gc.get_freeze_count():
        gc.unfreeze()


def _scan_first_rows(index: JsonIndex, cancel: Any) -> None:
    """Scan the first rows of the body's collection in the worker, into the index's cache.

    The Table reads their members for its columns right after the body is parsed, on the UI
    thread: 0.1 s for a 7.5 MB OData page when the scan happened there.
    """
    try:
        node = page_rows.collection_node(index)
        if node is None:
            return
        for child in index.children(node, 0, TABLE_ROWS_READ):
            if cancel.is_set():
                return
            if child.is_container:
                index.container(child)
    except JsonSyntaxError:
        return  # reported by the parse itself


RELEASE_AFTER_S = 1.0
_releases: queue.SimpleQueue[tuple[float, list[Any]]] = queue.SimpleQueue()
_releaser: list[threading.Thread] = []  # started once, on first use


def _release_in_worker(*values: Any) -> None:
    """Let the last reference to a parsed body go in a worker thread, not on the UI thread.

    Freeing the parsed document of a 7.5 MB body (hundreds of thousands of objects) took
    60 ms on the UI thread when the next Send cleared the views. One long-lived thread holds
    the values until the views and the pane have dropped theirs, then drops them itself (a
    queue, not a thread per release: starting a thread waits for it to run).
    """
    if all(v is None for v in values):
        return
    _releases.put((time.monotonic() + RELEASE_AFTER_S, list(values)))
    if not _releaser:
        thread = threading.Thread(target=_drop_when_due, daemon=True, name="workbench-release")
        _releaser.append(thread)
        thread.start()


def _drop_when_due() -> None:
    while True:
        due, values = _releases.get()
        time.sleep(max(0.0, due - time.monotonic()))
        _free_gradually(values)
        del values


FREE_BATCH = 500


def _free_gradually(values: list[Any]) -> None:
    """Drop a parsed document a few hundred values at a time.

    Dropping the last reference frees the whole tree in one C call that keeps the GIL (50 ms
    for a 7.5 MB body, and the UI thread waits for the GIL): big containers are emptied in
    batches instead, their big children first set aside so a batch never frees much.
    """
    stack: list[Any] = [values]
    while stack:
        box = stack.pop()
        children = box.values() if isinstance(box, dict) else box
        stack.extend(c for c in children if isinstance(c, (dict, list)) and len(c) > FREE_BATCH)
        if isinstance(box, dict):
            for key in list(box)[::-1]:
                del box[key]
                if len(box) % FREE_BATCH == 0:
                    time.sleep(0)
        else:
            while box:
                del box[-FREE_BATCH:]
                time.sleep(0)


class _ExpandWhenShown(QObject):
    """Expands the Tree's first level when the Tree is first shown, not while it is a hidden tab.

    Laying out the first level of a big array (500 rows fetched) took 0.1–0.2 s on the UI thread
    right after a Send, for a tab the user had not opened.
    """

    def __init__(self, tree: JsonTreeView, parent: QObject) -> None:
        super().__init__(parent)
        self.tree = tree
        self.pending = False

    def expand(self) -> None:
        if self.tree.isVisible():
            self.pending = False
            self.tree.expand_to_depth(0)
            return
        # The rows the expansion shows are fetched now (cheap, no layout), as the expansion did:
        # code that expands a first-level item of the hidden tree finds its children.
        model = self.tree.model
        for row in range(model.rowCount()):
            item = model.index(row, 0)
            if model.canFetchMore(item):
                model.fetchMore(item)
        if not self.pending:
            self.pending = True
            self.tree.installEventFilter(self)

    def cancel(self) -> None:
        if self.pending:
            self.pending = False
            self.tree.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and self.pending:
            self.cancel()
            self.tree.expand_to_depth(0)  # before its first paint: no collapsed frame
        return False


def _cut(text: str, limit: int) -> str:
    """The first `limit` chars, ending at a line end when one is near (a line may be huge)."""
    cut = text.rfind("\n", max(0, limit - 64 * 1024), limit)
    return text[:cut + 1] if cut > 0 else text[:limit]


def _charset(response: Response) -> str:
    for piece in (response.header("content-type") or "").split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def _decode(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class BodyViews:
    """The views a body is loaded into (the pane builds and lays them out)."""

    pretty: JsonTextView
    tree: JsonTreeView
    xml: XmlView
    raw: JsonTextView


class BodyLoader(QObject):
    """One loading session at a time: starts the jobs, feeds the views, says when all is done."""

    first_view_ready = Signal()
    loading_finished = Signal()
    #: (text, kind) for the pane's banner: "warning", "error" or "info".
    banner = Signal(str, str)
    #: (JsonIndex, document or None): a JSON body is parsed and valid; collections and error
    #: bodies can be shown now.
    json_ready = Signal(object, object)
    #: (WorkbenchError, shown raw, first error): the body does not parse as JSON.
    json_invalid = Signal(object, bool, bool)
    image_ready = Signal(QImage)

    def __init__(self, views: BodyViews, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views = views
        self.response: Response | None = None
        self.document: Any = None
        self.json_index: JsonIndex | None = None
        self.parse_error: WorkbenchError | None = None
        self._pretty_limit = 0
        self._jobs: list[BackgroundJob] = []
        self._feed: deque[tuple[JsonTextView, str]] = deque()
        self._feeder = QTimer(self)
        self._feeder.setInterval(0)
        self._feeder.timeout.connect(self._feed_tick)
        self._raw_filled = False
        self._first_view_sent = False
        self._loading = False
        self._generation = 0
        self._pending_steps = 0
        self._expander = _ExpandWhenShown(views.tree, self)

    # ------------------------------------------------------------------ session
    def reset(self) -> None:
        """Cancel the session's jobs and empty the views (a new response, or none)."""
        self._generation += 1
        self._pending_steps = 0
        self._expander.cancel()
        release_to_collection()
        _release_in_worker(self.document, self.json_index)
        for job in self._jobs:
            job.cancel()
        self._jobs = []
        self._feed.clear()
        self._feeder.stop()
        self._raw_filled = False
        self._first_view_sent = False
        self.document = None
        self.json_index = None
        self.parse_error = None
        self.views.pretty.clear()
        self.views.raw.clear()
        self.views.xml.clear()
        self.views.tree.set_index(None)

    def begin(self, response: Response) -> None:
        """A new session: `loading_finished` fires once its last job, step and chunk are done."""
        self.response = response
        self._loading = True

    @property
    def generation(self) -> int:
        """Changes with every reset: a callback that saw another number belongs to an old response."""
        return self._generation

    def is_loading(self) -> bool:
        return self._loading

    def start(self, fn: Callable[[BackgroundJob], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              on_progress: Callable[[Any], None] | None = None) -> BackgroundJob:
        """Run `fn` in a worker; its callbacks run only while the session is still current."""
        generation = self._generation

        def guard(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                if generation != self._generation:
                    return
                if callback is not None:
                    callback(value)
                self.maybe_finished()
            return run

        def guard_progress(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
            if callback is None:
                return None
            return lambda v: callback(v) if generation == self._generation else None

        job = BackgroundJob(fn, guard(on_done), guard(on_error), guard_progress(on_progress), start=False)
        self._jobs.append(job)
        job.start()
        return job

    def track(self, job: BackgroundJob) -> None:
        """Count a job started elsewhere (a network fetch) in the session: cancelled with it."""
        self._jobs.append(job)

    def defer(self, step: Callable[[], None]) -> None:
        """Run `step` in a later event-loop turn (big results are shown in several short turns)."""
        generation = self._generation
        self._pending_steps += 1

        def run() -> None:
            self._pending_steps -= 1
            if generation == self._generation:
                step()
            self.maybe_finished()

        QTimer.singleShot(0, run)

    def maybe_finished(self) -> None:
        if not self._loading or self._pending_steps:
            return
        if any(not job.finished and not job.cancelled for job in self._jobs):
            return
        if self._feed or self.views.tree.busy():
            return
        self._loading = False
        self.loading_finished.emit()

    def finish_soon(self) -> None:
        QTimer.singleShot(0, self.maybe_finished)

    def first_view(self) -> None:
        """Something the user can read is on screen (once per session)."""
        if not self._first_view_sent:
            self._first_view_sent = True
            QTimer.singleShot(0, self.first_view_ready.emit)

    # ------------------------------------------------------------------ text feeding
    def queue_text(self, view: JsonTextView, text: str | PreparedText) -> None:
        """Queue text for `view`, one chunk per event-loop turn; big text comes prepared by a worker."""
        prepared = text if isinstance(text, PreparedText) else prepare_text(text)  # a str is small: a 16 KB chunk
        note = f"Lines longer than {LONG_LINE:,} characters are shown in pieces."
        if prepared.pieces and view is not self.views.raw and note not in view.banner.text():
            current = view.banner.text() if view.banner.isVisibleTo(view) else ""
            view.set_banner(f"{current} {note}".strip())
        for piece in prepared.chunks:
            self._feed.append((view, piece))
        if not self._feeder.isActive():
            self._feeder.start()

    def _feed_tick(self) -> None:
        """Append one chunk per event-loop turn so no turn runs long."""
        if not self._feed:
            self._feeder.stop()
            self.maybe_finished()
            return
        view, text = self._feed.popleft()
        view.append_chunk(text)
        if view is self.views.pretty or view is self.views.xml.text_view or view is self.views.raw:
            self.first_view()

    # ------------------------------------------------------------------ raw text
    def show_no_body(self) -> None:
        self.views.raw.set_text("")
        self.views.raw.set_banner("The response has no body.")
        self._raw_filled = True

    def fill_raw(self, response: Response, kind: str, limit: int) -> None:
        """Fill the Raw tab (on first view: a big minified body is one long line to lay out)."""
        if self._raw_filled:
            return
        self._raw_filled = True
        raw = self.views.raw
        if kind in ("image", "binary"):
            raw.set_banner("Binary content: see the Preview/Binary tab, or save the body.")
            return
        if kind == "html":
            raw.set_banner(_HTML_NOTE)

        def read(job: BackgroundJob) -> tuple[PreparedText, int, int]:
            data = open_body(response)
            size = len(data)
            text = _decode(bytes(data[:limit]), _charset(response))
            # A minified body is one giant line; Qt lays a block out whole, on every append.
            # Show long lines in pieces (Copy and Save still give the body as received).
            prepared = prepare_text(text)
            return prepared, size, prepared.pieces

        def done(value: tuple[PreparedText, int, int]) -> None:
            text, size, pieces = value
            notes = []
            if size > limit:
                notes.append(f"Showing the first {human_size(limit)} of {human_size(size)} as received; "
                             "save the body for all of it.")
            if pieces:
                notes.append(f"Lines longer than {LONG_LINE:,} characters are shown in pieces.")
            if kind == "html":
                notes.insert(0, _HTML_NOTE)
            raw.set_banner(" ".join(notes))
            self.queue_text(raw, text)

        self.start(read, done, self._failed)

    # ------------------------------------------------------------------ JSON
    def load_json(self, response: Response, size: int, pretty_limit: int, raw_limit: int) -> None:
        self._pretty_limit = limit = pretty_limit

        if size <= pretty.FULL_PARSE_BYTES:
            def parse_small(job: BackgroundJob) -> dict[str, Any]:
                data = open_body(response)
                try:
                    read = parse_and_print(data, job.cancel_event) if size > PIECE_BYTES else None
                except _Stop:
                    return {}
                if read is not None:
                    document, text, index = read
                else:
                    try:
                        document = pretty.parse_full(data)
                    except JsonSyntaxError as exc:
                        return {"error": exc, "text": prepare_text(_decode(bytes(data[:raw_limit]), _charset(response)))}
                    text = pretty.pretty_text(document)
                    index = JsonIndex(data)
                    if size > PIECE_BYTES:
                        keep_out_of_collection()
                truncated = len(text) > limit
                if truncated:
                    text = _cut(text, limit)
                job.report({"text": prepare_text(text), "truncated": truncated})
                index.build(job.cancel_event)
                _scan_first_rows(index, job.cancel_event)
                return {"document": document, "index": index}

            self.start(parse_small, self._json_parsed, self._failed, self._pretty_arrived)
            return

        # Big: first view from the incremental parser, the tree from the structure index.
        def pretty_big(job: BackgroundJob) -> dict[str, Any]:
            data = open_body(response)
            progress = pretty.PrettyProgress()
            for chunk in pretty.iter_pretty(data, limit, CHUNK_CHARS, progress, job.cancel_event):
                job.report({"text": chunk, "truncated": False, "chunked": True})
            return {"pretty_done": progress}

        def index_big(job: BackgroundJob) -> dict[str, Any]:
            data = open_body(response)
            index = JsonIndex(data)
            job.report({"index": index})
            index.build(job.cancel_event)
            _scan_first_rows(index, job.cancel_event)
            return {"index": index, "invalid": index.validate(job.cancel_event)}

        if size >= limit:  # pretty text is never shorter than the body: say so from the first chunk
            self._show_pretty_truncated()
        self.start(pretty_big, self._big_pretty_done, self._failed, self._pretty_arrived)
        self.start(index_big, self._json_parsed, self._failed, self._index_arrived)

    def _pretty_arrived(self, value: dict[str, Any]) -> None:
        self.queue_text(self.views.pretty, value["text"])
        if value.get("truncated"):
            self._show_pretty_truncated()

    def _show_pretty_truncated(self) -> None:
        size = self.response.size if self.response else 0
        self.views.pretty.set_banner(
            f"Showing the first {human_size(self._pretty_limit)} of the pretty text"
            f" ({human_size(size)} body): the full document is in the Tree view.")

    def _big_pretty_done(self, value: dict[str, Any]) -> None:
        progress: pretty.PrettyProgress = value["pretty_done"]
        if progress.truncated:
            self._show_pretty_truncated()
        if progress.cut_strings:  # a 50 MB string is shown as its first 16 KB: say so
            view = self.views.pretty
            pieces = f"Lines longer than {LONG_LINE:,} characters are shown in pieces."
            notes = [view.banner.text()] if progress.truncated else []
            view.set_banner(" ".join([*notes, pretty.cut_note(progress.cut_strings),
                                      *([pieces] if pieces in view.banner.text() and not progress.truncated else [])]))
        if progress.error is not None:
            self._mark_invalid(progress.error)

    def _index_arrived(self, value: dict[str, Any]) -> None:
        index: JsonIndex = value["index"]
        self.json_index = index
        self.views.tree.set_index(index)

    def _json_parsed(self, value: dict[str, Any]) -> None:
        if "error" in value:
            self._mark_invalid(value["error"], value.get("text"))
            return
        index: JsonIndex = value["index"]
        document = value.get("document")
        self.document = document
        tree = self.views.tree
        if self.json_index is not index:
            self.json_index = index
            tree.set_index(index, document)
        else:
            tree.indexing_finished()
        if index.error is not None:
            self._mark_invalid(index.error)
            return
        if value.get("invalid") is not None:  # structure fine, a value inside is not
            self._mark_invalid(value["invalid"])
            return
        self.defer(self._expander.expand)
        self.defer(lambda: self.json_ready.emit(index, document))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, JsonSyntaxError):
            self._mark_invalid(exc)
        else:
            message = exc.message if isinstance(exc, WorkbenchError) else f"{exc.__class__.__name__}: {exc}"
            self.banner.emit(f"The body could not be read: {message}", "error")

    def _mark_invalid(self, error: WorkbenchError, text: str | PreparedText | None = None) -> None:
        """Invalid JSON with a JSON content type: say so and show the raw text, never crash."""
        precise = error.message.startswith("Invalid JSON in $")  # from validate(): names the value
        if self.parse_error is not None and not (precise and not self.parse_error.message.startswith("Invalid JSON in $")):
            return
        first = self.parse_error is None
        self.parse_error = error
        ct = self.response.content_type if self.response else ""
        message = f"The body is not valid JSON ({ct or 'no content type'}): {error.message}"
        self.banner.emit(message, "error")
        view = self.views.pretty
        if text is not None:
            view.clear()
            view.set_banner("Shown as received (raw text), because it does not parse as JSON.", error=True)
            self.queue_text(view, text)
        else:
            view.set_banner(message, error=True)
        self.json_invalid.emit(error, text is not None, first)
        self.first_view()

    # ------------------------------------------------------------------ XML and images
    def load_xml(self, response: Response, pretty_limit: int, raw_limit: int) -> None:
        text_view = self.views.xml.text_view

        def parse(job: BackgroundJob) -> dict[str, Any]:
            data = bytes(open_body(response))
            try:
                root = xml_body.parse_xml(data)
            except WorkbenchError as exc:
                return {"error": exc, "text": prepare_text(_decode(data[:raw_limit], _charset(response)))}
            text = xml_body.pretty_xml(root)
            cut = len(text) > pretty_limit
            if cut:
                text = _cut(text, pretty_limit)
            return {"root": root, "text": prepare_text(text), "cut": cut, "raw": data, "csdl": xml_body.is_csdl(root)}

        def done(value: dict[str, Any]) -> None:
            if "error" in value:
                self.banner.emit(f"The body is not well-formed XML: {value['error'].message}", "error")
                text_view.set_banner("Shown as received (raw text).", error=True)
                self.queue_text(text_view, value["text"])
                return
            text = value["text"]
            if value["cut"]:
                text_view.set_banner(
                    f"Showing the first {human_size(pretty_limit)} of the pretty text: the whole document is in the Tree.")
            self.views.xml.set_document(value["root"], value["raw"], value["csdl"], response.url)
            self.queue_text(text_view, text)

        self.start(parse, done, self._failed)

    def load_image(self, response: Response) -> None:
        def decode(job: BackgroundJob) -> QImage:
            return QImage.fromData(bytes(open_body(response)))

        self.start(decode, self.image_ready.emit, self._failed)
