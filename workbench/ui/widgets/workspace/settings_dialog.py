"""The workspace's send settings: timeouts, redirects, TLS verification, proxy, body size limit.

Stored in `workspace.yaml` (storage.save_workspace_settings) so a team shares them through
git; `workbench send` uses the same values, so the CLI and the window behave alike. The
Light/Dark/System theme is this user's taste, not the team's: it goes to the user state
(`recent.set_theme_preference`) when the dialog is accepted, and applies at the next start.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Settings
from workbench.core.workspace.recent import (
    THEME_PREFERENCES,
    set_theme_preference,
    theme_preference,
)

_THEME_LABELS = {"light": "Light", "dark": "Dark", "system": "System (follow the desktop)"}


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(460)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(0.5, 3600)
        self.timeout.setDecimals(1)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(settings.timeout_s)
        self.timeout.setToolTip("How long to wait for each read of the response (slow imports need more)")
        self.connect_timeout = QDoubleSpinBox(self)
        self.connect_timeout.setRange(0.5, 600)
        self.connect_timeout.setDecimals(1)
        self.connect_timeout.setSuffix(" s")
        self.connect_timeout.setValue(settings.connect_timeout_s)
        self.follow = QCheckBox("Follow redirects (3xx)", self)
        self.follow.setChecked(settings.follow_redirects)
        self.verify = QCheckBox("Verify TLS certificates", self)
        self.verify.setChecked(settings.verify_tls)
        self.verify.setToolTip("Turn off only for test servers with self-signed certificates")
        self.proxy = QLineEdit(settings.proxy, self)
        self.proxy.setPlaceholderText("http://proxy.example:3128 (empty: direct connection)")
        self.max_body = QSpinBox(self)
        self.max_body.setRange(1, 16384)
        self.max_body.setSuffix(" MB")
        self.max_body.setValue(settings.max_body_mb)
        self.max_body.setToolTip("A response larger than this is stopped (bodies above 8 MB are kept on disk)")
        self.theme = QComboBox(self)
        for mode in THEME_PREFERENCES:
            self.theme.addItem(_THEME_LABELS[mode], mode)
        self.theme.setCurrentIndex(THEME_PREFERENCES.index(theme_preference()))
        self.theme.setToolTip("Your own choice, kept outside the workspace")
        theme_note = QLabel("Theme changes take effect when API Workbench next starts.", self)
        theme_note.setObjectName("muted")
        form = QFormLayout()
        form.addRow("Read timeout", self.timeout)
        form.addRow("Connect timeout", self.connect_timeout)
        form.addRow("", self.follow)
        form.addRow("", self.verify)
        form.addRow("Proxy", self.proxy)
        form.addRow("Maximum body size", self.max_body)
        form.addRow("Theme", self.theme)
        form.addRow("", theme_note)
        note = QLabel("Saved in workspace.yaml and used by `workbench send` too.", self)
        note.setObjectName("muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        set_theme_preference(THEME_PREFERENCES[max(0, self.theme.currentIndex())])
        super().accept()

    def settings(self) -> Settings:
        return Settings(self.timeout.value(), self.connect_timeout.value(), self.follow.isChecked(),
                        self.verify.isChecked(), self.proxy.text().strip(), self.max_body.value())
