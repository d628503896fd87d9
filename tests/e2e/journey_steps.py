"""Steps every journey repeats: send and wait, type a URL, answer a modal dialog (conftest.py has the fixtures).

Kept out of conftest.py: tests import these by name, and `conftest` is a name several folders use.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel


def pane_text(window: Any) -> str:
    """What the response pane shows in its visible labels (status line, errors)."""
    return " ".join(label.text() for label in window.response.findChildren(QLabel) if label.isVisible())


def send_and_wait(qtbot: Any, window: Any, editor: Any, timeout: int = 15000) -> Any:
    """Click Send on `editor` and wait until the response is shown; returns the exchange."""
    editor.send_button.click()
    qtbot.waitUntil(lambda: not window.is_sending(), timeout=timeout)
    qtbot.waitUntil(lambda: not window.response.is_loading(), timeout=timeout)
    return window.response.exchange


def type_url(editor: Any, text: str) -> None:
    """Replace the URL as typing does (`textEdited`, which re-reads the query into the Params table)."""
    editor.url.setText(text)
    editor.url.textEdited.emit(text)


def on_next_modal(callback: Callable[[QDialog], None], kind: type = QDialog) -> None:
    """Run `callback` on the next modal dialog of `kind` once it is shown (`exec()` blocks the test)."""
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            callback(modal)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
