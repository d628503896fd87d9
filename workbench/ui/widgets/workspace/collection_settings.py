"""The settings dialog of a collection (name, variables, headers, auth, docs) or of a folder.

What is set here applies to every request below: requests whose auth is "inherit" use the
nearest folder's or the collection's auth, and headers set here are sent with each request
(e.g. Jitterbit's `x-client-id` / `x-tenant-id`, see /work/shared/PLATFORMS.md).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Auth, Collection, Folder, Request, Settings
from workbench.core.workspace import storage
from workbench.ui.widgets.key_value_table import KeyValueTable
from workbench.ui.widgets.settings_overrides import SettingsOverridesForm

if TYPE_CHECKING:
    from workbench.core.sending.send import SendContext


class CollectionSettingsDialog(QDialog):
    """Edits `collection` (or, when `folder` is given, that folder of it)."""

    def __init__(self, collection: Collection, folder: Folder | None = None, parent: QWidget | None = None,
                 context: SendContext | None = None) -> None:
        super().__init__(parent)
        self.collection = collection
        self.folder = folder
        kind = "Folder" if folder else "Collection"
        target_name = folder.name if folder else collection.name
        self.setWindowTitle(f"{kind} settings — {target_name}")
        self.resize(720, 520)

        self.name = QLineEdit(target_name, self)
        where = QLabel(str(Path(collection.path) / folder.path) if folder else collection.path, self)
        where.setObjectName("muted")
        general = QWidget(self)
        form = QFormLayout(general)
        form.addRow("Name", self.name)
        form.addRow("Folder on disk", where)

        self.variables = KeyValueTable(self, placeholder="variable")
        self.variables.set_rows(folder.variables if folder else collection.variables)
        self.headers = KeyValueTable(self, placeholder="header")
        self.headers.set_rows(folder.headers if folder else collection.headers)

        from workbench.ui.widgets.request.auth_panel import AuthPanel

        self.auth = AuthPanel(self, allow_inherit=folder is not None)
        own = folder.auth if folder else collection.auth
        inherited, source = self._inherited()
        self.auth.set_auth(own, inherited, source)
        # Token and Discover resolve {{variables}} exactly as a send from here would.
        self.auth.set_context(context, Request("(auth)", auth=Auth("inherit"),
                                               path=f"{folder.path}/(auth).yaml" if folder else "(auth).yaml"))
        self.settings = SettingsOverridesForm(self)
        self.settings.set_inherited(*self._inherited_settings(context))
        self.settings.set_overrides(folder.settings if folder else collection.settings)
        self.docs = QPlainTextEdit(folder.docs if folder else collection.docs, self)
        self.docs.setPlaceholderText("Markdown shown to everyone who opens this collection")

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(general, "General")
        self.tabs.addTab(self.variables, "Variables")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(self.auth, "Auth")
        self.tabs.addTab(self.settings, "Settings")
        self.tabs.addTab(self.docs, "Docs")
        hint = QLabel("Variables, headers, auth and settings set here apply to every request below "
                      "(a request's own values win).", self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _inherited(self) -> tuple[Auth | None, str]:
        if self.folder is None:
            return None, ""
        for parent in reversed(self.collection.chain(self.folder.path + "/x")[:-1]):
            if parent.auth.type != "inherit":
                return parent.auth, f"folder “{parent.name}”"
        return self.collection.auth, f"collection “{self.collection.name}”"

    def _inherited_settings(self, context: SendContext | None) -> tuple[Settings, str]:
        """What this level inherits: the parent folder's or collection's settings over the workspace's."""
        if context is None:
            return Settings(), "the defaults"
        if self.folder is None:
            return context.settings, context.settings_origin
        parent_probe = Request("(probe)", path=f"{self.folder.path}/(probe).yaml")
        chain = self.collection.chain(parent_probe.path)[:-1]
        layers = [self.collection.settings, *(f.settings for f in chain)]
        from workbench.core.workspace.settings import apply

        return apply(context.settings, *layers), "the collection and parent folders"

    def result_collection(self) -> Collection:
        return replace(self.collection, name=self.name.text().strip() or self.collection.name,
                       variables=tuple(self.variables.rows()), headers=tuple(self.headers.rows()),
                       auth=self.auth.to_model(), docs=self.docs.toPlainText(), settings=self.settings.overrides())

    def result_folder(self) -> Folder | None:
        if self.folder is None:
            return None
        return replace(self.folder, name=self.name.text().strip() or self.folder.name,
                       variables=tuple(self.variables.rows()), headers=tuple(self.headers.rows()),
                       auth=self.auth.to_model(), docs=self.docs.toPlainText(), settings=self.settings.overrides())

    def save(self, workspace_root: str) -> None:
        """Write collection.yaml or folder.yaml through core storage (atomic, refuses broken files)."""
        folder = self.result_folder()
        if folder is None:
            storage.save_collection_settings(workspace_root, self.result_collection())
        else:
            storage.save_folder_settings(workspace_root, self.collection.path, folder)
