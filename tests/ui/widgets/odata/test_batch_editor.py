"""The $batch editor: requests of a collection sent as one JSON or multipart batch to the real
CAP server, each part's response listed on its own, and the Tools-menu dialog wired to the window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QWidget

from workbench.core.collections import Body, Collection, KeyValue, Request
from workbench.ui.widgets.odata.batch_editor import BatchEditor


def _requests() -> list[Request]:
    return [
        Request("Anna", "GET", "{{root}}/Users(1)", params=(KeyValue("$select", "userName"),)),
        Request("Create Zoe", "POST", "{{root}}/Users",
                body=Body("raw", "application/json", '{"ID": {{newId}}, "userName": "zoe"}')),
        Request("Open cases", "GET", "{{root}}/Cases",
                params=(KeyValue("$filter", "status eq 'open'"), KeyValue("$count", "true"), KeyValue("$top", "0"))),
    ]


@pytest.fixture
def editor(qtbot, qasync_loop, odata_server):  # type: ignore[no-untyped-def]
    widget = BatchEditor()
    qtbot.addWidget(widget)
    collection = Collection("cases", variables=(KeyValue("root", odata_server.url), KeyValue("newId", "0")))
    widget.set_requests(_requests(), "{{root}}", collection=collection)
    return widget


def _cleanup(root: str, user_id: int) -> None:
    import httpx

    httpx.delete(f"{root}/Users({user_id})", timeout=10)


@pytest.mark.peers
@pytest.mark.parametrize("fmt, user_id", [("json", 911), ("multipart", 912)])
def test_send_batch_and_show_each_response(editor: BatchEditor, qtbot, odata_server, fmt: str,  # type: ignore[no-untyped-def]
                                           user_id: int) -> None:
    editor._collection = Collection("cases", variables=(KeyValue("root", odata_server.url),
                                                        KeyValue("newId", str(user_id))))
    editor.format.setCurrentIndex(editor.format.findData(fmt))
    assert [editor.table.item(r, 3).text() for r in range(3)] == ["", "changeset1", ""]
    assert [p.method for p in editor.parts()] == ["GET", "GET"]  # a write is never preselected
    editor.set_included(1, True)
    editor.show_preview()
    preview = editor.preview.toPlainText()
    assert ("application/json" if fmt == "json" else "multipart/mixed; boundary=") in preview
    assert f'"ID": {user_id}' in preview or f'"ID":{user_id}' in preview.replace(" ", "")
    try:
        with qtbot.waitSignal(editor.responses_ready, timeout=15000) as blocker:
            editor.send_batch()
        results = blocker.args[0]
        assert [r.response.status for r in results] == [200, 201, 200]
        assert editor.result_list.count() == 3
        assert editor.result_list.item(1).text().startswith("2  201 Created  [changeset1]")
        assert json.loads(results[0].response.body)["userName"] == "anna"
        open_count = json.loads(results[2].response.body)["@odata.count"]
        import csv
        from pathlib import Path

        seed = Path(__file__).resolve().parents[3] / "servers" / "odata" / "db" / "data" / "wb-Cases.csv"
        with seed.open(encoding="utf-8") as fh:
            assert open_count == sum(1 for r in csv.DictReader(fh, delimiter=";") if r["status"] == "open")
        editor.result_list.setCurrentRow(1)
        assert "201" in editor.result_view.toPlainText() and '"userName": "zoe"' in editor.result_view.toPlainText()
        assert editor.send_button.isEnabled() and not editor.cancel_button.isEnabled()
    finally:
        _cleanup(odata_server.url, user_id)


@pytest.mark.peers
def test_unticked_requests_are_left_out(editor: BatchEditor) -> None:
    editor.set_included(1, False)
    parts = editor.parts()
    assert [p.id for p in parts] == ["1", "2"] and [p.method for p in parts] == ["GET", "GET"]
    assert parts[0].url == "Users(1)?$select=userName"


@pytest.mark.peers
def test_get_in_a_change_set_is_refused_before_sending(editor: BatchEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor.format.setCurrentIndex(editor.format.findData("multipart"))
    editor.set_group(0, "changeset1")
    with qtbot.waitSignal(editor.failed, timeout=2000) as blocker:
        assert editor.send_batch() is None
    assert "GET cannot be inside a change set" in blocker.args[0]
    assert editor.status.text().startswith("⚠")


@pytest.mark.peers
def test_cancel_stops_a_running_send(editor: BatchEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor.set_included(1, False)
    task = editor.send_batch()
    assert task is not None and editor.cancel_button.isEnabled()
    editor.cancel()
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled()
    qtbot.waitUntil(editor.send_button.isEnabled, timeout=2000)


def test_main_window_tools_menu_opens_the_batch_editor(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert main_window.act_batch in main_window.tools_menu().actions()
    main_window.open_request("OData TripPin", "People named Scott.yaml")
    main_window.act_batch.trigger()
    dialogs = [w for w in main_window.findChildren(QWidget) if w.windowTitle() == "$batch editor"]
    assert dialogs
    batch = dialogs[-1].findChild(BatchEditor)
    assert batch is not None
    assert batch.table.rowCount() == 2
    # it sends as the window sends: workspace settings and the OAuth2 token provider
    assert batch._context is not None and batch._context.token_provider is not None
    assert batch._context.settings == main_window.workspace.settings
    assert batch.service_root.text()
    dialogs[-1].close()


def test_deletes_are_confirmed_and_depends_on_is_written(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: the batch editor never preselects a write, asks before DELETE, and offers `dependsOn`."""
    widget = BatchEditor()
    qtbot.addWidget(widget)
    requests = [Request("Create", "POST", "http://127.0.0.1:9/svc/Users", body=Body("raw", "application/json", "{}")),
                Request("Read", "GET", "http://127.0.0.1:9/svc/Users(1)"),
                Request("Remove", "DELETE", "http://127.0.0.1:9/svc/Users(1)")]
    widget.set_requests(requests, "http://127.0.0.1:9/svc")
    assert [p.method for p in widget.parts()] == ["GET"]
    for row in (0, 2):
        widget.set_included(row, True)
    widget.set_depends_on(2, "1")
    widget.set_group(2, "changeset2")  # parts of one atomicity group must be adjacent (JSON Format §19.1)
    widget.show_preview()
    body = json.loads(widget.preview.toPlainText().split("\n\n", 1)[1])
    assert body["requests"][2]["dependsOn"] == ["1"] and body["requests"][2]["atomicityGroup"] == "changeset2"
    asked: list[list[str]] = []
    widget.confirm_deletes = lambda lines: asked.append(lines) or False  # the user says No
    assert widget.send_batch() is None
    assert asked == [["DELETE Users(1)"]] and "not confirmed" in widget.status.text()
    widget.set_depends_on(2, "7")
    with qtbot.waitSignal(widget.failed, timeout=2000) as blocker:
        widget.send_batch()
    assert "names part 7, which is not in the batch" in blocker.args[0]
