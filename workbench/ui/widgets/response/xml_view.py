"""XML bodies: pretty text with colours, an element tree, and `$metadata` handed to the browser.

The element tree fills on expand (a 5 MB CSDL has tens of thousands of elements; building
all items at once would stall the window). A CSDL document (an `edmx:Edmx` root) gets an
"Open in metadata browser" button when the metadata browser module is installed.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.palette import current
from workbench.ui.widgets.response.json_text_view import JsonTextView

_XML_TOKEN = re.compile(r'(</?[\w:.-]+)|([\w:.-]+)(=)("[^"]*"|\'[^\']*\')|(/?>)|(<!--.*?-->)')
TEXT_PREVIEW = 200


class XmlHighlighter:
    """Tags, attributes, values and comments (spans for the painted blocks only)."""

    def __init__(self) -> None:
        self.tag = QTextCharFormat()
        self.tag.setForeground(QColor(current().syntax_tag))
        self.attr = QTextCharFormat()
        self.attr.setForeground(QColor(current().syntax_attr))
        self.value = QTextCharFormat()
        self.value.setForeground(QColor(current().syntax_string))
        self.comment = QTextCharFormat()
        self.comment.setForeground(QColor(current().syntax_comment))

    def spans(self, text: str) -> list[tuple[int, int, QTextCharFormat]]:
        out: list[tuple[int, int, QTextCharFormat]] = []
        for m in _XML_TOKEN.finditer(text[:4000]):
            if m.group(1):
                out.append((m.start(1), len(m.group(1)), self.tag))
            elif m.group(2):
                out.append((m.start(2), len(m.group(2)), self.attr))
                out.append((m.start(4), len(m.group(4)), self.value))
            elif m.group(5):
                out.append((m.start(5), len(m.group(5)), self.tag))
            elif m.group(6):
                out.append((m.start(6), len(m.group(6)), self.comment))
        return out


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return "<!-- -->" if "Comment" in type(tag).__name__ else "?"
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def metadata_browser_class() -> Any:
    """The metadata browser widget class when that module is installed, else None."""
    try:
        module = importlib.import_module("workbench.ui.widgets.odata.metadata_browser")
    except ImportError:
        return None
    return getattr(module, "MetadataBrowser", None)


class XmlView(QWidget):
    """Text/Tree switch over one XML document."""

    open_metadata = Signal(bytes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_view = JsonTextView(self, highlight=False)
        self.text_view.edit.folding = False
        self.text_view.edit.set_highlighter(XmlHighlighter())
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Element", "Attributes", "Text"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().resizeSection(0, 260)
        self.tree.header().resizeSection(1, 320)
        self.tree.itemExpanded.connect(self._fill)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.text_view)
        self.stack.addWidget(self.tree)
        self.text_btn = QPushButton("Text", self)
        self.tree_btn = QPushButton("Tree", self)
        for i, btn in enumerate((self.text_btn, self.tree_btn)):
            btn.setCheckable(True)
            btn.clicked.connect(lambda _=False, i=i: self.stack.setCurrentIndex(i))
        self.text_btn.setChecked(True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.text_btn)
        group.addButton(self.tree_btn)
        self.metadata_btn = QPushButton("Open in metadata browser", self)
        self.metadata_btn.setObjectName("primary")
        self.metadata_btn.clicked.connect(self._open_metadata)
        self.metadata_btn.hide()
        self.info = QLabel("", self)
        self.info.setObjectName("muted")
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(self.text_btn)
        bar.addWidget(self.tree_btn)
        bar.addSpacing(10)
        bar.addWidget(self.info, 1)
        bar.addWidget(self.metadata_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._raw = b""
        self.source_url = ""
        self._nodes: dict[int, Any] = {}
        self.browser: Any = None

    def clear(self) -> None:
        self.text_view.clear()
        self.tree.clear()
        self._nodes.clear()
        self.metadata_btn.hide()
        self.info.setText("")

    def set_document(self, root: Any, raw: bytes, csdl: bool, source_url: str = "") -> None:
        """Show the element tree of `root` (text comes separately in chunks)."""
        self.source_url = source_url
        self.tree.clear()
        self._nodes.clear()
        self._raw = raw
        item = self._item(root)
        self.tree.addTopLevelItem(item)
        item.setExpanded(True)
        count = sum(1 for _ in root.iter()) if len(raw) < 2_000_000 else None
        self.info.setText(f"{_local(root.tag)}" + (f" · {count:,} elements" if count is not None else "")
                          + (" · OData metadata (CSDL)" if csdl else ""))
        self.metadata_btn.setVisible(csdl and metadata_browser_class() is not None)
        if csdl and metadata_browser_class() is None:
            self.metadata_btn.setToolTip("The metadata browser is not installed")

    def _item(self, element: Any) -> QTreeWidgetItem:
        attrs = " ".join(f'{_local(k)}="{v}"' for k, v in element.attrib.items()) if hasattr(element, "attrib") else ""
        text = (element.text or "").strip() if isinstance(element.tag, str) else (element.text or "")
        if len(text) > TEXT_PREVIEW:
            text = text[:TEXT_PREVIEW] + "…"
        item = QTreeWidgetItem([_local(element.tag), attrs, text])
        item.setToolTip(1, attrs[:2000])
        if len(element):
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self._nodes[id(item)] = element
        return item

    def _fill(self, item: QTreeWidgetItem) -> None:
        element = self._nodes.pop(id(item), None)
        if element is None:
            return
        item.addChildren([self._item(child) for child in element])

    def _open_metadata(self) -> None:
        cls = metadata_browser_class()
        if cls is None:
            return
        self.browser = cls(None)
        self.browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        url = self.source_url if self.source_url.startswith(("http://", "https://")) else ""
        root = url.split("?", 1)[0].removesuffix("/$metadata") if url.split("?", 1)[0].endswith("/$metadata") else ""
        self.browser.load_bytes(self._raw, url, root)
        self.browser.setWindowTitle("Metadata browser")
        self.browser.resize(1100, 750)
        self.browser.show()
        self.open_metadata.emit(self._raw)
