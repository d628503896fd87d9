"""File → Import…: bring an API into the workspace, whatever describes it and wherever it is.

It imports an OpenAPI/Swagger descriptor, an OData `$metadata` document, a Postman or
Insomnia export and a curl command, from a file, a URL, a ZIP or a folder; the title and the
line under it say so, since a user who does not see "Postman" will not try it. A thin layer
over `workbench.core.openapi`, `csdl` and `interchange`: the dialog collects the source, the root document
(when a ZIP or folder holds several), the folder grouping and, for URLs, the auth to download
with. Reading, `$ref` bundling and conversion run in a worker thread (`workers.in_worker` on
the qasync loop) so a 4 MB descriptor never freezes the window; Cancel stops the worker at
the next operation and nothing is written. The summary (counts, re-import changes, warnings)
stays on screen, and `imported` tells the main window which collection to select and expand.
"""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Auth, Request
from workbench.core.errors import SpecImportError, WorkbenchError
from workbench.core.masking import mask_urls
from workbench.core.workers import in_worker

if TYPE_CHECKING:  # the importers load when an import starts, not with the window
    from workbench.core.openapi.convert import GroupBy
    from workbench.core.openapi.results import ImportSummary
    from workbench.core.sending.send import SendContext

_URL = re.compile(r"^https?://", re.I)


