"""Shows calling code for the current request (curl, Python, JavaScript, C#), ready to copy.

The code comes from `core/codegen.py`, the same generator as `workbench codegen`; secrets
appear as environment-variable reads, never in clear text.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codegen import LANGUAGE_LABELS, LANGUAGES, generate
from workbench.core.collections import Request
from workbench.core.errors import WorkbenchError
from workbench.core.sending.send import SendContext

_last_language = "curl"


class CodeDialog(QDialog):
    def __init__(self, request: Request, context: SendContext | None, parent: QWidget | None = None) -> None:
        """`context` is the window's `send_context`: the code sees the variables a send would."""
        super().__init__(parent)
        self.request, self.context = request, context
        self.setWindowTitle(f"Code — {request.name}")
        self.resize(760, 520)
        self.language = QComboBox(self)
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_LABELS[lang], lang)
        self.code = QPlainTextEdit(self)
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = QLabel("", self)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        copy = QPushButton("Copy", self)
        copy.setObjectName("primary")
        copy.clicked.connect(self.copy)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(QLabel("Language", self))
        top.addWidget(self.language)
        top.addStretch(1)
        top.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.code, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.language.currentIndexChanged.connect(self.regenerate)
        self.language.setCurrentIndex(max(0, self.language.findData(_last_language)))
        self.regenerate()

    def regenerate(self, *_: object) -> None:
        global _last_language
        lang = self.language.currentData()
        _last_language = lang
        try:
            text = generate(self.request, lang, context=self.context)
        except WorkbenchError as exc:
            self.code.setPlainText("")
            self.note.setText(exc.message)
            return
        self.code.setPlainText(text)
        self.note.setText("Secrets are not included: the code reads them from environment variables."
                          if "environment variables" in text else "")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
        self.note.setText("Copied to the clipboard.")
