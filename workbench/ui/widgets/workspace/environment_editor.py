"""Editing environments (Development, Testing, Production…): their variables and which are secret.

Each environment is one YAML file in `environments/`; values of variables marked secret go to
the secret store (core/workspace/secrets.py: the OS keyring, else a 0600 file) and the file holds only a `secret:` reference, so the folder
can be committed. Every change is written at once through core storage.

The environment in use for the current collection is marked ("✓ active", bold) and selected
first, as Postman marks its active environment. Close sits on the left and Save on the right,
Save is the primary button and stays disabled (and looks it) until something was edited.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Environment
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import storage
from workbench.ui.widgets.key_value_table import KeyValueTable


class EnvironmentEditor(QDialog):
    """A list of environments on the left, the selected one's variables on the right."""

    #: What follows the active environment's name in the list.
    ACTIVE_MARK = "   ✓ active"

    def __init__(self, workspace_root: str, environments: tuple[Environment, ...] | list[Environment],
                 parent: QWidget | None = None, active: str = "") -> None:
        super().__init__(parent)
        self.workspace_root = workspace_root
        #: The environment the current collection uses ("" for none): marked, and selected first.
        self.active = active
        self.environments: list[Environment] = list(environments)
        self.changed_on_disk = False
        self._current = -1
        self.setWindowTitle("Environments")
        self.resize(960, 520)

        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._select)
        add = QPushButton("New", self)
        add.clicked.connect(lambda: self.add_environment())
        dup = QPushButton("Duplicate", self)
        dup.clicked.connect(lambda: self.duplicate_environment())
        ren = QPushButton("Rename", self)
        ren.clicked.connect(lambda: self.rename_environment())
        rem = QPushButton("Delete", self)
        rem.clicked.connect(lambda: self.delete_environment())
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        grid = QHBoxLayout()
        for b in (add, dup, ren, rem):
            grid.addWidget(b)
        ll.addLayout(grid)

        self.table = KeyValueTable(self, placeholder="variable", secret_column=True)
        self.table.changed.connect(self._edited)
        from workbench.core.workspace import secrets

        # Name the store really in use: a "keyring" promise over a plain-file store misleads.
        self.hint = QLabel("Tick Secret for passwords, keys and tokens: their values are stored in "
                           f"{secrets.backend_label()}, never in the YAML file.", self)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.hint)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([200, 760])
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("primary")
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Write the variables of this environment (nothing to save until you edit)")
        self.save_button.clicked.connect(self.save_current)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._fill_list(active)

    # ------------------------------------------------------------------ list
    def _fill_list(self, select: str = "") -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for env in self.environments:
            is_active = bool(self.active) and env.name == self.active
            item = QListWidgetItem(env.name + (self.ACTIVE_MARK if is_active else ""))
            item.setToolTip(env.path + ("\nIn use for the current collection" if is_active else ""))
            if is_active:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [e.name for e in self.environments]
        row = names.index(select) if select in names else (0 if names else -1)
        self._current = -1
        self.list.setCurrentRow(row)
        if row < 0:
            self.table.set_rows([])
            self.table.setEnabled(False)

    @Slot(int)
    def _select(self, row: int) -> None:
        if self._current >= 0 and self.save_button.isEnabled():
            self.save_current()
        self._current = row
        self.table.setEnabled(row >= 0)
        if 0 <= row < len(self.environments):
            env = self.environments[row]
            self.table.set_rows(env.variables, env.secret_names)
        self.save_button.setEnabled(False)

    @Slot()
    def _edited(self) -> None:
        self.save_button.setEnabled(self._current >= 0)

    def current(self) -> Environment | None:
        return self.environments[self._current] if 0 <= self._current < len(self.environments) else None

    # ------------------------------------------------------------------ edits (each written at once)
    def _write(self, env: Environment) -> Environment | None:
        try:
            saved = storage.save_environment(self.workspace_root, env)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Environments", exc.message)
            return None
        self.changed_on_disk = True
        return saved

    @Slot()
    def save_current(self) -> bool:
        env = self.current()
        if env is None:
            return False
        edited = replace(env, variables=tuple(self.table.rows()), secret_names=self.table.secret_names())
        saved = self._write(edited)
        if saved is None:
            return False
        self.environments[self._current] = saved
        self.save_button.setEnabled(False)
        return True

    def _ask(self, title: str, text: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "Name:", text=text)
        return name.strip() if ok and name.strip() else None

    def add_environment(self, name: str | None = None) -> Environment | None:
        name = name or self._ask("New environment", "Development")
        if not name:
            return None
        saved = self._write(Environment(name))
        if saved is not None:
            self.environments.append(saved)
            self._fill_list(saved.name)
        return saved

    def duplicate_environment(self, name: str | None = None) -> Environment | None:
        env = self.current()
        if env is None:
            return None
        name = name or self._ask("Duplicate environment", f"{env.name} copy")
        if not name:
            return None
        saved = self._write(replace(env, name=name, path=""))
        if saved is not None:
            self.environments.append(saved)
            self._fill_list(saved.name)
        return saved

    def rename_environment(self, name: str | None = None) -> Environment | None:
        env = self.current()
        if env is None:
            return None
        name = name or self._ask("Rename environment", env.name)
        if not name or name == env.name:
            return None
        saved = self._write(replace(env, name=name, path=""))
        if saved is None:
            return None
        if env.path and env.path != saved.path:
            try:
                storage.delete_item(self.workspace_root, env.path)
            except WorkbenchError as exc:
                QMessageBox.warning(self, "Environments", exc.message)
        if env.name == self.active:
            self.active = saved.name
        self.environments[self._current] = saved
        self._fill_list(saved.name)
        return saved

    def delete_environment(self, confirm: bool = True) -> bool:
        env = self.current()
        if env is None:
            return False
        if confirm and QMessageBox.question(self, "Delete environment", f"Delete the environment “{env.name}”?") \
                != QMessageBox.StandardButton.Yes:
            return False
        if env.path:
            try:
                storage.delete_item(self.workspace_root, env.path)
            except WorkbenchError as exc:
                QMessageBox.warning(self, "Environments", exc.message)
                return False
        self.changed_on_disk = True
        del self.environments[self._current]
        self._current = -1
        self._fill_list()
        return True

    def reject(self) -> None:
        if self.save_button.isEnabled():
            self.save_current()
        super().reject()
