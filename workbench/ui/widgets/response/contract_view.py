"""The Contract tab: the response checked against what the service promised.

Two promises can be known: the OpenAPI operation a request was imported from (the collection
keeps its descriptor as `openapi.json`) and, for OData, the entity type of the set the body
comes from (`$metadata`, OData CSDL 4.01). The check runs in a worker as one of the loading
session's jobs, so a new response cancels it; its violations are listed with their JSONPath,
and activating one opens the Tree there (the pane wires that, it owns both tabs). Without a
promise to check against there is no tab at all (`availability_changed`): an empty "Contract"
tab on every response only says "nothing here" at the cost of a click.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workbench.core.response.classify import human_size
from workbench.core.sending.transport import Response
from workbench.ui.background import BackgroundJob
from workbench.ui.palette import current
from workbench.ui.widgets.response.body_loader import BodyLoader
from workbench.ui.widgets.response.odata_table import entity_set_from_context

if TYPE_CHECKING:
    from workbench.core.csdl.model import Model
    from workbench.core.response.contract import ContractReport

__all__ = ["CONTRACT_BODY_BYTES", "ContractView"]

#: Bodies up to this size are also checked against a JSON Schema / entity type.
CONTRACT_BODY_BYTES = 16 * 1024 * 1024


class ContractView(QWidget):
    """Summary of each check, then one row per violation (kind, JSONPath, problem)."""

    #: The tab's title: "Contract", "Contract (n)" with n violations, or "Contract ✔".
    title_changed = Signal(str)
    #: Whether there is a contract for the shown response (the pane shows the tab only then).
    availability_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports: list[ContractReport] | None = None
        self.available = False
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.violations = QTreeWidget(self)
        self.violations.setHeaderLabels(["Kind", "Path", "Problem"])
        self.violations.setRootIsDecorated(False)
        self.violations.setAlternatingRowColors(True)
        self.violations.header().resizeSection(0, 100)
        self.violations.header().resizeSection(1, 260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addWidget(self.violations, 1)

    def clear(self) -> None:
        self.reports = None
        self.violations.clear()
        self.summary.setText("")
        self._set_available(False)

    def _set_available(self, available: bool) -> None:
        self.available = available
        self.availability_changed.emit(available)

    def check(self, loader: BodyLoader, response: Response, request: Any, document: Any, has_body: bool,
              body_error: str, collection_dir: str | None, model: Model | None, entity_set: str) -> None:
        """Check `response` against the request's operation and the entity set's type, when known.

        `document` is the parsed JSON body (None when it was not parsed); `body_error` says why
        a body that should be JSON is not.
        """
        operation = ""
        meta = getattr(request, "meta", None) or {}
        if isinstance(meta, dict) or hasattr(meta, "get"):
            operation = str(meta.get("openapi_operation") or "")
        if not entity_set and isinstance(document, dict):
            entity_set = entity_set_from_context(str(document.get("@odata.context") or ""))
        if not (operation and collection_dir) and not (model is not None and entity_set):
            reason = ("This request was not imported from an OpenAPI operation and no OData metadata is known "
                      "for it, so there is no contract to check the response against.")
            self.summary.setText(reason)
            self.title_changed.emit("Contract")
            self._set_available(False)
            return
        self._set_available(True)
        size = response.size
        too_big = size > CONTRACT_BODY_BYTES
        self.summary.setText("Checking…")
        # First imported in a worker thread, jsonschema (attrs) crashed the interpreter: import it
        # here, on the UI thread (at once if the window's warm-up after the first paint did it).
        import jsonschema  # noqa: F401

        def run(job: BackgroundJob) -> list[ContractReport]:
            from workbench.core.response import contract

            reports = []
            body = None if too_big else document
            if operation and collection_dir:
                report = contract.check_request_contract(collection_dir, operation, response.status, response.content_type,
                                                         body, has_body and not too_big, body_error)
                if report is not None:
                    reports.append(report)
            if model is not None and entity_set and isinstance(body, dict) and response.status < 300:
                reports.append(contract.check_odata(model, entity_set, body))
            return reports

        def done(reports: list[ContractReport]) -> None:
            self._show(reports, too_big, operation)

        loader.start(run, done, lambda exc: self.summary.setText(f"The contract check failed: {exc}"))

    def _show(self, reports: list[ContractReport], too_big: bool, operation: str) -> None:
        self.violations.clear()
        self.reports = reports
        if not reports:
            self.summary.setText(f"The operation {operation!r} is not in the collection's imported descriptor.")
            self._set_available(False)
            return
        total = sum(len(r.violations) for r in reports)
        lines = []
        for report in reports:
            verdict = (f"<span style='color:{current().success}'>✔ matches</span>" if report.ok
                       else f"<span style='color:{current().danger}'>✘ {len(report.violations)} violation(s)</span>")
            lines.append(f"<b>{html.escape(report.source)}</b>: {verdict}")
            if report.checked:
                lines.append("Checked: " + html.escape("; ".join(report.checked)))
            for note in report.notes:
                lines.append(f"<i>{html.escape(note)}</i>")
            for v in report.violations:
                item = QTreeWidgetItem([v.kind, v.path, v.message])
                item.setToolTip(2, v.message)
                item.setForeground(0, QColor(current().danger))
                self.violations.addTopLevelItem(item)
        if too_big:
            lines.append(f"<i>The body is larger than {human_size(CONTRACT_BODY_BYTES)}: its content was not checked "
                         "against the schema (status and content type were).</i>")
        self.summary.setText(f"<span style='color:{current().text}'>" + "<br>".join(lines) + "</span>")
        self.title_changed.emit(f"Contract ({total})" if total else "Contract ✔")
