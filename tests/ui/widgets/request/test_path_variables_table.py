"""The Params tab's Path Variables table (issue 14): rows named by the URL, values editable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from workbench.core.collections import KeyValue, Request
from workbench.ui.widgets.request.editor import RequestEditor
from workbench.ui.widgets.request.path_variables import PathVariables

PET = Request("Get pet", "GET", "{{baseUrl}}/pets/{petId}", path="R.yaml",
              path_variables=(KeyValue("petId", "7", True, "the pet"),))


def _editor(qtbot, request: Request) -> RequestEditor:  # type: ignore[no-untyped-def]
    editor = RequestEditor("C", request)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_table_shows_only_when_the_url_has_placeholders(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, PET)
    assert editor.path_variables.isVisible()
    assert editor.path_variables.rows() == (KeyValue("petId", "7", True, "the pet"),)
    plain = _editor(qtbot, Request("R", "GET", "{{baseUrl}}/pets/{{petId}}", path="P.yaml"))
    assert not plain.path_variables.isVisible() and plain.path_variables.rows() == ()


def test_editing_the_url_adds_and_removes_rows(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, PET)
    editor.url.setFocus()
    editor.url.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.url, "/photos/{photoId}")
    assert [r.name for r in editor.path_variables.rows()] == ["petId", "photoId"]
    assert editor.is_dirty()
    editor.url.selectAll()
    qtbot.keyClicks(editor.url, "{{baseUrl}}/pets")
    assert editor.path_variables.rows() == () and not editor.path_variables.isVisible()
    assert editor.to_model().path_variables == ()


def test_values_are_editable_names_are_not(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, PET)
    table = editor.path_variables.table
    assert not table.item(0, table.NAME).flags() & Qt.ItemFlag.ItemIsEditable
    assert table.item(0, table.VALUE).flags() & Qt.ItemFlag.ItemIsEditable
    assert table.rowCount() == 1  # no blank add-row: the URL adds rows
    with qtbot.waitSignal(editor.path_variables.changed):
        table.item(0, table.VALUE).setText("{{id}}")
    model = editor.to_model()
    assert model.path_variables == (KeyValue("petId", "{{id}}", True, "the pet"),)
    assert model.url == "{{baseUrl}}/pets/{petId}" and editor.is_dirty()


def test_widget_on_its_own_keeps_values_across_url_edits(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = PathVariables()
    qtbot.addWidget(widget)
    widget.set_rows((KeyValue("a", "1"),), "/x/{a}")
    with qtbot.waitSignal(widget.changed):
        widget.follow_url("/x/{b}/{a}")
    assert widget.rows() == (KeyValue("b", ""), KeyValue("a", "1"))
