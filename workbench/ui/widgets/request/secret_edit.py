"""A line edit for secrets: hidden while typed, with an eye button to show it.

Both the simple schemes of the Auth panel and the OAuth 2.0 form ask for passwords, tokens
and keys; one factory keeps them looking and behaving alike. The button is an icon (an eye
while hidden, a struck-out eye while shown), drawn in the theme's icon colour so it is visible
on light and dark backgrounds: a line edit's trailing action shows only its icon, never text.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit

from workbench.ui import icons

SHOW_TIP = "Show the value"
HIDE_TIP = "Hide the value"


def secret_edit(placeholder: str = "") -> QLineEdit:
    """A password-style line edit with an eye action, so a typed secret can be checked before use."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    action = QAction(icons.icon("eye"), "Show", edit)
    action.setObjectName("showSecret")
    action.setCheckable(True)
    action.setToolTip(SHOW_TIP)

    def toggled(shown: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        action.setIcon(icons.icon("eye-off" if shown else "eye"))
        action.setText("Hide" if shown else "Show")
        action.setToolTip(HIDE_TIP if shown else SHOW_TIP)

    action.toggled.connect(toggled)
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    return edit
