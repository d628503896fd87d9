"""The main window: collection tree on the left, request tabs in the centre, the response below.

A thin window: it wires actions to the panels and to core entry points, and keeps the one
piece of state that spans panels — the running send task, so Send again, Esc, Cancel and
closing the window all cancel it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from workbench.core import storage
from workbench.core.collections import Collection, Request, Workspace
from workbench.core.errors import WorkbenchError
from workbench.ui.widgets.collection_panel import CollectionPanel
from workbench.ui.widgets.request_editor import RequestEditor
from workbench.ui.widgets.response_pane import ResponsePane


class MainWindow(QMainWindow):
    def __init__(self, workspace_root: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace_root = workspace_root
        self.workspace: Workspace = Workspace(workspace_root)
        self._send_task: asyncio.Task[Any] | None = None
        self.setWindowTitle("API Workbench")
        self.setAcceptDrops(True)

        self.collections = CollectionPanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.response = ResponsePane(self)

        self._empty = QLabel("Select a request on the left, or press Ctrl+N for a new one.", self)
        self._empty.setObjectName("empty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        centre = QSplitter(Qt.Orientation.Vertical, self)
        self._editor_stack = QSplitter(Qt.Orientation.Horizontal, centre)
        self._editor_stack.addWidget(self.tabs)
        self._editor_stack.addWidget(self._empty)
        centre.addWidget(self._editor_stack)
        centre.addWidget(self.response)
        centre.setStretchFactor(0, 1)
        centre.setStretchFactor(1, 1)
        self.tabs.hide()

        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(self.collections)
        main.addWidget(centre)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        main.setSizes([300, 980])
        self.setCentralWidget(main)

        self._build_actions()
        self.collections.request_activated.connect(self.open_request)
        self.collections.workspace_changed.connect(self.reload_workspace)
        self.reload_workspace()

    # ------------------------------------------------------------------ actions
    def _build_actions(self) -> None:
        bar = QToolBar("Main", self)
        bar.setMovable(False)
        self.addToolBar(bar)
        self.env_combo = QComboBox(self)
        self.env_combo.setMinimumWidth(180)
        self.env_combo.setToolTip("Active environment: its variables fill {{placeholders}}")
        self.env_combo.currentTextChanged.connect(self._environment_chosen)
        env_label = QLabel("Environment ", self)
        env_label.setObjectName("muted")
        spacer = QWidget(self)
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy())
        bar.addWidget(spacer)
        bar.addWidget(env_label)
        bar.addWidget(self.env_combo)

        file_menu = self.menuBar().addMenu("&File")
        self.menuBar().addMenu("&Tools")
        self.act_new = QAction("New request", self, shortcut=QKeySequence.StandardKey.New, triggered=self.new_request)
        self.act_save = QAction("Save", self, shortcut=QKeySequence.StandardKey.Save, triggered=self.save_current)
        self.act_send = QAction("Send", self, shortcut=QKeySequence("Ctrl+Return"), triggered=self.send_current)
        self.act_cancel = QAction("Cancel", self, shortcut=QKeySequence("Esc"), triggered=self.cancel_send)
        self.act_reload = QAction("Reload workspace", self, shortcut=QKeySequence("F5"), triggered=self.reload_workspace)
        self.act_quit = QAction("Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        for act in (self.act_new, self.act_save, self.act_reload):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        for act in (self.act_send, self.act_cancel):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(act)

    def tools_menu(self) -> Any:
        """The Tools menu, for panels that add their own entries."""
        return next(a.menu() for a in self.menuBar().actions() if a.text() == "&Tools")

    # ------------------------------------------------------------------ workspace
    @Slot()
    def reload_workspace(self) -> None:
        """Re-read the workspace from disk (picks up external edits such as `git pull`)."""
        try:
            self.workspace = storage.load_workspace(self.workspace_root)
        except WorkbenchError as exc:
            self.statusBar().showMessage(exc.message)
            return
        self.collections.set_workspace(self.workspace)
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        self.env_combo.addItem("No environment")
        for env in self.workspace.environments:
            self.env_combo.addItem(env.name)
        if self.workspace.active_environment:
            self.env_combo.setCurrentText(self.workspace.active_environment)
        self.env_combo.blockSignals(False)
        name = self.workspace.name or Path(self.workspace_root).name
        self.setWindowTitle(f"{name} — API Workbench")
        if self.workspace.problems:
            self.statusBar().showMessage(f"{len(self.workspace.problems)} file(s) could not be read: "
                                         + self.workspace.problems[0])
        else:
            count = sum(len(c.all_requests()) for c in self.workspace.collections)
            self.statusBar().showMessage(f"{len(self.workspace.collections)} collection(s), {count} request(s)")

    @Slot(str)
    def _environment_chosen(self, name: str) -> None:
        active = "" if name == "No environment" else name
        self.workspace = replace(self.workspace, active_environment=active)
        try:
            storage.save_workspace_settings(self.workspace)
        except WorkbenchError as exc:
            self.statusBar().showMessage(exc.message)

    def collection_of(self, collection_path: str) -> Collection | None:
        return self.workspace.collection(collection_path)

    # ------------------------------------------------------------------ tabs
    @Slot(str, str)
    def open_request(self, collection_path: str, request_path: str) -> None:
        for i in range(self.tabs.count()):
            editor = self.tabs.widget(i)
            if isinstance(editor, RequestEditor) and editor.key == (collection_path, request_path):
                self.tabs.setCurrentIndex(i)
                return
        collection = self.collection_of(collection_path)
        request = collection.find_request(request_path) if collection else None
        if request is None:
            return
        self._add_editor(RequestEditor(collection_path, request, self))

    def _add_editor(self, editor: RequestEditor) -> None:
        editor.send_requested.connect(self.send_current)
        editor.dirty_changed.connect(lambda dirty, e=editor: self._mark_dirty(e, dirty))
        index = self.tabs.addTab(editor, editor.title())
        self.tabs.setCurrentIndex(index)
        self.tabs.show()
        self._empty.hide()

    def _mark_dirty(self, editor: RequestEditor, dirty: bool) -> None:
        index = self.tabs.indexOf(editor)
        if index >= 0:
            self.tabs.setTabText(index, editor.title() + (" •" if dirty else ""))

    @Slot()
    def new_request(self) -> None:
        coll = self.workspace.collections[0] if self.workspace.collections else None
        if coll is None:
            try:
                coll = storage.save_collection_settings(self.workspace_root, Collection("My collection"))
            except WorkbenchError as exc:
                QMessageBox.warning(self, "New request", exc.message)
                return
            self.reload_workspace()
        self._add_editor(RequestEditor(coll.path, Request("New request", "GET", ""), self))

    def current_editor(self) -> RequestEditor | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, RequestEditor) else None

    @Slot(int)
    def close_tab(self, index: int) -> None:
        editor = self.tabs.widget(index)
        if isinstance(editor, RequestEditor) and editor.is_dirty():
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save changes to “{editor.title()}”?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self._save(editor):
                return
        self.tabs.removeTab(index)
        if self.tabs.count() == 0:
            self.tabs.hide()
            self._empty.show()

    @Slot()
    def save_current(self) -> None:
        editor = self.current_editor()
        if editor is not None:
            self._save(editor)

    def _save(self, editor: RequestEditor) -> bool:
        try:
            saved = storage.save_request(self.workspace_root, editor.collection_path, editor.to_model())
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Save failed", exc.message)
            return False
        editor.mark_saved(saved)
        self._mark_dirty(editor, False)
        self.reload_workspace()
        self.statusBar().showMessage(f"Saved {saved.path}", 3000)
        return True

    # ------------------------------------------------------------------ sending
    @Slot()
    def send_current(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        self.cancel_send()
        request = editor.to_model()
        self._send_task = asyncio.ensure_future(self._send(editor.collection_path, request))

    async def _send(self, collection_path: str, request: Request) -> None:
        from workbench.core import history
        from workbench.core.send import SendContext, send

        env_name = self.workspace.active_environment
        ctx = SendContext(
            collection=self.collection_of(collection_path),
            environment=self.workspace.environment(env_name) if env_name else None,
            settings=self.workspace.settings,
            base_dir=Path(self.workspace_root) / collection_path,
        )
        try:
            from workbench.core import oauth2

            oauth2.attach_to_context(ctx, Path(self.workspace_root))
        except (ImportError, AttributeError):
            pass
        self.response.show_pending(request)
        try:
            exchange = await send(request, ctx, on_progress=self.response.show_progress)
        except asyncio.CancelledError:
            self.response.show_cancelled()
            raise
        except WorkbenchError as exc:
            self.response.show_error(exc.message, exc.detail)
            return
        self.response.show_exchange(exchange, request)
        try:
            history.record(self.workspace_root, exchange, request.path, collection_path)
        except OSError:
            pass

    @Slot()
    def cancel_send(self) -> None:
        if self._send_task is not None and not self._send_task.done():
            self._send_task.cancel()
        self._send_task = None

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt naming
        self.cancel_send()
        super().closeEvent(event)
