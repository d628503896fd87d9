"""The Import dialog clicked through with qtbot; the import runs off the UI thread on the qasync loop."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt

from workbench.core.workspace import storage
from workbench.ui.widgets.workspace.import_dialog import ImportDialog


@pytest.fixture
def dialog(qtbot, qasync_loop, tmp_path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dlg = ImportDialog(None, str(tmp_path / "ws"))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_import_a_file_shows_summary_and_emits_collection(dialog: ImportDialog, qtbot, shared_data: Path,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    dialog.set_source(str(shared_data / "openapi" / "tictactoe-v3.1.yaml"))
    assert not dialog.root_choice.isVisible() and not dialog.auth_type.isVisible()
    with qtbot.waitSignal(dialog.imported, timeout=10000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Tic Tac Toe"]
    assert "3 requests, 1 folder, 1 environment, 2 warnings" in dialog.status.text()
    assert "webhook 'markStatus'" in dialog.details.toPlainText()
    workspace = storage.load_workspace(tmp_path / "ws")
    assert [len(c.all_requests()) for c in workspace.collections] == [3]
    assert dialog.close_button.isVisible() and not dialog.cancel_button.isVisible()


def test_zip_with_several_roots_offers_a_choice(dialog: ImportDialog, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for title in ("Alpha", "Beta"):
            archive.writestr(f"{title.lower()}.yaml", yaml.safe_dump({
                "openapi": "3.0.0", "info": {"title": title, "version": "1"},
                "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}))
    zip_path = tmp_path / "two.zip"
    zip_path.write_bytes(buffer.getvalue())
    dialog.set_source(str(zip_path))
    qtbot.waitUntil(lambda: dialog.root_choice.count() == 2, timeout=5000)
    assert dialog.root_choice.isVisible()
    dialog.root_choice.setCurrentText("beta.yaml")
    with qtbot.waitSignal(dialog.imported, timeout=10000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Beta"], dialog.status.text()


def test_bad_input_is_shown_as_one_line(dialog: ImportDialog, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.0\ninfo: [\n")
    dialog.set_source(str(bad))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "invalid YAML" in dialog.status.text(), timeout=5000)
    assert "line 3" in dialog.status.text()
    assert dialog.import_button.isEnabled()


def test_a_failed_download_does_not_show_the_key_in_its_url(dialog: ImportDialog, qtbot, httpbin) -> None:  # type: ignore[no-untyped-def]
    """The dialog masks what the CLI masks: a message repeats the URL, and dialogs get screenshotted."""
    dialog.set_source(f"{httpbin.url}/status/404?api_key=SeCrEt-12345")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled() and "404" in dialog.status.text(), timeout=10000)
    shown = dialog.status.text() + dialog.details.toPlainText()
    assert "SeCrEt-12345" not in shown and "api_key=•••" in shown


def test_cancel_stops_and_writes_nothing(dialog: ImportDialog, qtbot, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.set_source(str(shared_data / "openapi" / "kubernetes-swagger.json"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.is_running() and dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)
    assert "cancelled" in dialog.status.text()
    assert not (tmp_path / "ws").exists()
    assert dialog.import_button.isEnabled()


def test_url_source_shows_download_auth(dialog: ImportDialog) -> None:
    dialog.set_source("https://example.com/openapi.json")
    assert dialog.auth_type.isVisible()
    dialog.auth_type.setCurrentIndex(dialog.auth_type.findData("basic"))
    dialog.auth_first.setText("alice")
    dialog.auth_second.setText("secret")
    auth = dialog.download_auth()
    assert auth is not None and auth.type == "basic" and auth.get("username") == "alice"


def test_large_spec_import_keeps_the_ui_responsive(dialog: ImportDialog, qtbot, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    """While Kubernetes (1,123 operations) imports in the worker, Qt keeps processing timers."""
    from PySide6.QtCore import QTimer

    ticks: list[int] = []
    timer = QTimer(dialog)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    dialog.set_source(str(shared_data / "openapi" / "kubernetes-swagger.json"))
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert len(ticks) >= 3
    assert "1123 requests" in dialog.status.text()


def test_main_window_ctrl_i_opens_the_dialog(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """File → Import… (Ctrl+I) opens the import dialog over the window's workspace."""
    assert main_window.act_import_openapi.shortcut().toString() == "Ctrl+I"
    main_window.act_import_openapi.trigger()
    dialogs = [d for d in main_window.findChildren(ImportDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].workspace_root == main_window.workspace_root
    dialogs[0].close()


def test_drop_a_file_on_the_window_imports_it(main_window, qtbot, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    """Dropping a descriptor on the window imports it; the tree shows the new collection."""
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared_data / "openapi" / "petstore-v2.0.json"))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    main_window.dropEvent(event)
    qtbot.waitUntil(lambda: main_window.collection_of("Swagger Petstore") is not None, timeout=10000)
    assert len(main_window.collection_of("Swagger Petstore").all_requests()) == 3
    # issue 14: the new collection is selected and expanded, its requests in view
    panel = main_window.collections
    qtbot.waitUntil(lambda: panel.selected_key() == "Swagger Petstore", timeout=5000)
    assert panel.tree.isExpanded(panel.tree.currentIndex())


