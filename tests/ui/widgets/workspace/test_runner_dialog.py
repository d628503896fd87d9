"""The window's runner: a setup step, pass/fail rows that open their response, Stop, History, DELETE asks first."""

from __future__ import annotations

import time
from pathlib import Path

import peers

from workbench.core.collections import (
    Check,
    Collection,
    Environment,
    Folder,
    KeyValue,
    Request,
    SaveStep,
)
from workbench.core.workspace import history, storage


def _collection(root: Path) -> None:
    storage.save_collection(root, Collection("Runs", folders=(Folder("Slow", requests=(
        # A folder's requests run in file-name order: the numbers make it first, slow, never.
        Request("1 first", "GET", "{{baseUrl}}/get"), Request("2 slow", "GET", "{{baseUrl}}/delay/10"),
        Request("3 never", "GET", "{{baseUrl}}/get"))),), requests=(
        Request("teapot", "GET", "{{baseUrl}}/status/418"),)))


def _open(main_window, name: str, folder: str = ""):  # type: ignore[no-untyped-def]
    main_window.reload_workspace()
    main_window.collections.select_key(name)
    main_window.env_combo.setCurrentText("Run env")
    return main_window.run_collection(name, folder)


def test_setup_run_rows_response_and_history(main_window, qtbot, httpbin: peers.Peer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = Path(main_window.workspace_root)
    storage.save_collection(root, Collection("Quick", requests=(
        Request("a create", "POST", "{{baseUrl}}/anything", save=(SaveStep("got", "json", "$.method"),)),
        Request("b read", "GET", "{{baseUrl}}/anything/{{got}}/{{row}}",
                checks=(Check("json", "$.url", "contains", "POST/{{row}}"),)),
        Request("c teapot", "GET", "{{baseUrl}}/status/418", checks=(Check("status", expected="2xx"),)),
        Request("d off", "GET", "{{baseUrl}}/get"))))
    storage.save_environment(root, Environment("Run env", (KeyValue("baseUrl", httpbin.url),)))
    data = tmp_path / "rows.json"
    data.write_text('[{"row": "r1"}, {"row": "r2"}]', encoding="utf-8")
    dialog = _open(main_window, "Quick")
    assert dialog.table.rowCount() == 0 and dialog.report is None  # the setup step comes first
    assert dialog.environment.currentText() == "Run env"
    dialog.request_list.item(3).setCheckState(dialog.request_list.item(3).checkState().Unchecked)
    dialog.data_file.setText(str(data))
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert [r.request.name for r in dialog.report.results] == ["a create", "b read", "c teapot"] * 2
    assert [dialog.table.item(r, 0).text() for r in range(6)] == ["✔", "✔", "✘"] * 2
    assert "status 418, expected 2xx" in dialog.table.item(2, 4).text()
    assert "6 request(s), 2 failed" in dialog.summary.text()
    dialog.table.setCurrentCell(1, 1)
    pane = dialog.response_pane()
    assert pane is not None and pane.exchange is dialog.results[1].exchange
    entries = history.load(main_window.workspace_root)
    assert len(entries) >= 6 and entries[0].status == 418
    dialog.close()


def test_delete_requests_need_a_confirmation(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    root = Path(main_window.workspace_root)
    storage.save_collection(root, Collection("Del", requests=(Request("gone", "DELETE", "{{baseUrl}}/delete"),)))
    storage.save_environment(root, Environment("Run env", (KeyValue("baseUrl", httpbin.url),)))
    dialog = _open(main_window, "Del")
    asked: list[list[str]] = []
    dialog.confirm_deletes = lambda deletes: asked.append([r.name for r in deletes]) or False
    dialog.run_button.click()
    assert asked == [["gone"]] and not dialog.is_running() and "not confirmed" in dialog.summary.text()
    dialog.confirm_deletes = lambda deletes: True
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    assert dialog.report.results[0].status == 200 and "1 DELETE(s) sent" in dialog.summary.text()
    dialog.close()


def test_stop_cancels_a_running_folder(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    root = Path(main_window.workspace_root)
    _collection(root)
    storage.save_environment(root, Environment("Run env", (KeyValue("baseUrl", httpbin.url),)))
    dialog = _open(main_window, "Runs", "Slow")
    assert dialog.request_list.count() == 3  # only the folder's requests
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    assert dialog.table.item(0, 2).text() == "200"
    started = time.perf_counter()
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=3000)
    assert time.perf_counter() - started < 2.0
    assert "Stopped after 1 of 3" in dialog.summary.text()
    dialog.close()
