"""Pretty JSON (or any text) with syntax colours, line numbers and folding.

Text arrives in chunks (`append_chunk`) so a few MB of pretty text never blocks one
event-loop turn; the caller feeds one chunk per turn. Folding hides the blocks between a line
ending in `{`/`[` and its closing line, found by indentation (the text is our own two-space
pretty print, so the closing bracket sits at the opening line's indent).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.palette import current

_TOKEN = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b')


def _banner_style(error: bool) -> str:
    p = current()
    bg, fg, border = ((p.danger_bg, p.danger_text, p.danger_border) if error
                      else (p.warning_bg, p.warning_text, p.warning_border))
    return (f"QLabel#banner {{ background: {bg}; color: {fg}; border: 1px solid {border};"
            " border-radius: 4px; padding: 4px 8px; }")


def _fmt(color: str, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.DemiBold)
    return fmt


class JsonHighlighter:
    """Keys, strings, numbers and literals in the colours the tree view uses.

    Not a QSyntaxHighlighter: that one calls Python once per block as text is inserted, which
    for a few MB of text is tens of thousands of calls, each of which may wait for the GIL
    while a parser thread runs. Spans are computed for the blocks being painted instead.
    """

    def __init__(self) -> None:
        p = current()
        self.key = _fmt(p.json_key)
        self.string = _fmt(p.syntax_string)
        self.number = _fmt(p.syntax_key)
        self.literal = _fmt(p.syntax_literal, bold=True)

    def spans(self, text: str) -> list[tuple[int, int, QTextCharFormat]]:
        out: list[tuple[int, int, QTextCharFormat]] = []
        for m in _TOKEN.finditer(text[:4000]):  # a giant line: colour its start only
            if m.group(1) is not None:
                out.append((m.start(1), len(m.group(1)), self.key if m.group(2) else self.string))
            elif m.group(3) is not None:
                out.append((m.start(3), len(m.group(3)), self.number))
            else:
                out.append((m.start(4), len(m.group(4)), self.literal))
        return out


class _Gutter(QWidget):
    def __init__(self, editor: "FoldingTextEdit") -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        self.editor.paint_gutter(event)

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        self.editor.gutter_clicked(event.position().y())


class FoldingTextEdit(QPlainTextEdit):
    """A read-only QPlainTextEdit with line numbers and fold markers in a gutter."""

    def __init__(self, parent: QWidget | None = None, highlight: bool = True) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(9, font.pointSize()))
        self.setFont(font)
        self.folding = highlight
        self.highlighter: Any = JsonHighlighter() if highlight else None
        self._painted_epoch = 1
        self._gutter = _Gutter(self)
        self._folded: set[int] = set()
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._on_update_request)
        self._update_margin()

    # ------------------------------------------------------------------ colours
    def set_highlighter(self, highlighter: Any) -> None:
        """An object with `spans(text) -> [(start, length, QTextCharFormat)]`, or None."""
        self.highlighter = highlighter
        self._painted_epoch += 1
        self.viewport().update()

    def _highlight_visible(self) -> None:
        """Colour the blocks about to be painted (once per block; the last one always)."""
        if self.highlighter is None:
            return
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        last = self.document().lastBlock().blockNumber()
        epoch = self._painted_epoch
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            if block.isVisible() and (block.userState() != epoch or block.blockNumber() == last):
                ranges = []
                for start, length, fmt in self.highlighter.spans(block.text()):
                    r = QTextLayout.FormatRange()
                    r.start, r.length, r.format = start, length, fmt
                    ranges.append(r)
                block.layout().setFormats(ranges)
                block.setUserState(epoch)
            block = block.next()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        self._highlight_visible()
        super().paintEvent(event)

    # ------------------------------------------------------------------ gutter
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(3, digits) + (14 if self.folding else 0)

    def _update_margin(self, *_: Any) -> None:
        width = self.gutter_width()
        if width != getattr(self, "_margin", -1):  # only when the line numbers get a digit longer
            self._margin = width
            self.setViewportMargins(width, 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    @staticmethod
    def _opens(text: str) -> bool:
        stripped = text.rstrip()
        return stripped.endswith(("{", "["))

    def paint_gutter(self, event: Any) -> None:
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor(current().alt_base))
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width()
        fold_w = 14 if self.folding else 0
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.setPen(QColor(current().faint))
                painter.drawText(0, top, width - fold_w - 6, height, Qt.AlignmentFlag.AlignRight, str(number + 1))
                if self.folding and self._opens(block.text()):
                    painter.setPen(QColor(current().muted))
                    mark = "▸" if number in self._folded else "▾"
                    painter.drawText(width - fold_w, top, fold_w, height, Qt.AlignmentFlag.AlignCenter, mark)
            block = block.next()
            top = bottom
            number += 1
        painter.end()

    def gutter_clicked(self, y: float) -> None:
        if not self.folding:
            return
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        while block.isValid():
            height = self.blockBoundingRect(block).height()
            if block.isVisible() and top <= y < top + height:
                if self._opens(block.text()):
                    self.toggle_fold(block.blockNumber())
                return
            top += height
            block = block.next()

    # ------------------------------------------------------------------ folding
    def _closing_block(self, number: int) -> int:
        doc = self.document()
        start = doc.findBlockByNumber(number)
        text = start.text()
        indent = len(text) - len(text.lstrip(" "))
        block = start.next()
        while block.isValid():
            line = block.text()
            stripped = line.lstrip(" ")
            if len(line) - len(stripped) == indent and stripped[:1] in ("}", "]"):
                return block.blockNumber()
            block = block.next()
        return doc.blockCount()  # unbalanced (text cut at the limit): fold to the end

    def is_folded(self, number: int) -> bool:
        return number in self._folded

    def toggle_fold(self, number: int) -> None:
        """Fold or unfold the container that opens on line `number` (0-based)."""
        doc = self.document()
        if not self._opens(doc.findBlockByNumber(number).text()):
            return
        close = self._closing_block(number)
        if number in self._folded:
            self._folded.discard(number)
            self._set_visible(number + 1, close, True)
        else:
            self._folded.add(number)
            self._set_visible(number + 1, close, False)
        first = doc.findBlockByNumber(number)
        doc.markContentsDirty(first.position(), doc.characterCount() - first.position())
        self.viewport().update()
        self._gutter.update()

    def _set_visible(self, first: int, stop: int, visible: bool) -> None:
        doc = self.document()
        number = first
        block = doc.findBlockByNumber(first)
        while block.isValid() and number < stop:
            block.setVisible(visible)
            if visible and number in self._folded:  # keep inner folds folded
                inner = self._closing_block(number)
                block = doc.findBlockByNumber(inner)
                number = inner
                continue
            block = block.next()
            number += 1

    def fold_all(self, level: int = 1) -> None:
        """Fold every container opening at indent `level` (1 = the children of the root)."""
        block = self.document().firstBlock()
        while block.isValid():
            text = block.text()
            indent = (len(text) - len(text.lstrip(" "))) // 2
            if indent == level and self._opens(text) and block.blockNumber() not in self._folded:
                self.toggle_fold(block.blockNumber())
            block = block.next()

    def unfold_all(self) -> None:
        for number in sorted(self._folded, reverse=True):
            self.toggle_fold(number)

    def clear_text(self) -> None:
        self._folded.clear()
        self._painted_epoch += 1
        self.clear()


class JsonTextView(QWidget):
    """Banner + find bar + the text: the Pretty and Raw tabs of the response pane."""

    chunk_appended = Signal()

    def __init__(self, parent: QWidget | None = None, highlight: bool = True) -> None:
        super().__init__(parent)
        self.banner = QLabel("", self)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(_banner_style(error=False))
        self.banner.hide()
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find in text (Enter: next, Shift+Enter: previous)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(lambda: self.find_next(False))
        self.prev_btn = QPushButton("Previous", self)
        self.next_btn = QPushButton("Next", self)
        self.prev_btn.clicked.connect(lambda: self.find_next(True))
        self.next_btn.clicked.connect(lambda: self.find_next(False))
        self.fold_btn = QPushButton("Fold all", self)
        self.fold_btn.setToolTip("Fold every member of the top-level value")
        self.unfold_btn = QPushButton("Unfold all", self)
        self.find_status = QLabel("", self)
        self.find_status.setObjectName("muted")
        self.edit = FoldingTextEdit(self, highlight=highlight)
        self.fold_btn.clicked.connect(lambda: self.edit.fold_all(1))
        self.unfold_btn.clicked.connect(self.edit.unfold_all)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.prev_btn)
        bar.addWidget(self.next_btn)
        bar.addWidget(self.find_status)
        if highlight:
            bar.addSpacing(12)
            bar.addWidget(self.fold_btn)
            bar.addWidget(self.unfold_btn)
        else:
            self.fold_btn.hide()
            self.unfold_btn.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.edit, 1)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.find_next(True)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ content
    def clear(self) -> None:
        self.edit.clear_text()
        self.set_banner("")
        self.find_status.setText("")

    def set_banner(self, text: str, error: bool = False) -> None:
        if not text:
            self.banner.hide()
            return
        if error:
            self.banner.setStyleSheet(_banner_style(error=True))
        else:
            self.banner.setStyleSheet(_banner_style(error=False))
        self.banner.setText(text)
        self.banner.show()

    def set_text(self, text: str) -> None:
        self.edit.clear_text()
        self.edit.setPlainText(text)

    def append_chunk(self, text: str) -> None:
        """Add text at the end without moving the user's scroll position."""
        bar = self.edit.verticalScrollBar()
        keep = bar.value()
        cursor = QTextCursor(self.edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        bar.setValue(keep)
        self.chunk_appended.emit()

    def text(self) -> str:
        return self.edit.toPlainText()

    def find_next(self, backwards: bool = False) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        found = self.edit.find(needle, flags)
        if not found:  # wrap around
            cursor = self.edit.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start)
            self.edit.setTextCursor(cursor)
            found = self.edit.find(needle, flags)
        if found:
            block = self.edit.textCursor().block()
            if not block.isVisible():
                self.edit.unfold_all()
                self.edit.find(needle, flags)
        self.find_status.setText("" if found else "not found")
        return found
