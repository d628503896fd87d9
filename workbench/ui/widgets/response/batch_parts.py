"""The Parts tab: the answers inside an OData `$batch` response, each in its own response pane.

A `$batch` answer (OData 4.01 Part 1 §11.7, JSON or multipart/mixed) holds one response per
request; a list shows their ids and statuses, and the selected one is shown by a nested
response pane, so a part gets the same Pretty, Tree, Table and Error views as any response.
The outer pane makes that nested pane and shows the chosen part in it (`part_chosen`,
`set_detail`): this module cannot import the pane that imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.sending.transport import Response
from workbench.ui.background import BackgroundJob
from workbench.ui.theme import status_color
from workbench.ui.widgets.response.body_loader import BodyLoader

if TYPE_CHECKING:
    from workbench.core.odata.batch import BatchResult

__all__ = ["BatchParts", "is_batch_response"]


def is_batch_response(response: Response, request_url: str) -> bool:
    """A successful answer to a request sent to `…/$batch` (its parts are worth listing)."""
    url = response.url or request_url
    return "$batch" in url.split("?")[0] and response.status < 400


class BatchParts(QSplitter):
    """Part list on the left, the selected part on the right."""

    #: The number of parts, once the body is split.
    listed = Signal(int)
    #: Why the body could not be split.
    failed = Signal(str)
    #: The response of the part picked in the list (the outer pane shows it in its nested pane).
    part_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.parts: list[BatchResult] = []
        self.part_list = QListWidget(self)
        self.part_list.setMinimumWidth(200)
        self.part_list.currentRowChanged.connect(self._show_part)
        holder = QWidget(self)
        self._part_layout = QVBoxLayout(holder)
        self._part_layout.setContentsMargins(0, 0, 0, 0)
        self.addWidget(self.part_list)
        self.addWidget(holder)
        self.setStretchFactor(1, 1)
        self.setSizes([220, 800])

    def clear(self) -> None:
        self.part_list.clear()
        self.parts = []

    def load(self, loader: BodyLoader, response: Response) -> None:
        """Split the body in a worker (one of the loading session's jobs), then list the parts."""
        def split(job: BackgroundJob) -> list[BatchResult]:
            from workbench.core.odata.batch import split_batch_response

            return split_batch_response(response)

        loader.start(split, self._list, lambda exc: self.failed.emit(str(exc)))

    def _list(self, results: list[BatchResult]) -> None:
        self.parts = results
        for i, result in enumerate(results):
            r = result.response
            label = f"{result.id or i + 1} · {r.status} {r.reason} · {r.content_type or 'no body'}"
            item = QListWidgetItem(label)
            item.setForeground(QColor(status_color(r.status)))
            self.part_list.addItem(item)
        self.listed.emit(len(results))

    def set_detail(self, widget: QWidget) -> None:
        """Put the widget that shows a chosen part beside the list."""
        self._part_layout.addWidget(widget)

    def _show_part(self, row: int) -> None:
        if 0 <= row < len(self.parts):
            self.part_chosen.emit(self.parts[row].response)
