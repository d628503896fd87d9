"""The main window: collections and history on the left, request tabs in the centre, the response below.

A thin window: its slots call the panels and core entry points (the actions, menus and
toolbar that trigger them are built in `workbench.ui.actions`), and it keeps the state that
spans panels — the workspace on disk, the open tabs, and the running send task, so Send
again, Esc, Cancel and closing the window all cancel it. Panels added by later features hook
in through `tools_menu()` and `add_dock()`.

Start-up paints this window before anything it does not show (issue 17): the slots that open a
dialog import QMessageBox, QFileDialog or QInputDialog themselves (building those Python types
costs ~3 ms), and `_after_first_paint` builds the response pane, docks and last session's tabs.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from workbench.core.collections import Collection, Environment, Request, Workspace
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import storage
from workbench.ui import icons
from workbench.ui.actions import build_actions
from workbench.ui.widgets.workspace.collection_panel import CollectionPanel

if TYPE_CHECKING:  # event classes are only named here: their Python types are built when an event arrives
    import asyncio

    from PySide6.QtGui import (
        QCloseEvent,
        QDragEnterEvent,
        QDropEvent,
        QPaintEvent,
        QShowEvent,
    )
    from PySide6.QtWidgets import QDockWidget

    from workbench.core.sending.send import SendContext
    from workbench.core.workspace.history import HistoryEntry
    from workbench.ui.background import BackgroundJob
    from workbench.ui.widgets.odata.query_dock import QueryBuilderDock
    from workbench.ui.widgets.request.editor import RequestEditor
    from workbench.ui.widgets.request.request_tabs import RequestTabs
    from workbench.ui.widgets.response.pane import ResponsePane
    from workbench.ui.widgets.workspace.connection_dialog import (
        ConnectionDialog,  # imported when first needed: the first paint must not wait for them
    )
    from workbench.ui.widgets.workspace.history_panel import HistoryPanel
    from workbench.ui.widgets.workspace.import_dialog import ImportDialog
    from workbench.ui.widgets.workspace.runner_dialog import RunnerDialog
    from workbench.ui.window_api import WindowApi
    from workbench.ui.workspace_reload import WorkspaceReloader

UI_STATE_FILE = "ui.json"
EMPTY_HINT = ("Select a request on the left, or press Ctrl+N for a new one.\n\n"
              "Ctrl+Enter sends · Esc cancels · Ctrl+S saves · F5 reloads the workspace")
NO_ENVIRONMENT = "No environment"


class MainWindow(QMainWindow):
    #: Emitted once the work deferred past the first paint is done (`startup_finished` turns True).
    started = Signal()

    def __init__(self, workspace_root: str, parent: QWidget | None = None, *,
                 workspace: Workspace | None = None) -> None:
        """`workspace`: the workspace at `workspace_root` already read (start-up reads it beside the Qt import)."""
        self._painted = False
        self.startup_finished = False  # True once the work deferred past the first paint is done
        super().__init__(parent)
        self.workspace_root = str(workspace_root)
        self.workspace: Workspace = Workspace(self.workspace_root)
        self._send_task: asyncio.Future[None] | None = None  # the running send
        self._sending_editor: RequestEditor | None = None
        self._history_panel: HistoryPanel | None = None
        self._sized = False
        self._splitter_save = QTimer(self)  # a divider drag saves once it rests, not on every pixel
        self._splitter_save.setSingleShot(True)
        self._splitter_save.setInterval(500)
        self._splitter_save.timeout.connect(self._save_ui_state)
        self.setWindowTitle("API Workbench")
        self.setWindowIcon(icons.icon("app"))

        # -- left: collections | history. The panel is made first: it leads the focus chain (its
        # filter has the focus at start), so creation order is tab order here.
        self.collections = CollectionPanel(self)
        # The other widgets are made inside the container they end up in: moving a built subtree into
        # a splitter re-resolves its style sheet, fonts and palette (~1 ms for the left pane alone).
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.left = QTabWidget(self.main_split)
        self.left.setDocumentMode(True)
        self.left.addTab(self.collections, "Collections")
        self._history_placeholder = QWidget(self.left)
        self.left.addTab(self._history_placeholder, "History")
        self.left.currentChanged.connect(self._left_tab_changed)

        # -- centre: request tabs over the response. The tabs are hidden until one opens (the hint,
        # or a blank while last session's tabs come back, is shown instead), so they are built on
        # first use, right after the first paint at the latest (see `tabs`).
        self.centre = QSplitter(Qt.Orientation.Vertical, self.main_split)
        self._tabs: RequestTabs | None = None
        self._editor_stack = QStackedWidget(self.centre)
        self._empty = QLabel(EMPTY_HINT, self._editor_stack)
        self._empty.setObjectName("empty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._editor_stack.addWidget(self._empty)
        # The response pane (JSON/XML viewers, tables) is built right after the first paint;
        # until then a label with its empty state stands in (see `response`).
        self._response: ResponsePane | None = None
        self._response_placeholder = QLabel("No response yet.\nPick a request and press Send (Ctrl+Enter).",
                                            self.centre)
        self._response_placeholder.setObjectName("empty")
        self._response_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.centre.addWidget(self._editor_stack)
        self.centre.addWidget(self._response_placeholder)
        self.centre.setStretchFactor(0, 1)
        self.centre.setStretchFactor(1, 1)
        self.centre.setChildrenCollapsible(True)  # issue 14: the editor or the response can be folded away

        self.main_split.addWidget(self.left)
        self.main_split.addWidget(self.centre)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([300, 980])
        self.setCentralWidget(self.main_split)

        self.window_actions = acts = build_actions(self, self)
        self._workspace_title = acts.workspace_title
        self.env_combo = acts.env_combo
        self.env_combo.currentTextChanged.connect(self._environment_chosen)
        self.recent_menu = acts.recent_menu
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        # Short names that tests (and scripts driving the window) trigger; the rest are in `window_actions`.
        self.act_send = acts.send
        self.act_code = acts.code
        self.act_settings = acts.settings
        self.act_import_openapi = acts.import_openapi
        self.act_batch = acts.batch
        self.setAcceptDrops(True)  # drop a descriptor file (JSON/YAML/ZIP) on the window to import it
        self.collections.request_activated.connect(self.open_request)
        self.collections.request_previewed.connect(self.preview_request)
        self.collections.context_for = self.send_context
        self.collections.tree.selectionModel().currentChanged.connect(lambda *_: self._fill_environments())
        self.collections.workspace_changed.connect(self.reload_workspace)
        self.collections.item_moved.connect(self._item_moved)
        self.collections.item_deleted.connect(self._item_deleted)
        self.collections.code_requested.connect(self._code_for)
        self.collections.run_requested.connect(self.run_collection)

        # External edits (git pull, another editor): watch the files, reload after a quiet moment.
        # F5, the watcher and imports reload in a worker (`workspace_reload`); edits made in this
        # window reload at once (`reload_workspace`), the watch list is then refreshed in a worker.
        self._watcher: QFileSystemWatcher | None = None
        self._watch_job: BackgroundJob | None = None
        self._reloader_instance: WorkspaceReloader | None = None  # see `_reloader`
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(400)
        self._reload_timer.timeout.connect(self.reload_workspace_in_background)

        # OData tools: the query-builder dock (View → Query builder) is installed right after
        # the first paint (`_install_extensions`).
        self._extensions_installed = False
        self._query_builder: QueryBuilderDock | None = None

        if workspace is not None and workspace.root == self.workspace_root:
            self._apply_workspace(workspace)
        else:
            self.reload_workspace()
        # Tabs of the last session come back right after the first paint (see _after_first_paint);
        # until then the centre stays blank rather than showing the "no tab" hint for a moment.
        self._pending_tabs = self._read_ui_state()
        if self._pending_tabs.get("tabs"):
            self._empty.setText("")

    # ------------------------------------------------------------------ lazily built parts
    @property
    def _reloader(self) -> WorkspaceReloader:
        """The background reader of the workspace (F5, the file watcher), made on first use."""
        if self._reloader_instance is None:
            from workbench.ui.workspace_reload import WorkspaceReloader

            reloader = WorkspaceReloader(self)
            reloader.loaded.connect(self._background_reload_done)
            reloader.failed.connect(self._background_reload_failed)
            self._reloader_instance = reloader
        return self._reloader_instance

    @property
    def tabs(self) -> RequestTabs:
        """The request tabs (one preview tab for single clicks in the tree), built on first use."""
        if self._tabs is None:
            from workbench.ui.widgets.request.request_tabs import RequestTabs

            tabs = RequestTabs(self)
            tabs.setTabsClosable(True)
            tabs.setMovable(True)
            tabs.setDocumentMode(True)
            tabs.setIconSize(QSize(icons.BADGE_WIDTH, icons.BADGE_HEIGHT))
            tabs.setElideMode(Qt.TextElideMode.ElideRight)
            tabs.tabCloseRequested.connect(self.close_tab)
            tabs.currentChanged.connect(self._current_tab_changed)
            self._editor_stack.addWidget(tabs)
            QWidget.setTabOrder(self.left.tabBar(), tabs)  # Tab order as if made with the window
            self._tabs = tabs
        return self._tabs

    @property
    def response(self) -> ResponsePane:
        """The response pane, built on first use (or right after the first paint)."""
        if self._response is None:
            from workbench.ui.widgets.response.pane import ResponsePane

            pane = ResponsePane(self)
            pane.cancel_requested.connect(self.cancel_send)  # the pane's own Cancel while sending
            self._response = pane
            sizes = self.centre.sizes()
            self.centre.replaceWidget(1, pane)
            self._response_placeholder.deleteLater()
            self.centre.setSizes(sizes)
        return self._response

    @property
    def query_builder(self) -> QueryBuilderDock:
        """The OData query-builder dock (installed with the other extensions after the first paint)."""
        self._install_extensions()
        assert self._query_builder is not None
        return self._query_builder

    def _install_extensions(self) -> None:
        """Panels that are not visible at start: installed once, after the first paint.

        Later features hook in here (docks, menu entries that need their module loaded), so the
        window paints without waiting for code it does not show yet.
        """
        if self._extensions_installed:
            return
        self._extensions_installed = True
        from workbench.ui.widgets.odata.query_dock import install_query_builder

        self._query_builder = install_query_builder(self)

    def _after_first_paint(self) -> None:
        self.tabs  # noqa: B018 - build them now that the window is on screen
        self.collections.finish_after_first_paint()
        self._start_watching()
        self._restore_ui_state(self._pending_tabs)
        self._empty.setText(EMPTY_HINT)
        self.response  # noqa: B018 - build it now that the window is on screen
        self._install_extensions()
        QTimer.singleShot(300, _warm_imports)
        self.startup_finished = True
        self.started.emit()

    @Slot()
    def open_batch_editor(self) -> None:
        """Tools → $batch editor…"""
        from workbench.ui.widgets.odata.batch_editor import open_batch_dialog

        open_batch_dialog(self)

    @Slot()
    def open_metadata_browser(self) -> None:
        """Tools → Metadata browser…"""
        from workbench.ui.widgets.odata.metadata_browser import open_metadata_browser

        open_metadata_browser(self)

    def tools_menu(self) -> QMenu:
        """The Tools menu, for panels that add their own entries."""
        return self.window_actions.tools_menu

    def view_menu(self) -> QMenu:
        """The View menu (dock panels add their toggle action here through `add_dock`)."""
        return self.window_actions.view_menu

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea) -> None:
        """Add a dockable panel (hidden until asked for) with its toggle in the View menu."""
        self.addDockWidget(area, dock)
        self.window_actions.view_menu.addAction(dock.toggleViewAction())

    # ------------------------------------------------------------------ workspace
    @Slot()
    def reload_workspace(self) -> None:
        """Re-read the workspace from disk now (after an edit made in this window)."""
        if self._reloader_instance is not None:
            self._reloader_instance.cancel()  # an older read still running must not land over this one
        try:
            workspace = storage.load_workspace(self.workspace_root)
        except WorkbenchError as exc:
            self.statusBar().showMessage(exc.message)
            return
        self._apply_workspace(workspace)

    @Slot()
    def reload_workspace_in_background(self) -> None:
        """Re-read the workspace in a worker thread (F5, the file watcher, after an import).

        An import of a 1,000-operation API or a `git pull` can touch thousands of files; parsing
        them must not freeze the window. The newest reload wins; an older one is dropped.
        Open tabs stay as they are until the new workspace is swapped in (and after: see
        `_refresh_editors`); a file that cannot be read is reported, never dropped from a tab.
        """
        self.statusBar().showMessage("Reading the workspace…")
        self._reloader.request(self.workspace_root)

    def reload_pending(self) -> bool:
        """Whether a background reload is reading or queued."""
        return self._reloader_instance is not None and self._reloader_instance.is_busy()

    @Slot(object)
    def _background_reload_done(self, workspace: Workspace) -> None:
        if workspace.root == self.workspace_root:
            self._apply_workspace(workspace)

    @Slot(str)
    def _background_reload_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def _apply_workspace(self, workspace: Workspace) -> None:
        """Show a freshly read workspace: tree, environments, title, open tabs, status."""
        self.workspace = workspace
        self.collections.set_workspace(workspace)
        self._fill_environments()
        name = workspace.name or Path(self.workspace_root).name
        self.setWindowTitle(f"{name} — API Workbench")
        self._workspace_title.setText(f"  {name}")
        self._workspace_title.setToolTip(self.workspace_root)
        self._refresh_editors()
        if workspace.problems:
            self.statusBar().showMessage(f"{len(workspace.problems)} file(s) could not be read and are left "
                                         f"untouched: {workspace.problems[0]}")
            self.statusBar().setToolTip("\n".join(workspace.problems))
        else:
            count = sum(len(c.all_requests()) for c in workspace.collections)
            self.statusBar().showMessage(f"{len(workspace.collections)} collection(s), {count} request(s)")
            self.statusBar().setToolTip(self.workspace_root)
        if self._watcher is not None:
            self._rewatch()

    def _refresh_editors(self) -> None:
        """After a reload: clean tabs show the file's new content; all get the new variables."""
        for editor in self.editors():
            coll = self.collection_of(editor.collection_path)
            saved_path = editor.saved_request.path
            on_disk = coll.find_request(saved_path) if coll and saved_path else None
            if on_disk is not None and not editor.is_dirty() and on_disk != editor.saved_request:
                editor.set_request(on_disk)
                self._mark_dirty(editor, False)
            self._give_context(editor)

    def _give_context(self, editor: RequestEditor) -> None:
        ctx = self.send_context(editor.collection_path)
        request = editor.saved_request
        editor.set_context(ctx.collection, ctx.variables_for(request), ctx.secret_names(request),
                           str(Path(self.workspace_root) / editor.collection_path), ctx)

    def current_collection_path(self) -> str:
        """The collection the toolbar's environment picker speaks for: the current tab's, else the tree's."""
        editor = self.current_editor()
        if editor is not None and editor.collection_path:
            return editor.collection_path
        selected = self.collections.selected_collection_path()
        if selected:
            return selected
        return self.workspace.collections[0].path if len(self.workspace.collections) == 1 else ""

    def active_environment(self) -> Environment | None:
        """The environment in force for the current collection (its own and/or a shared one)."""
        path = self.current_collection_path()
        return self.send_context(path).environment if path else None

    def _fill_environments(self) -> None:
        """The picker lists what the current collection can use and shows the one it uses."""
        from workbench.core.context.selection import (
            chosen_environment,
            environment_names,
        )

        path = self.current_collection_path()
        coll = self.collection_of(path) if path else None
        names = environment_names(self.workspace, coll)
        chosen = chosen_environment(self.workspace, coll)
        combo = self.env_combo
        combo.blockSignals(True)
        combo.clear()
        if coll is None:
            combo.setPlaceholderText("Open a request first")
            combo.setCurrentIndex(-1)
            combo.setEnabled(False)
            combo.setToolTip("Each collection has its own environment: open or select a request to pick it")
            combo.blockSignals(False)
            return
        combo.addItem(NO_ENVIRONMENT)
        own = {e.name for e in coll.environments} if coll is not None else set()
        for name in names:
            combo.addItem(name)
            combo.setItemData(combo.count() - 1,
                              f"Environment of “{coll.name}”" if coll is not None and name in own
                              else "Shared environment (workspace environments/ folder)",
                              Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentText(chosen or NO_ENVIRONMENT)
        combo.setEnabled(coll is not None)
        combo.setToolTip(f"Environment of “{coll.name}”: its variables fill {{{{placeholders}}}} in this "
                         "collection's requests (your choice, kept out of git)" if coll is not None
                         else "Open a request to pick the environment of its collection")
        combo.blockSignals(False)

    @Slot(str)
    def _environment_chosen(self, name: str) -> None:
        from workbench.core.context.selection import choose_environment

        path = self.current_collection_path()
        if not path:
            return
        try:
            choose_environment(self.workspace_root, path, "" if name == NO_ENVIRONMENT else name)
        except OSError as exc:
            self.statusBar().showMessage(f"Cannot remember the environment: {exc}")
        for editor in self.editors():
            if editor.collection_path == path:
                self._give_context(editor)
        coll = self.collection_of(path)
        self.statusBar().showMessage(f"“{coll.name if coll else path}” now uses "
                                     f"{'no environment' if name == NO_ENVIRONMENT else name}", 3000)

    def collection_of(self, collection_path: str) -> Collection | None:
        return self.workspace.collection(collection_path)

    def open_workspace(self, root: str) -> bool:
        """Switch to the workspace folder `root` (asks about unsaved tabs first)."""
        if not self._close_all_tabs():
            return False
        self._save_ui_state()
        self.cancel_send()
        self.workspace_root = str(root)
        self.collections.workspace = None
        self.reload_workspace()
        self._restore_ui_state()
        if self._history_panel is not None:
            self._history_panel.set_workspace(self.workspace_root)
        from workbench.core.workspace.recent import remember_workspace

        remember_workspace(self.workspace_root)
        self._rewatch()
        return True

    @Slot()
    def choose_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        folder = QFileDialog.getExistingDirectory(self, "Open workspace folder", str(Path(self.workspace_root).parent))
        if folder:
            if not (Path(folder) / storage.WORKSPACE_FILE).exists() and not any(Path(folder).glob("*/collection.yaml")):
                answer = QMessageBox.question(self, "Open workspace",
                                              f"{folder} is not a workspace yet. Make it one?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
                storage.init_workspace(folder)
            self.open_workspace(folder)

    @Slot()
    def create_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        folder = QFileDialog.getExistingDirectory(self, "Choose an empty folder for the new workspace",
                                                  str(Path(self.workspace_root).parent))
        if not folder:
            return
        try:
            storage.init_workspace(folder)
        except (WorkbenchError, OSError) as exc:
            QMessageBox.warning(self, "New workspace", getattr(exc, "message", str(exc)))
            return
        self.open_workspace(folder)

    def _fill_recent(self) -> None:
        from workbench.core.workspace.recent import recent_workspaces

        self.recent_menu.clear()
        for root in recent_workspaces():
            if root != str(Path(self.workspace_root).resolve()):
                self.recent_menu.addAction(root, functools.partial(self.open_workspace, root))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    # ------------------------------------------------------------------ file watching
    def _start_watching(self) -> None:
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_disk_change)
        self._watcher.fileChanged.connect(self._on_disk_change)
        self._rewatch()

    def _rewatch(self) -> None:
        """Watch the workspace's folders and files; the list is made in a worker (thousands of stats)."""
        if self._watcher is None:
            return
        from workbench.ui.background import BackgroundJob
        from workbench.ui.workspace_reload import watch_paths

        if self._watch_job is not None:
            self._watch_job.cancel()
        root, workspace = self.workspace_root, self.workspace
        self._watch_job = BackgroundJob(lambda job: watch_paths(root, workspace),
                                        lambda paths: self._watch(root, paths))

    def _watch(self, root: str, paths: tuple[str, ...]) -> None:
        self._watch_job = None
        if self._watcher is None or root != self.workspace_root:
            return
        old = set(self._watcher.files() + self._watcher.directories())
        if old == set(paths):
            return
        if old:
            self._watcher.removePaths(list(old))
        self._watcher.addPaths(list(paths))

    @Slot(str)
    def _on_disk_change(self, _path: str) -> None:
        self._reload_timer.start()

    # ------------------------------------------------------------------ tabs
    def editors(self) -> list[RequestEditor]:
        editor_type = _editor_type()
        if editor_type is None or self._tabs is None:
            return []
        widgets = (self.tabs.widget(i) for i in range(self.tabs.count()))
        return [w for w in widgets if isinstance(w, editor_type)]

    @Slot(str, str)
    def open_request(self, collection_path: str, request_path: str, preview: bool = False) -> RequestEditor | None:
        """Show the saved request in its tab, opening one if needed.

        `preview` (a single click in the tree) opens it in the preview tab, replacing the
        previous preview unless that one has edits or is sending; otherwise the tab is kept.
        """
        for i in range(self.tabs.count()):
            editor = self.tabs.widget(i)
            if editor in self.editors() and editor.key == (collection_path, request_path):
                self.tabs.setCurrentIndex(i)
                if not preview:
                    self.keep_tab(editor)
                return editor
        collection = self.collection_of(collection_path)
        request = collection.find_request(request_path) if collection else None
        if request is None:
            return None
        from workbench.ui.widgets.request.editor import RequestEditor

        editor = RequestEditor(collection_path, request, self, str(Path(self.workspace_root) / collection_path))
        old = self.tabs.preview() if preview else None
        index = -1
        if old in self.editors() and not old.is_dirty() and old is not self._sending_editor:
            index = self.tabs.indexOf(old)
            self.tabs.removeTab(index)
            old.deleteLater()
        self._add_editor(editor, index, preview)
        return editor

    @Slot(str, str)
    def preview_request(self, collection_path: str, request_path: str) -> RequestEditor | None:
        """A single click in the tree: show the request in the preview tab."""
        return self.open_request(collection_path, request_path, preview=True)

    def keep_tab(self, editor: RequestEditor) -> None:
        """The preview tab becomes a normal one (double click, an edit, a save)."""
        if self.tabs.is_preview(editor):
            self.tabs.set_preview(None)

    def open_unsaved(self, request: Request, collection_path: str = "") -> RequestEditor:
        """A new tab for a request that has no file yet (new, or reopened from history)."""
        if not collection_path:
            collection_path = self.workspace.collections[0].path if self.workspace.collections else ""
        from workbench.ui.widgets.request.editor import RequestEditor

        editor = RequestEditor(collection_path, replace(request, path=""), self,
                               str(Path(self.workspace_root) / collection_path))
        self._add_editor(editor)
        return editor

    def _add_editor(self, editor: RequestEditor, index: int = -1, preview: bool = False) -> None:
        editor.send_requested.connect(self.send_current)
        editor.cancel_requested.connect(self.cancel_send)
        editor.code_requested.connect(self.show_code)
        editor.save_requested.connect(lambda e=editor: self._save(e))
        editor.location_clicked.connect(self.collections.select_key)
        editor.dirty_changed.connect(lambda dirty, e=editor: self._mark_dirty(e, dirty))
        self._give_context(editor)
        index = self.tabs.insertTab(index, editor, icons.method_badge(editor.saved_request.method), editor.title())
        self.tabs.set_preview(editor if preview else self.tabs.preview())
        self._tab_tooltip(editor)
        self.tabs.setCurrentIndex(index)
        self._editor_stack.setCurrentWidget(self.tabs)
        self._save_ui_state()

    def _tab_tooltip(self, editor: RequestEditor) -> None:
        """The full name (titles are elided) and the file, or that it has none yet."""
        where = f"{editor.collection_path}/{editor.saved_request.path}" if editor.saved_request.path \
            else "Not saved yet"
        self.tabs.setTabToolTip(self.tabs.indexOf(editor), f"{editor.title()}\n{where}")

    def _mark_dirty(self, editor: RequestEditor, dirty: bool) -> None:
        index = self.tabs.indexOf(editor)
        if dirty:
            self.keep_tab(editor)  # an edit keeps the preview tab
        if index >= 0:
            self.tabs.setTabText(index, ("● " if dirty else "") + editor.title())
            self.tabs.setTabIcon(index, icons.method_badge(editor.to_model().method))

    @Slot()
    def new_request(self) -> None:
        self.collections.new_request()

    def current_editor(self) -> RequestEditor | None:
        if self._tabs is None:
            return None
        widget = self.tabs.currentWidget()
        return widget if widget is not None and widget in self.editors() else None

    @Slot(int)
    def _current_tab_changed(self, index: int) -> None:
        self._fill_environments()
        editor = self.current_editor()
        if editor is not None and editor.saved_request.path:
            self.collections.select_key(f"{editor.collection_path}/{editor.saved_request.path}")

    @Slot()
    def close_current_tab(self) -> None:
        if self.tabs.currentIndex() >= 0:
            self.close_tab(self.tabs.currentIndex())

    @Slot(int)
    def close_tab(self, index: int, ask: bool = True) -> bool:
        from PySide6.QtWidgets import QMessageBox

        editor = self.tabs.widget(index)
        if ask and editor in self.editors() and editor.is_dirty():
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save changes to “{editor.title()}”?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            if answer == QMessageBox.StandardButton.Save and not self._save(editor):
                return False
        if editor is self._sending_editor:
            self.cancel_send()
        self.tabs.removeTab(index)
        if editor is not None:
            editor.deleteLater()
        if self.tabs.count() == 0:
            self._editor_stack.setCurrentWidget(self._empty)
        self._save_ui_state()
        return True

    def _close_all_tabs(self) -> bool:
        while self.tabs.count():
            if not self.close_tab(self.tabs.count() - 1):
                return False
        return True

    @Slot(str, str)
    def _item_moved(self, old_key: str, new_key: str) -> None:
        """A file or folder moved on disk: open tabs follow it."""
        for editor in self.editors():
            key = f"{editor.collection_path}/{editor.saved_request.path}"
            if key == old_key or key.startswith(old_key + "/"):
                moved = new_key + key[len(old_key):]
                coll, _, rel = moved.partition("/")
                editor.set_key(coll, rel)
                self._tab_tooltip(editor)
        self._save_ui_state()

    @Slot(str)
    def _item_deleted(self, key: str) -> None:
        for editor in self.editors():
            ekey = f"{editor.collection_path}/{editor.saved_request.path}"
            if editor.saved_request.path and (ekey == key or ekey.startswith(key + "/") or editor.collection_path == key):
                self.close_tab(self.tabs.indexOf(editor), ask=False)

    # ------------------------------------------------------------------ saving
    @Slot()
    def save_current(self) -> None:
        editor = self.current_editor()
        if editor is not None:
            self._save(editor)

    @Slot()
    def save_all(self) -> None:
        for editor in self.editors():
            if editor.is_dirty() or not editor.saved_request.path:
                self._save(editor)

    def _save(self, editor: RequestEditor, name: str | None = None) -> bool:
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        request = editor.to_model()
        if not request.path:
            if name is None:
                name, ok = QInputDialog.getText(self, "Save request", "Name of the request:", text=request.name)
                if not ok or not name.strip():
                    return False
            request = replace(request, name=name.strip())
            if not editor.collection_path:
                try:
                    coll = storage.save_collection_settings(self.workspace_root, Collection("My collection"))
                except WorkbenchError as exc:
                    QMessageBox.warning(self, "Save failed", exc.message)
                    return False
                editor.collection_path = coll.path
        try:
            saved = storage.save_request(self.workspace_root, editor.collection_path, request)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Save failed", exc.message)
            return False
        editor.mark_saved(saved)
        self._tab_tooltip(editor)
        self.keep_tab(editor)
        self._mark_dirty(editor, editor.is_dirty())
        self.reload_workspace()
        self._save_ui_state()
        self.statusBar().showMessage(f"Saved {editor.collection_path}/{saved.path}", 3000)
        return True

    # ------------------------------------------------------------------ sending
    @Slot()
    def send_current(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        self.cancel_send()
        request = editor.to_model()
        self._sending_editor = editor
        editor.set_sending(True)
        self.window_actions.cancel.setEnabled(True)
        import asyncio

        self._send_task = asyncio.ensure_future(self._send(editor, editor.collection_path, request))

    def send_context(self, collection_path: str) -> SendContext:
        """What a send from this window needs, from the one place that makes it (`core/context/`)."""
        from workbench.core.context.resolve import resolve_context

        return resolve_context(self.workspace, self.collection_of(collection_path),
                               base_dir=Path(self.workspace_root) / collection_path)

    @Slot(str, str)
    def run_collection(self, collection_path: str, folder: str = "") -> RunnerDialog | None:
        """Run every request of a collection or folder in order (what `workbench run` does)."""
        from workbench.ui.widgets.workspace.runner_dialog import RunnerDialog

        collection = self.collection_of(collection_path)
        if collection is None:
            return None
        dialog = RunnerDialog(self, collection, folder, self.send_context(collection_path), workspace=self.workspace)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # its setup step first; the run starts from its Run button
        return dialog

    async def _send(self, editor: RequestEditor, collection_path: str, request: Request) -> None:
        import asyncio

        from workbench.core.sending.send import send
        from workbench.core.workspace import history

        ctx = self.send_context(collection_path)
        self.response.show_pending(request)
        self.statusBar().showMessage(f"Sending {request.method} {request.url} …")
        try:
            exchange = await send(request, ctx, on_progress=self.response.show_progress)
        except asyncio.CancelledError:
            self.response.show_cancelled()
            self.statusBar().showMessage("Request cancelled", 3000)
            raise
        except WorkbenchError as exc:
            self.response.show_error(exc.message, exc.detail)
            self.statusBar().showMessage(exc.message, 5000)
            return
        finally:
            editor.set_sending(False)
            if self._sending_editor is editor:
                self._sending_editor = None
                # Esc belongs to the widgets again (closing a cell editor, a popup) when nothing runs.
                self.window_actions.cancel.setEnabled(False)
        self.response.set_collection_dir(ctx.base_dir)  # its openapi.json is the response contract
        self.response.set_send_context(ctx)  # next pages go out as this send did (auth, settings)
        self.response.show_exchange(exchange, request)
        r = exchange.response
        self.statusBar().showMessage(f"{r.status} {r.reason} in {r.elapsed_ms:.0f} ms", 5000)
        try:
            entry = history.record(self.workspace_root, exchange, request.path, collection_path,
                                   secrets=history.context_secrets(ctx, request))
        except OSError:
            return
        if self._history_panel is not None:
            self._history_panel.add_entry(entry)

    @Slot()
    def cancel_send(self) -> None:
        if self._send_task is not None and not self._send_task.done():
            self._send_task.cancel()
        self._send_task = None

    def is_sending(self) -> bool:
        return self._send_task is not None and not self._send_task.done()

    # ------------------------------------------------------------------ history
    @Slot(int)
    def _left_tab_changed(self, index: int) -> None:
        if index == 1 and self._history_panel is None:
            self.history_panel()

    def history_panel(self) -> HistoryPanel:
        """The History tab's panel, created the first time it is shown (not needed at start-up)."""
        if self._history_panel is None:
            from workbench.ui.widgets.workspace.history_panel import HistoryPanel

            panel = HistoryPanel(self)
            panel.set_workspace(self.workspace_root)
            panel.open_requested.connect(self.open_history_entry)
            self.left.blockSignals(True)
            self.left.removeTab(1)
            self.left.insertTab(1, panel, "History")
            self.left.setCurrentIndex(1)
            self.left.blockSignals(False)
            self._history_placeholder.deleteLater()
            self._history_panel = panel
        return self._history_panel

    @Slot(object)
    def open_history_entry(self, entry: HistoryEntry) -> RequestEditor | None:
        """Reopen a sent request: its saved file when it still exists, else a new unsaved tab."""
        if entry.collection and entry.request_path:
            editor = self.open_request(entry.collection, entry.request_path)
            if editor is not None:
                return editor
        from workbench.core.urls import split_url

        base, params = split_url(entry.url)
        name = f"{entry.method} {base.split('://', 1)[-1]}"[:80]
        collection = entry.collection if self.collection_of(entry.collection) else ""
        return self.open_unsaved(Request(name, entry.method, base, tuple(params)), collection)

    # ------------------------------------------------------------------ dialogs
    @Slot()
    def show_history(self) -> None:
        """View → History (Ctrl+H): bring the History tab to the front."""
        self.left.setCurrentIndex(1)

    @Slot()
    def show_code(self) -> None:
        editor = self.current_editor()
        if editor is None:
            self.statusBar().showMessage("Open a request first to generate code for it.", 3000)
            return
        from workbench.ui.widgets.request.code_dialog import CodeDialog

        dialog = CodeDialog(editor.to_model(), self.send_context(editor.collection_path), self)
        dialog.show()

    @Slot(str, str)
    def _code_for(self, collection_path: str, request_path: str) -> None:
        if self.open_request(collection_path, request_path) is not None:
            self.show_code()

    @Slot()
    def edit_settings(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from workbench.ui.widgets.workspace.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.workspace.settings, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.workspace = replace(self.workspace, settings=dialog.settings())
        try:
            storage.save_workspace_settings(self.workspace)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Settings", exc.message)
            return
        self.statusBar().showMessage("Settings saved", 3000)

    @Slot()
    def edit_environments(self) -> None:
        from workbench.core.context.selection import chosen_environment
        from workbench.ui.widgets.workspace.environment_editor import EnvironmentEditor

        # The current collection's own environments too (a template's Testing/Production): each keeps its path.
        coll = self.collection_of(self.current_collection_path())
        dialog = EnvironmentEditor(self.workspace_root, (*self.workspace.environments,
                                                         *(coll.environments if coll is not None else ())), self,
                                   active=chosen_environment(self.workspace, coll) if coll is not None else "")
        dialog.exec()
        if dialog.changed_on_disk:
            self.reload_workspace()

    @Slot()
    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, "Keyboard shortcuts", "\n".join([
            "Ctrl+Enter\tSend the request", "Esc\tCancel the running request", "Ctrl+S\tSave",
            "Ctrl+Shift+S\tSave all", "Ctrl+N\tNew request", "Ctrl+W\tClose tab", "F2\tRename (tree)",
            "Ctrl+D\tDuplicate (tree)", "Delete\tDelete (tree)", "F5\tReload the workspace from disk",
            "Ctrl+E\tManage environments", "Ctrl+Shift+C\tGenerate code", "Ctrl+,\tSettings"]))

    @Slot()
    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from workbench import __version__

        QMessageBox.about(self, "About API Workbench",
                          f"API Workbench {__version__}\n\nA workbench for the OData and OpenAPI services of "
                          f"low-code and integration platforms.\n\nWorkspace: {self.workspace_root}")

    # ------------------------------------------------------------------ UI state (.workbench/ui.json)
    def _ui_state_path(self) -> Path:
        return Path(self.workspace_root) / storage.STATE_DIR / UI_STATE_FILE

    def _save_ui_state(self) -> None:
        """Remember the open tabs per workspace, so the next start shows them again."""
        tabs = [[e.collection_path, e.saved_request.path] for e in self.editors() if e.saved_request.path]
        current = self.current_editor()
        state = {"tabs": tabs,
                 "current": [current.collection_path, current.saved_request.path] if current else None,
                 # Where the user put the dividers (tree | editor, editor / response), as Postman keeps them.
                 "splitters": {"main": self.main_split.sizes(), "centre": self.centre.sizes()}}
        try:
            storage.write_atomic(storage.state_dir(self.workspace_root) / UI_STATE_FILE, json.dumps(state, indent=1))
        except OSError:
            pass

    def _read_ui_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self._ui_state_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _restore_ui_state(self, state: dict[str, Any] | None = None) -> None:
        """Reopen the tabs listed in `.workbench/ui.json` (those whose files still exist)."""
        state = self._read_ui_state() if state is None else state
        for item in state.get("tabs") or []:
            if isinstance(item, list) and len(item) == 2:
                self.open_request(str(item[0]), str(item[1]))
        current = state.get("current")
        if isinstance(current, list) and len(current) == 2:
            self.open_request(str(current[0]), str(current[1]))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            saved = self._pending_tabs.get("splitters") if isinstance(self._pending_tabs, dict) else None
            if not self._restore_splitters(saved):
                height = max(self.centre.height(), 400)
                self.centre.setSizes([height * 11 // 20, height * 9 // 20])
            for splitter in (self.main_split, self.centre):
                splitter.splitterMoved.connect(lambda *_: self._splitter_save.start())

    def _restore_splitters(self, saved: Any) -> bool:
        """The divider positions of the last session (`.workbench/ui.json`), when they are usable here."""
        if not isinstance(saved, dict):
            return False
        restored = False
        for key, splitter in (("main", self.main_split), ("centre", self.centre)):
            sizes = saved.get(key)
            # A stranger's file: two non-negative integers, not all zero, or nothing.
            if (isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(v, int) and 0 <= v < 100_000 for v in sizes)
                    and any(sizes)):
                splitter.setSizes(sizes)
                restored = True
        return restored

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # paintEvent, not event(): an `event` override hands every event of the window to Python
        # while it is built and shown (each new event class builds its Python type: ~2 ms).
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    # ------------------------------------------------------------------ OpenAPI import (issue 4)
    def new_connection(self, template_id: str = "") -> ConnectionDialog:
        """File → New connection…: a platform's connection from a template (applied to the selected collection
        when one is selected, so an imported descriptor's requests get the platform's auth)."""
        from workbench.ui.widgets.workspace.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self.workspace, self, self.collections.selected_collection_path())
        if template_id:
            dialog.select(template_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._connection_applied)
        dialog.show()
        return dialog

    @Slot(str)
    def _connection_applied(self, collection_path: str) -> None:
        self.reload_workspace()
        self.collections.select_key(collection_path)
        self._fill_environments()
        self.statusBar().showMessage("Connection created: pick a request, or get a token in the collection's "
                                     "settings (Auth)", 5000)

    def import_spec(self, source: str = "") -> ImportDialog:
        """File → Import… (Ctrl+I), or a dropped file: the import dialog (started at once for a drop)."""
        from workbench.ui.widgets.workspace.import_dialog import ImportDialog

        dialog = ImportDialog(self, self.workspace_root)
        dialog.context_for = self.send_context
        dialog.set_collections([(c.name, c.path) for c in self.workspace.collections])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def imported(path: str) -> None:
            self.collections.reveal_after_reload(path)  # selected and expanded once the tree has it
            self.reload_workspace_in_background()

        dialog.imported.connect(imported)
        dialog.show()
        if source:
            dialog.set_source(source)
            dialog.start_import()
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt naming
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt naming
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.import_spec(files[0])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        from PySide6.QtWidgets import QMessageBox

        dirty = [e for e in self.editors() if e.is_dirty()]
        if dirty:
            names = ", ".join(f"“{e.title()}”" for e in dirty[:5])
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save changes to {names}?",
                QMessageBox.StandardButton.SaveAll | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.SaveAll:
                for editor in dirty:
                    if not self._save(editor):
                        event.ignore()
                        return
        self._save_ui_state()
        self.cancel_send()
        if self._response is not None:
            self._response.stop()
        # A reload still reading in a worker, or one the file watcher is about to start, must not
        # land on a closed window's widgets.
        self._reload_timer.stop()
        if self._watcher is not None:
            self._watcher.blockSignals(True)
        if self._reloader_instance is not None:
            self._reloader_instance.cancel()
        if self._watch_job is not None:
            self._watch_job.cancel()
            self._watch_job = None
        super().closeEvent(event)


def _editor_type() -> type[RequestEditor] | None:
    """The RequestEditor class once its module is loaded (no tab can exist before that)."""
    module = sys.modules.get("workbench.ui.widgets.request.editor")
    editor_type: type[RequestEditor] | None = getattr(module, "RequestEditor", None) if module is not None else None
    return editor_type


if TYPE_CHECKING:
    def _satisfies_window_api(window: MainWindow) -> WindowApi:
        """mypy checks here that panels can be given the main window as their `WindowApi`."""
        return window


def _warm_imports() -> None:
    """Import jsonschema on the UI thread, once, shortly after the first paint (about 90 ms).

    The contract check runs in a worker thread; when jsonschema (attrs, rpds) was first imported
    there, the interpreter crashed in `attr/_make.py` (seen in the end-to-end tests). Importing
    it here, while nothing else is loading, keeps that import off the worker threads.
    """
    import jsonschema  # noqa: F401
