"""Jitterbit App Builder's everyday task, by clicking: connect, browse `$metadata`, CRUD, query, `$batch`.

Stand-in: the real CAP OData v4 service behind an OAuth 2.0 gate (`gate` fixture) that wants a
password-grant token from a strict token server (client credentials in the body) and the
`x-client-id`/`x-tenant-id` headers on every call, as App Builder does. The PAT variant uses CAP
in its basic-auth mode.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import strict_token as strict
from journey_steps import send_and_wait, type_url
from PySide6.QtCore import Qt

from workbench.core.collections import Request

pytestmark = pytest.mark.peers


def _connect(window: Any, qtbot: Any, template: str, values: dict[str, str]) -> str:
    """File → New connection…, the platform's fields typed in, Create; returns the collection path."""
    dialog = window.new_connection(template)
    for name, value in values.items():
        dialog.edits[name].setText(value)
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.applied, timeout=5000) as blocker:
        dialog.create_button.click()
    return str(blocker.args[0])


def test_password_grant_metadata_crud_query_and_batch(window, qtbot, gate, strict_token) -> None:  # type: ignore[no-untyped-def]
    server, service = gate
    strict_token.clients["jb-client"] = strict.Client("jb-secret", "body")  # App Builder's client, body auth only
    strict_token.scopes = strict_token.scopes | {"api1", "email", "openid", "profile"}  # App Builder's scopes
    path = _connect(window, qtbot, "jitterbit-app-builder", {
        "serviceRoot": service, "tokenUrl": f"{strict_token.url}/token", "clientId": "jb-client", "tenantId": "t1",
        "clientSecret": "jb-secret", "username": "alice", "password": "wonder land:+/%"})
    assert window.env_combo.currentText() == "Production"

    # $metadata in the browser, fetched with the collection's token and headers.
    window.open_request(path, "Service metadata.yaml")
    from workbench.ui.widgets.odata.metadata_browser import open_metadata_browser

    browser = open_metadata_browser(window)
    browser.load_source(f"{service}/$metadata")
    qtbot.waitUntil(lambda: not browser.is_loading(), timeout=20000)
    assert browser.model is not None, browser.status.text()
    assert server.seen[-1]["x-tenant-id"] == "t1"
    assert browser.navigate_to_entity_set("Users")

    # Create, read, update, delete a record with the requests the browser makes.
    created = browser.new_request("create")
    assert created is not None
    editor = window.current_editor()
    body = json.loads(editor.body_text.toPlainText())
    body.update({"ID": 7301, "userName": "jb-e2e", "email": "jb@example.com"})
    editor.body_text.setPlainText(json.dumps(body))
    assert send_and_wait(qtbot, window, editor).response.status == 201
    try:
        for kind, status, change in (("get", 200, None), ("update", 200, '{"city": "Oslo"}'), ("delete", 204, None)):
            assert browser.new_request(kind) is not None
            editor = window.current_editor()
            assert "{{Users_ID}}" in editor.url.text()  # generated requests never guess a key
            type_url(editor, editor.url.text().replace("{{Users_ID}}", "7301"))
            if change is not None:
                editor.body_text.setPlainText(change)
            exchange = send_and_wait(qtbot, window, editor)
            assert exchange.response.status == status, exchange.response.text()
            if kind == "update":
                assert json.loads(exchange.response.text())["city"] == "Oslo"
    finally:
        import httpx

        httpx.delete(f"{service}/Users(7301)", timeout=10)  # no-op after the test's own DELETE; gate refuses anyway

    # The query builder: nested $expand with a $filter inside, $orderby by a function, paging; warned above 1000.
    browser.close()
    editor = window.open_unsaved(Request("Users query", "GET", f"{service}/Users"), path)
    dock = window.query_builder
    dock.action.trigger()
    qtbot.waitUntil(lambda: dock.builder.model is not None, timeout=20000)
    builder = dock.builder
    cases = builder.expand_node("cases")
    cases.setCheckState(0, Qt.CheckState.Checked)
    cases.setExpanded(True)
    tasks = builder.expand_node("cases", "tasks")
    tasks.setCheckState(0, Qt.CheckState.Checked)
    builder.expand_tree.setCurrentItem(tasks)
    builder.expand_filter.setText("ID eq 1")
    builder.expand_filter.textEdited.emit("ID eq 1")
    builder.filter_group.add_row().set_condition("active", "eq", "true")
    builder.add_orderby("length(userName)", descending=True)
    builder.skip.setValue(1)
    builder.top.setValue(1001)
    assert any("1000" in p.message for p in builder.problems)  # the platform's documented page limit
    builder.top.setValue(5)
    assert builder.problems == []
    url = editor.url.text()
    assert "$expand=cases($expand=tasks($filter=ID eq 1))" in url and "$orderby=length(userName) desc" in url
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 200, exchange.response.text()
    rows = json.loads(exchange.response.text())["value"]
    assert 0 < len(rows) <= 5 and all("cases" in r for r in rows)
    names = [len(r["userName"]) for r in rows]
    assert names == sorted(names, reverse=True)

    # A JSON $batch of three requests, read part by part.
    from workbench.ui.widgets.odata.batch_editor import BatchEditor

    window.open_batch_editor()
    batch = window.findChild(BatchEditor)
    assert batch is not None
    for row in range(batch.table.rowCount()):
        batch.set_included(row, False)
    gets = [Request("u1", "GET", f"{service}/Users(1)"), Request("c", "GET", f"{service}/Cases",
                                                                     params=()),
            Request("t", "GET", f"{service}/Tasks")]
    batch.set_requests(gets, service, collection=window.collection_of(path), context=window.send_context(path))
    batch.format.setCurrentIndex(batch.format.findData("json"))
    with qtbot.waitSignal(batch.responses_ready, timeout=20000) as done:
        batch.send_batch()
    results = done.args[0]
    assert [r.response.status for r in results] == [200, 200, 200]
    assert json.loads(results[0].response.body)["ID"] == 1
    batch.window().close()


def test_personal_access_token_as_basic(window, qtbot, basic_cap) -> None:  # type: ignore[no-untyped-def]
    path = _connect(window, qtbot, "jitterbit-app-builder-pat", {
        "serviceRoot": basic_cap.url, "username": "alice", "accessToken": "alice123"})
    editor = window.open_request(path, "Service metadata.yaml")
    assert send_and_wait(qtbot, window, editor).response.status == 200
