"""File → New connection…: pick a platform, type its fields, get a collection that authenticates."""

from __future__ import annotations

from pathlib import Path

from workbench.ui.widgets.workspace.connection_dialog import ConnectionDialog


def test_new_connection_from_the_file_menu(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert main_window.window_actions.new_connection in main_window.menuBar().actions()[0].menu().actions()
    main_window.collections.tree.clearSelection()
    main_window.collections.tree.setCurrentIndex(main_window.collections.tree.rootIndex())
    dialog: ConnectionDialog = main_window.new_connection("jitterbit-app-builder-pat")
    assert dialog.current().id == "jitterbit-app-builder-pat"
    assert not dialog.create_button.isEnabled()  # required fields first
    assert "Personal access token" in dialog.create_button.toolTip()
    for name, value in (("serviceRoot", "https://acme.apps.eu.lcap.jitterbit.com/odata/v1/entities"),
                        ("username", "ann"), ("accessToken", "pat-1")):
        dialog.edits[name].setText(value)
    assert dialog.edits["accessToken"].echoMode() == dialog.edits["accessToken"].EchoMode.Password
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.applied, timeout=5000) as blocker:
        dialog.create_button.click()
    path = blocker.args[0]
    coll = main_window.collection_of(path)
    assert coll is not None and coll.auth.type == "basic"
    assert main_window.env_combo.currentText() == "Production"  # chosen for it at once
    env_file = Path(main_window.workspace_root) / path / "environments" / "Production.yaml"
    assert "pat-1" not in env_file.read_text() and "secret:" in env_file.read_text()
    ctx = main_window.send_context(path)
    assert ctx.resolver()("{{serviceRoot}}/$metadata") == "https://acme.apps.eu.lcap.jitterbit.com/odata/v1/entities/$metadata"
    assert ctx.resolver()("{{accessToken}}") == "pat-1"
