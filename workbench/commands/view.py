"""`workbench view FILE [--screenshot PNG] [--timings]`: a file in the response viewer.

Opens a JSON, XML or CSDL file as if it had been received (status 200, the content type its
extension or first bytes say), in a window holding just the response pane. `--screenshot`
saves the window once the first view is painted; `--timings` prints one JSON line with
`first_view_ms` (hand-over to first painted view), `max_stall_ms` (longest gap between two
event-loop turns while loading, measured by a 5 ms timer) and `peak_rss_mb`
(`getrusage` ru_maxrss). Either flag makes the command exit when done (offscreen). The theme is
the one chosen in Settings (as in the main window), `--theme` overrides it for this run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail

_TYPES = {".json": "application/json", ".xml": "application/xml", ".edmx": "application/xml",
          ".csdl": "application/xml", ".atom": "application/atom+xml"}
TIMEOUT_S = 300


@dataclass(slots=True)
class _Progress:
    """What the viewer's Qt callbacks have seen so far.

    Mutable on purpose: the timer, the pane's signals and the quit logic each update it from
    the event loop, and the figures are read only once the loop has stopped.
    """

    first: float | None = None  # perf_counter() when the first view was painted
    max_gap: float = 0.0  # longest gap between two meter ticks, seconds
    last: float = 0.0  # perf_counter() of the last meter tick
    code: int = EXIT_OK
    shot: bool = False
    done: bool = False
    timings_printed: bool = False


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a JSON, XML or CSDL ($metadata) file")
    parser.add_argument("--screenshot", metavar="PNG", help="save the window as PNG once the first view is painted, then exit")
    parser.add_argument("--timings", action="store_true",
                        help="print one JSON line: first_view_ms, max_stall_ms, peak_rss_mb (then exit)")
    parser.add_argument("--theme", choices=("light", "dark", "system"),
                        help="colour theme for this run (default: the one chosen in Settings, else the system's)")


def content_type_for(path: Path, head: bytes) -> str:
    """The media type the file would have been served with (extension, else sniffed)."""
    from workbench.core.response.classify import classify

    by_ext = _TYPES.get(path.suffix.lower())
    if by_ext:
        return by_ext
    kind = classify("", head)
    return {"json": "application/json", "xml": "application/xml"}.get(kind, "")


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path}: no such file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        size = path.stat().st_size
    except OSError as exc:
        return fail(f"{path}: cannot read it ({exc.strerror or exc})")
    if not head.strip():
        return fail(f"{path}: the file is empty")
    content_type = content_type_for(path, head)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if content_type == "application/json" and stripped not in tuple(bytes([c]) for c in b'{["-0123456789tfn'):
        return fail(f"{path}: not a JSON document (it starts with {stripped!r})")
    if content_type.endswith("xml") and stripped != b"<":
        return fail(f"{path}: not an XML document (it does not start with '<')")
    if not content_type:
        return fail(f"{path}: not a JSON or XML file")
    if not (args.screenshot or args.timings):
        from workbench.ui.app import missing_display

        if (problem := missing_display()) is not None:
            return fail(problem, EXIT_FAILED)
    if args.screenshot or args.timings:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from workbench.ui.app import quiet_offscreen_warnings

        quiet_offscreen_warnings()
    return _show(path, size, content_type, args.screenshot, args.timings, args.theme)


def _show(path: Path, size: int, content_type: str, screenshot: str | None, timings: bool,
          theme: str | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from workbench.core.sending.transport import Response
    from workbench.core.workspace.recent import theme_preference
    from workbench.ui.theme import apply_theme
    from workbench.ui.widgets.response.pane import ResponsePane

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("API Workbench")
    apply_theme(app, theme or theme_preference())  # the user's Settings choice, as the window does
    from workbench.ui import collector

    collector.install(app)  # cyclic GC on the UI thread only, as in the window
    window = QMainWindow()
    window.setWindowTitle(f"{path.name} — API Workbench viewer")
    pane = ResponsePane(window)
    window.setCentralWidget(pane)
    window.resize(1180, 780)
    window.show()
    app.processEvents()

    response = Response(status=200, reason="OK", http_version="", headers=(
        ("content-type", content_type), ("content-length", str(size))), size=size, elapsed_ms=0.0,
        body_file=str(path.resolve()), url=path.resolve().as_uri())
    state = _Progress()
    noninteractive = bool(screenshot or timings)

    def tick() -> None:
        now = time.perf_counter()
        gap = now - state.last
        state.last = now
        if gap > state.max_gap:
            state.max_gap = gap

    meter = QTimer()
    meter.setInterval(5)
    meter.timeout.connect(tick)

    def take_screenshot() -> None:
        if screenshot and not state.shot:
            state.shot = True
            if not window.grab().save(screenshot, "PNG"):
                state.code = fail(f"cannot write screenshot {screenshot}", EXIT_FAILED)
        maybe_quit()

    def first_view() -> None:
        pane.repaint()  # the first view is counted once it is painted
        if state.first is None:
            state.first = time.perf_counter()
        if screenshot:
            QTimer.singleShot(250, take_screenshot)

    def finished() -> None:
        meter.stop()
        state.done = True
        if state.first is None:
            first_view()
        if pane.parse_error is not None and noninteractive:
            state.code = fail(f"{path}: {pane.parse_error.message}", EXIT_BAD_INPUT)
        maybe_quit()

    def maybe_quit() -> None:
        # --timings waits for the whole load; --screenshot alone exits once the shot is saved.
        if not noninteractive or (timings and not state.done):
            return
        if screenshot and not state.shot:
            return
        if not state.done and pane.parse_error is not None and state.code == EXIT_OK:
            state.code = fail(f"{path}: {pane.parse_error.message}", EXIT_BAD_INPUT)
        if timings:
            assert state.first is not None, "finished() counts the first view before --timings prints"
            print(json.dumps({
                "first_view_ms": round((state.first - t0) * 1000, 1),
                "max_stall_ms": round(state.max_gap * 1000, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }), flush=True)
            state.timings_printed = True
        app.quit()

    def give_up() -> None:
        state.code = fail(f"{path}: loading did not finish within {TIMEOUT_S} s", EXIT_FAILED)
        app.quit()

    pane.first_view_ready.connect(first_view)
    pane.loading_finished.connect(finished)
    if noninteractive:
        QTimer.singleShot(TIMEOUT_S * 1000, give_up)
    t0 = time.perf_counter()
    state.last = t0
    meter.start()
    pane.show_response(response)
    app.exec()
    pane._reset()  # cancel workers before the interpreter goes down
    return state.code
