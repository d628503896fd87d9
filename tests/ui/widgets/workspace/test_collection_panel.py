"""The collection tree and its panel: new / rename / duplicate / delete / move / filter, all on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from workbench.core.collections import Collection, Folder, Request
from workbench.core.workspace import storage
from workbench.ui.models.collection_tree import (
    MIME_TYPE,
    CollectionTreeModel,
    KeyRole,
    MethodRole,
)
from workbench.ui.widgets.workspace.collection_panel import CollectionPanel


@pytest.fixture
def ws(tmp_path: Path) -> str:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    storage.save_collection(str(root), Collection("Orders API", requests=(
        Request("List orders", "GET", "{{base}}/Orders"), Request("Create order", "POST", "{{base}}/Orders")),
        folders=(Folder("Admin", requests=(Request("Purge", "DELETE", "{{base}}/Orders/$purge"),)),)))
    storage.save_collection(str(root), Collection("People", requests=(Request("Get person", "GET", "{{base}}/People(1)"),)))
    return str(root)


@pytest.fixture
def panel(qtbot, ws: str) -> CollectionPanel:  # type: ignore[no-untyped-def]
    widget = CollectionPanel()
    qtbot.addWidget(widget)
    widget.workspace_changed.connect(lambda: widget.set_workspace(storage.load_workspace(ws)))
    widget.set_workspace(storage.load_workspace(ws))
    widget.show()
    return widget


def _names(panel: CollectionPanel) -> list[str]:
    out = []
    stack = [(QModelIndex(), 0)]
    while stack:
        parent, depth = stack.pop()
        for row in reversed(range(panel.model.rowCount(parent))):
            idx = panel.model.index(row, 0, parent)
            stack.append((idx, depth + 1))
    # Walk in order instead of the stack order above.
    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(panel.model.rowCount(parent)):
            idx = panel.model.index(row, 0, parent)
            out.append("  " * depth + idx.data())
            walk(idx, depth + 1)
    walk(QModelIndex(), 0)
    return out


def test_model_passes_qtmodeltester(qapp, qtmodeltester, ws: str) -> None:  # type: ignore[no-untyped-def]
    model = CollectionTreeModel()
    model.set_workspace(storage.load_workspace(ws))
    qtmodeltester.check(model, force_py=True)
    model.set_workspace(storage.load_workspace(ws))  # a reload resets cleanly
    qtmodeltester.check(model, force_py=True)


def test_tree_shows_collections_folders_requests_with_methods(panel: CollectionPanel) -> None:
    assert _names(panel) == ["Orders API", "  Admin", "    Purge", "  Create order", "  List orders",
                             "People", "  Get person"]
    purge = panel.model.index_for_key("Orders API/Admin/Purge.yaml")
    assert purge.data(MethodRole) == "DELETE" and purge.data(KeyRole) == "Orders API/Admin/Purge.yaml"
    assert purge.data(Qt.ItemDataRole.DecorationRole) is not None
    assert purge.data(Qt.ItemDataRole.ToolTipRole) == "DELETE {{base}}/Orders/$purge"


def test_new_request_and_folder_go_beside_the_selection(panel: CollectionPanel, ws: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.select_key("Orders API/Admin/Purge.yaml")
    with qtbot.waitSignal(panel.request_activated) as opened:
        key = panel.new_request("Check/status")
    assert key == "Orders API/Admin/Check-status.yaml" and opened.args == ["Orders API", "Admin/Check-status.yaml"]
    assert (Path(ws) / key).is_file() and panel.selected_key() == key
    assert storage.read_yaml(Path(ws) / key)["name"] == "Check/status"
    panel.select_key("People")
    folder = panel.new_folder("Reports")
    assert folder == "People/Reports" and (Path(ws) / folder).is_dir()
    assert panel.new_collection("Third") == "Third" and (Path(ws) / "Third" / "collection.yaml").is_file()


def test_rename_duplicate_delete(panel: CollectionPanel, ws: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    moves: list[tuple[str, str]] = []
    panel.item_moved.connect(lambda a, b: moves.append((a, b)))
    panel.select_key("Orders API/List orders.yaml")
    assert panel.rename_selected("All orders") == "Orders API/All orders.yaml"
    assert moves == [("Orders API/List orders.yaml", "Orders API/All orders.yaml")]
    assert not (Path(ws) / "Orders API/List orders.yaml").exists()
    assert panel.duplicate_selected() == "Orders API/All orders copy.yaml"
    assert "  All orders copy" in _names(panel)
    panel.select_key("Orders API/Admin")
    assert panel.rename_selected("Administration") == "Orders API/Administration"
    assert (Path(ws) / "Orders API/Administration/Purge.yaml").is_file()
    deleted: list[str] = []
    panel.item_deleted.connect(deleted.append)
    panel.select_key("Orders API/Administration")
    assert panel.delete_selected(confirm=False)
    assert deleted == ["Orders API/Administration"] and not (Path(ws) / "Orders API/Administration").exists()
    assert "  Administration" not in _names(panel)
    panel.select_key("People")
    assert panel.rename_selected("Persons") == "People"  # a collection's name is in collection.yaml
    assert storage.read_yaml(Path(ws) / "People" / "collection.yaml")["name"] == "Persons"


def test_drag_and_drop_moves_on_disk(panel: CollectionPanel, ws: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    moves: list[tuple[str, str]] = []
    panel.item_moved.connect(lambda a, b: moves.append((a, b)))
    source = panel.model.index_for_key("Orders API/Create order.yaml")
    target = panel.model.index_for_key("Orders API/Admin")
    mime = panel.model.mimeData([source])
    assert mime.hasFormat(MIME_TYPE)
    assert panel.model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)
    assert not panel.model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, source)  # not onto a request
    assert not panel.model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0,
                                           panel.model.index_for_key("Orders API"))  # already there
    assert panel.model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target) is False  # Qt must not remove rows
    assert moves == [("Orders API/Create order.yaml", "Orders API/Admin/Create order.yaml")]
    assert (Path(ws) / "Orders API/Admin/Create order.yaml").is_file()
    qtbot.waitUntil(lambda: panel.model.index_for_key("Orders API/Admin/Create order.yaml").isValid(), timeout=2000)
    # A folder cannot be dropped into itself; across collections works.
    folder = panel.model.index_for_key("Orders API/Admin")
    fmime = panel.model.mimeData([folder])
    assert not panel.model.canDropMimeData(fmime, Qt.DropAction.MoveAction, -1, 0, folder)
    panel.model.dropMimeData(fmime, Qt.DropAction.MoveAction, -1, 0, panel.model.index_for_key("People"))
    assert (Path(ws) / "People/Admin/Purge.yaml").is_file()


def test_filter_by_name_method_or_url(panel: CollectionPanel) -> None:
    panel.filter.setText("purge")
    assert _names(panel) == ["Orders API", "  Admin", "    Purge"]
    panel.filter.setText("post")
    assert _names(panel) == ["Orders API", "  Create order"]
    panel.filter.setText("People(")
    assert _names(panel) == ["People", "  Get person"]
    panel.filter.setText("nothing-like-this")
    assert _names(panel) == [] and panel.no_match.isVisible()
    panel.filter.clear()
    assert len(_names(panel)) == 7 and not panel.no_match.isVisible()


def test_reload_keeps_expansion_and_selection(panel: CollectionPanel, ws: str) -> None:
    panel.select_key("Orders API/Admin/Purge.yaml")
    panel.set_workspace(storage.load_workspace(ws))
    assert panel.selected_key() == "Orders API/Admin/Purge.yaml"
    admin = panel.model.index_for_key("Orders API/Admin")
    assert panel.tree.isExpanded(admin)


def test_empty_workspace_shows_a_hint(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    widget = CollectionPanel()
    qtbot.addWidget(widget)
    widget.set_workspace(storage.init_workspace(tmp_path / "empty"))
    widget.show()
    assert widget.empty.isVisible() and not widget.tree.isVisible()


def test_collection_settings_dialog_saves(qtbot, ws: str) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.collections import KeyValue
    from workbench.ui.widgets.workspace.collection_settings import (
        CollectionSettingsDialog,
    )

    coll = storage.load_workspace(ws).collection("Orders API")
    dialog = CollectionSettingsDialog(coll)
    qtbot.addWidget(dialog)
    dialog.name.setText("Orders")
    dialog.variables.set_rows([KeyValue("base", "http://127.0.0.1:4004/odata/v4/shop")])
    dialog.headers.set_rows([KeyValue("x-client-id", "abc")])
    dialog.docs.setPlainText("The orders service")
    dialog.save(ws)
    again = storage.load_workspace(ws).collection("Orders API")
    assert again.name == "Orders" and again.variables == (KeyValue("base", "http://127.0.0.1:4004/odata/v4/shop"),)
    assert again.headers == (KeyValue("x-client-id", "abc"),) and again.docs == "The orders service"
    folder = again.folders[0]
    fdialog = CollectionSettingsDialog(again, folder)
    qtbot.addWidget(fdialog)
    fdialog.headers.set_rows([KeyValue("x-tenant-id", "t1")])
    fdialog.save(ws)
    assert storage.load_workspace(ws).collection("Orders API").folders[0].headers == (KeyValue("x-tenant-id", "t1"),)
