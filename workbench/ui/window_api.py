"""What docks, panels and dialogs may ask of the main window: a small typed interface.

Panels get the window as a `WindowApi`, not as `MainWindow`: they see the few things they
need (the workspace, the current request, the one place a send context is made) and cannot
reach into the window's private state. It also keeps the import graph one-way: `main_window`
imports the panels, the panels import only this Protocol (napari's `_qt` widgets do the same
with their viewer interface).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

    from workbench.core.collections import Collection, Environment, Request, Workspace
    from workbench.core.sending.send import SendContext
    from workbench.ui.widgets.request.editor import RequestEditor


class WindowApi(Protocol):
    """The main window as panels see it."""

    workspace_root: str
    workspace: Workspace

    @property
    def tabs(self) -> QTabWidget:
        """The request tabs (read-only here: the window's is a QTabWidget subclass with a preview tab)."""
        ...

    def window(self) -> QWidget:
        """The main window as a widget: the parent of a panel's dialogs and docks (QWidget.window())."""
        ...

    def current_editor(self) -> RequestEditor | None:
        """The request tab in front, if any."""
        ...

    def open_unsaved(self, request: Request, collection_path: str = "") -> RequestEditor:
        """Open `request` in a new, unsaved tab (a panel's "New request")."""
        ...

    def collection_of(self, collection_path: str) -> Collection | None:
        """The loaded collection at `collection_path` (relative to the workspace)."""
        ...

    def active_environment(self) -> Environment | None:
        """The environment whose variables fill `{{placeholders}}` now."""
        ...

    def send_context(self, collection_path: str) -> SendContext:
        """Everything a send needs (collection, environment, settings, tokens): made in one place."""
        ...

    def reload_workspace(self) -> None:
        """Re-read the workspace after a panel wrote to it."""
        ...

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea) -> None:
        """Add a dock panel with its toggle in the View menu."""
        ...
