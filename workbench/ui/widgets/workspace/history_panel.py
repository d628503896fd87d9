"""The History tab: every request sent from this workspace, newest first, reopenable.

Entries come from `core/workspace/history.py` (`.workbench/history.jsonl`, secrets already redacted).
Double-click (or Enter) asks the window to reopen one: the saved request it came from when
that file still exists, else a new unsaved tab with the same method and URL.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from workbench.core.workspace.history import HistoryEntry
from workbench.ui.theme import METHOD_COLORS, status_color

_Index = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole + 1


def _when(at: float) -> str:
    """`14:02:11` today, `Mon 14:02` this week, else the date: what a user scans for."""
    now = time.time()
    local = time.localtime(at)
    if time.strftime("%Y%m%d", local) == time.strftime("%Y%m%d", time.localtime(now)):
        return time.strftime("%H:%M:%S", local)
    if now - at < 6 * 86400:
        return time.strftime("%a %H:%M", local)
    return time.strftime("%Y-%m-%d %H:%M", local)


class HistoryModel(QAbstractTableModel):
    """Columns: time, method, status, URL, duration."""

    HEADERS = ("Time", "Method", "Status", "URL", "ms")

    def __init__(self, parent: Any = None) -> None:
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
            return (_when(e.at), e.method, str(e.status), e.url, f"{e.elapsed_ms:.0f}")[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"\nSaved request: {e.collection}/{e.request_path}" if e.request_path else "\n(unsaved request)"
            return f"{e.method} {e.url}\n{e.status} in {e.elapsed_ms:.0f} ms, " \
                   f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(e.at))}{where}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1:
                return QColor(METHOD_COLORS.get(e.method, "#57606a"))
            if col == 2:
                return QColor(status_color(e.status))
            if col in (0, 4):
                return QColor("#57606a")
        if role == Qt.ItemDataRole.FontRole and col in (1, 2):
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryRole:
            return e
        return None


class _HistoryFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.needle = ""

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self.needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, HistoryModel)
        e = model.entries[row]
        hay = f"{e.method} {e.status} {e.url} {e.request_path}".lower()
        return all(w in hay for w in self.needle.split())


class HistoryPanel(QWidget):
    """Signal `open_requested(HistoryEntry)` when the user reopens an entry."""

    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace_root = ""
        self.model = HistoryModel(self)
        self.proxy = _HistoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by method, status or URL")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        refresh = QPushButton("Refresh", self)
        refresh.setToolTip("Re-read the history file (e.g. after `workbench send`)")
        refresh.clicked.connect(self.reload)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.empty = QLabel("No requests sent yet.\nEverything you send is listed here\n(secrets are redacted).", self)
        self.empty.setObjectName("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Forget the whole history of this workspace")
        self.clear_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(refresh)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        self._update_empty()

    def set_workspace(self, workspace_root: str) -> None:
        self.workspace_root = workspace_root
        self.reload()

    @Slot()
    def reload(self) -> None:
        from workbench.core.workspace import history

        self.model.set_entries(history.load(self.workspace_root) if self.workspace_root else [])
        self._update_empty()

    @Slot()
    def clear(self) -> None:
        """Ask, then remove the workspace's history file."""
        from PySide6.QtWidgets import QMessageBox

        from workbench.core.workspace import history

        if not self.workspace_root or self.model.rowCount() == 0:
            return
        answer = QMessageBox.question(self, "Clear history",
                                      f"Forget all {self.model.rowCount()} sent requests of this workspace?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        history.clear(self.workspace_root)
        self.reload()

    def add_entry(self, entry: HistoryEntry) -> None:
        """A request was just sent: show it on top without re-reading the file."""
        self.model.prepend(entry)
        self._update_empty()

    def entry_at(self, row: int) -> HistoryEntry | None:
        """The entry shown in (filtered) row `row`."""
        index = self.proxy.index(row, 0)
        return index.data(EntryRole) if index.isValid() else None

    def _update_empty(self) -> None:
        has = self.model.rowCount() > 0
        self.view.setVisible(has)
        self.empty.setVisible(not has)

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        if hasattr(self.proxy, "beginFilterChange"):  # Qt >= 6.9
            self.proxy.beginFilterChange()
            self.proxy.needle = text.strip().lower()
            self.proxy.endFilterChange()
        else:  # pragma: no cover - Qt < 6.9
            self.proxy.needle = text.strip().lower()
            self.proxy.invalidateFilter()

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        entry = index.sibling(index.row(), 0).data(EntryRole)
        if entry is not None:
            self.open_requested.emit(entry)
