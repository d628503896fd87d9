"""The collection tree: a QAbstractItemModel over the workspace's collections, folders and requests.

It holds no logic of its own: nodes wrap core values, and a reload rebuilds them from a new
`Workspace`. Display: requests show a coloured method badge, folders and collections an icon;
the filter (name, method or URL) lives in the model itself (`set_filter_text`), moves are done
by the panel through core storage (drag and drop encodes workspace-relative keys; see `dropMimeData`).

Why the filter is not a QSortFilterProxyModel: over a 1,540-request workspace the proxy's
recursive filtering called back into Python ~40,000 times per keystroke (`parent`, `index`,
`filterAcceptsRow`), 0.17 s per key. Here each node keeps its lowercase text, one Python pass
decides what is shown, and the view gets one reset: a few ms.
"""

from __future__ import annotations

from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from workbench.core.collections import Collection, Folder, Request, Workspace
from workbench.ui.palette import current

NodeKind = Literal["root", "collection", "folder", "request"]
MIME_TYPE = "application/x-workbench-tree-item"
KeyRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
MethodRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


class Node:
    """One row of the tree; `key` is the item's path relative to the workspace.

    `children` is the whole tree; `shown` the children the filter lets through (the same list
    when no filter is set) and `position` this node's row among its parent's `shown`, so the
    model answers `index`/`parent` without searching. A plain class with slots, not a
    dataclass: it is defined before the first paint (a dataclass compiles its `__init__` there).
    """

    __slots__ = ("kind", "name", "key", "value", "parent", "children", "collection_path", "shown", "position",
                 "visible", "haystack")

    def __init__(self, kind: NodeKind, name: str, key: str, value: Collection | Folder | Request | None = None,
                 parent: Node | None = None, *, collection_path: str = "", haystack: str = "") -> None:
        self.kind = kind
        self.name = name
        self.key = key
        self.value = value
        self.parent = parent
        self.children: list[Node] = []
        self.collection_path = collection_path
        self.shown: list[Node] = []
        self.position = 0
        self.visible = True
        self.haystack = haystack

    def row(self) -> int:
        return self.position


def build_nodes(workspace: Workspace) -> Node:
    root = Node("root", workspace.name, "")
    for coll in workspace.collections:
        cnode = Node("collection", coll.name, coll.path, coll, root, collection_path=coll.path,
                     haystack=coll.name.lower())
        root.children.append(cnode)
        _fill(cnode, coll.folders, coll.requests, coll.path)
    _show_all(root)
    return root


def _fill(parent: Node, folders: tuple[Folder, ...], requests: tuple[Request, ...], coll_path: str) -> None:
    for folder in folders:
        fnode = Node("folder", folder.name, f"{coll_path}/{folder.path}", folder, parent, collection_path=coll_path,
                     haystack=folder.name.lower())
        parent.children.append(fnode)
        _fill(fnode, folder.folders, folder.requests, coll_path)
    for request in requests:
        parent.children.append(Node("request", request.name, f"{coll_path}/{request.path}", request, parent,
                                    collection_path=coll_path,
                                    haystack=f"{request.name} {request.method} {request.url}".lower()))


def _show_all(node: Node) -> None:
    node.shown = node.children
    for position, child in enumerate(node.children):
        child.position = position
        child.visible = True
        if child.children:
            _show_all(child)
        else:
            child.shown = child.children


def _show_matching(node: Node, words: list[str]) -> bool:
    """Keep the children that match `words` or hold a match below; True when `node` stays.

    Same rule as a recursive QSortFilterProxyModel: a folder stays when its own name matches or
    something below it does, and its children are still filtered one by one.
    """
    shown: list[Node] = []
    for child in node.children:
        if _show_matching(child, words):
            child.position = len(shown)
            shown.append(child)
    node.shown = shown
    node.visible = bool(shown) or all(word in node.haystack for word in words)
    return node.visible


