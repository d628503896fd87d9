"""Completion of OData names (properties, functions, query options) in the request editor's URL box.

It lives with the request editor because it is a feature of that box: the query-builder dock
only supplies the names (`names()`, asked on each keystroke, empty while no metadata is known).
A completion is a child QObject of its box, so the box keeps it alive and anyone can find it
(`edit.findChild(UrlCompletion)`) without an attribute set on someone else's widget.
"""

from __future__ import annotations

import re
from typing import Callable

from PySide6.QtCore import QObject, QStringListModel, Qt, Slot
from PySide6.QtWidgets import QCompleter

from workbench.core.odata.query import FUNCTIONS
from workbench.ui.widgets.request.editor import UrlEdit


class UrlCompletion(QObject):
    """Completion of property, function and option names in a URL box other than the builder's.

    The request editor's URL box gets the same names as the builder's once the service's
    metadata is known: a user typing `$filter=sta` is offered `status`, `startswith`. `edit` is
    the editor's `UrlEdit` (QLineEdit's text API on a one-line text box); `names` is asked for
    fresh names on each keystroke.
    """

    def __init__(self, edit: UrlEdit, names: Callable[[], list[str]]) -> None:
        super().__init__(edit)
        self.edit = edit
        self.names = names
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, edit)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(edit)
        self.completer.activated.connect(self.insert)
        edit.textEdited.connect(self.update)
        # UrlEdit.keyPressEvent looks this up (getattr) to leave Enter/Esc/Tab to the popup.
        setattr(edit, "completion_popup", self.completer.popup())  # noqa: B010 - UrlEdit does not declare it

    def word_at_cursor(self) -> str:
        text = self.edit.text()[: self.edit.cursorPosition()]
        if "?" not in text:  # names belong to the query, not to the host or path
            return ""
        m = re.search(r"[$A-Za-z_][\w.]*$", text)
        return m.group(0) if m else ""

    @Slot()
    def update(self, *_: object) -> None:
        prefix = self.word_at_cursor()
        names = self.names() if prefix else []
        if names and self.edit.hasFocus():
            self.model.setStringList(names)
            self.completer.setCompletionPrefix(prefix)
            if self.completer.completionCount() and self.completer.currentCompletion() != prefix:
                self.completer.complete()
                return
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    @Slot(str)
    def insert(self, name: str) -> None:
        text = self.edit.text()
        cursor = self.edit.cursorPosition()
        start = cursor - len(self.word_at_cursor())
        suffix = "(" if name in FUNCTIONS else ("=" if name.startswith("$") else "")
        new = text[:start] + name + suffix + text[cursor:]
        self.edit.setText(new)
        self.edit.setCursorPosition(start + len(name) + len(suffix))
        self.edit.textEdited.emit(new)
