"""The Timing tab: where the time of one exchange went, as a waterfall and in words.

A slow response is either a slow network (connect, TLS), a slow server (waiting for the first
byte) or a big body (download); one bar per phase shows which, at a glance. The sentence under
the chart repeats the chart's own numbers (one definition of each phase, `TimingChart.phases`),
so "Waiting (TTFB)" never reads as one number in the bars and another in the words; the phases
add up to the total.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.core.sending.transport import Response, Timings
from workbench.ui.palette import current

__all__ = ["TimingChart", "TimingView", "ms"]


def ms(value: float) -> str:
    """A phase's length as the chart and the sentence both write it ("—" for a phase that did not happen)."""
    return f"{value:.1f} ms" if value > 0 else "—"


class TimingChart(QWidget):
    """A waterfall of connect, TLS, waiting (time to first byte) and download."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timings: Timings | None = None
        self.setMinimumHeight(176)

    def set_timings(self, timings: Timings | None) -> None:
        self.timings = timings
        self.update()

    def phases(self) -> list[tuple[str, float, float, str]]:
        """(label, start ms, length ms, colour) for each phase."""
        t = self.timings
        if t is None:
            return []
        pal = current()
        connect, tls = t.connect_ms, t.tls_ms
        waiting = max(0.0, t.ttfb_ms - connect - tls)
        return [
            ("Connect", 0.0, connect, pal.purple),
            ("TLS handshake", connect, tls, pal.warning),
            ("Waiting (TTFB)", connect + tls, waiting, pal.accent),
            ("Download", t.ttfb_ms, t.download_ms, pal.success),
        ]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = current()
        painter.fillRect(self.rect(), QColor(pal.base))
        t = self.timings
        if t is None:
            painter.setPen(QColor(pal.faint))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No timing: this response was not received over HTTP.")
            return
        total = max(t.total_ms, t.ttfb_ms + t.download_ms, 0.001)
        label_w, value_w, margin = 130, 90, 14
        bar_w = max(40, self.width() - label_w - value_w - 2 * margin)
        row_h = 28
        y = margin
        for label, start, length, colour in self.phases():
            painter.setPen(QColor(pal.text))
            painter.drawText(margin, y, label_w, row_h, Qt.AlignmentFlag.AlignVCenter, label)
            x = margin + label_w + bar_w * start / total
            w = max(2.0, bar_w * length / total) if length > 0 else 0.0
            painter.fillRect(QRectF(margin + label_w, y + 9, bar_w, row_h - 18), QColor(pal.alt_base))
            if w:
                painter.fillRect(QRectF(x, y + 7, w, row_h - 14), QColor(colour))
            painter.setPen(QColor(pal.muted))
            text = ms(length)
            painter.drawText(margin + label_w + bar_w + 8, y, value_w, row_h, Qt.AlignmentFlag.AlignVCenter, text)
            y += row_h
        painter.setPen(QColor(pal.text))
        painter.drawText(margin, y + 4, label_w + bar_w, row_h, Qt.AlignmentFlag.AlignVCenter,
                         f"Total {t.total_ms:.1f} ms" + ("  ·  connection reused (no connect/TLS)"
                                                       if t.connect_ms == 0 and t.tls_ms == 0 else ""))


class TimingView(QWidget):
    """The chart with a sentence under it: the numbers to copy, and what "waiting" means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = TimingChart(self)
        self.info = QLabel("", self)
        self.info.setObjectName("muted")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.chart)
        layout.addWidget(self.info)
        layout.addStretch(1)

    def show_response(self, response: Response) -> None:
        """The response's phases; none for a body not received over HTTP (a file, a `$batch` part)."""
        t = response.timings
        has = bool(t.total_ms or response.elapsed_ms)
        self.chart.set_timings(t if has else None)
        if has:
            phases = " · ".join(f"{label} {ms(length)}" for label, _, length, _ in self.chart.phases())
            self.info.setText(
                f"{phases} · Total {t.total_ms:.1f} ms. Waiting (TTFB) is the time from the connection being "
                "ready to the first byte of the response: sending the request and the server's work. A reused "
                "connection has no Connect or TLS phase.")
        else:
            self.info.setText("")
