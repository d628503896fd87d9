"""The Settings dialog turns its form into `Settings`, which the window writes to workspace.yaml."""

from __future__ import annotations

from pathlib import Path

from workbench.core.collections import Settings
from workbench.core.workspace import storage
from workbench.ui.widgets.workspace.settings_dialog import SettingsDialog


def test_form_round_trips_settings(qtbot) -> None:  # type: ignore[no-untyped-def]
    original = Settings(12.5, 3.0, False, True, "http://proxy:3128", 256)
    dialog = SettingsDialog(original)
    qtbot.addWidget(dialog)
    assert dialog.settings() == original
    dialog.timeout.setValue(600)
    dialog.verify.setChecked(False)
    dialog.proxy.setText("  ")
    dialog.max_body.setValue(32)
    assert dialog.settings() == Settings(600.0, 3.0, False, False, "", 32)


def test_window_saves_settings_to_workspace_yaml(main_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def accept_with_changes(dialog: SettingsDialog) -> int:
        dialog.timeout.setValue(120)
        dialog.follow.setChecked(False)
        return SettingsDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", accept_with_changes)
    main_window.act_settings.trigger()
    saved = storage.load_workspace(main_window.workspace_root).settings
    assert saved.timeout_s == 120 and saved.follow_redirects is False
    assert "timeout_s: 120.0" in (Path(main_window.workspace_root) / "workspace.yaml").read_text()
