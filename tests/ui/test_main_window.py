"""The main window clicked through against the real httpbin peer: send, cancel, transport errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import peers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from workbench.core.workspace import storage

ECHO = "Getting started"


def _use_peer(window, url: str) -> None:  # type: ignore[no-untyped-def]
    """Point the sample collection's "Local echo" environment at the suite's httpbin and choose it."""
    env_file = Path(window.workspace_root) / ECHO / "environments" / "Local echo.yaml"
    env_file.write_text(f"name: Local echo\nvariables:\n- name: baseUrl\n  value: {url}\n", encoding="utf-8")
    window.reload_workspace()
    window.collections.select_key(ECHO)  # the picker speaks for the selected collection
    window.env_combo.setCurrentText("Local echo")
    env = window.active_environment()
    assert env is not None and env.name == "Local echo"


def _pane_text(window) -> str:  # type: ignore[no-untyped-def]
    """Everything the response pane shows in labels (status line, meta, errors)."""
    return " ".join(label.text() for label in window.response.findChildren(QLabel) if label.isVisible())


def _body_text(window) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    texts = [w.toPlainText() for w in window.response.findChildren(QPlainTextEdit)]
    texts += [w.toPlainText() for w in window.response.findChildren(QTextEdit)]
    return "\n".join(texts)


def _header_cells(window) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    cells = []
    for view in window.response.findChildren(QTableView):
        model = view.model()
        if model is None:
            continue
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                cells.append(str(model.index(r, c).data()))
    return cells


def test_click_send_shows_status_header_and_body(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    _use_peer(main_window, httpbin.url)
    editor = main_window.open_request(ECHO, "Echo query parameters.yaml")
    assert editor is not None and main_window.current_editor() is editor
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "200" in _pane_text(main_window), timeout=10000)
    assert "OK" in _pane_text(main_window)
    qtbot.waitUntil(lambda: '"search"' in _body_text(main_window), timeout=5000)
    body = _body_text(main_window)
    assert '"search": "workbench"' in body and '"page": "2"' in body
    assert '"debug"' not in body  # a disabled parameter is not sent
    assert '"X-Client": "api-workbench"' in body  # collection header inherited
    assert any(cell.lower() == "content-type" for cell in _header_cells(main_window))
    assert "application/json" in _header_cells(main_window)
    assert editor.send_button.text() == "Send"
    # The send went to history, secrets redacted, and the History tab shows it.
    entries = (Path(main_window.workspace_root) / ".workbench" / "history.jsonl").read_text().splitlines()
    assert json.loads(entries[-1])["status"] == 200
    panel = main_window.history_panel()
    assert panel.model.rowCount() == 1 and panel.entry_at(0).request_path == "Echo query parameters.yaml"


def test_ctrl_enter_sends_json_body_with_variables(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    _use_peer(main_window, httpbin.url)
    editor = main_window.open_request(ECHO, "Create a record (JSON).yaml")
    editor.url.setFocus()
    qtbot.keyClick(editor.url, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "200" in _pane_text(main_window), timeout=10000)
    qtbot.waitUntil(lambda: '"requestedBy"' in _body_text(main_window), timeout=5000)
    body = _body_text(main_window)
    assert '"requestedBy": "demo"' in body  # collection variable resolved
    assert "{{$guid}}" not in body


def test_teapot_status_is_shown(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    _use_peer(main_window, httpbin.url)
    editor = main_window.open_request(ECHO, "Teapot status.yaml")
    main_window.act_send.trigger()
    qtbot.waitUntil(lambda: "418" in _pane_text(main_window), timeout=10000)


def test_escape_cancels_a_slow_request_promptly(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    _use_peer(main_window, httpbin.url)
    editor = main_window.open_request(ECHO, "Slow response (cancel me).yaml")
    editor.url.setText(f"{httpbin.url}/delay/10")
    main_window.send_current()
    qtbot.waitUntil(lambda: "Sending" in _pane_text(main_window), timeout=5000)
    assert editor.send_button.text() == "Cancel"
    task = main_window._send_task
    time.sleep(0.3)  # let the request reach the server
    qtbot.wait(50)
    started = time.perf_counter()
    qtbot.keyClick(main_window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: task.done(), timeout=3000)
    assert time.perf_counter() - started < 1.5
    assert task.cancelled()
    qtbot.waitUntil(lambda: "ancel" in _pane_text(main_window), timeout=2000)
    assert editor.send_button.text() == "Send" and not main_window.is_sending()


def test_refused_connection_is_a_clear_message(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    port = peers.free_port()
    editor = main_window.open_request(ECHO, "Teapot status.yaml")
    editor.url.setText(f"http://127.0.0.1:{port}/nothing")
    main_window.send_current()
    qtbot.waitUntil(lambda: "refused" in _pane_text(main_window).lower(), timeout=10000)
    assert f"127.0.0.1:{port}" in _pane_text(main_window)
    assert "Traceback" not in _pane_text(main_window)
    assert not main_window.is_sending()


def test_save_with_ctrl_s_writes_the_file_and_clears_the_marker(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = main_window.open_request(ECHO, "Teapot status.yaml")
    index = main_window.tabs.indexOf(editor)
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "?x=1")
    assert editor.is_dirty() and main_window.tabs.tabText(index).startswith("●")
    qtbot.keyClick(editor.url, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.is_dirty() and not main_window.tabs.tabText(index).startswith("●")
    saved = storage.read_yaml(Path(main_window.workspace_root) / ECHO / "Teapot status.yaml")
    assert saved["params"] == [{"name": "x", "value": "1"}]


def test_external_edit_is_picked_up_on_reload(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = main_window.open_request(ECHO, "Teapot status.yaml")
    path = Path(main_window.workspace_root) / ECHO / "Teapot status.yaml"
    path.write_text("name: Teapot status\nmethod: DELETE\nurl: '{{baseUrl}}/status/204'\n", encoding="utf-8")
    qtbot.keyClick(main_window, Qt.Key.Key_F5)  # read in a worker: the tab follows once it is swapped in
    qtbot.waitUntil(lambda: editor.method.currentText() == "DELETE", timeout=5000)
    assert editor.url.text().endswith("/status/204")
    assert not editor.is_dirty()
    # The file watcher reloads by itself after a quiet moment.
    (Path(main_window.workspace_root) / ECHO / "Added by git pull.yaml").write_text(
        "name: Added by git pull\nmethod: GET\nurl: http://example.invalid/\n", encoding="utf-8")
    qtbot.waitUntil(lambda: main_window.collections.model.index_for_key(f"{ECHO}/Added by git pull.yaml").isValid(),
                    timeout=5000)


def test_corrupt_file_is_reported_in_the_status_bar(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = Path(main_window.workspace_root) / ECHO / "Broken.yaml"
    path.write_text("name: [unclosed\nmethod: GET\n", encoding="utf-8")
    main_window.reload_workspace()
    message = main_window.statusBar().currentMessage()
    assert "could not be read" in message and "Broken.yaml" in message and "line" in message
    assert path.read_text(encoding="utf-8") == "name: [unclosed\nmethod: GET\n"


def test_open_tabs_are_restored_from_ui_json(qtbot, qasync_loop, workspace_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from workbench.ui.main_window import MainWindow

    first = MainWindow(str(workspace_dir))
    first.open_request(ECHO, "Teapot status.yaml")
    first.open_request(ECHO, "Echo query parameters.yaml")
    first.close()
    second = MainWindow(str(workspace_dir))
    qtbot.addWidget(second)
    assert second.editors() == []  # tabs come back after the first paint, not before
    second.show()
    qtbot.waitUntil(lambda: second.startup_finished, timeout=10000)
    assert [e.key for e in second.editors()] == [(ECHO, "Teapot status.yaml"), (ECHO, "Echo query parameters.yaml")]
    assert second.current_editor().key == (ECHO, "Echo query parameters.yaml")


def test_splitter_positions_are_remembered(qtbot, qasync_loop, workspace_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The dividers stay where the user dragged them, across restarts (`.workbench/ui.json`)."""
    from workbench.ui.main_window import MainWindow

    first = MainWindow(str(workspace_dir))
    qtbot.addWidget(first)
    first.resize(1200, 800)
    first.show()
    qtbot.waitUntil(lambda: first.startup_finished, timeout=10000)
    first.main_split.setSizes([420, 780])
    first.centre.setSizes([600, 150])  # most of the height for the editor
    main, centre = first.main_split.sizes(), first.centre.sizes()
    first.close()
    second = MainWindow(str(workspace_dir))
    qtbot.addWidget(second)
    second.resize(1200, 800)
    second.show()
    qtbot.waitUntil(lambda: second.startup_finished, timeout=10000)
    assert second.main_split.sizes() == main and second.centre.sizes() == centre
    # A stranger's ui.json (negative sizes) falls back to the default split instead of failing.
    state = workspace_dir / ".workbench" / "ui.json"
    state.write_text('{"splitters": {"main": [-5, "x"], "centre": [0, 0]}}', encoding="utf-8")
    third = MainWindow(str(workspace_dir))
    qtbot.addWidget(third)
    third.resize(1200, 800)
    third.show()
    qtbot.waitUntil(lambda: third.startup_finished, timeout=10000)
    editor_h, response_h = third.centre.sizes()
    assert editor_h > 0 and response_h > 0