class ImportDialog(QDialog):
    """Choose a descriptor, import it off the UI thread, show what happened."""

    imported = Signal(str)  # the collection's path, relative to the workspace (as in Collection.path)

    def __init__(self, parent: QWidget | None, workspace_root: str) -> None:
        super().__init__(parent)
        self.workspace_root = str(workspace_root)
        self.setWindowTitle("Import: OpenAPI/Swagger, OData $metadata, Postman, Insomnia or curl")
        #: The window's `send_context`: "Auth of a collection" downloads as a send from it would.
        self.context_for: Callable[[str], SendContext] | None = None
        self.setMinimumWidth(620)
        self._task: asyncio.Task[None] | None = None
        self._roots_task: asyncio.Task[None] | None = None
        self._stop = threading.Event()
        self._writing = False
        self._download: tuple[Request, SendContext] | None = None  # the running import's auth, for masking
        self._checked_source = ""
        self.summary: ImportSummary | None = None

        self.intro = QLabel("Import an OpenAPI/Swagger descriptor, an OData $metadata document, a Postman or "
                            "Insomnia export, or a curl command: from a file, a URL, a ZIP or a folder.", self)
        self.intro.setObjectName("muted")
        self.intro.setWordWrap(True)
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("Path of a file, folder or ZIP, or an https:// URL")
        self.source.editingFinished.connect(self._source_changed)
        browse_file = QPushButton("File…", self)
        browse_file.clicked.connect(self._choose_file)
        browse_folder = QPushButton("Folder…", self)
        browse_folder.clicked.connect(self._choose_folder)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(browse_file)
        source_row.addWidget(browse_folder)

        self.root_choice = QComboBox(self)
        self.root_choice.setToolTip("This ZIP or folder holds several descriptors: choose the one to import")
        self.root_label = QLabel("Root document", self)
        self.group_by = QComboBox(self)
        self.group_by.addItem("By tag", "tag")
        self.group_by.addItem("By path segments", "path")

        self.auth_type = QComboBox(self)
        for label, kind in (("No auth", "none"), ("Basic", "basic"), ("Bearer token", "bearer"),
                            ("API key header", "apikey"), ("Auth and headers of a collection", "collection")):
            self.auth_type.addItem(label, kind)
        self.auth_collection = QComboBox(self)
        self.auth_collection.setToolTip("Its auth (OAuth 2.0 included), headers, variables and environment apply "
                                        "to the download, as to a send from it")
        self.auth_type.currentIndexChanged.connect(self._auth_changed)
        self.auth_first = QLineEdit(self)
        self.auth_second = QLineEdit(self)
        self.auth_second.setEchoMode(QLineEdit.EchoMode.Password)
        auth_row = QHBoxLayout()
        auth_row.addWidget(self.auth_type)
        auth_row.addWidget(self.auth_first, 1)
        auth_row.addWidget(self.auth_second, 1)
        auth_row.addWidget(self.auth_collection, 1)
        self.auth_label = QLabel("Download auth", self)
        self._auth_widgets = (self.auth_label, self.auth_type, self.auth_first, self.auth_second, self.auth_collection)

        form = QFormLayout()
        form.addRow("Source", source_row)
        form.addRow(self.root_label, self.root_choice)
        form.addRow("Folders", self.group_by)
        form.addRow(self.auth_label, auth_row)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("The summary and any warnings appear here.")

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button.clicked.connect(self.reject)
        self.import_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self._set_roots([])
        self._auth_changed()
        self._set_busy(False)

    # ------------------------------------------------------------------ inputs

    def set_source(self, source: str) -> None:
        """Preset the source (drag and drop, or a test) and look for root documents."""
        self.source.setText(source)
        self._source_changed()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a descriptor, $metadata, export or curl command", "",
            "Importable files (*.json *.yaml *.yml *.zip *.xml *.edmx *.txt *.sh *.curl);;"
            "OpenAPI/Swagger (*.json *.yaml *.yml *.zip);;OData $metadata (*.xml *.edmx);;"
            "Postman or Insomnia export (*.json *.yaml *.yml);;curl command (*.txt *.sh *.curl);;All files (*)")
        if path:
            self.set_source(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder holding an OpenAPI/Swagger descriptor")
        if path:
            self.set_source(path)

    def _auth_changed(self) -> None:
        is_url = bool(_URL.match(self.source.text().strip()))
        for widget in self._auth_widgets:
            widget.setVisible(is_url)
        kind = self.auth_type.currentData()
        self.auth_first.setVisible(is_url and kind in ("basic", "apikey"))
        self.auth_second.setVisible(is_url and kind not in ("none", "collection"))
        self.auth_collection.setVisible(is_url and kind == "collection")
        self.auth_first.setPlaceholderText({"basic": "User name", "apikey": "Header name"}.get(kind, ""))
        self.auth_second.setPlaceholderText({"basic": "Password", "bearer": "Token", "apikey": "Key"}.get(kind, ""))

    def set_collections(self, collections: list[tuple[str, str]]) -> None:
        """The workspace's collections as (name, path), offered as "Auth and headers of a collection"."""
        self.auth_collection.clear()
        for name, path in collections:
            self.auth_collection.addItem(name, path)
        index = self.auth_type.findData("collection")
        model = self.auth_type.model()
        item = model.item(index) if isinstance(model, QStandardItemModel) else None
        if item is not None:
            item.setEnabled(bool(collections) and self.context_for is not None)

    def download_context(self) -> tuple[Request, SendContext] | None:
        """The template and context of the chosen collection (None unless that option is chosen)."""
        if self.auth_type.currentData() != "collection" or self.context_for is None:
            return None
        path = self.auth_collection.currentData()
        if not isinstance(path, str) or not path:
            return None
        return Request("download", auth=Auth("inherit"), path="download.yaml"), self.context_for(path)

    def download_auth(self) -> Auth | None:
        """The auth the user chose for downloading a URL (None for files)."""
        kind = self.auth_type.currentData()
        if not _URL.match(self.source.text().strip()) or kind in ("none", "collection"):
            return None
        first, second = self.auth_first.text(), self.auth_second.text()
        if kind == "basic":
            return Auth("basic", {"username": first, "password": second})
        if kind == "bearer":
            return Auth("bearer", {"token": second})
        return Auth("apikey", {"name": first or "Authorization", "value": second, "in": "header"})

    @Slot()
    def _source_changed(self) -> None:
        self._auth_changed()
        text = self.source.text().strip()
        if text == self._checked_source:
            return  # editingFinished also fires on focus loss: keep the root choice
        self._checked_source = text
        self._set_roots([])
        if not text or _URL.match(text):
            return
        path = Path(text)
        if path.is_dir() or path.suffix.lower() == ".zip":
            if self._roots_task is not None:
                self._roots_task.cancel()
            self._roots_task = asyncio.ensure_future(self._find_roots(text))

    async def _find_roots(self, source: str) -> None:
        from workbench.core.openapi.sources import list_roots

        try:
            roots = await in_worker(list_roots, source)
        except WorkbenchError as exc:
            self.status.setText(exc.message)
            return
        if self.source.text().strip() == source:
            self._set_roots(roots)

    def _set_roots(self, roots: list[str]) -> None:
        self.root_choice.clear()
        self.root_choice.addItems(roots)
        several = len(roots) > 1
        self.root_choice.setVisible(several)
        self.root_label.setVisible(several)

    # ------------------------------------------------------------------ running

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    @Slot()
    def start_import(self) -> None:
        source = self.source.text().strip()
        if not source:
            self.status.setText("Choose a file, folder or URL first.")
            return
        if self.is_running():
            return
        root = self.root_choice.currentText() if self.root_choice.count() > 1 else None
        self._stop = threading.Event()
        self._set_busy(True)
        self.status.setText(f"Importing {mask_urls(source)} …")
        self.details.clear()
        self._task = asyncio.ensure_future(self._run(source, root, self.group_by.currentData(),
                                                     self.download_auth(), self._stop, self.download_context()))

    async def _run(self, source: str, root: str | None, group_by: GroupBy, auth: Auth | None,
                   stop: threading.Event, download: tuple[Request, SendContext] | None = None) -> None:
        self._download = download
        from workbench.core.csdl.to_collection import (
            import_metadata_into_workspace,
            looks_like_csdl,
        )
        from workbench.core.openapi.importer import import_openapi
        from workbench.core.openapi.merge import write_import
        from workbench.core.workspace.storage import init_workspace

        try:
            if not _URL.match(source) and Path(source).is_file():
                from workbench.core.interchange.detect import detect_format, import_file

                if await in_worker(detect_format, source) in ("curl", "postman", "postman-environment", "insomnia"):
                    # Another client's export (Postman, Insomnia) or a curl command: one entry point.
                    self._writing = True
                    try:
                        summary = await asyncio.shield(in_worker(import_file, source, self.workspace_root))
                    finally:
                        self._writing = False
                    self._imported(summary)
                    return
            if looks_like_csdl(source):  # an OData $metadata document: generate its collection
                self._writing = True
                try:
                    template, context = download if download is not None else (None, None)
                    summary = await asyncio.shield(in_worker(
                        import_metadata_into_workspace, source, self.workspace_root, template=template,
                        context=context))
                finally:
                    self._writing = False
                self._imported(summary)
                return
            headers: dict[str, str] | None = None
            if download is not None and source.lower().startswith(("http://", "https://", "{{")):
                from workbench.core.openapi.importer import download_credentials

                source, auth, headers = await in_worker(download_credentials, source, *download)
            result = await in_worker(import_openapi, source, group_by=group_by, auth=auth, root=root,
                                     should_stop=stop.is_set, headers=headers)
            if stop.is_set():
                raise asyncio.CancelledError
            self._writing = True
            self.cancel_button.setEnabled(False)  # writing is quick and each file atomic: let it finish
            self.status.setText("Writing the collection …")

            def write() -> ImportSummary:
                init_workspace(self.workspace_root)
                return write_import(result, Path(self.workspace_root))

            try:
                summary = await asyncio.shield(in_worker(write))
            finally:
                self._writing = False
        except asyncio.CancelledError:
            self._cancelled_ui()
            raise
        except SpecImportError as exc:
            self._fail(exc.message, exc.detail)
            if "several descriptors" in exc.message and exc.detail:
                self._set_roots(exc.detail.splitlines())
            return
        except WorkbenchError as exc:
            self._fail(exc.message, exc.detail)
            return
        except OSError as exc:
            self._fail(f"Import failed: {exc}", None)
            return
        self._imported(summary)

    def _imported(self, summary: ImportSummary) -> None:
        self._set_busy(False)
        self.summary = summary
        counts = [_count(summary.requests, "request"), _count(summary.folders, "folder"),
                  _count(summary.environments, "environment")]
        if summary.warnings:
            counts.append(_count(len(summary.warnings), "warning"))
        self.status.setText(f"Imported “{summary.collection}”: {', '.join(counts)}.")
        lines: list[str] = []
        if summary.changes is not None:
            lines += ["Re-import:"] + [f"  {line}" for line in summary.changes.lines()] + [""]
        if summary.warnings:
            lines += ["Warnings:"] + [f"  • {w}" for w in summary.warnings]
        self.details.setPlainText("\n".join(lines) or "No warnings.")
        self.imported.emit(summary.collection_path)

    def _fail(self, message: str, detail: str | None) -> None:
        """Show why the import failed, with the download's secrets masked: a message may repeat the
        URL as sent (`{{apiKey}}` resolved, `user:pass@`), and a dialog is often screenshotted."""
        from workbench.core.masking import mask_message

        secrets: tuple[str, ...] = ()
        if self._download is not None:
            from workbench.core.workspace.history import context_secrets

            template, context = self._download
            secrets = tuple(context_secrets(context, template))
        self._set_busy(False)
        self.status.setText(mask_message(message, secrets))
        self.details.setPlainText(mask_message(detail, secrets) if detail else "")

    @Slot()
    def cancel_import(self) -> None:
        """Stop a running import (the worker stops at the next operation); else close the dialog."""
        if self.is_running() and self._task is not None:
            if self._writing:
                return
            self._stop.set()
            self._task.cancel()
            self._cancelled_ui()
            return
        self.reject()

    def _cancelled_ui(self) -> None:
        self.status.setText("Import cancelled; nothing was written.")
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.import_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.cancel_button.setVisible(busy)
        self.close_button.setVisible(not busy)
        self.source.setEnabled(not busy)

    def reject(self) -> None:
        if self.is_running():
            if not self._writing:
                self.cancel_import()
            return
        if self._roots_task is not None:
            self._roots_task.cancel()
        super().reject()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
