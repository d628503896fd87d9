"""The left panel: a filter box over the collection tree."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from workbench.core.collections import Workspace
from workbench.ui.models.collection_tree import CollectionTreeModel, KindRole, Node


class CollectionPanel(QWidget):
    """Emits `request_activated(collection_path, request_path)` when a request is opened."""

    request_activated = Signal(str, str)
    workspace_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace_root = ""
        self.model = CollectionTreeModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter requests")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace_root = workspace.root
        self.model.set_workspace(workspace)
        self.tree.expandToDepth(0)

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def node_at(self, proxy_index: QModelIndex) -> Node:
        return self.model.node(self.proxy.mapToSource(proxy_index))

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.data(KindRole) != "request":
            return
        node = self.node_at(index)
        request_path = node.key[len(node.collection_path) + 1:]
        self.request_activated.emit(node.collection_path, request_path)
