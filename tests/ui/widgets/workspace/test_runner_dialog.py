"""Run all requests of a collection from the tree: results arrive in order, Stop cancels at once."""

from __future__ import annotations

import time
from pathlib import Path

import peers

from workbench.core.collections import (
    Collection,
    Environment,
    Folder,
    KeyValue,
    Request,
)
from workbench.core.workspace import storage


def _collection(root: Path) -> None:
    storage.save_collection(root, Collection("Runs", folders=(Folder("Slow", requests=(
        Request("first", "GET", "{{baseUrl}}/get"), Request("slow", "GET", "{{baseUrl}}/delay/10"),
        Request("never", "GET", "{{baseUrl}}/get"))),), requests=(
        Request("teapot", "GET", "{{baseUrl}}/status/418"),)))


def test_run_collection_lists_each_result(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    root = Path(main_window.workspace_root)
    storage.save_collection(root, Collection("Quick", requests=(
        Request("ok", "GET", "{{baseUrl}}/get"), Request("teapot", "GET", "{{baseUrl}}/status/418"))))
    storage.save_environment(root, Environment("Run env", (KeyValue("baseUrl", httpbin.url),)))
    main_window.reload_workspace()
    main_window.collections.select_key("Quick")
    main_window.env_combo.setCurrentText("Run env")
    dialog = main_window.run_collection("Quick")
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    assert [r.status for r in dialog.report.results] == [200, 418]
    assert dialog.table.item(0, 1).text() == "200" and dialog.table.item(1, 1).text() == "418"
    assert "1 failed" in dialog.summary.text()
    dialog.close()


def test_stop_cancels_a_running_folder(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    root = Path(main_window.workspace_root)
    _collection(root)
    storage.save_environment(root, Environment("Run env", (KeyValue("baseUrl", httpbin.url),)))
    main_window.reload_workspace()
    main_window.collections.select_key("Runs")
    main_window.env_combo.setCurrentText("Run env")
    dialog = main_window.run_collection("Runs", "Slow")
    assert dialog.table.rowCount() == 3  # only the folder's requests
    qtbot.waitUntil(lambda: dialog.table.item(0, 1).text() == "200", timeout=10000)
    started = time.perf_counter()
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=3000)
    assert time.perf_counter() - started < 2.0
    assert dialog.table.item(2, 1).text() == "stopped" and "Stopped after 1 of 3" in dialog.summary.text()
    dialog.close()