def test_history_entry_reopens_a_request(main_window, qtbot, httpbin: peers.Peer) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.workspace.history import HistoryEntry

    saved = HistoryEntry("GET", f"{httpbin.url}/get?a=1", 200, 5.0, time.time(), "Teapot status.yaml", ECHO)
    editor = main_window.open_history_entry(saved)
    assert editor.key == (ECHO, "Teapot status.yaml")
    unsaved = HistoryEntry("PATCH", f"{httpbin.url}/patch?b=2", 200, 5.0, time.time())
    editor = main_window.open_history_entry(unsaved)
    model = editor.to_model()
    assert model.method == "PATCH" and model.url == f"{httpbin.url}/patch" and model.path == ""
    assert [(p.name, p.value) for p in model.params] == [("b", "2")]


def test_open_and_new_workspace(main_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "other"
    storage.init_workspace(target, "Other")
    assert main_window.open_workspace(str(target))
    assert main_window.workspace.name == "Other" and "Other" in main_window.windowTitle()
    assert main_window.tabs.count() == 0 and main_window.collections.empty.isVisibleTo(main_window.collections)


def test_tools_menu_is_reachable(main_window) -> None:  # type: ignore[no-untyped-def]
    menu = main_window.tools_menu()
    assert menu.title() == "&Tools"


def test_background_reload_keeps_the_window_turning(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """An import or a `git pull` of hundreds of files is read in a worker: the event loop keeps running."""
    import time

    from PySide6.QtCore import QTimer

    from workbench.core.workspace import storage

    big = Path(main_window.workspace_root) / "Big"
    big.mkdir()
    (big / storage.COLLECTION_FILE).write_text("name: Big\n", encoding="utf-8")
    for i in range(600):
        (big / f"r{i:03}.yaml").write_text(f"name: r{i}\nmethod: GET\nurl: http://h/{i}\n", encoding="utf-8")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    main_window.reload_workspace_in_background()
    qtbot.waitUntil(lambda: main_window.collections.model.index_for_key("Big/r599.yaml").isValid(), timeout=10000)
    timer.stop()
    assert main_window.workspace.collection("Big") is not None
    assert len(main_window.workspace.collection("Big").all_requests()) == 600
    during = [t for t in ticks if t >= started]
    assert len(during) >= 3  # the loop turned while the worker read 600 files


def test_history_of_a_send_masks_a_secret_variable_under_any_name(main_window, qtbot,  # type: ignore[no-untyped-def]
                                                                  httpbin: peers.Peer) -> None:
    """A secret variable sent as `subscription-key`, in an `X-Auth` header and in a path segment
    never reaches history.jsonl in clear: it is masked by value, whatever carried it."""
    from workbench.core.collections import Collection, Environment, KeyValue, Request

    secret = "Zx9-s3cr3t/v+1"
    root = Path(main_window.workspace_root)
    coll = storage.save_collection(root, Collection("Masked", requests=(
        Request("leak", "GET", "{{baseUrl}}/anything/{{apiKey}}?subscription-key={{apiKey}}",
                headers=(KeyValue("X-Auth", "{{apiKey}}"),)),)))
    storage.save_environment(root, Environment("local", (KeyValue("baseUrl", httpbin.url), KeyValue("apiKey", secret)),
                                               frozenset({"apiKey"})), coll.path)
    main_window.reload_workspace()
    main_window.collections.select_key(coll.path)
    main_window.env_combo.setCurrentText("local")
    editor = main_window.open_request(coll.path, "leak.yaml")
    assert editor is not None
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "200" in _pane_text(main_window), timeout=10000)
    raw = (root / ".workbench" / "history.jsonl").read_text(encoding="utf-8")
    assert json.loads(raw.splitlines()[-1])["status"] == 200
    for form in (secret, "Zx9-s3cr3t%2Fv%2B1", "s3cr3t"):
        assert form not in raw
    assert "subscription-key=•••" in raw and '"X-Auth", "•••"' in raw
