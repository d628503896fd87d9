"""File → New connection…: a platform's connection from a template (resources/templates/).

The dialog asks only for the platform's own fields (server, project, access keys) and calls
`core/templates.apply_template`, which writes the collection, its auth and headers and its
environments. Applying to an existing collection (one just imported from the platform's
descriptor) gives its requests the platform's auth.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Workspace
from workbench.core.errors import WorkbenchError
from workbench.core.templates import Applied, Template, apply_template, list_templates

NEW_COLLECTION = ""


class ConnectionDialog(QDialog):
    """Pick a template, fill its fields, create (or apply to) a collection. Emits `applied(collection_path)`."""

    applied = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, collection: str = "") -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.result_: Applied | None = None
        self.setWindowTitle("New connection")
        self.setMinimumWidth(560)
        self.templates: list[Template] = list_templates()
        self.template = QComboBox(self)
        for template in self.templates:
            self.template.addItem(template.name, template.id)
        self.target = QComboBox(self)
        self.target.addItem("A new collection", NEW_COLLECTION)
        for coll in workspace.collections:
            self.target.addItem(f"Existing: {coll.name}", coll.path)
        if collection:
            self.target.setCurrentIndex(max(0, self.target.findData(collection)))
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setObjectName("muted")
        self.fields_box = QWidget(self)
        self.fields_form = QFormLayout(self.fields_box)
        self.fields_form.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        self.environments = QLabel(self)
        self.environments.setWordWrap(True)
        self.environments.setObjectName("muted")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton("Create", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("primary")
        self.buttons.rejected.connect(self.reject)
        self.create_button.clicked.connect(self.apply)
        top = QFormLayout()
        top.addRow("Platform", self.template)
        top.addRow("Apply to", self.target)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.environments)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.template.currentIndexChanged.connect(self._template_chosen)
        self.target.currentIndexChanged.connect(self._update_button)
        self._template_chosen()

    def current(self) -> Template:
        return self.templates[max(0, self.template.currentIndex())]

    def select(self, template_id: str) -> None:
        self.template.setCurrentIndex(max(0, self.template.findData(template_id)))

    @Slot()
    def _template_chosen(self) -> None:
        template = self.current()
        self.description.setText(template.description.replace("`", ""))  # Markdown code marks, shown as plain text
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.edits = {}
        for field in template.fields:
            edit = QLineEdit(self.fields_box)
            edit.setPlaceholderText(field.example or ("required" if field.required else "optional"))
            if field.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setToolTip("Kept in the secret store, never in the workspace files")
            edit.textChanged.connect(self._update_button)
            self.edits[field.name] = edit
            self.fields_form.addRow(field.label + (" *" if field.required else ""), edit)
        names = template.environments
        self.environments.setText(
            f"The values go into the environment “{names[0]}”" +
            (f"; fill {', '.join(names[1:])} later in Manage environments (Ctrl+E)." if len(names) > 1 else "."))
        self.status.setText("")
        self._update_button()

    @Slot()
    def _update_button(self) -> None:
        missing = [f.label for f in self.current().fields if f.required and not self.edits[f.name].text().strip()]
        self.create_button.setEnabled(not missing)
        self.create_button.setToolTip(f"Still needed: {', '.join(missing)}" if missing else "")
        self.create_button.setText("Create" if self.target.currentData() == NEW_COLLECTION else "Apply")

    def values(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.edits.items() if edit.text().strip()}

    @Slot()
    def apply(self) -> Applied | None:
        try:
            applied = apply_template(self.current(), self.workspace.root, self.values(),
                                     collection=str(self.target.currentData() or ""))
        except WorkbenchError as exc:
            self.status.setText(f"⚠ {exc.message}")
            return None
        self.result_ = applied
        self.applied.emit(applied.collection_path)
        self.accept()
        return applied