_ITEM = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Looked up, not computed: the view asks once per row on every expand (1,500 calls per filter keystroke).
# Requests never have children: saying so spares the view a `rowCount` per request row.
_FLAGS: dict[str, Qt.ItemFlag] = {
    "request": _ITEM | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren,
    "folder": _ITEM | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled,
    "collection": _ITEM | Qt.ItemFlag.ItemIsDropEnabled,
    "root": _ITEM,
}


class CollectionTreeModel(QAbstractItemModel):
    """Tree of collections → folders → requests, with drag-and-drop moves."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = Node("root", "", "")
        self._by_key: dict[str, Node] = {}
        self._words: list[str] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content
    def set_workspace(self, workspace: Workspace) -> None:
        root = build_nodes(workspace)
        by_key: dict[str, Node] = {}
        stack = list(root.children)
        while stack:
            node = stack.pop()
            by_key[node.key] = node
            stack.extend(node.children)
        self.beginResetModel()
        self._root, self._by_key = root, by_key
        if self._words:
            _show_matching(root, self._words)
            root.visible = True
        self.endResetModel()

    def set_filter_text(self, text: str) -> None:
        """Show only requests whose name, method or URL holds every word of `text` (and their folders)."""
        words = text.strip().lower().split()
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        if words:
            _show_matching(self._root, words)
            self._root.visible = True
        else:
            _show_all(self._root)
        self.endResetModel()

    def is_filtered(self) -> bool:
        return bool(self._words)

    def has_items(self) -> bool:
        """Whether the workspace has any collection, shown or not."""
        return bool(self._root.children)

    def node(self, index: _Index) -> Node:
        if index.isValid():
            return index.internalPointer()  # type: ignore[no-any-return]
        return self._root

    def index_for_key(self, key: str) -> QModelIndex:
        """The index of the item saved at `key` (workspace-relative path); invalid when absent or filtered out."""
        node = self._by_key.get(key)
        if node is None or not node.visible:
            return QModelIndex()
        return self.createIndex(node.position, 0, node)

    # -- QAbstractItemModel
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        shown = self.node(parent).shown  # bounds checked here, not by hasIndex (one Python call less per index)
        if column != 0 or not 0 <= row < len(shown) or parent.column() > 0:
            return QModelIndex()
        return self.createIndex(row, column, shown[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.position, 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self.node(parent).shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.name
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.kind == "request" and isinstance(node.value, Request):
                return f"{node.value.method} {node.value.url}"
            return node.key
        if role == KeyRole:
            return node.key
        if role == KindRole:
            return node.kind
        if role == MethodRole and isinstance(node.value, Request):
            return node.value.method
        if role == Qt.ItemDataRole.DecorationRole:
            from workbench.ui import icons

            if node.kind == "request" and isinstance(node.value, Request):
                return icons.method_badge(node.value.method)
            if node.kind in ("folder", "collection"):
                return icons.tree_icon(node.kind)
            return None
        if role == Qt.ItemDataRole.FontRole and node.kind == "collection":
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and node.kind == "collection":
            return QColor(current().text)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _FLAGS[index.internalPointer().kind]

    # -- drag and drop: the model encodes keys; the panel performs the move through core storage
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        keys = "\n".join(self.node(i).key for i in indexes if i.isValid())
        data.setData(MIME_TYPE, keys.encode("utf-8"))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: _Index) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        target = self.node(parent)
        if target.kind not in ("collection", "folder"):
            return False
        keys = bytes(data.data(MIME_TYPE).data()).decode("utf-8").splitlines()
        # Not into itself or below itself, and not where it already is.
        return all(target.key != k and not target.key.startswith(k + "/") and k.rpartition("/")[0] != target.key
                   for k in keys)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self.node(parent)
        if target.kind not in ("collection", "folder"):
            return False
        keys = bytes(data.data(MIME_TYPE).data()).decode("utf-8").splitlines()
        handler = getattr(self, "move_requested", None)
        if handler is not None:
            handler(keys, target.key)
        # The move happens on disk and the tree reloads; returning False stops Qt removing rows itself.
        return False
