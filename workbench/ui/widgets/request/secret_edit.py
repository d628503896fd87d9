"""A line edit for secrets: hidden while typed, with an eye action to show it.

Both the simple schemes of the Auth panel and the OAuth 2.0 form ask for passwords, tokens
and keys; one factory keeps them looking and behaving alike.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit


def secret_edit(placeholder: str = "") -> QLineEdit:
    """A password-style line edit with an eye action, so a typed secret can be checked before use."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    action = QAction("Show", edit)
    action.setCheckable(True)
    action.setToolTip("Show or hide the value")
    action.toggled.connect(lambda on: edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    return edit
