"""The request editor's "Checks" tab: what the runner asserts on a response, and what it saves.

A form over `Request.checks` and `Request.save` and nothing else (posting's `to_model()`
pattern): rows in, frozen values out. The runner (`core/sending/runner.py`) does the checking.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import (
    CHECK_KINDS,
    Check,
    CheckKind,
    CheckOp,
    SaveSource,
    SaveStep,
)

_OPS: dict[str, tuple[str, ...]] = {"status": ("equals",), "header": ("exists", "equals"),
                                   "json": ("exists", "equals", "contains"), "time": ("below",),
                                   "contract": ("matches",)}
_HINTS = {"status": "200 or 2xx", "header": "header name", "json": "$.path", "time": "", "contract": ""}


class ChecksTable(QWidget):
    """Two tables: checks (kind, target, operator, expected) and save steps (variable ← source)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.checks_table = self._table(["Check", "Header / JSON path", "Operator", "Expected ({{variables}} allowed)"])
        self.save_table = self._table(["Variable", "From", "JSON path / header name"])
        add_check = QPushButton("Add check", self)
        add_check.clicked.connect(lambda: self.add_check(Check("status", op="equals", expected="2xx")))
        add_save = QPushButton("Add save step", self)
        add_save.clicked.connect(lambda: self.add_save(SaveStep("", "json", "$.")))
        remove = QPushButton("Remove selected", self)
        remove.clicked.connect(self._remove)
        bar = QHBoxLayout()
        bar.addWidget(add_check)
        bar.addWidget(add_save)
        bar.addStretch(1)
        bar.addWidget(remove)
        note = QLabel("Checks run when the collection runs (Run… or `workbench run`). Saved variables are "
                      "seen by the requests that follow in the same run.", self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(note)
        layout.addWidget(self.checks_table, 2)
        layout.addWidget(QLabel("Save to variable", self))
        layout.addWidget(self.save_table, 1)
        layout.addLayout(bar)

    def _table(self, labels: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(labels), self)
        table.setHorizontalHeaderLabels(labels)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(len(labels) - 1, QHeaderView.ResizeMode.Stretch)
        # The header and a row, not Qt's default 70 px: this tab is the tallest page of the request
        # editor, and with the response pane it must fit a 1024×700 window (issue 14).
        table.setMinimumHeight(56)
        table.itemChanged.connect(self._edited)
        return table

    def _combo(self, items: tuple[str, ...], current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(list(items))
        combo.setCurrentText(current if current in items else items[0])
        combo.currentTextChanged.connect(self._edited)
        return combo

    # ------------------------------------------------------------------ model <-> form
    def set_steps(self, checks: tuple[Check, ...], saves: tuple[SaveStep, ...]) -> None:
        self._loading = True
        try:
            self.checks_table.setRowCount(0)
            self.save_table.setRowCount(0)
            for check in checks:
                self.add_check(check)
            for step in saves:
                self.add_save(step)
        finally:
            self._loading = False

    def add_check(self, check: Check) -> None:
        table = self.checks_table
        row = table.rowCount()
        table.insertRow(row)
        kind = self._combo(CHECK_KINDS, check.kind)
        table.setCellWidget(row, 0, kind)
        target = QTableWidgetItem(check.target)
        target.setToolTip(_HINTS.get(check.kind, ""))
        table.setItem(row, 1, target)
        table.setCellWidget(row, 2, self._combo(_OPS[check.kind], check.op or _OPS[check.kind][0]))
        table.setItem(row, 3, QTableWidgetItem(check.expected))
        enabled = table.item(row, 1)
        if enabled is not None:
            enabled.setCheckState(Qt.CheckState.Checked if check.enabled else Qt.CheckState.Unchecked)
        kind.currentTextChanged.connect(lambda text, combo=kind: self._kind_changed(combo, text))
        self._edited()

    def add_save(self, step: SaveStep) -> None:
        table = self.save_table
        row = table.rowCount()
        table.insertRow(row)
        name = QTableWidgetItem(step.variable)
        name.setCheckState(Qt.CheckState.Checked if step.enabled else Qt.CheckState.Unchecked)
        table.setItem(row, 0, name)
        table.setCellWidget(row, 1, self._combo(("json", "header"), step.source))
        table.setItem(row, 2, QTableWidgetItem(step.path))
        self._edited()

    def _kind_changed(self, combo: QComboBox, kind: str) -> None:
        for row in range(self.checks_table.rowCount()):
            if self.checks_table.cellWidget(row, 0) is combo:
                self.checks_table.setCellWidget(row, 2, self._combo(_OPS.get(kind, ("equals",)), ""))
        self._edited()

    def _text(self, table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _current(self, table: QTableWidget, row: int, col: int) -> str:
        widget = table.cellWidget(row, col)
        return widget.currentText() if isinstance(widget, QComboBox) else ""

    def checks(self) -> tuple[Check, ...]:
        out: list[Check] = []
        table = self.checks_table
        for row in range(table.rowCount()):
            kind = self._current(table, row, 0)
            if kind not in CHECK_KINDS:
                continue
            target = self._text(table, row, 1) if kind in ("header", "json") else ""
            if kind in ("header", "json") and not target:
                continue  # a row still being typed
            op = self._current(table, row, 2)
            op_value: CheckOp = op if op in ("equals", "contains", "exists", "below") else ""  # type: ignore[assignment]
            if kind == "status":
                op_value = ""
            expected = "" if op_value == "exists" or kind == "contract" else self._text(table, row, 3)
            if kind in ("status", "time") and not expected:
                continue
            item = table.item(row, 1)
            enabled = item is None or item.checkState() != Qt.CheckState.Unchecked
            kind_value: CheckKind = kind
            out.append(Check(kind_value, target, op_value, expected, enabled))
        return tuple(out)

    def saves(self) -> tuple[SaveStep, ...]:
        out: list[SaveStep] = []
        table = self.save_table
        for row in range(table.rowCount()):
            name, path = self._text(table, row, 0), self._text(table, row, 2)
            if not name or not path:
                continue
            source: SaveSource = "header" if self._current(table, row, 1) == "header" else "json"
            item = table.item(row, 0)
            out.append(SaveStep(name, source, path, item is None or item.checkState() != Qt.CheckState.Unchecked))
        return tuple(out)

    @Slot()
    def _remove(self) -> None:
        for table in (self.checks_table, self.save_table):
            rows = sorted({i.row() for i in table.selectedIndexes()}, reverse=True)
            for row in rows:
                table.removeRow(row)
        self._edited()

    @Slot()
    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()
