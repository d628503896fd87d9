"""The query-builder dock: a `QueryBuilder` beside the main window's request tabs (View → Query builder).

Apart from the panel because it is the glue to the window: it follows the current tab, loads
`$metadata` in the background, writes the builder's URL back into the request editor and
gives that editor's URL box the same name completion. It sees the window only as a
`WindowApi`, so it needs nothing private of `MainWindow`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.csdl.model import Model
from workbench.core.odata.recognize import NOT_ODATA, odata_service_root
from workbench.core.variables import Resolver
from workbench.ui.widgets.odata.query_builder import QueryBuilder
from workbench.ui.widgets.request.url_completion import UrlCompletion

if TYPE_CHECKING:
    from workbench.ui.background import CoroutineJob
    from workbench.ui.widgets.request.editor import RequestEditor
    from workbench.ui.window_api import WindowApi

DOCK_NAME = "query-builder-dock"


class QueryBuilderDock:
    """Docks a `QueryBuilder` beside the request editor of a main window.

    It follows the current request tab: the editor's URL (variables resolved) goes into the
    builder, the service's `$metadata` is loaded once per service root (through
    `csdl_source.load_metadata`, with the request's auth, as an asyncio task), and every
    builder change is written back to the editor, keeping a leading `{{serviceRoot}}`-style
    variable as the user wrote it. A request that is not OData (`recognize.odata_markers`:
    no OData origin, no OData sign in its URL) gets a notice saying so, and nothing is fetched;
    an OData service without reachable metadata gets a short notice instead of the form.
    """

    def __init__(self, window: WindowApi) -> None:
        self.window = window
        self.builder = QueryBuilder()
        self.notice = QLabel("Open a request of an OData service to build its query.", self.builder)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("query-builder-notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notice.setContentsMargins(8, 8, 8, 8)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.builder, 1)
        scroll = QScrollArea()  # the form scrolls on a small screen instead of stretching the window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(container)
        self.dock = QDockWidget("Query builder", window.window())
        self.dock.setObjectName(DOCK_NAME)
        self.dock.setWidget(scroll)
        self.dock.hide()
        window.add_dock(self.dock)
        self.action = self.dock.toggleViewAction()
        self.action.setText("Query builder")
        self.action.setShortcut("Ctrl+Shift+Q")
        self._models: dict[str, Model] = {}
        self._task: CoroutineJob | None = None
        self._editor: RequestEditor | None = None
        self._writing = False
        self._prefix: tuple[str, str] = ("", "")  # (as written, resolved) leading variable
        window.tabs.currentChanged.connect(lambda *_: self.follow_current())
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self.builder.url_changed.connect(self._write_back)

    @Slot(bool)
    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.follow_current()

    def _resolver(self, editor: RequestEditor) -> Resolver:
        """Variables as a send of this request sees them (the window's one context)."""
        return self.window.send_context(editor.collection_path).resolver(editor.saved_request)

    def follow_current(self) -> None:
        """Show the current tab's request in the builder (loading its metadata if needed)."""
        if not self.dock.isVisible():
            return
        editor = self.window.current_editor()
        if editor is not self._editor:
            if self._editor is not None:
                try:
                    self._editor.url.textEdited.disconnect(self._editor_url_edited)
                except (RuntimeError, TypeError):
                    pass
            self._editor = editor
            if editor is not None:
                editor.url.textEdited.connect(self._editor_url_edited)
        if editor is None:
            self._show_notice("Open a request of an OData service to build its query.")
            return
        self._editor_url_edited(editor.url.text())

    @Slot(str)
    def _editor_url_edited(self, text: str) -> None:
        if self._writing or self._editor is None:
            return
        resolve = self._resolver(self._editor)
        m = re.match(r"\{\{[^}]+\}\}", text)
        self._prefix = (m.group(0), resolve(m.group(0))) if m else ("", "")
        resolved = resolve(text)
        root = self._service_root(self._editor, text)
        if not root:
            self._show_notice(NOT_ODATA)
            return
        model = self._models.get(root)
        if model is None:
            self._load(root, resolved)
            return
        if self.builder.model is not model:
            self.builder.set_model(model, root)
        from workbench.core.templates import fact

        limit = fact(self.window.collection_of(self._editor.collection_path), "odata_max_top")
        self.builder.max_top = int(limit) if limit.isdigit() else None
        self.notice.hide()
        self.builder.show()
        self.builder.set_url(resolved)
        self._complete_in(self._editor)

    def remember_model(self, service_root: str, model: Model) -> None:
        """Use `model` for `service_root` from now on (one already parsed, e.g. by the metadata browser)."""
        self._models[service_root.rstrip("/")] = model
        self.follow_current()

    def _complete_in(self, editor: RequestEditor) -> None:
        """Offer the service's names in the request editor's own URL box too (once per editor)."""
        if completion_of(editor) is not None:
            return

        def names() -> list[str]:
            return self.builder.completion_names() if self._editor is editor and self.builder.model else []

        UrlCompletion(editor.url, names)  # a child of the URL box, which keeps it

    def _service_root(self, editor: RequestEditor, written: str) -> str:
        """The service root when the request is OData by `recognize.odata_markers`, else ""."""
        coll = self.window.collection_of(editor.collection_path)
        return odata_service_root(written, self._resolver(editor), editor.saved_request.meta,
                                  coll.meta if coll else None)

    def _load(self, root: str, resolved: str) -> None:
        """Fetch and parse `$metadata` in a worker (its own event loop), cancelling an older load.

        A worker thread rather than a task on the window's loop: the parse runs in
        `asyncio.to_thread`, which must not use the Qt loop's QThread executor (those threads
        outlive the window).
        """
        from workbench.core.csdl.source import load_metadata
        from workbench.ui.background import CoroutineJob

        self.cancel()
        editor = self._editor
        if editor is None:
            return
        template = editor.to_model()
        ctx = self.window.send_context(editor.collection_path)  # settings and OAuth2 tokens, as a send
        self._show_notice(f"Loading {root}/$metadata …")

        def done(model: Model) -> None:
            self._models[root] = model
            if self._editor is editor:
                self._editor_url_edited(editor.url.text())

        def failed(exc: BaseException) -> None:
            self._show_notice(f"No metadata for {root}: {getattr(exc, 'message', str(exc))}")

        self._task = CoroutineJob(lambda: load_metadata(root, template, ctx), done, failed)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self.builder.hide()

    @Slot(str)
    def _write_back(self, url: str) -> None:
        editor = self._editor
        if editor is None or self._writing:
            return
        written, resolved = self._prefix
        if written and url.startswith(resolved):
            url = written + url[len(resolved):]
        self._writing = True
        try:
            editor.url.setText(url)
            editor.url.textEdited.emit(url)  # the editor syncs its Params table from the URL
        finally:
            self._writing = False

    def cancel(self) -> None:
        """Stop a metadata load that is still running."""
        if self._task is not None and not self._task.finished:
            self._task.cancel()
        self._task = None


def completion_of(editor: RequestEditor) -> UrlCompletion | None:
    """The name completion the dock gave `editor`'s URL box, if it has one yet."""
    return editor.url.findChild(UrlCompletion)


def show_query_builder(window: WindowApi) -> bool:
    """Show and raise `window`'s query-builder dock; False when none is installed (yet).

    Other panels (the metadata browser's "Open in query builder") call this instead of asking
    the window for its dock: the dock is a child of the window, found by its object name.
    """
    dock = window.window().findChild(QDockWidget, DOCK_NAME)
    if dock is None:
        return False
    dock.show()
    dock.raise_()
    return True


def install_query_builder(window: WindowApi) -> QueryBuilderDock:
    """Add the query-builder dock (View → Query builder) to a main window.

    The caller keeps the returned dock (the main window holds it); its widgets belong to the window.
    """
    return QueryBuilderDock(window)
