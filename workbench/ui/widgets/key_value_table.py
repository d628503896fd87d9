"""An editable name/value table with an enable checkbox per row and an always-empty last row.

Used for params, headers, form fields, collection and environment variables; it reads and
writes `KeyValue` rows. Disabled rows stay in the table (users toggle optional parameters on
and off), the last row is a blank "add" row like in Postman, Delete removes the selected rows,
and with `secret_column=True` a Secret checkbox marks values that are masked on screen and kept
out of the workspace YAML by storage.
"""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from workbench.core.collections import KeyValue
from workbench.ui.palette import current

_MASK = "••••••••"


class _RowDelegate(QStyledItemDelegate):
    """Paints a grey hint in the blank last row and masks the values of secret rows."""

    def __init__(self, table: "KeyValueTable") -> None:
        super().__init__(table)
        self._table = table

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        table = self._table
        if index.column() == table.VALUE and table.is_secret_row(index.row()) and index.data():
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = _MASK
            style = opt.widget.style() if opt.widget else None
            if style is not None:
                style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
                return
        blank = index.row() == table.rowCount() - 1 and not index.data()
        if blank and index.column() == table.NAME:
            # The always-empty last row is where a new row is typed: no tick until it holds something.
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
            style = opt.widget.style() if opt.widget else None
            if style is not None:
                style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        else:
            super().paint(painter, option, index)
        if blank and index.column() in (table.NAME, table.VALUE):
            hint = table.placeholder if index.column() == table.NAME else "value"
            painter.save()
            painter.setPen(QColor(current().faint))
            rect = option.rect.adjusted(26 if index.column() == table.NAME else 6, 0, -4, 0)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), f"Add {hint}"
                             if index.column() == table.NAME else hint)
            painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if index.column() == self._table.VALUE and self._table.is_secret_row(index.row()) \
                and isinstance(editor, QLineEdit):
            editor.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        return editor


