"""The Params tab's "Path Variables" table: one row per `{name}` in the URL, values editable.

Like Postman's Path Variables: the URL decides which rows exist (typing `{photoId}` adds one,
deleting it drops it, `core/path_variables.rows_for`), so names are read-only and there is no
blank add-row; the table shows only while the URL has placeholders. Values may hold
`{{variables}}`; they are resolved and encoded at send time (`core/sending/prepare.py`).
"""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.core.collections import KeyValue
from workbench.core.path_variables import rows_for
from workbench.ui.widgets.key_value_table import KeyValueTable


class PathVariablesTable(KeyValueTable):
    """A `KeyValueTable` whose rows come from the URL: no add-row, no delete, names read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, placeholder="path variable")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def _append_blank(self) -> None:
        """No add-row: a path variable is added by writing `{name}` in the URL."""

    def _append(self, row: KeyValue, secret: bool = False) -> None:
        super()._append(KeyValue(row.name, row.value, True, row.description), secret)
        item = self.item(self.rowCount() - 1, self.NAME)
        if item is not None:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(Qt.ItemDataRole.CheckStateRole, None)  # always sent: no tick box
            item.setToolTip("Named by {" + row.name + "} in the URL; edit the URL to rename or remove it")
        desc = self.item(self.rowCount() - 1, self.DESCRIPTION)
        if desc is not None:
            desc.setFlags(desc.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def rows(self) -> list[KeyValue]:
        """Every row, empty values included (the URL names them), descriptions kept."""
        out = []
        for r in range(self.rowCount()):
            name = self._text(r, self.NAME)
            if name:
                out.append(KeyValue(name, self._text(r, self.VALUE), True, self._text(r, self.DESCRIPTION)))
        return out

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Rows go when their placeholder leaves the URL, not on Delete."""


class PathVariables(QWidget):
    """The "Path Variables" heading and table, hidden while the URL has no `{name}`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = PathVariablesTable(self)
        self.table.setObjectName("pathVariables")
        title = QLabel("Path Variables", self)
        title.setObjectName("sectionTitle")
        title.setStyleSheet("font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        self.table.changed.connect(self._table_changed)
        self.setVisible(False)

    def set_rows(self, rows: Iterable[KeyValue], url: str) -> None:
        """Show the rows `url` needs, with the values of `rows`; emits nothing."""
        wanted = rows_for(url, tuple(rows))
        self.table.set_rows(wanted)
        self.setVisible(bool(wanted))
        # About as tall as its rows (a few), so the Params table keeps most of the tab.
        self.table.setMaximumHeight(self.table.horizontalHeader().height() + 26 * max(1, len(wanted)) + 6)

    def follow_url(self, url: str) -> None:
        """The URL was edited: add rows for new placeholders, drop those gone, keep typed values."""
        before = self.rows()
        self.set_rows(before, url)
        if self.rows() != before:
            self.changed.emit()

    def rows(self) -> tuple[KeyValue, ...]:
        return tuple(self.table.rows())

    @Slot()
    def _table_changed(self) -> None:
        self.changed.emit()


def params_page(params: QWidget, path_variables: PathVariables) -> QWidget:
    """The Params tab: the query parameters table, and the path variables under it."""
    page = QWidget(params.parentWidget())
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(params, 1)
    layout.addWidget(path_variables)
    return page
