"""The left panel: a toolbar, a filter box and the collection tree with its context menu.

Every edit (new, rename, duplicate, delete, move) goes through `core/workspace/storage.py` — the files
on disk are the truth — and then asks the window to reload (`workspace_changed`). Moves and
renames are announced (`item_moved(old_key, new_key)`) so open tabs follow their file; keys
are paths relative to the workspace folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Collection, Folder, Request, Workspace
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import storage

if TYPE_CHECKING:
    from workbench.core.sending.send import SendContext
from workbench.ui.models.collection_tree import (
    CollectionTreeModel,
    KindRole,
    Node,
)


class CollectionPanel(QWidget):
    """Emits `request_activated(collection_path, request_path)` when a request is opened."""

    request_activated = Signal(str, str)
    request_previewed = Signal(str, str)  # a single click: the window shows it in its preview tab
    workspace_changed = Signal()
    item_moved = Signal(str, str)  # old key, new key (workspace-relative)
    item_deleted = Signal(str)  # key
    code_requested = Signal(str, str)  # collection path, request path: "Generate code…" on a request
    run_requested = Signal(str, str)  # collection path, folder path ('' = whole collection): "Run…"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace_root = ""
        self.workspace: Workspace | None = None
        self._reveal_next = ""  # a collection to select and expand once the next workspace is shown
        #: The window's `send_context`: the settings dialogs' token and discovery buttons resolve in it.
        self.context_for: Callable[[str], SendContext] | None = None
        self.model = CollectionTreeModel(self)
        # The model looks this hook up with getattr (it declares no attribute for it yet).
        self.model.move_requested = self.move_items  # type: ignore[attr-defined]
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter")
        self.filter.setToolTip("Filter requests by name, method or URL")
        self.filter.textChanged.connect(self._filter_changed)
        self._unfiltered_expanded: set[str] = set()  # what to expand again when the filter is cleared
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(40, 16))
        self.tree.setIndentation(14)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._previewed)
        self.empty = QLabel("No collections yet.\nCreate one with the buttons above\nor import an API description.",
                            self)
        self.empty.setObjectName("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.no_match = QLabel("Nothing matches the filter.", self)
        self.no_match.setObjectName("empty")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()

        from workbench.ui import icons

        bar = QHBoxLayout()
        bar.setSpacing(2)
        self.act_new_request = self._action("New request", icons.icon("new-request"), self.new_request, "Ctrl+N")
        self.act_new_folder = self._action("New folder", icons.icon("new-folder"), self.new_folder)
        self.act_new_collection = self._action("New collection", icons.icon("new-collection"), self.new_collection)
        self.act_settings = self._action("Collection settings…", icons.icon("settings"), self.edit_settings)
        self.act_rename = self._action("Rename…", None, self.rename_selected, "F2")
        self.act_duplicate = self._action("Duplicate", None, self.duplicate_selected, "Ctrl+D")
        self.act_delete = self._action("Delete…", None, self.delete_selected, QKeySequence.StandardKey.Delete)
        for act in (self.act_rename, self.act_duplicate, self.act_delete):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(act)
        for act in (self.act_new_request, self.act_new_folder, self.act_new_collection, self.act_settings):
            button = QToolButton(self)
            button.setDefaultAction(act)
            button.setAutoRaise(True)
            button.setIconSize(QSize(16, 16))
            bar.addWidget(button)
        bar.addSpacing(4)
        bar.addWidget(self.filter, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.no_match)
        self.tree.selectionModel().currentChanged.connect(self._update_actions)
        self._update_actions()

    def finish_after_first_paint(self) -> None:
        """What the first frame does not show, set up once it is on screen (the window calls this).

        The filter's clear button appears only over typed text, and the first one made loads its
        icon (~1 ms): the user cannot have typed yet.
        """
        self.filter.setClearButtonEnabled(True)

    def _action(self, text: str, icon: QIcon | None, slot: Callable[[], object],
                shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        act = QAction(text, self)
        if icon is not None:
            act.setIcon(icon)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(text + (f" ({QKeySequence(shortcut).toString()})" if shortcut else ""))
        act.triggered.connect(lambda *_: slot())
        return act

    # ------------------------------------------------------------------ content
    def set_workspace(self, workspace: Workspace) -> None:
        """Show `workspace`, keeping what was expanded and selected (reloads are frequent)."""
        first = self.workspace is None or self.workspace.root != workspace.root
        expanded = set() if first else self._expanded_keys()
        selected = self.selected_key()
        self.workspace_root = workspace.root
        self.workspace = workspace
        self.model.set_workspace(workspace)
        if first:
            self.tree.expandToDepth(0)
        else:
            for key in expanded:
                self._expand_key(key)
        if selected:
            self.select_key(selected)
        if self._reveal_next and self.reveal(self._reveal_next):
            self._reveal_next = ""
        has_any = bool(workspace.collections)
        self.tree.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self._update_actions()

    def _expanded_keys(self) -> set[str]:
        """Keys of the expanded collections and folders (asked of the nodes: requests never expand)."""
        keys: set[str] = set()
        stack = list(self.model.node(QModelIndex()).shown)
        while stack:
            node = stack.pop()
            if node.kind == "request":
                continue
            if self.tree.isExpanded(self.model.index_for_key(node.key)):
                keys.add(node.key)
                stack.extend(node.shown)
        return keys

    def _expand_key(self, key: str) -> None:
        source = self.model.index_for_key(key)
        if source.isValid():
            self.tree.expand(source)

    def select_key(self, key: str) -> bool:
        """Select (and reveal) the item saved at `key`; False when it is not in the tree."""
        index = self.model.index_for_key(key)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def reveal(self, key: str) -> bool:
        """Select the item at `key` and expand it (a just-imported collection shows its requests)."""
        if not self.select_key(key):
            return False
        self.tree.expand(self.tree.currentIndex())
        return True

    def reveal_after_reload(self, key: str) -> None:
        """Reveal `key` when the workspace is next shown (an import's collection, still being read)."""
        self._reveal_next = key
        if self.workspace is not None and self.model.index_for_key(key).isValid():
            self.reveal(key)
            self._reveal_next = ""

    def selected_node(self) -> Node | None:
        index = self.tree.currentIndex()
        return self.node_at(index) if index.isValid() else None

    def selected_collection_path(self) -> str:
        """The collection of the selected tree item ("" when nothing is selected)."""
        node = self.selected_node()
        return node.collection_path if node is not None else ""

    def selected_key(self) -> str:
        node = self.selected_node()
        return node.key if node else ""

    def node_at(self, index: QModelIndex) -> Node:
        return self.model.node(index)

    # ------------------------------------------------------------------ filter / open
    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        """Filter as the user types; what was expanded before the filter comes back when it is cleared."""
        if text.strip() and not self.model.is_filtered():
            self._unfiltered_expanded = self._expanded_keys()
        selected = self.selected_key()
        self.model.set_filter_text(text)
        if self.model.is_filtered():
            self.tree.expandAll()
        else:
            for key in self._unfiltered_expanded:
                self._expand_key(key)
            self._unfiltered_expanded = set()
        if selected:
            self.select_key(selected)
        nothing = self.model.is_filtered() and self.model.rowCount() == 0 and self.model.has_items()
        self.no_match.setVisible(nothing)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.data(KindRole) != "request":
            return
        node = self.node_at(index)
        self.request_activated.emit(node.collection_path, self._rel(node))

    @Slot(QModelIndex)
    def _previewed(self, index: QModelIndex) -> None:
        if index.data(KindRole) == "request":
            node = self.node_at(index)
            self.request_previewed.emit(node.collection_path, self._rel(node))

    @staticmethod
    def _rel(node: Node) -> str:
        """The node's path inside its collection ('' for the collection itself)."""
        return node.key[len(node.collection_path) + 1:] if node.key != node.collection_path else ""

    @Slot()
    def _update_actions(self, *_: object) -> None:
        node = self.selected_node()
        has_coll = bool(self.workspace and self.workspace.collections)
        self.act_new_folder.setEnabled(has_coll)
        self.act_settings.setEnabled(node is not None and node.kind in ("collection", "folder"))
        self.act_rename.setEnabled(node is not None)
        self.act_duplicate.setEnabled(node is not None and node.kind in ("request", "folder"))
        self.act_delete.setEnabled(node is not None)

    # ------------------------------------------------------------------ edits
    def _target_container(self) -> tuple[str, str] | None:
        """(collection path, folder path inside it) where a new item goes: the selection's container."""
        node = self.selected_node()
        if node is None:
            if not self.workspace or not self.workspace.collections:
                return None
            return self.workspace.collections[0].path, ""
        if node.kind == "request":
            rel = self._rel(node)
            return node.collection_path, rel.rpartition("/")[0]
        return node.collection_path, self._rel(node)

    def _ask(self, title: str, label: str, text: str) -> str | None:
        # The dialogs' Python types are built when first used, not before the first paint.
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        name = name.strip()
        return name if ok and name else None

    def _report(self, title: str, exc: WorkbenchError | OSError) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, getattr(exc, "message", None) or str(exc))

    def new_request(self, name: str | None = None) -> str:
        """Create and open a request beside the selection; returns its key ('' when cancelled)."""
        target = self._target_container()
        if target is None:
            coll = self.new_collection("My collection")
            if not coll:
                return ""
            target = (coll, "")
        if name is None:
            name = self._ask("New request", "Name of the new request:", "New request")
            if name is None:
                return ""
        coll_path, folder = target
        coll_dir = Path(self.workspace_root) / coll_path
        try:
            path = storage.unique_child(coll_dir / folder, storage.sanitize_name(name, "request"), ".yaml", folder)
            saved = storage.save_request(self.workspace_root, coll_path, Request(name, "GET", "", path=path))
        except (WorkbenchError, OSError) as exc:
            self._report("New request", exc)
            return ""
        key = f"{coll_path}/{saved.path}"
        self.workspace_changed.emit()
        self.select_key(key)
        self.request_activated.emit(coll_path, saved.path)
        return key

    def new_folder(self, name: str | None = None) -> str:
        target = self._target_container()
        if target is None:
            return ""
        if name is None:
            name = self._ask("New folder", "Name of the new folder:", "New folder")
            if name is None:
                return ""
        coll_path, parent = target
        try:
            rel = storage.create_folder(self.workspace_root, coll_path, parent, name)
        except (WorkbenchError, OSError) as exc:
            self._report("New folder", exc)
            return ""
        key = f"{coll_path}/{rel}"
        self.workspace_changed.emit()
        self.select_key(key)
        return key

    def new_collection(self, name: str | None = None) -> str:
        if name is None:
            name = self._ask("New collection", "Name of the new collection:", "My collection")
            if name is None:
                return ""
        try:
            coll = storage.save_collection_settings(self.workspace_root, Collection(name))
        except (WorkbenchError, OSError) as exc:
            self._report("New collection", exc)
            return ""
        self.workspace_changed.emit()
        self.select_key(coll.path)
        return coll.path

    def rename_selected(self, name: str | None = None) -> str:
        """Rename the selected item (its file or folder follows); returns the new key."""
        node = self.selected_node()
        if node is None:
            return ""
        if name is None:
            name = self._ask("Rename", f"New name for “{node.name}”:", node.name)
            if name is None or name == node.name:
                return ""
        old_key = node.key
        try:
            if node.kind == "request" and isinstance(node.value, Request):
                renamed = storage.rename_request(self.workspace_root, node.collection_path, node.value, name)
                new_key = f"{node.collection_path}/{renamed.path}"
            elif node.kind == "folder":
                new_rel = storage.rename_folder(self.workspace_root, node.collection_path, self._rel(node), name)
                new_key = f"{node.collection_path}/{new_rel}"
            elif node.kind == "collection" and isinstance(node.value, Collection):
                storage.save_collection_settings(self.workspace_root, replace(node.value, name=name))
                new_key = old_key
            else:
                return ""
        except (WorkbenchError, OSError) as exc:
            self._report("Rename", exc)
            return ""
        if new_key != old_key:
            self.item_moved.emit(old_key, new_key)
        self.workspace_changed.emit()
        self.select_key(new_key)
        return new_key

    def duplicate_selected(self) -> str:
        node = self.selected_node()
        if node is None or node.kind not in ("request", "folder"):
            return ""
        try:
            if isinstance(node.value, Request):
                copy_path = storage.duplicate_request(self.workspace_root, node.collection_path, node.value).path
            else:
                folder_rel = node.key[len(node.collection_path) + 1:]
                copy_path = storage.duplicate_folder(self.workspace_root, node.collection_path, folder_rel)
        except (WorkbenchError, OSError) as exc:
            self._report("Duplicate", exc)
            return ""
        key = f"{node.collection_path}/{copy_path}"
        self.workspace_changed.emit()
        self.select_key(key)
        return key

    def delete_selected(self, confirm: bool = True) -> bool:
        """Delete the selected request, folder or collection after asking; True when deleted."""
        node = self.selected_node()
        if node is None:
            return False
        if confirm:
            from PySide6.QtWidgets import QMessageBox

            what = {"request": "request", "folder": "folder and everything in it",
                    "collection": "collection and every request in it"}[node.kind]
            answer = QMessageBox.question(
                self, "Delete", f"Delete the {what} “{node.name}”?\n\nThe files are removed from the workspace "
                f"folder ({node.key}).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            storage.delete_item(self.workspace_root, node.key)
        except (WorkbenchError, OSError) as exc:
            self._report("Delete", exc)
            return False
        self.item_deleted.emit(node.key)
        self.workspace_changed.emit()
        return True

    def move_items(self, keys: list[str], target_key: str) -> list[str]:
        """Move items (drag and drop) into the folder or collection at `target_key`; new keys."""
        moved = []
        for key in keys:
            try:
                # Keys use "/" on every OS (they are also written to ui.json and history).
                new_key = storage.move_item(self.workspace_root, key, target_key).replace("\\", "/")
            except (WorkbenchError, OSError) as exc:
                self._report("Move", exc)
                continue
            moved.append(new_key)
            self.item_moved.emit(key, new_key)
        if moved:
            # Reload after the drop event has finished: the view is still inside its drag loop.
            QTimer.singleShot(0, lambda: self._reload_and_select(moved[-1]))
        return moved

    def _reload_and_select(self, key: str) -> None:
        self.workspace_changed.emit()
        self.select_key(key)

    def edit_settings(self) -> bool:
        """Open the settings dialog of the selected collection or folder; True when saved."""
        node = self.selected_node()
        if node is None or node.kind not in ("collection", "folder") or self.workspace is None:
            return False
        from workbench.ui.widgets.workspace.collection_settings import (
            CollectionSettingsDialog,
        )

        coll = self.workspace.collection(node.collection_path)
        if coll is None:
            return False
        folder = node.value if isinstance(node.value, Folder) else None
        context = self.context_for(coll.path) if self.context_for is not None else None
        dialog = CollectionSettingsDialog(coll, folder, self, context)
        if dialog.exec() != CollectionSettingsDialog.DialogCode.Accepted:
            return False
        try:
            dialog.save(self.workspace_root)
        except (WorkbenchError, OSError) as exc:
            self._report("Collection settings", exc)
            return False
        self.workspace_changed.emit()
        return True

    # ------------------------------------------------------------------ menu
    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        else:
            self.tree.setCurrentIndex(QModelIndex())
        self._update_actions()
        node = self.selected_node()
        menu = QMenu(self)
        if node is not None and node.kind == "request":
            menu.addAction("Open", lambda: self._activated(self.tree.currentIndex()))
            menu.addAction("Generate code…",
                           lambda: self.code_requested.emit(node.collection_path, self._rel(node)))
            menu.addSeparator()
        menu.addAction(self.act_new_request)
        menu.addAction(self.act_new_folder)
        if node is None:
            menu.addAction(self.act_new_collection)
        if node is not None:
            menu.addSeparator()
            menu.addAction(self.act_rename)
            if node.kind in ("request", "folder"):
                menu.addAction(self.act_duplicate)
            menu.addAction(self.act_delete)
            if node.kind in ("collection", "folder"):
                menu.addSeparator()
                menu.addAction("Run all requests…",
                               lambda: self.run_requested.emit(node.collection_path, self._rel(node)))
                self.act_settings.setText("Collection settings…" if node.kind == "collection" else "Folder settings…")
                menu.addAction(self.act_settings)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        self.act_settings.setText("Collection settings…")
