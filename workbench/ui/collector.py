"""Python's cyclic garbage collection, run on the UI thread only.

Automatic collection runs in whichever thread happens to allocate: a parser in a worker thread
can then destroy the last reference to a Qt wrapper (a widget's lambda slot, a model), and a Qt
object deleted off its thread crashes the process. The suite saw exactly that: a segfault
"Garbage-collecting" while a window waited on a send. So automatic collection is off and a
timer on the UI thread collects instead, when the allocation counts say Python would have
(the same thresholds), as pyqtgraph's GarbageCollector does.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class UiGarbageCollector(QObject):
    """Collects on the UI thread every `INTERVAL_MS` when the generation counts call for it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> int:
        """Collect the oldest generation whose count is over its threshold (0 objects when none is)."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Give collection back to Python (tests, and the end of the app)."""
        self.timer.stop()
        gc.enable()


def install(parent: QObject) -> UiGarbageCollector:
    """Start collecting on the UI thread; `parent` (the QApplication) keeps the collector alive."""
    return UiGarbageCollector(parent)
