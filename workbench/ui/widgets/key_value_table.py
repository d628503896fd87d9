"""An editable name/value table with an enable checkbox per row and an always-empty last row.

Used for params, headers, form fields and variables; it reads and writes `KeyValue` rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from workbench.core.collections import KeyValue


class KeyValueTable(QTableWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, placeholder: str = "name") -> None:
        super().__init__(0, 3, parent)
        self._placeholder = placeholder
        self._loading = False
        self.setHorizontalHeaderLabels(["Name", "Value", "Description"])
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 200)
        self.setColumnWidth(2, 220)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemChanged.connect(self._item_changed)
        self._append_blank()

    def set_rows(self, rows: tuple[KeyValue, ...] | list[KeyValue]) -> None:
        self._loading = True
        try:
            self.setRowCount(0)
            for row in rows:
                self._append(row)
            self._append_blank()
        finally:
            self._loading = False

    def rows(self) -> list[KeyValue]:
        out = []
        for r in range(self.rowCount()):
            name_item = self.item(r, 0)
            name = name_item.text().strip() if name_item else ""
            value = self.item(r, 1).text() if self.item(r, 1) else ""
            desc = self.item(r, 2).text() if self.item(r, 2) else ""
            if not name and not value:
                continue
            enabled = name_item.checkState() == Qt.CheckState.Checked if name_item else True
            out.append(KeyValue(name, value, enabled, desc))
        return out

    def _append(self, row: KeyValue) -> None:
        r = self.rowCount()
        self.insertRow(r)
        name = QTableWidgetItem(row.name)
        name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        name.setCheckState(Qt.CheckState.Checked if row.enabled else Qt.CheckState.Unchecked)
        self.setItem(r, 0, name)
        self.setItem(r, 1, QTableWidgetItem(row.value))
        desc = QTableWidgetItem(row.description)
        desc.setToolTip(row.description)
        self.setItem(r, 2, desc)

    def _append_blank(self) -> None:
        self._append(KeyValue("", "", True))

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        last = self.rowCount() - 1
        if item.row() == last and item.text():
            self._loading = True
            try:
                self._append_blank()
            finally:
                self._loading = False
        self.changed.emit()
