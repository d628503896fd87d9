"""Name completion in the request editor's URL box, without metadata or a server: names come from a list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.core.collections import KeyValue, Request
from workbench.ui.widgets.request.editor import RequestEditor
from workbench.ui.widgets.request.url_completion import UrlCompletion

NAMES = ["status", "startswith", "$select", "title"]


def _editor(qtbot, url: str) -> RequestEditor:  # type: ignore[no-untyped-def]
    editor = RequestEditor("C", Request("R", "GET", url, path="R.yaml"))
    qtbot.addWidget(editor)
    editor.show()
    editor.url.setFocus()
    qtbot.waitUntil(editor.url.hasFocus, timeout=3000)
    editor.url.setCursorPosition(len(editor.url.text()))
    return editor


def test_completion_belongs_to_the_url_box(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The box owns its completion (found with findChild), so nothing is set on the editor."""
    editor = _editor(qtbot, "http://h/svc/Cases")
    completion = UrlCompletion(editor.url, lambda: NAMES)
    assert editor.url.findChild(UrlCompletion) is completion


def test_names_are_offered_in_the_query_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, "http://h/svc/Cases")
    completion = UrlCompletion(editor.url, lambda: NAMES)
    qtbot.keyClicks(editor.url, "/sta")
    assert completion.word_at_cursor() == "" and not completion.completer.popup().isVisible()  # a path, not a query
    qtbot.keyClicks(editor.url, "?$filter=sta")
    assert completion.word_at_cursor() == "sta"
    qtbot.waitUntil(lambda: completion.completer.popup().isVisible(), timeout=3000)
    offered = [completion.completer.completionModel().index(i, 0).data()
               for i in range(completion.completer.completionCount())]
    assert offered == ["status", "startswith"]


def test_enter_picks_a_name_and_does_not_send(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, "http://h/svc/Cases?$top=2")
    completion = UrlCompletion(editor.url, lambda: NAMES)
    sent: list[bool] = []
    editor.send_requested.connect(lambda: sent.append(True))
    qtbot.keyClicks(editor.url, "&$filter=sta")
    qtbot.waitUntil(lambda: completion.completer.popup().isVisible(), timeout=3000)
    completion.completer.popup().setCurrentIndex(completion.completer.completionModel().index(1, 0))
    qtbot.keyClick(completion.completer.popup(), Qt.Key.Key_Return)
    assert editor.url.text() == "http://h/svc/Cases?$top=2&$filter=startswith("  # a function gets its "("
    assert not sent
    assert KeyValue("$filter", "startswith(") in editor.to_model().params  # the Params table follows


def test_an_option_gets_its_equals_sign(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, "http://h/svc/Cases?$sel")
    completion = UrlCompletion(editor.url, lambda: NAMES)
    completion.insert("$select")
    assert editor.url.text() == "http://h/svc/Cases?$select="
    assert editor.url.cursorPosition() == len(editor.url.text())
