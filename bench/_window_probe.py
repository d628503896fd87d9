"""What the window benchmarks share: the window opened as a user opens it, and the event-loop gap probe.

Why a probe and not a timer around a call: what a user feels is the longest time the UI
thread did not turn its event loop (no repaint, no key handled), wherever the work ran. A
5 ms QTimer records the gap between its ticks; the longest gap is the stall. Not a benchmark
itself (the leading underscore keeps `run_all.py` from running it).
"""

from __future__ import annotations

import sys
import time
from typing import Any


class GapProbe:
    """A 5 ms timer on the UI thread; `longest()` is the worst gap between two of its ticks."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> float:
        self.gaps.clear()
        self.last = time.perf_counter()
        self._timer.start()
        return self.last

    def stop(self) -> None:
        self._timer.stop()

    def longest(self) -> float:
        return max(self.gaps or [0.0])


def open_window(workspace: str, size: tuple[int, int] = (1280, 800), settle_s: float = 1.0) -> tuple[Any, Any]:
    """The main window on `workspace`, shown, past its deferred start-up work (imports warmed after
    the first paint), so a figure measures the action and not the start-up's tail."""
    from PySide6.QtWidgets import QApplication

    from workbench.ui.main_window import MainWindow
    from workbench.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, "light")
    window = MainWindow(workspace)
    window.resize(*size)
    window.show()
    deadline = time.perf_counter() + 60
    while not window.startup_finished and time.perf_counter() < deadline:
        app.processEvents()
    settle = time.perf_counter() + settle_s
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.005)
    return app, window
