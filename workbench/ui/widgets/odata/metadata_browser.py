"""The metadata browser: browse, search and click through an OData service's `$metadata`.

Opens for a `$metadata` response (`load_bytes`), a file or a service URL (`load_source`), or an
already parsed model (`load_model`). Loading and parsing run off the UI thread (core
`load_metadata` awaits the network and parses in a worker thread, `workers.in_worker`);
a new load, Cancel or closing the browser cancels the running one.

Left: the lazy tree (`CsdlTreeModel`) with a search box that filters as you type. Right: the
details of the selected element — properties with key marks, types, nullability and
descriptions, navigation properties as links that jump to their target type — and the
entity-relationship diagram around it. From an entity set: "New request" (list, get by key,
create, update, delete) and "Open in query builder"; "Generate collection" builds requests
for the whole service. Those are signals carrying core-made values; the window decides where
requests and collections go.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Collection, Request
from workbench.core.csdl.describe import details_html, overview_html
from workbench.core.csdl.model import (
    EntitySet,
    EntityType,
    Model,
    NavigationProperty,
    Singleton,
)
from workbench.core.errors import WorkbenchError
from workbench.core.sending.send import SendContext
from workbench.core.workers import in_worker
from workbench.ui.models.csdl_tree import (
    CsdlTreeModel,
    KindRole,
    ObjectRole,
    SearchIndex,
    key_pixmap,
)
from workbench.ui.widgets.odata.er_diagram import ErDiagram

if TYPE_CHECKING:
    from workbench.ui.window_api import WindowApi

EMPTY_HTML = (
    "<h3>Open a service's $metadata</h3>"
    "<p>Enter its service URL (or <code>…/$metadata</code>) above and press <b>Load</b>, or open a CSDL file "
    "(<code>.xml</code>, <code>.edmx</code>, <code>.json</code>) with <b>Open file…</b>.</p>"
    "<p>From the window: pick a request of an OData service, then <b>Tools → Metadata browser…</b> "
    "fills its service root in here.</p>"
    "<p>Then browse entity sets and types, see their relations on the <b>Diagram</b> tab, make requests "
    "from an entity set, or generate a collection for the whole service.</p>")
REQUEST_LABELS = (("list", "List entities"), ("get", "Get by key"), ("create", "Create (sample body)"),
                  ("update", "Update (PATCH)"), ("delete", "Delete"))
SEARCH_DELAY_MS = 120


def _prepare(source_model: Model) -> tuple[Model, SearchIndex]:
    """Worker-thread part of a load: the search index is built next to the parse."""
    return source_model, SearchIndex(source_model)


class ElidedLabel(QLabel):
    """A one-line label that elides in the middle instead of widening its window (full text as tooltip).

    The status line names the source, a path or URL of any length: as plain text it set the
    browser's minimum width and pushed it off a small screen.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        """The whole text (what is shown may be elided)."""
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(40, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(40, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(40, self.width()))
        super().setText(shown)


class MetadataBrowser(QWidget):
    """Signals carry core values: `Request`, `Collection`, entity set names, models, messages."""

    request_created = Signal(object)  # workbench.core.collections.Request
    collection_generated = Signal(object)  # workbench.core.collections.Collection
    open_in_query_builder = Signal(str)  # entity set name
    model_loaded = Signal(object)  # csdl.Model
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Metadata browser")
        self._model: Model | None = None
        self._task: asyncio.Task[Any] | None = None
        self._template: Request | None = None
        self._context: SendContext | None = None
        self._service_root = ""
        self.last_show_ms = 0.0
        self._history: list[Any] = []

        # -- source row
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("CSDL file or service URL (its $metadata is fetched)")
        self.source_edit.returnPressed.connect(self._load_clicked)
        self.open_button = QPushButton("Open file…")
        self.open_button.clicked.connect(self._choose_file)
        self.load_button = QPushButton("Load")
        self.load_button.clicked.connect(self._load_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_load)
        self.cancel_button.hide()
        self.status = ElidedLabel("No metadata loaded.")
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(self.open_button)
        source_row.addWidget(self.load_button)
        source_row.addWidget(self.cancel_button)

        # -- actions
        self.toolbar = QToolBar()
        self.new_request_button = QToolButton()
        self.new_request_button.setText("New request")
        self.new_request_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_request_menu = QMenu(self)
        self.request_actions: dict[str, QAction] = {}
        for kind, label in REQUEST_LABELS:
            act = self.new_request_menu.addAction(label)
            act.triggered.connect(lambda _=False, k=kind: self.new_request(k))
            self.request_actions[kind] = act
        self.new_request_button.setMenu(self.new_request_menu)
        self.toolbar.addWidget(self.new_request_button)
        self.act_query_builder = self.toolbar.addAction("Open in query builder", self._open_query_builder)
        self.act_generate = self.toolbar.addAction("Generate collection", self.generate_collection)
        self.toolbar.addSeparator()
        self.act_back = self.toolbar.addAction("← Back", self.go_back)
        self.act_back.setToolTip("Back to the element shown before the last jump")

        # -- search + tree
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Filter elements… (type, set or operation name)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        self.members_check = QCheckBox("Members")
        self.members_check.setToolTip("Also match property, navigation and enum member names")
        self.members_check.toggled.connect(lambda _checked: self.apply_filter())
        self.match_label = QLabel("")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.members_check)
        search_row.addWidget(self.match_label)

        self.tree_model = CsdlTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)  # lets the view skip measuring thousands of rows
        self.tree.setAlternatingRowColors(True)
        # Names take the room and elide ("…") when the pane is narrow; the Type column keeps a
        # readable width instead of being pushed out of view behind a horizontal scroll bar.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 120)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.doubleClicked.connect(self._double_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.tree)

        # -- details + diagram
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        # Whole words only: a long identifier scrolls sideways rather than breaking mid-name.
        self.details.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.details.setHtml(EMPTY_HTML)
        self.details.document().addResource(QTextDocument.ResourceType.ImageResource.value, QUrl("icon:key"),
                                            key_pixmap(28))
        self.details.anchorClicked.connect(self._link_clicked)
        self.diagram = ErDiagram()
        self.diagram.type_activated.connect(self.navigate_to_type)
        diagram_page = QWidget()
        diagram_layout = QVBoxLayout(diagram_page)
        diagram_layout.setContentsMargins(0, 0, 0, 0)
        diagram_bar = QToolBar()
        diagram_bar.addAction("Zoom in", lambda: self.diagram.zoom(1.25))
        diagram_bar.addAction("Zoom out", lambda: self.diagram.zoom(0.8))
        diagram_bar.addAction("Fit", self.diagram.fit)
        self.more_button = QToolButton()
        self.more_button.setToolTip("Related types the diagram does not draw: pick one, or draw them all")
        self.more_button.clicked.connect(self._show_more)
        self.more_action = diagram_bar.addWidget(self.more_button)
        self.more_action.setVisible(False)
        self.diagram.drawn.connect(self._diagram_drawn)
        diagram_bar.addSeparator()
        diagram_bar.addAction("Export PNG…", lambda: self._export_diagram("png"))
        diagram_bar.addAction("Export SVG…", lambda: self._export_diagram("svg"))
        diagram_layout.addWidget(diagram_bar)
        diagram_layout.addWidget(self.diagram)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, "Details")
        self.tabs.addTab(diagram_page, "Diagram")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_diagram())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(source_row)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._focus_search)
        self._update_actions()

    # ------------------------------------------------------------------ loading
    @property
    def model(self) -> Model | None:
        return self._model

    def load_model(self, model: Model, index: SearchIndex | None = None) -> None:
        """Show an already parsed model (the tree appears at once: it is lazy)."""
        started = time.perf_counter()
        self._model = model
        self.tree_model.set_csdl_model(model, index)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.match_label.clear()
        self.tree.expandToDepth(0)
        self.details.setHtml(overview_html(model))
        self.diagram.clear_diagram()
        self._history.clear()
        counts = model.counts()
        self.status.setText(f"OData {model.version}: {counts['entity_sets']} entity sets, "
                            f"{counts['entity_types']} entity types, {counts['complex_types']} complex types, "
                            f"{counts['functions'] + counts['actions']} operations"
                            + (f" — {model.source}" if model.source else ""))
        self.last_show_ms = (time.perf_counter() - started) * 1000
        self._update_actions()
        self.model_loaded.emit(model)

    def set_request_context(self, template: Request | None = None, context: SendContext | None = None) -> None:
        """The request (auth, headers) and send context a `$metadata` GET from this browser reuses."""
        self._template = template
        self._context = context

    def load_source(self, source: str) -> asyncio.Task[Any] | None:
        """Start loading a file or service URL; cancels a running load. Returns the task."""
        source = source.strip()
        if not source:
            return None
        self.source_edit.setText(source)
        from workbench.core.csdl.source import is_url, load_metadata

        if is_url(source):
            self._service_root = source.split("?", 1)[0].removesuffix("/$metadata").rstrip("/")
        template, context = self._template, self._context
        return self._start(lambda: load_metadata(source, template, context), f"Loading {source}…")

    def load_bytes(self, data: bytes, source: str = "", service_root: str = "") -> asyncio.Task[Any] | None:
        """Show a `$metadata` document already in memory (e.g. a response body); parsed off the UI thread."""
        from workbench.core.csdl.source import parse_bytes

        self._service_root = service_root
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script or a plain test): parse right here
            try:
                self.load_model(parse_bytes(data, source))
            except WorkbenchError as exc:
                self._fail(exc.message)
            return None
        return self._start(lambda: in_worker(parse_bytes, data, source), "Parsing metadata…")

    def cancel_load(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self.status.setText("Loading cancelled.")
        self._task = None
        self._set_busy(False)

    def is_loading(self) -> bool:
        return self._task is not None and not self._task.done()

    def _start(self, work: Callable[[], Awaitable[Model]], message: str) -> asyncio.Task[Any]:
        """Run `work()` (made inside the task, so a load cancelled before it starts leaves nothing behind)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.status.setText(message)
        self._set_busy(True)
        task = asyncio.ensure_future(self._run(work))
        self._task = task
        return task

    async def _run(self, work: Callable[[], Awaitable[Model]]) -> None:
        try:
            model = await work()
            model, index = await in_worker(_prepare, model)
        except asyncio.CancelledError:
            raise
        except WorkbenchError as exc:
            self._set_busy(False)
            self._fail(exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - shown in the status line, never a crash of the window
            self._set_busy(False)
            self._fail(f"Unexpected error while loading metadata: {exc.__class__.__name__}: {exc}")
            return
        self._set_busy(False)
        self.load_model(model, index)

    def _fail(self, message: str) -> None:
        self.status.setText(f"⚠ {message}")
        self.load_failed.emit(message)

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setVisible(busy)
        self.load_button.setEnabled(not busy)

    def _load_clicked(self) -> None:
        self.load_source(self.source_edit.text())

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open CSDL metadata", "",
                                              "CSDL (*.xml *.edmx *.json);;All files (*)")
        if path:
            self.load_source(path)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.cancel_load()
        super().closeEvent(event)

    # ------------------------------------------------------------------ search
    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _search_changed(self, _text: str) -> None:
        self._search_timer.start()

    @Slot()
    def apply_filter(self) -> None:
        """Filter the tree by the search box now (the box itself waits for a pause in typing)."""
        self._search_timer.stop()
        text = self.search_edit.text()
        count = self.tree_model.set_filter(text, self.members_check.isChecked())
        if text.strip():
            self.match_label.setText(f"{count} match{'es' if count != 1 else ''}")
            self.tree.expandToDepth(1 if count <= 400 else 0)
        else:
            self.match_label.clear()
            self.tree.expandToDepth(0)
        self._update_actions()

    # ------------------------------------------------------------------ selection and details
    def current_object(self) -> Any:
        index = self.tree.currentIndex()
        return index.data(ObjectRole) if index.isValid() else None

    def selected_entity_set(self) -> EntitySet | Singleton | None:
        obj = self.current_object()
        return obj if isinstance(obj, (EntitySet, Singleton)) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        if not current.isValid() or self._model is None:
            return
        obj = current.data(ObjectRole)
        self.details.setHtml(details_html(self._model, obj, current.data(KindRole)))
        self._refresh_diagram()

    def _double_clicked(self, index: QModelIndex) -> None:
        obj = index.data(ObjectRole)
        if isinstance(obj, NavigationProperty):
            self.navigate_to_type(obj.type)
        elif isinstance(obj, (EntitySet, Singleton)):
            self.new_request("list" if isinstance(obj, EntitySet) else "get")

    def _update_actions(self) -> None:
        es = self.selected_entity_set()
        self.new_request_button.setEnabled(es is not None)
        self.act_query_builder.setEnabled(isinstance(es, EntitySet))
        self.act_generate.setEnabled(self._model is not None)
        self.act_back.setEnabled(bool(self._history))
        if es is not None and self._model is not None:
            caps = es.capabilities
            singleton = isinstance(es, Singleton)
            self.request_actions["list"].setEnabled(not singleton)
            self.request_actions["get"].setEnabled(True)
            self.request_actions["create"].setEnabled(not singleton and caps.insertable)
            self.request_actions["update"].setEnabled(caps.updatable)
            self.request_actions["delete"].setEnabled(not singleton and caps.deletable)

    def _refresh_diagram(self) -> None:
        if self.tabs.currentIndex() != 1 or self._model is None:
            return
        obj = self.current_object()
        qualified = ""
        if isinstance(obj, EntityType):
            qualified = obj.qualified_name
        elif isinstance(obj, (EntitySet, Singleton)):
            qualified = obj.entity_type
        elif isinstance(obj, NavigationProperty):
            qualified = obj.type
        if qualified and qualified != self.diagram.center_name:
            self.diagram.show_type(self._model, qualified)

    def _diagram_drawn(self) -> None:
        hidden = len(self.diagram.hidden_types)
        self.more_button.setText(f"+{hidden} more…")
        self.more_action.setVisible(hidden > 0)

    def _show_more(self) -> None:
        menu = self.diagram.more_menu()
        menu.popup(self.more_button.mapToGlobal(self.more_button.rect().bottomLeft()))

    def show_diagram(self, qualified: str) -> bool:
        """Switch to the diagram tab, centred on entity type `qualified`."""
        if self._model is None:
            return False
        self.tabs.setCurrentIndex(1)
        return self.diagram.show_type(self._model, qualified)

    # ------------------------------------------------------------------ navigation
    @Slot(QUrl)
    def _link_clicked(self, url: QUrl) -> None:
        self.follow_link(url.toString())

    def follow_link(self, link: str) -> bool:
        """Follow a details-pane link: `type:Qualified.Name` or `set:Name`."""
        kind, _, target = link.partition(":")
        if kind == "type":
            return self.navigate_to_type(target)
        if kind == "set":
            return self.navigate_to_entity_set(target)
        return False

    @Slot(str)
    def navigate_to_type(self, qualified: str) -> bool:
        """Select the type named `qualified` in the tree (clearing a filter that hides it)."""
        if self._model is None:
            return False
        found = self._model.find_type(qualified)
        return found is not None and self._select_element(found)

    def navigate_to_entity_set(self, name: str) -> bool:
        if self._model is None:
            return False
        found = self._model.entity_set(name) or self._model.singleton(name)
        return found is not None and self._select_element(found)

    def _select_element(self, element: Any) -> bool:
        current = self.current_object()
        index = self.tree_model.index_of_element(element)
        if not index.isValid() and self.tree_model.filter_text:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self.apply_filter()
            index = self.tree_model.index_of_element(element)
        if not index.isValid():
            return False
        if current is not None and current is not element:
            self._history.append(current)
        self.tree.scrollTo(index)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._update_actions()
        return True

    def go_back(self) -> None:
        while self._history:
            element = self._history.pop()
            index = self.tree_model.index_of_element(element)
            if index.isValid():
                self.tree.scrollTo(index)
                self.tree.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                break
        self._update_actions()

    # ------------------------------------------------------------------ requests
    def new_request(self, kind: str) -> Request | None:
        """Make a request of `kind` for the selected entity set and emit `request_created`."""
        es = self.selected_entity_set()
        if es is None or self._model is None:
            return None
        from workbench.core.csdl.requests import BASE, new_request

        try:
            request = new_request(self._model, es.name, kind, self._service_root or BASE)  # type: ignore[arg-type]
        except WorkbenchError as exc:
            self.status.setText(f"⚠ {exc.message}")
            return None
        self.request_created.emit(request)
        return request

    def _open_query_builder(self) -> None:
        es = self.selected_entity_set()
        if isinstance(es, EntitySet):
            self.open_in_query_builder.emit(es.name)

    def generate_collection(self) -> Any:
        """Build a collection for the whole service and emit `collection_generated`."""
        if self._model is None:
            return None
        from workbench.core.csdl.requests import generate_collection

        collection = generate_collection(self._model, service_root=self._service_root)
        self.collection_generated.emit(collection)
        self.status.setText(f"Generated collection {collection.name!r} with "
                            f"{len(collection.all_requests())} requests.")
        return collection

    def _context_menu(self, pos: Any) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        obj = index.data(ObjectRole)
        menu = QMenu(self)
        if isinstance(obj, (EntitySet, Singleton)):
            sub = menu.addMenu("New request")
            for kind, label in REQUEST_LABELS:
                act = self.request_actions[kind]
                item = sub.addAction(label)
                item.triggered.connect(lambda _=False, k=kind: self.new_request(k))
                item.setEnabled(act.isEnabled())
            if isinstance(obj, EntitySet):
                menu.addAction("Open in query builder", self._open_query_builder)
        if isinstance(obj, (EntityType, EntitySet, Singleton)):
            qualified = obj.qualified_name if isinstance(obj, EntityType) else obj.entity_type
            menu.addAction("Show diagram", lambda: self.show_diagram(qualified))
        if isinstance(obj, NavigationProperty):
            menu.addAction(f"Go to {obj.type.rpartition('.')[2]}", lambda: self.navigate_to_type(obj.type))
        if menu.actions():
            menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _export_diagram(self, fmt: str) -> None:
        if not self.diagram.center_name:
            self.status.setText("Select an entity type or set first: the diagram is empty.")
            return
        name = self.diagram.center_name.rpartition(".")[2]
        path, _ = QFileDialog.getSaveFileName(self, f"Export diagram as {fmt.upper()}", f"{name}.{fmt}",
                                              f"{fmt.upper()} (*.{fmt})")
        if not path:
            return
        ok = self.diagram.export_png(path) if fmt == "png" else self.diagram.export_svg(path)
        self.status.setText(f"Diagram written to {path}." if ok else f"⚠ Could not write {path}.")


BROWSER_NAME = "metadata-browser"


def open_metadata_browser(window: WindowApi, source: str = "") -> MetadataBrowser:
    """Tools → Metadata browser…: one browser window per main window, wired to its tabs.

    New requests open as unsaved tabs, a generated collection is saved into the workspace,
    and "Open in query builder" opens a list request of the set with the query-builder dock.
    The current tab's request (auth, headers) and environment are used to fetch `$metadata`.
    The browser is a child of the main window (a separate top-level window by its flag), so
    the window keeps it and it is found again by its object name: nothing is stored on the window.
    """
    from dataclasses import replace as _replace

    from workbench.core.csdl.requests import new_request
    from workbench.core.odata.recognize import odata_service_root
    from workbench.core.workspace import storage
    from workbench.ui.widgets.odata.query_dock import show_query_builder

    found = window.window().findChild(MetadataBrowser, BROWSER_NAME)
    if found is not None:
        browser = found
    else:
        browser = MetadataBrowser(window.window())
        browser.setObjectName(BROWSER_NAME)
        browser.setWindowFlag(Qt.WindowType.Window, True)
        browser.resize(1200, 760)

        def open_request(request: Request) -> None:
            window.open_unsaved(request)

        def save_collection(collection: Collection) -> None:
            try:
                saved = storage.save_collection(window.workspace_root, collection)
            except WorkbenchError as exc:
                browser.status.setText(f"⚠ {exc.message}")
                return
            window.reload_workspace()
            browser.status.setText(f"Collection saved to {saved.path} in the workspace.")

        def query_builder(name: str) -> None:
            model = browser.model
            if model is None:
                return
            request = new_request(model, name, "list", browser._service_root or "{{serviceRoot}}")
            window.open_unsaved(_replace(request, params=()))
            show_query_builder(window)

        browser.request_created.connect(open_request)
        browser.collection_generated.connect(save_collection)
        browser.open_in_query_builder.connect(query_builder)
    editor = window.current_editor()
    if editor is not None:
        context = window.send_context(editor.collection_path)  # settings and OAuth2 tokens, as a send
        browser.set_request_context(editor.to_model(), context)
        if not source and not browser.source_edit.text():
            # Only an OData request's service root: any other URL has no $metadata to show.
            request = editor.to_model()
            collection = window.collection_of(editor.collection_path)
            root = odata_service_root(request.url, context.resolver(request), request.meta,
                                      collection.meta if collection else None)
            if root:
                browser.source_edit.setText(f"{root}/$metadata")
    browser.show()
    browser.raise_()
    browser.activateWindow()
    if source:
        browser.load_source(source)
    return browser
