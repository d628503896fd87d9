"""The main window's actions, menus and toolbar, built in one place.

The window keeps its slots and its state; what it shows the user to trigger them (menu entries,
shortcuts, the toolbar) is built here, as napari keeps `_qt/_qapp_model/qactions` out of its
main window. One function returns everything in a `WindowActions`, so the window has one line
to call and tests can reach every action by name.
"""

from typing import TYPE_CHECKING, Callable, NamedTuple, Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from workbench.ui import icons

if TYPE_CHECKING:
    from workbench.ui.widgets.workspace.collection_panel import CollectionPanel

Shortcut = str | QKeySequence.StandardKey


class ActionSlots(Protocol):
    """The window's slots the actions trigger: `main_window` imports this module, never the reverse."""

    collections: "CollectionPanel"

    def save_current(self) -> object: ...
    def save_all(self) -> object: ...
    def close_current_tab(self) -> object: ...
    def choose_workspace(self) -> object: ...
    def create_workspace(self) -> object: ...
    def reload_workspace_in_background(self) -> object: ...
    def edit_settings(self) -> object: ...
    def send_current(self) -> object: ...
    def cancel_send(self) -> object: ...
    def edit_environments(self) -> object: ...
    def show_code(self) -> object: ...
    def show_history(self) -> object: ...
    def import_spec(self) -> object: ...
    def new_connection(self) -> object: ...
    def open_metadata_browser(self) -> object: ...
    def open_batch_editor(self) -> object: ...
    def show_shortcuts(self) -> object: ...
    def show_about(self) -> object: ...
    def current_collection_path(self) -> str: ...
    def run_collection(self, collection_path: str) -> object: ...


class WindowActions(NamedTuple):
    """The window's actions, the menus panels add to, and the toolbar widgets the window updates.

    A NamedTuple, not a frozen dataclass, and no `from __future__ import annotations` in this
    module: it is defined before the first paint, where a dataclass compiles its generated
    methods (~1.5 ms) and a NamedTuple of string annotations compiles each of them.
    """

    toolbar: QToolBar
    workspace_title: QLabel
    env_combo: QComboBox
    new: QAction
    save: QAction
    save_all: QAction
    close_tab: QAction
    open_workspace: QAction
    new_workspace: QAction
    reload: QAction
    settings: QAction
    quit: QAction
    send: QAction
    cancel: QAction
    environments: QAction
    code: QAction
    history: QAction
    import_openapi: QAction
    new_connection: QAction
    metadata: QAction
    batch: QAction
    run: QAction
    recent_menu: QMenu
    view_menu: QMenu
    tools_menu: QMenu


def _act(window: QMainWindow, text: str, slot: Callable[[], object], shortcut: Shortcut | None = None) -> QAction:
    act = QAction(text, window)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    act.triggered.connect(lambda *_: slot())
    return act


def _run_current_collection(window: QMainWindow, slots: ActionSlots) -> None:
    """Tools → Run collection…: the runner's setup step for the current tab's collection (else the tree's)."""
    path = slots.current_collection_path()
    if not path or slots.run_collection(path) is None:
        window.statusBar().showMessage("Select a collection (or open one of its requests) to run it.", 5000)


def _build_toolbar(window: QMainWindow) -> tuple[QToolBar, QLabel, QComboBox]:
    """Workspace name on the left, the environment picker on the right."""
    bar = QToolBar("Main", window)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(16, 16))
    window.addToolBar(bar)
    title = QLabel("", window)
    title.setObjectName("workspace-title")
    bar.addWidget(title)
    spacer = QWidget(window)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, spacer.sizePolicy().verticalPolicy())
    bar.addWidget(spacer)
    env_label = QLabel("Environment", window)
    env_label.setObjectName("muted")
    env_combo = QComboBox(window)
    env_combo.setMinimumWidth(180)
    env_combo.setToolTip("Active environment: its variables fill {{placeholders}}")
    bar.addWidget(env_label)
    bar.addWidget(env_combo)
    return bar, title, env_combo


