"""The environment editor writes each change through core storage; secret values stay out of YAML."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from workbench.core.collections import Environment, KeyValue
from workbench.core.workspace import storage
from workbench.ui.widgets.workspace.environment_editor import EnvironmentEditor


def test_add_edit_secret_rename_duplicate_delete(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = storage.init_workspace(tmp_path / "ws")
    storage.save_environment(ws.root, Environment("Dev", (KeyValue("base", "http://dev"),)))
    editor = EnvironmentEditor(ws.root, storage.load_workspace(ws.root).environments)
    qtbot.addWidget(editor)
    assert editor.list.count() == 1 and editor.table.rows() == [KeyValue("base", "http://dev")]

    last = editor.table.rowCount() - 1
    editor.table.item(last, 0).setText("password")
    editor.table.item(last, 1).setText("hunter2")
    editor.table.item(last, editor.table.SECRET).setCheckState(Qt.CheckState.Checked)
    assert editor.save_button.isEnabled()
    assert editor.save_current()
    text = (Path(ws.root) / "environments" / "Dev.yaml").read_text()
    assert "hunter2" not in text and "secret: true" in text
    dev = storage.load_workspace(ws.root).environment("Dev")
    assert dev.as_dict() == {"base": "http://dev", "password": "hunter2"} and dev.secret_names == {"password"}

    assert editor.add_environment("Testing").name == "Testing"
    assert editor.list.currentItem().text() == "Testing" and editor.table.rows() == []
    editor.list.setCurrentRow(0)
    assert editor.duplicate_environment("Production").variables == dev.variables
    assert editor.rename_environment("Prod").name == "Prod"
    names = sorted(e.name for e in storage.load_workspace(ws.root).environments)
    assert names == ["Dev", "Prod", "Testing"] and not (Path(ws.root) / "environments" / "Production.yaml").exists()
    assert editor.delete_environment(confirm=False)
    assert sorted(e.name for e in storage.load_workspace(ws.root).environments) == ["Dev", "Testing"]
    assert editor.changed_on_disk


def test_unsaved_edits_are_saved_when_switching(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = storage.init_workspace(tmp_path / "ws")
    storage.save_environment(ws.root, Environment("A", (KeyValue("x", "1"),)))
    storage.save_environment(ws.root, Environment("B"))
    editor = EnvironmentEditor(ws.root, storage.load_workspace(ws.root).environments)
    qtbot.addWidget(editor)
    editor.table.item(0, 1).setText("2")
    editor.list.setCurrentRow(1)
    assert storage.load_workspace(ws.root).environment("A").as_dict() == {"x": "2"}


def test_active_environment_is_marked_and_save_waits_for_changes(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the active environment is marked and selected; Close on the left, Save on the right,
    Save disabled (and drawn so) until something changed."""
    ws = storage.init_workspace(tmp_path / "ws")
    storage.save_environment(ws.root, Environment("Dev", (KeyValue("base", "http://dev"),)))
    storage.save_environment(ws.root, Environment("Prod", (KeyValue("base", "http://prod"),)))
    editor = EnvironmentEditor(ws.root, storage.load_workspace(ws.root).environments, active="Prod")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    texts = [editor.list.item(r).text() for r in range(editor.list.count())]
    assert texts == ["Dev", "Prod" + EnvironmentEditor.ACTIVE_MARK] and editor.list.item(1).font().bold()
    assert editor.current().name == "Prod" and editor.table.rows() == [KeyValue("base", "http://prod")]
    assert editor.close_button.x() < editor.save_button.x()
    assert not editor.save_button.isEnabled()
    disabled = editor.save_button.grab().toImage()
    editor.table.item(0, 1).setText("http://prod2")
    assert editor.save_button.isEnabled() and editor.save_button.grab().toImage() != disabled
    editor.save_button.click()
    assert not editor.save_button.isEnabled()
    assert storage.load_workspace(ws.root).environment("Prod").as_dict() == {"base": "http://prod2"}
    assert editor.rename_environment("Production").name == "Production"
    assert editor.list.currentItem().text() == "Production" + EnvironmentEditor.ACTIVE_MARK
