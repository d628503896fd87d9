"""Run the requests of a collection or folder, with checks, and watch the results arrive.

The window's face of `core/sending/runner.py` (the same run as `workbench run`). A setup step
first: environment, which requests, iterations, delay, data file. Then a row per request sent,
pass or fail with the reason, which opens its response below; Stop cancels the run at once
(inside a request, too), and closing the dialog stops it as well. Every exchange goes to
History, as a send from the editor does. A run that would send DELETE requests asks first,
listing them: a collection imported from a descriptor has plenty, and a click must not delete
a tenant's data by surprise.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Collection, Request, Workspace
from workbench.core.errors import WorkbenchError
from workbench.core.sending.runner import (
    RunOptions,
    RunReport,
    RunResult,
    deletes_in,
    requests_under,
    run,
)
from workbench.core.sending.send import SendContext
from workbench.ui.palette import current
from workbench.ui.theme import status_color

if TYPE_CHECKING:
    from workbench.ui.widgets.response.pane import ResponsePane

_NO_ENV = "(no environment)"
_PASS, _FAIL = "success", "danger"  # palette colour names


def ask_before_deleting(parent: QWidget, deletes: list[Request]) -> bool:
    """The confirmation a run with DELETE requests needs (listing them)."""
    shown = "\n".join(f"•  DELETE {r.name}" for r in deletes[:15]) + ("\n…" if len(deletes) > 15 else "")
    answer = QMessageBox.question(
        parent, "Run DELETE requests?",
        f"This run sends {len(deletes)} DELETE request(s):\n\n{shown}\n\nRun them?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class RunnerDialog(QDialog):
    def __init__(self, parent: QWidget | None, collection: Collection, folder: str, ctx: SendContext,
                 workspace: Workspace | None = None) -> None:
        super().__init__(parent)
        self.collection = collection
        self.workspace = workspace
        self.requests = requests_under(collection, folder)
        self.ctx = ctx
        self._run_ctx = ctx  # the context of the run under way (the environment chosen at its start)
        self.report: RunReport | None = None
        self.results: list[RunResult] = []
        #: Asked before a run that sends DELETE requests; True runs them (tests replace it).
        self.confirm_deletes: Callable[[list[Request]], bool] = lambda deletes: ask_before_deleting(self, deletes)
        self._task: asyncio.Task[RunReport] | None = None
        self._planned = 0
        where = f"{collection.name} / {folder}" if folder else collection.name
        self.setWindowTitle(f"Run — {where}")
        self.resize(860, 640)

        # -- setup
        self.environment = QComboBox(self)
        names: tuple[str, ...] = ()
        if workspace is not None:
            from workbench.core.context.selection import environment_names

            names = environment_names(workspace, collection)
        self.environment.addItems([_NO_ENV, *names])
        current = getattr(ctx.environment, "name", "") or ""
        self.environment.setCurrentText(current if current in names else _NO_ENV)
        self.environment.setEnabled(workspace is not None)
        self.request_list = QListWidget(self)
        for request in self.requests:
            item = QListWidgetItem(f"{request.method}  {request.name}", self.request_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.request_list.setMaximumHeight(140)
        self.iterations = QSpinBox(self)
        self.iterations.setRange(0, 100_000)
        self.iterations.setSpecialValueText("1, or one per data row")
        self.delay = QSpinBox(self)
        self.delay.setRange(0, 600_000)
        self.delay.setSuffix(" ms")
        self.data_file = QLineEdit(self)
        self.data_file.setPlaceholderText("optional CSV or JSON array: one iteration per row, its fields as variables")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_file, 1)
        data_row.addWidget(browse)
        self.bail = QCheckBox("Stop at the first failure", self)
        form = QFormLayout()
        form.addRow("Environment", self.environment)
        form.addRow("Requests", self.request_list)
        form.addRow("Iterations", self.iterations)
        form.addRow("Delay between requests", self.delay)
        form.addRow("Data file", data_row)
        form.addRow("", self.bail)

        # -- results
        self.summary = QLabel(f"{len(self.requests)} request(s) in {where}", self)
        self.summary.setObjectName("muted")
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["", "Request", "Status", "Time", "Detail"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(self._row_selected)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_response(row, focus=True))
        self.table.setToolTip("Select or double-click a row to see its response")
        self._response: ResponsePane | None = None
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.table)

        self.run_button = QPushButton("Run", self)
        self.run_button.setObjectName("primary")
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.split, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ setup
    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Data file", "", "Data (*.csv *.json);;All files (*)")
        if path:
            self.data_file.setText(path)

    def selected_requests(self) -> list[Request]:
        return [r for i, r in enumerate(self.requests)
                if self.request_list.item(i).checkState() == Qt.CheckState.Checked]

    def _context(self) -> SendContext:
        """The context of the chosen environment, from the one place that makes it (`core/context/`)."""
        chosen = self.environment.currentText()
        current = getattr(self.ctx.environment, "name", "") or _NO_ENV
        if self.workspace is None or chosen == current:
            return self.ctx
        from workbench.core.context.resolve import resolve_context

        return resolve_context(self.workspace, self.collection, environment="" if chosen == _NO_ENV else chosen,
                               overrides=self.ctx.overrides, base_dir=self.ctx.base_dir)

    def _options(self) -> RunOptions:
        from workbench.core.sending.iteration_data import read_data_file

        path = self.data_file.text().strip()
        data = read_data_file(path) if path else ()
        return RunOptions(iterations=self.iterations.value() or None, data=data, delay_ms=self.delay.value(),
                          bail=self.bail.isChecked(), keep_exchanges=True)

    # ------------------------------------------------------------------ running
    @Slot()
    def start(self) -> None:
        """Start (or restart) the run with the setup as it is, as a task on the window's event loop."""
        self.stop()
        requests = self.selected_requests()
        try:
            options = self._options()
            ctx = self._context()
        except WorkbenchError as exc:
            self._say(exc.message, _FAIL)
            return
        if not requests:
            self._say("Choose at least one request to run.", _FAIL)
            return
        deletes = deletes_in(requests)
        if deletes and not self.confirm_deletes(deletes):
            self._say("Not run: the DELETE requests were not confirmed.", _FAIL)
            return
        self.results = []
        self.report = None
        self.table.setRowCount(0)
        self._planned = options.count() * len(requests)
        self._run_ctx = ctx
        self.progress.setRange(0, self._planned)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._say(f"Running {self._planned} request(s)…", "")
        self.run_button.setEnabled(False)
        self.run_button.setText("Run again")
        self.stop_button.setEnabled(True)
        self._task = asyncio.ensure_future(run(requests, ctx, self._result, options=options))
        self._task.add_done_callback(self._finished)

    @Slot()
    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _say(self, text: str, color: str) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {getattr(current(), color)};" if color else "")

    def _result(self, result: RunResult) -> None:
        self.results.append(result)
        row = self.table.rowCount()
        self.table.insertRow(row)
        mark = QTableWidgetItem("✔" if result.ok else "✘")
        mark.setForeground(QColor(getattr(current(), _PASS if result.ok else _FAIL)))
        self.table.setItem(row, 0, mark)
        turn = f"[{result.iteration + 1}] " if self._planned > len(self.selected_requests()) else ""
        self.table.setItem(row, 1, QTableWidgetItem(f"{turn}{result.request.method}  {result.request.name}"))
        status = QTableWidgetItem(str(result.status) if result.status is not None else "error")
        status.setForeground(QColor(status_color(result.status) if result.status is not None else current().danger))
        self.table.setItem(row, 2, status)
        self.table.setItem(row, 3, QTableWidgetItem(f"{result.elapsed_ms:.0f} ms"))
        checks = f"{len(result.checks)} check(s) passed" if result.checks else f"{result.size} B"
        detail = QTableWidgetItem(result.reason() or checks)
        detail.setToolTip("\n".join(f"{'✔' if c.passed else '✘'} {c.name}{': ' + c.message if c.message else ''}"
                                    for c in result.checks) or result.error)
        self.table.setItem(row, 4, detail)
        self.table.scrollToItem(status)
        self.progress.setValue(len(self.results))
        self._record(result)

    def _record(self, result: RunResult) -> None:
        """History gets every exchange of a run, redacted, as a send from the editor does."""
        root = self.workspace.root if self.workspace is not None else ""
        if not root or result.exchange is None:
            return
        from workbench.core.workspace import history

        try:
            history.record(root, result.exchange, result.request.path, self.collection.path,
                           secrets=history.context_secrets(self._run_ctx, result.request))
        except OSError:
            pass

    @Slot(int, int, int, int)
    def _row_selected(self, row: int, *_: int) -> None:
        if 0 <= row < len(self.results):
            self.open_response(row)

    def open_response(self, row: int, focus: bool = False) -> None:
        """Show the response of result `row` below the table; `focus` (a double-click) gives it most of the room."""
        if not 0 <= row < len(self.results):
            return
        result = self.results[row]
        from workbench.ui.widgets.response.pane import ResponsePane

        if self._response is None:
            pane = ResponsePane(self)
            self.split.addWidget(pane)
            self.split.setSizes([260, 340])
            self._response = pane
        if focus:
            total = sum(self.split.sizes())
            self.split.setSizes([total // 4, total - total // 4])
        if result.exchange is None:
            self._response.show_error(result.error or "No response.")
            return
        self._response.set_collection_dir(Path(str(self.ctx.base_dir)))
        self._response.show_exchange(result.exchange, result.request)

    def response_pane(self) -> ResponsePane | None:
        return self._response

    def _finished(self, task: "asyncio.Task[RunReport]") -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.progress.setVisible(False)
        if task.cancelled():
            self._say(f"Stopped after {len(self.results)} of {self._planned} request(s).", _FAIL)
            return
        if task.exception() is not None:
            self._say(f"The run failed: {task.exception()}", _FAIL)
            return
        self.report = task.result()
        report = self.report
        deletes = f", {len(report.deletes)} DELETE(s) sent" if report.deletes else ""
        self._say(f"{len(report.results)} request(s), {report.failed} failed, "
                  f"{report.checks - report.checks_failed}/{report.checks} check(s) passed, "
                  f"{report.elapsed_ms / 1000:.2f} s{deletes}", _FAIL if report.failed else _PASS)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.stop()
        if self._response is not None:
            self._response.stop()  # a body still parsing must not land in deleted widgets
        super().closeEvent(event)