class KeyValueTable(QTableWidget):
    """Rows of (enabled, name, value[, secret], description)."""

    changed = Signal()

    NAME, VALUE = 0, 1

    def __init__(self, parent: QWidget | None = None, placeholder: str = "name",
                 secret_column: bool = False) -> None:
        columns = ["Name", "Value", "Secret", "Description"] if secret_column else ["Name", "Value", "Description"]
        super().__init__(0, len(columns), parent)
        self.placeholder = placeholder
        self._secret_column = secret_column
        self.SECRET = 2 if secret_column else -1
        self.DESCRIPTION = 3 if secret_column else 2
        self._loading = False
        self.setHorizontalHeaderLabels(columns)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.DESCRIPTION, QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        if secret_column:
            header.setSectionResizeMode(self.SECRET, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(self.SECRET, 60)
        self.setColumnWidth(self.NAME, 150 if secret_column else 200)
        self.setColumnWidth(self.DESCRIPTION, 170 if secret_column else 220)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setItemDelegate(_RowDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemChanged.connect(self._item_changed)
        self._append_blank()

    # ------------------------------------------------------------------ content
    def set_rows(self, rows: Iterable[KeyValue], secret_names: Iterable[str] = ()) -> None:
        """Show `rows` (replacing all), plus the blank add-row; emits nothing."""
        secrets = set(secret_names)
        self._loading = True
        try:
            self.setRowCount(0)
            for row in rows:
                self._append(row, row.name in secrets)
            self._append_blank()
        finally:
            self._loading = False

    def rows(self) -> list[KeyValue]:
        """The filled rows in order (the blank add-row and empty rows are left out)."""
        out = []
        for r in range(self.rowCount()):
            name_item = self.item(r, self.NAME)
            name = name_item.text().strip() if name_item else ""
            value = self._text(r, self.VALUE)
            desc = self._text(r, self.DESCRIPTION)
            if not name and not value:
                continue
            enabled = name_item.checkState() == Qt.CheckState.Checked if name_item else True
            out.append(KeyValue(name, value, enabled, desc))
        return out

    def secret_names(self) -> frozenset[str]:
        """Names of rows whose Secret box is ticked (only with `secret_column=True`)."""
        return frozenset(r.name for i, r in self._filled() if self.is_secret_row(i))

    def is_secret_row(self, row: int) -> bool:
        if not self._secret_column:
            return False
        item = self.item(row, self.SECRET)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Delete rows (never the blank add-row) and report the change."""
        last = self.rowCount() - 1
        doomed = sorted({r for r in rows if 0 <= r < last}, reverse=True)
        if not doomed:
            return
        for r in doomed:
            self.removeRow(r)
        self.changed.emit()

    # ------------------------------------------------------------------ internals
    def _filled(self) -> list[tuple[int, KeyValue]]:
        out = []
        for r in range(self.rowCount()):
            name = self._text(r, self.NAME).strip()
            value = self._text(r, self.VALUE)
            if name or value:
                out.append((r, KeyValue(name, value)))
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item else ""

    def _append(self, row: KeyValue, secret: bool = False) -> None:
        r = self.rowCount()
        self.insertRow(r)
        name = QTableWidgetItem(row.name)
        name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        name.setCheckState(Qt.CheckState.Checked if row.enabled else Qt.CheckState.Unchecked)
        name.setToolTip("Untick to keep the row without sending it")
        self.setItem(r, self.NAME, name)
        self.setItem(r, self.VALUE, QTableWidgetItem(row.value))
        if self._secret_column:
            flag = QTableWidgetItem("")
            flag.setFlags((flag.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
            flag.setCheckState(Qt.CheckState.Checked if secret else Qt.CheckState.Unchecked)
            flag.setToolTip("Secret: masked here, kept in the secret store (OS keyring, else a private file), "
                            "not in the YAML file")
            self.setItem(r, self.SECRET, flag)
        desc = QTableWidgetItem(row.description)
        desc.setToolTip(row.description)
        desc.setForeground(QColor(current().muted))
        self.setItem(r, self.DESCRIPTION, desc)
        if not row.enabled:
            for c in (self.VALUE, self.DESCRIPTION):
                item = self.item(r, c)
                if item is not None:
                    item.setForeground(QColor(current().faint))

    def _append_blank(self) -> None:
        self._append(KeyValue("", "", True))

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            last = self.rowCount() - 1
            if item.row() == last and item.text():
                self._append_blank()
            if item.column() == self.NAME:
                grey = item.checkState() != Qt.CheckState.Checked
                value = self.item(item.row(), self.VALUE)
                if value is not None:
                    value.setForeground(QColor(current().faint if grey else current().text))
        finally:
            self._loading = False
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            rows = {i.row() for i in self.selectedIndexes()}
            if rows:
                self.remove_rows(rows)
                return
        super().keyPressEvent(event)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        rows = {i.row() for i in self.selectedIndexes()} or ({self.rowAt(pos.y())} if self.rowAt(pos.y()) >= 0 else set())
        menu = QMenu(self)
        delete = menu.addAction("Delete row" if len(rows) <= 1 else f"Delete {len(rows)} rows")
        delete.setEnabled(any(r < self.rowCount() - 1 for r in rows))
        delete.triggered.connect(lambda: self.remove_rows(rows))
        menu.addSeparator()
        menu.addAction("Enable all", lambda: self._set_all_enabled(True))
        menu.addAction("Disable all", lambda: self._set_all_enabled(False))
        menu.exec(self.viewport().mapToGlobal(pos))

    def _set_all_enabled(self, enabled: bool) -> None:
        state = Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked
        self._loading = True
        try:
            for r, _ in self._filled():
                item = self.item(r, self.NAME)
                if item is not None:
                    item.setCheckState(state)
        finally:
            self._loading = False
        self.changed.emit()
