"""Syntax colouring for JSON and XML bodies, plus `{{variable}}` marks in any text.

A `QSyntaxHighlighter` runs block by block on the UI thread, so it uses a handful of compiled
regular expressions per line and nothing else (no parser): a 1 MB body still types smoothly.
XML comments and CDATA may span lines; the block state carries "inside a comment" across.
The response viewers reuse `CodeHighlighter` for pretty-printed bodies.
"""

from __future__ import annotations

import re
from typing import Literal, Mapping

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from workbench.core.variables import VARIABLE
from workbench.ui.palette import current

Language = Literal["json", "xml", "text"]

_JSON_TOKENS = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*"?)'
    r'|(?P<number>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)'
    r'|(?P<literal>\b(?:true|false|null)\b)'
    r'|(?P<punct>[{}\[\],:])'
)
_XML_TAG = re.compile(r"</?[\w:.\-]+|/?>|<\?[\w:.\-]+|\?>")
_XML_ATTR = re.compile(r'([\w:.\-]+)(\s*=\s*)("[^"]*"|\'[^\']*\')')
_XML_ENTITY = re.compile(r"&[#\w]+;")

_IN_COMMENT, _IN_CDATA = 1, 2


def _fmt(color: str, bold: bool = False, italic: bool = False, background: str = "") -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.DemiBold)
    if italic:
        fmt.setFontItalic(True)
    if background:
        fmt.setBackground(QColor(background))
    return fmt


def language_for(content_type: str, text: str = "") -> Language:
    """Pick the colouring from a media type (RFC 6838 `+json`/`+xml` suffixes count), else sniff."""
    ct = content_type.lower()
    if "json" in ct:
        return "json"
    if "xml" in ct or ct.endswith("/html"):
        return "xml"
    if ct:
        return "text"
    stripped = text.lstrip()[:1]
    if stripped in ("{", "["):
        return "json"
    if stripped == "<":
        return "xml"
    return "text"


class CodeHighlighter(QSyntaxHighlighter):
    """JSON or XML colouring; known `{{variables}}` green, unknown ones red."""

    def __init__(self, document: QTextDocument, language: Language = "json") -> None:
        super().__init__(document)
        self._language: Language = language
        self._variables: Mapping[str, str] | None = None
        p = current()
        self.formats = {
            "key": _fmt(p.syntax_key),
            "string": _fmt(p.syntax_string),
            "number": _fmt(p.syntax_number),
            "literal": _fmt(p.syntax_literal, bold=True),
            "punct": _fmt(p.syntax_punct),
            "tag": _fmt(p.syntax_tag),
            "attr": _fmt(p.syntax_attr),
            "attr_value": _fmt(p.syntax_string),
            "comment": _fmt(p.syntax_comment, italic=True),
            "entity": _fmt(p.syntax_literal),
            "var_known": _fmt(p.var_known, bold=True, background=p.var_known_bg),
            "var_unknown": _fmt(p.var_unknown, bold=True, background=p.var_unknown_bg),
        }

    @property
    def language(self) -> Language:
        return self._language

    def set_language(self, language: Language) -> None:
        if language != self._language:
            self._language = language
            self.rehighlight()

    def set_variables(self, variables: Mapping[str, str] | None) -> None:
        """Names that resolve (None: do not mark variables at all)."""
        self._variables = variables
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        if self._language == "json":
            self._json(text)
        elif self._language == "xml":
            self._xml(text)
        else:
            self.setCurrentBlockState(0)
        if self._variables is not None and "{{" in text:
            for match in VARIABLE.finditer(text):
                name = match.group(1)
                known = name in self._variables or name.startswith("$")
                self.setFormat(match.start(), match.end() - match.start(),
                               self.formats["var_known" if known else "var_unknown"])

    def _json(self, text: str) -> None:
        self.setCurrentBlockState(0)
        for match in _JSON_TOKENS.finditer(text):
            kind = match.lastgroup or "punct"
            self.setFormat(match.start(), match.end() - match.start(), self.formats[kind])

    def _xml(self, text: str) -> None:
        state = self.previousBlockState()
        pos = 0
        if state in (_IN_COMMENT, _IN_CDATA):
            closer = "-->" if state == _IN_COMMENT else "]]>"
            end = text.find(closer)
            if end < 0:
                self.setFormat(0, len(text), self.formats["comment" if state == _IN_COMMENT else "string"])
                self.setCurrentBlockState(state)
                return
            pos = end + len(closer)
            self.setFormat(0, pos, self.formats["comment" if state == _IN_COMMENT else "string"])
        self.setCurrentBlockState(0)
        for match in _XML_TAG.finditer(text, pos):
            self.setFormat(match.start(), match.end() - match.start(), self.formats["tag"])
        for match in _XML_ATTR.finditer(text, pos):
            self.setFormat(match.start(1), len(match.group(1)), self.formats["attr"])
            self.setFormat(match.start(3), len(match.group(3)), self.formats["attr_value"])
        for match in _XML_ENTITY.finditer(text, pos):
            self.setFormat(match.start(), match.end() - match.start(), self.formats["entity"])
        # Comments and CDATA last: they override tag colouring inside them.
        for opener, closer, key, st in (("<!--", "-->", "comment", _IN_COMMENT), ("<![CDATA[", "]]>", "string", _IN_CDATA)):
            start = text.find(opener, pos)
            while start >= 0:
                end = text.find(closer, start + len(opener))
                if end < 0:
                    self.setFormat(start, len(text) - start, self.formats[key])
                    self.setCurrentBlockState(st)
                    break
                self.setFormat(start, end + len(closer) - start, self.formats[key])
                start = text.find(opener, end + len(closer))
