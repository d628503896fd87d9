"""The Code dialog shows core/codegen.py output for the open request, secrets as environment reads."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from workbench.core.collections import Auth, Environment, KeyValue, Request
from workbench.core.sending.send import SendContext
from workbench.ui.widgets.request.code_dialog import CodeDialog


def test_languages_and_copy(qtbot) -> None:  # type: ignore[no-untyped-def]
    request = Request("R", "GET", "{{base}}/x", auth=Auth("bearer", {"token": "{{token}}"}))
    env = Environment("E", (KeyValue("base", "http://h"), KeyValue("token", "t-SECRET")), frozenset({"token"}))
    dialog = CodeDialog(request, SendContext(environment=env))
    qtbot.addWidget(dialog)
    for index, marker in enumerate(["curl", "httpx", "fetch(", "HttpClient"]):
        dialog.language.setCurrentIndex(index)
        code = dialog.code.toPlainText()
        assert marker in code and "http://h/x" in code and "t-SECRET" not in code
    assert "environment variables" in dialog.note.text()
    dialog.copy()
    assert QGuiApplication.clipboard().text() == dialog.code.toPlainText()


def test_window_action_opens_it(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.open_request("Getting started", "Teapot status.yaml")
    main_window.act_code.trigger()
    dialogs = main_window.findChildren(CodeDialog)
    assert dialogs and "/status/418" in dialogs[-1].code.toPlainText()
    dialogs[-1].close()


def test_tree_context_action_opens_it(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.collections.code_requested.emit("Getting started", "Echo query parameters.yaml")
    assert main_window.current_editor().key == ("Getting started", "Echo query parameters.yaml")
    dialogs = main_window.findChildren(CodeDialog)
    assert dialogs and "search=workbench" in dialogs[-1].code.toPlainText()
    dialogs[-1].close()
