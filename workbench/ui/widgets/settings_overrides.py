"""A form of the send settings a collection, folder or request overrides: only what is ticked is its own.

The same keys as the workspace settings (`timeout_s`, …); an unticked row shows what this level
inherits, so a user raising one slow request's timeout sees it was 30 s and where that came from.
Used by the request editor's Settings tab and by the collection and folder settings dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.core.collections import Settings, SettingsOverrides

_LABELS = {
    "timeout_s": "Timeout (s)",
    "connect_timeout_s": "Connect timeout (s)",
    "follow_redirects": "Follow redirects",
    "verify_tls": "Verify TLS certificates",
    "proxy": "Proxy",
    "max_body_mb": "Maximum response body (MB)",
}


class SettingsOverridesForm(QWidget):
    """Tick a setting to give this level its own value; unticked rows inherit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, inherited_from: str = "the workspace settings") -> None:
        super().__init__(parent)
        self._inherited = Settings()
        self._inherited_from = inherited_from
        grid = QGridLayout(self)
        grid.setColumnStretch(2, 1)
        self.ticks: dict[str, QCheckBox] = {}
        self.timeout = QDoubleSpinBox(self)
        self.connect_timeout = QDoubleSpinBox(self)
        for box in (self.timeout, self.connect_timeout):
            box.setRange(0.1, 86400.0)
            box.setDecimals(2)
            box.setSuffix(" s")
        self.follow = QCheckBox("on", self)
        self.verify = QCheckBox("on", self)
        self.proxy = QLineEdit(self)
        self.proxy.setPlaceholderText("http://proxy.example.com:3128")
        self.max_body = QSpinBox(self)
        self.max_body.setRange(1, 100_000)
        self.max_body.setSuffix(" MB")
        self.editors: dict[str, QWidget] = {
            "timeout_s": self.timeout, "connect_timeout_s": self.connect_timeout, "follow_redirects": self.follow,
            "verify_tls": self.verify, "proxy": self.proxy, "max_body_mb": self.max_body,
        }
        self.hints: dict[str, QLabel] = {}
        for row, (key, editor) in enumerate(self.editors.items()):
            tick = QCheckBox(_LABELS[key], self)
            tick.setToolTip("Ticked: this level's own value. Unticked: inherited.")
            tick.toggled.connect(self._toggled)
            hint = QLabel(self)
            hint.setObjectName("muted")
            hint.setWordWrap(True)  # a long "inherits … from …" must not widen the whole editor
            hint.setMinimumWidth(120)
            self.ticks[key] = tick
            self.hints[key] = hint
            grid.addWidget(tick, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(hint, row, 2)
        grid.setRowStretch(len(self.editors), 1)
        for spin in (self.timeout, self.connect_timeout):
            spin.valueChanged.connect(lambda *_: self.changed.emit())
        self.max_body.valueChanged.connect(lambda *_: self.changed.emit())
        self.follow.toggled.connect(lambda *_: self.changed.emit())
        self.verify.toggled.connect(lambda *_: self.changed.emit())
        self.proxy.textChanged.connect(lambda *_: self.changed.emit())
        self.set_overrides({})

    def set_inherited(self, settings: Settings, source: str) -> None:
        """What an unticked row stands for, and where it comes from (shown beside it)."""
        self._inherited = settings
        self._inherited_from = source
        self._show_hints()

    def set_overrides(self, overrides: SettingsOverrides) -> None:
        self.blockSignals(True)
        try:
            merged = {**{k: getattr(self._inherited, k) for k in self.editors}, **dict(overrides)}
            self.timeout.setValue(float(merged["timeout_s"]))
            self.connect_timeout.setValue(float(merged["connect_timeout_s"]))
            self.follow.setChecked(bool(merged["follow_redirects"]))
            self.verify.setChecked(bool(merged["verify_tls"]))
            self.proxy.setText(str(merged["proxy"]))
            self.max_body.setValue(int(merged["max_body_mb"]))
            for key, tick in self.ticks.items():
                tick.setChecked(key in overrides)
                self.editors[key].setEnabled(key in overrides)
        finally:
            self.blockSignals(False)
        self._show_hints()

    def overrides(self) -> dict[str, float | int | bool | str]:
        """Only the ticked settings (written under `settings:` in the YAML)."""
        values: dict[str, float | int | bool | str] = {
            "timeout_s": self.timeout.value(), "connect_timeout_s": self.connect_timeout.value(),
            "follow_redirects": self.follow.isChecked(), "verify_tls": self.verify.isChecked(),
            "proxy": self.proxy.text().strip(), "max_body_mb": self.max_body.value(),
        }
        return {k: v for k, v in values.items() if self.ticks[k].isChecked()}

    def _show_hints(self) -> None:
        for key, hint in self.hints.items():
            value = getattr(self._inherited, key)
            if isinstance(value, bool):
                shown = "on" if value else "off"
            elif key.endswith("_s"):
                shown = f"{value:g} s"
            elif key == "max_body_mb":
                shown = f"{value} MB"
            else:
                shown = str(value or "none")
            hint.setText("" if self.ticks[key].isChecked() else f"inherits {shown} from {self._inherited_from}")

    @Slot(bool)
    def _toggled(self, _on: bool) -> None:
        for key, tick in self.ticks.items():
            self.editors[key].setEnabled(tick.isChecked())
        self._show_hints()
        self.changed.emit()
