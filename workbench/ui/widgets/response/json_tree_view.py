"""The JSON tree: lazy rows, search (text or key) with next/previous, a JSONPath filter, copy.

Search runs over the raw bytes in a worker thread (`JsonIndex.find`) and opens the tree down
to the match, so it works on a 100 MB document without building it. The JSONPath filter
(jsonpath-ng, extended syntax: filters, arithmetic) needs the document as objects, so it is
offered up to `max_filter_bytes` with a clear message above; its result is shown as a
document of its own — an object from each match's path to its value.
"""

from __future__ import annotations

from typing import Any

import orjson
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ViewError
from workbench.core.response.classify import human_size
from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.ui.background import BackgroundJob
from workbench.ui.models.json_tree import JsonTreeModel

MAX_FILTER_BYTES = 64 * 1024 * 1024


def jsonpath_matches(document: Any, expression: str) -> list[tuple[str, Any]]:
    """(JSONPath of the match, value) for each match of `expression` (jsonpath-ng extended)."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext.parser import parse

    try:
        compiled = parse(expression)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001 - parser raises plain Exception too
        raise ViewError(f"Not a JSONPath expression: {exc}") from exc
    out: list[tuple[str, Any]] = []
    for match in compiled.find(document):
        path = str(match.full_path)
        path = "$" if path in ("$", "") else "$." + path.replace(".[", "[")
        out.append((path, match.value))
    return out


class JsonTreeView(QWidget):
    """Search bar, filter bar and the lazy tree of one JSON document."""

    status_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_filter_bytes = MAX_FILTER_BYTES
        self._index: JsonIndex | None = None
        self._document_index: JsonIndex | None = None
        self._search_pos = -1
        self._job: BackgroundJob | None = None
        self._document: Any = None  # parsed document when the caller already has it

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search text or key (Enter: next)")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.textChanged.connect(self._reset_search)
        self.mode = QComboBox(self)
        self.mode.addItems(["Text", "Key"])
        self.mode.setToolTip("Text: anywhere in names and values. Key: member names equal to the search")
        self.mode.currentIndexChanged.connect(self._reset_search)
        self.case = QCheckBox("Aa", self)
        self.case.setToolTip("Match case")
        self.prev_btn = QPushButton("Previous", self)
        self.next_btn = QPushButton("Next", self)
        self.prev_btn.clicked.connect(self.find_previous)
        self.next_btn.clicked.connect(self.find_next)
        self.search_status = QLabel("", self)
        self.search_status.setObjectName("muted")

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("JSONPath filter, e.g. $.value[?(@.status == 'open')].title")
        self.filter.setClearButtonEnabled(True)
        self.filter.returnPressed.connect(self.apply_filter)
        self.apply_btn = QPushButton("Filter", self)
        self.apply_btn.clicked.connect(self.apply_filter)
        self.clear_btn = QPushButton("Show all", self)
        self.clear_btn.clicked.connect(self.clear_filter)
        self.clear_btn.setEnabled(False)
        self.filter_status = QLabel("", self)
        self.filter_status.setObjectName("muted")

        self.copy_value_btn = QPushButton("Copy value", self)
        self.copy_path_btn = QPushButton("Copy path", self)
        self.copy_value_btn.clicked.connect(self.copy_value)
        self.copy_path_btn.clicked.connect(self.copy_path)

        self.model = JsonTreeModel(parent=self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 240)
        header.resizeSection(1, 70)
        header.resizeSection(3, 80)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        copy = QAction("Copy value", self.tree)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_value)
        self.tree.addAction(copy)
        self.path_label = QLabel("", self)
        self.path_label.setObjectName("muted")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._grow = QTimer(self)
        self._grow.setInterval(200)
        self._grow.timeout.connect(self._grow_tick)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.mode)
        top.addWidget(self.case)
        top.addWidget(self.prev_btn)
        top.addWidget(self.next_btn)
        top.addWidget(self.search_status)
        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.filter, 1)
        second.addWidget(self.apply_btn)
        second.addWidget(self.clear_btn)
        second.addWidget(self.filter_status)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.path_label, 1)
        bottom.addWidget(self.copy_path_btn)
        bottom.addWidget(self.copy_value_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # ------------------------------------------------------------------ content
    def set_index(self, index: JsonIndex | None, document: Any = None) -> None:
        """Show a document; `document` is its parsed form when the caller already has it."""
        self._cancel_job()
        self._index = index
        self._document_index = index
        self._document = document
        self._search_pos = -1
        self.filter_status.setText("")
        self.search_status.setText("")
        self.clear_btn.setEnabled(False)
        self.model.set_index(index)
        if index is not None and not index.complete:
            self._grow.start()
        self._update_buttons()

    def set_document(self, document: Any) -> None:
        """Show an already parsed value (it is serialised once and indexed)."""
        self.set_index(JsonIndex(orjson.dumps(document)), document)

    def indexing_finished(self) -> None:
        """The worker finished indexing: insert what is left and stop polling."""
        self._grow.stop()
        self.model.refresh()

    def _grow_tick(self) -> None:
        self.model.refresh()
        if self._index is None or self._index.complete or self._index.error is not None:
            self._grow.stop()

    def expand_to_depth(self, depth: int) -> None:
        self.tree.expandToDepth(depth)

    # ------------------------------------------------------------------ selection and copy
    def current_node(self) -> JsonNode | None:
        return self.model.node(self.tree.currentIndex())

    def _current_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        node = self.model.node(current)
        self.path_label.setText(node.path() if node is not None else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_node() is not None
        self.copy_value_btn.setEnabled(has)
        self.copy_path_btn.setEnabled(has)

    def copy_value(self) -> None:
        node = self.current_node()
        if node is None or self._index is None:
            return
        try:
            QGuiApplication.clipboard().setText(self._index.pretty(node))
        except ViewError as exc:
            self.status_changed.emit(exc.message)

    def copy_path(self) -> None:
        node = self.current_node()
        if node is not None:
            QGuiApplication.clipboard().setText(node.path())

    def _context_menu(self, pos: Any) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction("Copy value", self.copy_value)
        menu.addAction("Copy path", self.copy_path)
        node = self.model.node(index)
        if node is not None and node.is_container:
            menu.addSeparator()
            menu.addAction("Expand all below", lambda: self.tree.expandRecursively(index, 3))
            menu.addAction("Filter to this value", lambda: self._filter_to(node))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _filter_to(self, node: JsonNode) -> None:
        self.filter.setText(node.path())
        self.apply_filter()

    def reveal(self, parts: list[str | int]) -> bool:
        """Open the tree down to the value at `parts` (member names / item numbers) and select it."""
        index = self._document_index
        if index is None:
            return False
        if self.is_filtered():
            self.clear_filter()
        node = index.root
        rows: list[int] = []
        for part in parts:
            child = index.child(node, part) if node.is_container else None
            if child is None:
                break
            rows.append(child.row)
            node = child
        target = self.model.index_for_rows(rows) if rows else QModelIndex()
        if not target.isValid():
            return False
        parent = target.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(target)
        self.tree.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)
        return len(rows) == len(parts)

    # ------------------------------------------------------------------ search
    def _reset_search(self, *_: Any) -> None:
        self._search_pos = -1
        self.search_status.setText("")

    def find_next(self) -> None:
        self._find(backwards=False)

    def find_previous(self) -> None:
        self._find(backwards=True)

    def _find(self, backwards: bool) -> None:
        index = self._index
        needle = self.search.text()
        if index is None or not needle:
            return
        self._cancel_job()
        if backwards:
            start = self._search_pos if self._search_pos >= 0 else index.size
        else:
            start = self._search_pos + 1 if self._search_pos >= 0 else 0
        key_only = self.mode.currentText() == "Key"
        case = self.case.isChecked()
        self.search_status.setText("searching…")

        def work(job: BackgroundJob) -> Any:
            hit = index.find(needle, start, backwards, key_only, case, job.cancel_event)
            wrapped = False
            if hit is None and self._search_pos >= 0:  # wrap around once
                hit = index.find(needle, index.size if backwards else 0, backwards, key_only, case, job.cancel_event)
                wrapped = hit is not None
            if hit is None:
                return None
            chain = index.node_at(hit[1], exact_start=key_only)
            return hit[0], [n.row for n in chain[1:]], wrapped

        self._job = BackgroundJob(work, self._found, self._failed)

    def _found(self, result: Any) -> None:
        if result is None:
            self.search_status.setText("no match")
            return
        offset, rows, wrapped = result
        self._search_pos = offset
        if not self._index or not self._index.root.is_container:
            target = self.model.index(0, 0)
        else:
            target = self.model.index_for_rows(rows)
        if target.isValid():
            parent = target.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.setCurrentIndex(target)
            self.tree.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.search_status.setText("wrapped to the start" if wrapped else "")

    def _failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, ViewError) else str(exc)
        self.search_status.setText(message)
        self.filter_status.setText(message) if self.filter.text() else None

    # ------------------------------------------------------------------ JSONPath filter
    def apply_filter(self) -> None:
        expression = self.filter.text().strip()
        source = self._document_index
        if not expression or source is None:
            self.clear_filter()
            return
        if source.size > self.max_filter_bytes and self._document is None:
            self.filter_status.setText(
                f"The JSONPath filter needs the whole document in memory; this one is {human_size(source.size)}, "
                f"above the {human_size(self.max_filter_bytes)} limit. Use search instead.")
            return
        self._cancel_job()
        self.filter_status.setText("filtering…")
        document = self._document

        def work(job: BackgroundJob) -> Any:
            doc = document if document is not None else source.materialize(job.cancel_event)
            return doc, jsonpath_matches(doc, expression)

        self._job = BackgroundJob(work, self._filtered, self._filter_failed)

    def _filtered(self, result: Any) -> None:
        document, matches = result
        if self._document is None and self._document_index is not None and self._document_index.size <= self.max_filter_bytes:
            self._document = document  # keep it: the next filter is instant
        shown: dict[str, Any] = {path: value for path, value in matches}
        self._index = JsonIndex(orjson.dumps(shown))
        self.model.set_index(self._index)
        self._search_pos = -1
        self.tree.expandToDepth(0)
        self.clear_btn.setEnabled(True)
        count = len(matches)
        self.filter_status.setText(f"{count} match{'es' if count != 1 else ''}")

    def _filter_failed(self, exc: BaseException) -> None:
        self.filter_status.setText(exc.message if isinstance(exc, ViewError) else f"Filter failed: {exc}")

    def clear_filter(self) -> None:
        if self._index is not self._document_index:
            self._index = self._document_index
            self.model.set_index(self._index)
        self.clear_btn.setEnabled(False)
        self.filter_status.setText("")
        self._search_pos = -1

    def is_filtered(self) -> bool:
        return self._index is not self._document_index

    def _cancel_job(self) -> None:
        if self._job is not None and not self._job.finished:
            self._job.cancel()
        self._job = None

    def busy(self) -> bool:
        return self._job is not None and not self._job.finished
