"""Frends API management: the API key as the whole Authorization value, every page of a list, a slow
multipart import with the request's own timeout (and Cancel), a problem+json card, a big nested tree.

The stand-in is tests/servers/paged_api.py (`/frends/…` routes).
"""

from __future__ import annotations

import time
from pathlib import Path

import paged_api as server
from journey_steps import on_next_modal, pane_text, send_and_wait, type_url

from workbench.ui.widgets.workspace.settings_dialog import SettingsDialog


def test_frends_everyday_task(window, qtbot, tmp_path: Path, paged_api: server.PagedApi) -> None:  # type: ignore[no-untyped-def]
    connection = window.new_connection("frends")
    connection.edits["baseUrl"].setText(paged_api.url + "/frends")
    connection.edits["apiKey"].setText(server.FRENDS_KEY)
    with qtbot.waitSignal(connection.applied, timeout=5000) as applied:
        connection.create_button.click()
    path = applied.args[0]
    requests = {r.name: r for r in window.collection_of(path).all_requests()}

    # List: PageNumber/PageSize, then "All pages" follows paging.nextPage to the end.
    editor = window.open_request(path, requests["List API specifications"].path)
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 200
    table = window.response.table_view
    assert window.response.tab_visible("table") and table.all_btn.isEnabled()
    with qtbot.waitSignal(table.walk_finished, timeout=15000):
        table.all_btn.click()
    assert table.model.rowCount() == server.ROWS or table.pages == 2
    assert [s.authorization for s in paged_api.seen("/frends/api")][-2:] == [server.FRENDS_KEY] * 2
    assert "last page" in table.info.text()

    # A problem+json error is a card.
    type_url(editor, "{{specsUrl}}?PageNumber=1&PageSize=500")
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 400
    card = window.response.error_card
    assert window.response.tabs.currentWidget() is card and card.details.flavour == "problem"
    assert card.fields["Detail"] == "bad paging parameter"

    # A large nested JSON (process templates) browsed in the tree.
    type_url(editor, "{{baseUrl}}/api/v1/api-management/process-templates")
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 200 and exchange.response.size > 300_000
    pane = window.response
    pane.tabs.setCurrentWidget(pane.tree_view)
    qtbot.waitUntil(lambda: pane.tree_view.reveal(["data", 2, "flow", "next", 3, "next", 1, "settings", "label"]),
                    timeout=10000)
    node = pane.tree_view.current_node()
    assert node is not None and node.path().endswith("settings.label")

    # Import: multipart with a `file` part, the request's own 300 s timeout (Settings tab), progress, Cancel.
    spec = tmp_path / "orders-openapi.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "Orders", "version": "1"}, "paths": {}}')
    importer = window.open_request(path, requests["Import a specification"].path)
    assert importer.settings_form.ticks["timeout_s"].isChecked() and importer.settings_form.timeout.value() == 300
    assert importer.multipart.parts()[0].name == "file"
    importer.multipart.set_file(0, str(spec))  # what double-clicking the File cell and choosing does
    # The workspace's own timeout is 1 s (Edit → Settings…), shorter than the import takes.
    def short_timeout(dialog: SettingsDialog) -> None:
        dialog.timeout.setValue(1.0)
        dialog.accept()

    on_next_modal(short_timeout, SettingsDialog)
    window.act_settings.trigger()
    assert window.workspace.settings.timeout_s == 1.0
    started = time.monotonic()
    exchange = send_and_wait(qtbot, window, importer, timeout=20000)
    assert exchange.response.status == 201, pane_text(window)
    assert time.monotonic() - started >= server.IMPORT_S  # longer than the workspace's 1 s: its own timeout won
    assert b'"fileName": "orders-openapi.json"' in exchange.response.read_body()

    importer.send_button.click()
    qtbot.waitUntil(lambda: "Sending" in pane_text(window), timeout=5000)
    assert importer.send_button.text() == "Cancel"
    qtbot.wait(300)
    task = window._send_task
    importer.send_button.click()  # Cancel
    qtbot.waitUntil(lambda: task.done(), timeout=3000)
    assert task.cancelled() and "ancel" in pane_text(window)
