"""F5, the file watcher and imports reload the workspace in a worker (issue 17): the newest wins, a
broken file is reported and never closes a tab, and nothing lands on a closed window."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from workbench.core.workspace import storage

ECHO = "Getting started"


def _add_request(root: Path, name: str) -> str:
    (root / ECHO / f"{name}.yaml").write_text(f"name: {name}\nmethod: GET\nurl: http://example.invalid/{name}\n",
                                              encoding="utf-8")
    return f"{ECHO}/{name}.yaml"


def test_f5_reads_the_workspace_in_a_worker(main_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    main_window._reload_timer.timeout.disconnect()  # only F5 reloads here, not the file watcher
    readers: list[str] = []
    real_load = storage.load_workspace

    def recording_load(root, **kwargs):  # type: ignore[no-untyped-def]
        readers.append(threading.current_thread().name)
        return real_load(root, **kwargs)

    monkeypatch.setattr(storage, "load_workspace", recording_load)
    key = _add_request(Path(main_window.workspace_root), "Added before F5")
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    assert not main_window.collections.model.index_for_key(key).isValid()  # not read on the UI thread
    assert main_window.reload_pending()
    qtbot.waitUntil(lambda: main_window.collections.model.index_for_key(key).isValid(), timeout=10000)
    assert readers and threading.main_thread().name not in readers
    assert not main_window.reload_pending()


def test_a_reload_asked_while_one_is_pending_supersedes_it(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window._reload_timer.timeout.disconnect()
    applied: list[object] = []
    main_window._reloader.loaded.connect(applied.append)
    root = Path(main_window.workspace_root)
    first = _add_request(root, "First")
    main_window.reload_workspace_in_background()
    second = _add_request(root, "Second")  # written while the first reload is still pending
    main_window.reload_workspace_in_background()
    main_window.reload_workspace_in_background()
    qtbot.waitUntil(lambda: not main_window.reload_pending(), timeout=10000)
    qtbot.wait(50)
    assert len(applied) == 1  # the older reads were dropped, the newest was applied once
    model = main_window.collections.model
    assert model.index_for_key(first).isValid() and model.index_for_key(second).isValid()


def test_reload_of_a_broken_file_reports_it_and_keeps_the_tabs(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window._reload_timer.timeout.disconnect()
    teapot = main_window.open_request(ECHO, "Teapot status.yaml")
    echo = main_window.open_request(ECHO, "Echo query parameters.yaml")
    echo.url.setText("http://example.invalid/edited-not-saved")  # a dirty tab too
    broken = Path(main_window.workspace_root) / ECHO / "Teapot status.yaml"
    broken.write_text("name: [unclosed\nmethod: GET\n", encoding="utf-8")
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "could not be read" in main_window.statusBar().currentMessage(), timeout=10000)
    assert "Teapot status.yaml" in main_window.statusBar().currentMessage()
    assert main_window.editors() == [teapot, echo]  # no tab closed
    assert teapot.to_model().name == "Teapot status" and not teapot.is_dirty()  # what was shown stays
    assert echo.is_dirty() and echo.url.text() == "http://example.invalid/edited-not-saved"
    assert broken.read_text(encoding="utf-8") == "name: [unclosed\nmethod: GET\n"  # never rewritten


def test_reload_of_a_vanished_workspace_shows_an_error_and_keeps_the_tabs(main_window, qtbot,  # type: ignore[no-untyped-def]
                                                                       tmp_path: Path) -> None:
    main_window._reload_timer.timeout.disconnect()
    editor = main_window.open_request(ECHO, "Teapot status.yaml")
    collections = len(main_window.workspace.collections)
    shutil.move(main_window.workspace_root, tmp_path / "moved away")
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "not a workspace folder" in main_window.statusBar().currentMessage(), timeout=10000)
    assert main_window.editors() == [editor]
    assert len(main_window.workspace.collections) == collections  # the last good read is still shown


def test_a_pending_reload_never_lands_on_a_closed_window(qtbot, qasync_loop, workspace_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from workbench.ui.main_window import MainWindow

    window = MainWindow(str(workspace_dir))
    applied: list[object] = []
    window._reloader.loaded.connect(applied.append)
    window.reload_workspace_in_background()
    window.close()
    qtbot.wait(300)
    assert applied == [] and not window.reload_pending()
    window.deleteLater()


def test_an_edit_in_the_window_is_not_overwritten_by_an_older_background_read(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window._reload_timer.timeout.disconnect()
    main_window.reload_workspace_in_background()  # a read that started before the edit
    key = _add_request(Path(main_window.workspace_root), "Saved in the window")
    main_window.reload_workspace()  # what a save in the window does: read at once
    assert main_window.collections.model.index_for_key(key).isValid()
    qtbot.wait(300)
    assert main_window.collections.model.index_for_key(key).isValid() and not main_window.reload_pending()
