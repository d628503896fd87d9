"""Run all requests of a collection or folder, in order, and watch the results arrive.

The window's face of `core/sending/runner.py` (the same run as `workbench run`): results are listed as
each request answers, Stop cancels the run at once (inside a request, too), and closing the
dialog stops it as well.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Slot
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Collection
from workbench.core.sending.runner import RunReport, RunResult, requests_under, run
from workbench.core.sending.send import SendContext
from workbench.ui.theme import status_color


class RunnerDialog(QDialog):
    def __init__(self, parent: QWidget | None, collection: Collection, folder: str, ctx: SendContext) -> None:
        super().__init__(parent)
        self.requests = requests_under(collection, folder)
        self.ctx = ctx
        self.report: RunReport | None = None
        self._task: asyncio.Task[RunReport] | None = None
        where = f"{collection.name} / {folder}" if folder else collection.name
        self.setWindowTitle(f"Run — {where}")
        self.resize(760, 460)
        env = getattr(ctx.environment, "name", "") or "no environment"
        self.summary = QLabel(f"{len(self.requests)} request(s) in {where}, environment: {env}", self)
        self.summary.setObjectName("muted")
        self.bail = QCheckBox("Stop at the first failure", self)
        self.table = QTableWidget(len(self.requests), 4, self)
        self.table.setHorizontalHeaderLabels(["Request", "Status", "Time", "Detail"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, request in enumerate(self.requests):
            self.table.setItem(row, 0, QTableWidgetItem(f"{request.method}  {request.name}"))
            self.table.setItem(row, 1, QTableWidgetItem("waiting"))
        self.run_button = QPushButton("Run again", self)
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.clicked.connect(self.stop)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.bail)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._row = 0

    @Slot()
    def start(self) -> None:
        """Start (or restart) the run as a task on the window's event loop."""
        self.stop()
        self._row = 0
        for row in range(self.table.rowCount()):
            for col, text in ((1, "waiting"), (2, ""), (3, "")):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._task = asyncio.ensure_future(run(self.requests, self.ctx, self._result, bail=self.bail.isChecked()))
        self._task.add_done_callback(self._finished)

    @Slot()
    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _result(self, result: RunResult) -> None:
        row = self._row
        self._row += 1
        status = QTableWidgetItem(str(result.status) if result.status is not None else "error")
        status.setForeground(QColor(status_color(result.status) if result.status is not None else "#cf222e"))
        self.table.setItem(row, 1, status)
        self.table.setItem(row, 2, QTableWidgetItem(f"{result.elapsed_ms:.0f} ms"))
        detail = QTableWidgetItem(result.error or f"{result.size} B")
        detail.setToolTip(result.error)
        self.table.setItem(row, 3, detail)
        self.table.scrollToItem(status)

    def _finished(self, task: "asyncio.Task[RunReport]") -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if task.cancelled():
            for row in range(self._row, self.table.rowCount()):
                self.table.setItem(row, 1, QTableWidgetItem("stopped"))
            self.summary.setText(f"Stopped after {self._row} of {len(self.requests)} request(s).")
            return
        self.report = task.result()
        failed = self.report.failed
        self.summary.setText(f"{len(self.report.results)} request(s), {failed} failed, "
                             f"{self.report.elapsed_ms / 1000:.2f} s")
        self.summary.setStyleSheet("color: #cf222e;" if failed else "color: #1a7f37;")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.stop()
        super().closeEvent(event)

