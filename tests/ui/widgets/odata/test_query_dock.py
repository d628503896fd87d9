"""The query-builder dock in a main window: it follows the current request, loads its service's
`$metadata` from the real CAP server, writes the builder's URL back, and completes names in the
request editor's own URL box."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from workbench.core.collections import Request
from workbench.ui.widgets.odata.condition_rows import ConditionRow
from workbench.ui.widgets.odata.query_dock import (
    DOCK_NAME,
    completion_of,
    show_query_builder,
)


def test_dock_is_found_by_name_and_shown_on_request(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Other panels show the dock through `show_query_builder`, without a handle from the window."""
    dock = main_window.query_builder
    assert main_window.findChild(QDockWidget, DOCK_NAME) is dock.dock
    assert not dock.dock.isVisible()
    assert show_query_builder(main_window)
    assert dock.dock.isVisible()


@pytest.mark.peers
def test_main_window_dock_follows_the_request_and_writes_back(main_window, qtbot, odata_server) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.collections import KeyValue

    root = odata_server.url
    editor = main_window.open_unsaved(Request("cases", "GET", f"{root}/Cases",
                                              params=(KeyValue("$top", "3"),)))
    dock = main_window.query_builder
    assert dock.action.text() == "Query builder" and dock.action in main_window.view_menu().actions()
    dock.action.trigger()
    qtbot.waitUntil(lambda: dock.builder.model is not None and dock.builder.isVisibleTo(dock.dock), timeout=15000)
    assert dock.builder.top.value() == 3 and dock.builder.entity_set.currentText() == "Cases"
    dock.builder.count.setChecked(True)
    assert editor.url.text() == f"{root}/Cases?$top=3&$count=true"
    assert [(p.name, p.value) for p in editor.to_model().params] == [("$top", "3"), ("$count", "true")]
    # editing the request's URL by hand updates the builder
    typed = f"{root}/Cases?$filter=priority gt 2&$top=3"
    editor.url.setText(typed)
    editor.url.textEdited.emit(typed)
    rows = [r for r in dock.builder.filter_group.items if isinstance(r, ConditionRow)]
    assert [(r.info().path, r.operator.currentData(), r.value.text()) for r in rows] == [("priority", "gt", "2")]  # type: ignore[union-attr]
    assert not dock.builder.count.isChecked()


def test_opening_the_dock_never_rewrites_the_request(main_window, qtbot, odata_server) -> None:  # type: ignore[no-untyped-def]
    """Loading metadata for the open request must leave its query as it was (no dirty marker)."""
    from workbench.core.collections import Collection, KeyValue
    from workbench.core.workspace import storage

    storage.save_collection(main_window.workspace_root, Collection(
        "Cases API", variables=(KeyValue("serviceRoot", odata_server.url),), requests=(Request(
            "Urgent", "GET", "{{serviceRoot}}/Cases", params=(
                KeyValue("$filter", "urgent eq true and status eq 'open'"), KeyValue("$select", "caseNo,title"),
                KeyValue("$top", "5"))),)))
    main_window.reload_workspace()
    editor = main_window.open_request("Cases API", "Urgent.yaml")
    before = editor.to_model()
    dock = main_window.query_builder
    dock.action.trigger()
    qtbot.waitUntil(lambda: dock.builder.model is not None and dock.builder.isVisibleTo(dock.dock), timeout=15000)
    qtbot.wait(50)
    assert editor.to_model() == before and not editor.is_dirty()
    assert dock.builder.top.value() == 5 and dock.builder.entity_set.currentText() == "Cases"


def test_request_url_box_completes_names_from_metadata(main_window, qtbot, odata_server) -> None:  # type: ignore[no-untyped-def]
    """Typing in the request editor's own URL box offers the service's property names; Enter picks one."""
    editor = main_window.open_unsaved(Request("cases", "GET", f"{odata_server.url}/Cases?$top=2"))
    dock = main_window.query_builder
    dock.action.trigger()
    qtbot.waitUntil(lambda: dock.builder.model is not None and completion_of(editor) is not None, timeout=15000)
    completion = completion_of(editor)
    assert completion is not None
    editor.url.setFocus()
    qtbot.waitUntil(editor.url.hasFocus, timeout=3000)
    editor.url.setCursorPosition(len(editor.url.text()))
    sent: list[bool] = []
    editor.send_requested.connect(lambda: sent.append(True))
    qtbot.keyClicks(editor.url, "&$filter=sta")
    qtbot.waitUntil(lambda: completion.completer.popup().isVisible(), timeout=3000)
    offered = [completion.completer.completionModel().index(i, 0).data()
               for i in range(completion.completer.completionCount())]
    assert "status" in offered and "startswith" in offered
    completion.completer.popup().setCurrentIndex(completion.completer.completionModel().index(offered.index("status"), 0))
    qtbot.keyClick(completion.completer.popup(), Qt.Key.Key_Return)
    assert editor.url.text().endswith("$top=2&$filter=status")
    assert not sent  # Enter chose a name; it did not send
    assert ("$filter", "status") in [(p.name, p.value) for p in editor.to_model().params]


def test_a_request_that_is_not_odata_is_told_so_and_nothing_is_fetched(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A REST URL (no OData origin, no OData sign in the URL): a notice, no `$metadata` download, no DNS error."""
    from workbench.core.odata.recognize import NOT_ODATA

    main_window.open_unsaved(Request("echo", "GET", "http://no-such-host.invalid/get?search=x"))
    dock = main_window.query_builder
    dock.action.trigger()
    assert dock.notice.text() == NOT_ODATA and dock.notice.isVisibleTo(dock.dock)
    assert not dock.builder.isVisibleTo(dock.dock)
    assert dock._task is None  # nothing was started
