"""The History tab: every request sent from this workspace, newest first, reopenable.

Entries come from `core/workspace/history.py` (`.workbench/history.jsonl`, secrets already redacted).
Each is drawn on two lines (`history_row.py`): method and path, then host, status, duration and
time, so the part of a URL a user looks for is never the part elided in a narrow sidebar.
Double-click (or Enter) asks the window to reopen one: the saved request it came from when
that file still exists, else a new unsaved tab with the same method and URL.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.workspace.history import HistoryEntry
from workbench.ui.models.history import EntryRole, HistoryFilter, HistoryModel
from workbench.ui.widgets.workspace.history_row import HistoryRowDelegate


class HistoryPanel(QWidget):
    """Signal `open_requested(HistoryEntry)` when the user reopens an entry."""

    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace_root = ""
        self.model = HistoryModel(self)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter history")
        self.filter.setToolTip("Show the entries holding every word typed: method, status, URL or request path")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        refresh = QPushButton("Refresh", self)
        refresh.setToolTip("Re-read the history file (e.g. after `workbench send`)")
        refresh.clicked.connect(self.reload)
        self.view = QListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(HistoryRowDelegate(self.view))
        self.view.setUniformItemSizes(True)  # every row is two lines: long histories scroll fast
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.proxy.set_needle(text)

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        entry = index.sibling(index.row(), 0).data(EntryRole)
        if entry is not None:
            self.open_requested.emit(entry)
