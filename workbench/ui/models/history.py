"""The History tab's table: one row per sent request, over core's `HistoryEntry` values.

The entries come from `core/workspace/history.py` (secrets already redacted); this model only
lays them out in columns and colours them, and `HistoryFilter` narrows them to the rows that
hold every word typed (method, status, URL or saved request path). The History tab draws each
row on two lines from `EntryRole` (`widgets/workspace/history_row.py`), with `host_and_path`
and `when` from here so the row and the columns say the same.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from workbench.core.workspace.history import HistoryEntry
from workbench.ui.palette import current
from workbench.ui.theme import status_color

__all__ = ["EntryRole", "HistoryFilter", "HistoryModel", "host_and_path", "when"]

_Index = QModelIndex | QPersistentModelIndex
#: The row's `HistoryEntry` (what the panel reopens).
EntryRole = Qt.ItemDataRole.UserRole + 1


def host_and_path(url: str) -> tuple[str, str]:
    """`("api.example.com:8443", "/v1/Orders?$top=5")`: what a user reads a URL for, apart.

    A URL without a scheme (a `{{variable}}` left in it) is all path; a bare host has path "/".
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", url
    if not parts.scheme or not parts.netloc:
        return "", url
    host = parts.netloc.rsplit("@", 1)[-1]  # never a user:password@ (history redacts it; be sure)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, path


def when(at: float, seconds: bool = True) -> str:
    """`14:02:11` today (`14:02` without `seconds`), `Mon 14:02` this week, else the date: what a user scans for."""
    now = time.time()
    local = time.localtime(at)
    if time.strftime("%Y%m%d", local) == time.strftime("%Y%m%d", time.localtime(now)):
        return time.strftime("%H:%M:%S" if seconds else "%H:%M", local)
    if now - at < 6 * 86400:
        return time.strftime("%a %H:%M", local)
    return time.strftime("%Y-%m-%d %H:%M", local)


class HistoryModel(QAbstractTableModel):
    """Columns: time, method, status, URL, duration."""

    HEADERS = ("Time", "Method", "Status", "URL", "ms")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def prepend(self, entry: HistoryEntry) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.entries.insert(0, entry)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (when(e.at), e.method, str(e.status), e.url, f"{e.elapsed_ms:.0f}")[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"\nSaved request: {e.collection}/{e.request_path}" if e.request_path else "\n(unsaved request)"
            return f"{e.method} {e.url}\n{e.status} in {e.elapsed_ms:.0f} ms, " \
                   f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(e.at))}{where}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1:
                return QColor(current().method(e.method))
            if col == 2:
                return QColor(status_color(e.status))
            if col in (0, 4):
                return QColor(current().muted)
        if role == Qt.ItemDataRole.FontRole and col in (1, 2):
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryRole:
            return e
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Rows whose method, status, URL and request path hold every word of the needle."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.needle = ""

    def set_needle(self, text: str) -> None:
        """Filter by `text` (case-insensitive words; "" shows every row)."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self.needle = text.strip().lower()
            self.endFilterChange()
        else:  # pragma: no cover - Qt < 6.9
            self.needle = text.strip().lower()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self.needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, HistoryModel)
        e = model.entries[row]
        hay = f"{e.method} {e.status} {e.url} {e.request_path}".lower()
        return all(w in hay for w in self.needle.split())