def build_actions(window: QMainWindow, slots: ActionSlots) -> WindowActions:
    """Build the toolbar, the menu bar and their actions, wired to the window's slots (`slots` is the
    window itself, seen through `ActionSlots`)."""
    bar, title, env_combo = _build_toolbar(window)
    panel = slots.collections
    new = panel.act_new_request
    save = _act(window, "Save", slots.save_current, QKeySequence.StandardKey.Save)
    save_all = _act(window, "Save all", slots.save_all, "Ctrl+Shift+S")
    close_tab = _act(window, "Close tab", slots.close_current_tab, QKeySequence.StandardKey.Close)
    open_ws = _act(window, "Open workspace…", slots.choose_workspace, QKeySequence.StandardKey.Open)
    new_ws = _act(window, "New workspace…", slots.create_workspace)
    reload = _act(window, "Reload workspace", slots.reload_workspace_in_background, "F5")
    settings = _act(window, "Settings…", slots.edit_settings, "Ctrl+,")
    quit_ = _act(window, "Quit", window.close, QKeySequence.StandardKey.Quit)
    send = _act(window, "Send", slots.send_current, "Ctrl+Return")
    send.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    cancel = _act(window, "Cancel request", slots.cancel_send, "Esc")
    cancel.setEnabled(False)
    environments = _act(window, "Manage environments…", slots.edit_environments, "Ctrl+E")
    environments.setIcon(icons.icon("environment"))
    code = _act(window, "Generate code…", slots.show_code, "Ctrl+Shift+C")
    code.setIcon(icons.icon("code"))
    history = _act(window, "History", slots.show_history, "Ctrl+H")
    history.setIcon(icons.icon("history"))
    env_button = QToolButton(window)
    env_button.setDefaultAction(environments)
    env_button.setAutoRaise(True)
    bar.addWidget(env_button)

    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addAction(new)
    file_menu.addAction(panel.act_new_folder)
    file_menu.addAction(panel.act_new_collection)
    import_openapi = _act(window, "Import…", slots.import_spec, "Ctrl+I")  # issue 4: OpenAPI import
    file_menu.addAction(import_openapi)
    new_connection = _act(window, "New connection…", slots.new_connection)
    new_connection.setToolTip("A platform's connection from a template: auth, headers and environments")
    file_menu.addAction(new_connection)
    file_menu.addSeparator()
    file_menu.addAction(save)
    file_menu.addAction(save_all)
    file_menu.addAction(close_tab)
    file_menu.addSeparator()
    file_menu.addAction(open_ws)
    file_menu.addAction(new_ws)
    recent_menu = file_menu.addMenu("Open recent")
    file_menu.addAction(reload)
    file_menu.addSeparator()
    file_menu.addAction(settings)
    file_menu.addSeparator()
    file_menu.addAction(quit_)

    request_menu = menu.addMenu("&Request")
    for act in (send, cancel, code):
        request_menu.addAction(act)
    env_menu = menu.addMenu("&Environment")
    env_menu.addAction(environments)
    view_menu = menu.addMenu("&View")
    view_menu.addAction(history)
    tools_menu = menu.addMenu("&Tools")
    # The runner from the menu too, not only from the tree's context menu (Postman: Runner).
    run = _act(window, "Run collection…", lambda: _run_current_collection(window, slots), "Ctrl+Shift+R")
    run.setToolTip("Run the requests of the current collection, with checks, iterations and a data file")
    tools_menu.addAction(run)
    tools_menu.addSeparator()
    metadata = _act(window, "Metadata browser…", slots.open_metadata_browser)  # issue 6
    tools_menu.addAction(metadata)
    # OData $batch editor (its code loads when used).
    batch = _act(window, "$batch editor…", slots.open_batch_editor)
    tools_menu.addAction(batch)
    help_menu = menu.addMenu("&Help")
    help_menu.addAction("Keyboard shortcuts", slots.show_shortcuts)
    help_menu.addAction("About API Workbench", slots.show_about)
    # These work wherever the focus is in the window, not only when a menu could take them.
    for act in (send, cancel, save, close_tab):
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(act)

    return WindowActions(
        toolbar=bar, workspace_title=title, env_combo=env_combo, new=new, save=save, save_all=save_all,
        close_tab=close_tab, open_workspace=open_ws, new_workspace=new_ws, reload=reload, settings=settings,
        quit=quit_, send=send, cancel=cancel, environments=environments, code=code, history=history,
        import_openapi=import_openapi, new_connection=new_connection, metadata=metadata, batch=batch, run=run,
        recent_menu=recent_menu,
        view_menu=view_menu, tools_menu=tools_menu)
