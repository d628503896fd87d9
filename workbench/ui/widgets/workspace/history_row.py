"""How one History entry is drawn: method and path on the first line, host, status and time under it.

The History tab is narrow (a sidebar), and a one-line table of time, method, status, URL and
duration left the URL a few characters elided in the middle ("htt…e=2"): exactly the part a
user reads was gone. Two lines, as Postman's history list has, give the path the whole width
(elided at its end, where the query string is), and put the host and the outcome below it,
where they are scanned rather than read.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workbench.core.workspace.history import HistoryEntry
from workbench.ui.models.history import EntryRole, host_and_path, when
from workbench.ui.palette import current
from workbench.ui.theme import status_color

__all__ = ["HistoryRowDelegate"]

_PAD_X, _PAD_Y, _GAP = 8, 5, 2
_METHOD_WIDTH = "DELETE"  # the method column is as wide as the widest common method


class HistoryRowDelegate(QStyledItemDelegate):
    """Paints a `HistoryEntry` (from `EntryRole`) on two lines."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(200, 2 * metrics.height() + 2 * _PAD_Y + _GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        entry = index.data(EntryRole)
        if not isinstance(entry, HistoryEntry):
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = current()
        rect: QRect = option.rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        line = metrics.height()
        text_colour = option.palette.highlightedText().color() if selected else QColor(pal.text)
        muted = text_colour if selected else QColor(pal.muted)
        host, path = host_and_path(entry.url)
        painter.save()

        # line 1: METHOD  /path?query
        method_w = bold_metrics.horizontalAdvance(_METHOD_WIDTH) + 8
        painter.setFont(bold)
        painter.setPen(text_colour if selected else QColor(pal.method(entry.method)))
        first = QRect(rect.left(), rect.top(), method_w, line)
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         bold_metrics.elidedText(entry.method, Qt.TextElideMode.ElideRight, method_w - 4))
        painter.setFont(font)
        painter.setPen(text_colour)
        path_rect = QRect(rect.left() + method_w, rect.top(), rect.width() - method_w, line)
        painter.drawText(path_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(path, Qt.TextElideMode.ElideRight, path_rect.width()))

        # line 2: host · STATUS · 88 ms                time
        top = rect.top() + line + _GAP
        right = when(entry.at, seconds=False)  # the seconds are in the tooltip; the host needs the room
        right_w = metrics.horizontalAdvance(right)
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - right_w, top, right_w, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
        x = rect.left() + method_w
        room = rect.right() - right_w - 8
        status = str(entry.status) if entry.status else "—"
        tail = f" · {entry.elapsed_ms:.0f} ms"
        status_w = bold_metrics.horizontalAdvance(status)
        tail_w = metrics.horizontalAdvance(tail)
        host_w = max(0, room - x - status_w - tail_w - metrics.horizontalAdvance(" · "))
        host_text = metrics.elidedText(host, Qt.TextElideMode.ElideMiddle, host_w) if host else ""
        if host_text:
            host_text += " · "
            painter.drawText(QRect(x, top, room - x, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             host_text)
            x += metrics.horizontalAdvance(host_text)
        painter.setFont(bold)
        painter.setPen(text_colour if selected else QColor(status_color(entry.status)))
        painter.drawText(QRect(x, top, status_w + 2, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         status)
        x += status_w
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(x, top, max(0, room - x), line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(tail, Qt.TextElideMode.ElideRight, max(0, room - x)))
        painter.restore()