def test_title_and_intro_name_everything_it_imports(dialog: ImportDialog) -> None:
    """A Postman user looks for "Postman" before trying a file: every format and source is named."""
    words = dialog.windowTitle() + " " + dialog.intro.text()
    for thing in ("OpenAPI", "Swagger", "$metadata", "Postman", "Insomnia", "curl", "file", "URL", "ZIP", "folder"):
        assert thing in words, thing
    assert dialog.intro.isVisible()


def test_odata_metadata_file_becomes_a_collection(dialog: ImportDialog, qtbot, shared_data: Path,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    dialog.set_source(str(shared_data / "csdl" / "TripPin.xml"))
    with qtbot.waitSignal(dialog.imported, timeout=10000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    from workbench.core.workspace import storage

    coll = storage.load_workspace(dialog.workspace_root).collection(signal.args[0])
    assert coll is not None and "People" in {f.name for f in coll.folders}
    assert "serviceRoot" in dialog.details.toPlainText()  # a file: the root must be set by the user


def test_a_postman_collection_imports_through_the_same_dialog(dialog: ImportDialog, qtbot,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    postman = {"info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
               "item": [{"name": "List", "request": {"method": "GET", "url": "{{base}}/items"}}],
               "variable": [{"key": "base", "value": "http://127.0.0.1:9"}]}
    source = tmp_path / "shop.postman_collection.json"
    source.write_text(json.dumps(postman), encoding="utf-8")
    dialog.set_source(str(source))
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.start_import()
    workspace = storage.load_workspace(tmp_path / "ws")
    assert [c.name for c in workspace.collections] == ["Shop"]
    assert workspace.collections[0].all_requests()[0].url == "{{base}}/items"


@pytest.mark.peers
def test_metadata_behind_the_gate_with_a_collections_auth(qtbot, qasync_loop, tmp_path: Path, gate,  # type: ignore[no-untyped-def]
                                                          strict_token) -> None:
    """Issue 12: the download auth offers a collection's OAuth 2.0 and headers, as a send from it."""
    from workbench.core.collections import Auth, Collection, Environment, KeyValue
    from workbench.core.context.resolve import resolve_context

    _, service = gate
    root = tmp_path / "ws"
    storage.init_workspace(root)
    auth = Auth("oauth2", {"grant_type": "password", "token_url": f"{strict_token.url}/token", "client_id": "body-only",
                           "client_secret": "{{secret}}", "client_auth": "body", "username": "alice",
                           "password": "wonder land:+/%"})
    coll = storage.save_collection(root, Collection("Gate", auth=auth, headers=(
        KeyValue("x-client-id", "jb-client"), KeyValue("x-tenant-id", "t1"))))
    storage.save_environment(root, Environment("Prod", (KeyValue("secret", "body-secret"),), frozenset({"secret"})),
                             coll.path)
    dlg = ImportDialog(None, str(root))
    qtbot.addWidget(dlg)
    dlg.context_for = lambda path: resolve_context(storage.load_workspace(root), storage.load_workspace(root).collection(path))
    dlg.set_collections([("Gate", coll.path)])
    dlg.show()
    dlg.set_source(f"{service}/$metadata")
    dlg.auth_type.setCurrentIndex(dlg.auth_type.findData("collection"))
    assert dlg.auth_collection.isVisible() and not dlg.auth_second.isVisible()
    with qtbot.waitSignal(dlg.imported, timeout=20000):
        dlg.start_import()
    workspace = storage.load_workspace(root)
    assert len(workspace.collections) == 2 and "No metadata" not in dlg.status.text()
