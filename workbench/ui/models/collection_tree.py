"""The collection tree: a QAbstractItemModel over the workspace's collections, folders and requests.

It holds no logic of its own: nodes wrap core values, and a reload rebuilds them from a new
`Workspace`. Display: requests show a coloured method badge, folders and collections an icon;
filtering is done by `CollectionFilterProxy` (name, method or URL), moves by the panel through
core storage (drag and drop encodes workspace-relative keys; see `dropMimeData`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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


@dataclass(eq=False)
class Node:
    """One row of the tree; `key` is the item's path relative to the workspace."""

    kind: NodeKind
    name: str
    key: str
    value: Collection | Folder | Request | None = None
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    collection_path: str = ""

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def build_nodes(workspace: Workspace) -> Node:
    root = Node("root", workspace.name, "")
    for coll in workspace.collections:
        cnode = Node("collection", coll.name, coll.path, coll, root, collection_path=coll.path)
        root.children.append(cnode)
        _fill(cnode, coll.folders, coll.requests, coll.path)
    return root


def _fill(parent: Node, folders: tuple[Folder, ...], requests: tuple[Request, ...], coll_path: str) -> None:
    for folder in folders:
        fnode = Node("folder", folder.name, f"{coll_path}/{folder.path}", folder, parent, collection_path=coll_path)
        parent.children.append(fnode)
        _fill(fnode, folder.folders, folder.requests, coll_path)
    for request in requests:
        parent.children.append(Node("request", request.name, f"{coll_path}/{request.path}", request, parent,
                                    collection_path=coll_path))


class CollectionTreeModel(QAbstractItemModel):
    """Tree of collections → folders → requests, with drag-and-drop moves."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = Node("root", "", "")
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content
    def set_workspace(self, workspace: Workspace) -> None:
        self.beginResetModel()
        self._root = build_nodes(workspace)
        self.endResetModel()

    def node(self, index: _Index) -> Node:
        if index.isValid():
            return index.internalPointer()  # type: ignore[no-any-return]
        return self._root

    def index_for_key(self, key: str) -> QModelIndex:
        """The index of the item saved at `key` (workspace-relative path), or invalid."""
        stack = [(self._root, QModelIndex())]
        while stack:
            node, idx = stack.pop()
            if node.key == key and idx.isValid():
                return idx
            for row, child in enumerate(node.children):
                stack.append((child, self.index(row, 0, idx)))
        return QModelIndex()

    # -- QAbstractItemModel
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        parent_node = self.node(parent)
        return self.createIndex(row, column, parent_node.children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self.node(parent).children)

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
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        node = self.node(index)
        flags = base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if node.kind in ("request", "folder"):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if node.kind in ("collection", "folder"):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

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


class CollectionFilterProxy(QSortFilterProxyModel):
    """Filters the tree by request name, method or URL; a folder stays when something below matches.

    Matching the URL too lets a user type `$metadata` or `/People` and find every request to it.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""

    def set_filter_text(self, text: str) -> None:
        # Qt 6.9 replaced invalidateFilter() by a begin/end pair; older Qt only has the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._needle = text.strip().lower()
            self.endFilterChange()
        else:  # pragma: no cover - Qt < 6.9
            self._needle = text.strip().lower()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self._needle:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if not index.isValid():
            return False
        node: Node = index.internalPointer()
        haystack = node.name.lower()
        if isinstance(node.value, Request):
            haystack += f" {node.value.method.lower()} {node.value.url.lower()}"
        return all(word in haystack for word in self._needle.split())
