"""The History tab: lists what core/workspace/history.py recorded, newest first, filterable, reopenable."""

from __future__ import annotations

import time
from pathlib import Path

from workbench.core.workspace import history, storage
from workbench.core.workspace.history import HistoryEntry
from workbench.ui.widgets.workspace.history_panel import HistoryPanel


def _write(root: Path, entries: list[HistoryEntry]) -> None:
    import json

    path = storage.state_dir(root) / history.HISTORY_FILE
    with open(path, "a", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps({"method": e.method, "url": e.url, "status": e.status, "elapsed_ms": e.elapsed_ms,
                                 "at": e.at, "request_path": e.request_path, "collection": e.collection,
                                 "headers": []}) + "\n")


def test_lists_newest_first_and_reopens(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    now = time.time()
    _write(tmp_path, [HistoryEntry("GET", "http://h/old", 200, 12.0, now - 100, "Old.yaml", "C"),
                      HistoryEntry("DELETE", "http://h/new?key=•••", 404, 3.5, now, "", "")])
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_workspace(str(tmp_path))
    panel.show()
    assert panel.model.rowCount() == 2 and panel.view.isVisible() and not panel.empty.isVisible()
    row0 = [panel.proxy.index(0, c).data() for c in range(5)]
    assert row0[1:] == ["DELETE", "404", "http://h/new?key=•••", "4"]
    assert panel.entry_at(1).request_path == "Old.yaml"
    with qtbot.waitSignal(panel.open_requested) as opened:
        panel.view.doubleClicked.emit(panel.proxy.index(1, 3))
    assert opened.args[0].url == "http://h/old"


def test_filter_and_live_add(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_workspace(str(tmp_path))
    panel.show()
    assert panel.empty.isVisible() and panel.model.rowCount() == 0
    panel.add_entry(HistoryEntry("GET", "http://h/People", 200, 5, time.time()))
    panel.add_entry(HistoryEntry("POST", "http://h/Orders", 201, 5, time.time()))
    assert not panel.empty.isVisible() and panel.entry_at(0).method == "POST"
    panel.filter.setText("people")
    assert panel.proxy.rowCount() == 1 and panel.entry_at(0).url == "http://h/People"
    panel.filter.setText("201")
    assert panel.proxy.rowCount() == 1 and panel.entry_at(0).method == "POST"


def test_refresh_picks_up_cli_sends(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_workspace(str(tmp_path))
    _write(tmp_path, [HistoryEntry("PUT", "http://h/x", 204, 1.0, time.time())])
    panel.reload()
    assert panel.model.rowCount() == 1 and panel.entry_at(0).status == 204


def test_clear_asks_then_forgets_everything(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    _write(tmp_path, [HistoryEntry("GET", "http://h/a", 200, 1.0, time.time(), "", "")])
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_workspace(str(tmp_path))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    panel.clear_button.click()
    assert panel.model.rowCount() == 1 and history.load(tmp_path)  # a "No" keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.clear_button.click()
    assert panel.model.rowCount() == 0 and history.load(tmp_path) == []
    assert not (tmp_path / ".workbench" / history.HISTORY_FILE).exists()


def test_rows_show_method_path_host_and_status_on_two_lines(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: in a narrow sidebar the path is not elided in the middle; the method is drawn in its colour."""
    from PySide6.QtGui import QColor

    from workbench.ui.palette import current
    from workbench.ui.widgets.workspace.history_row import HistoryRowDelegate

    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_workspace(str(tmp_path))
    panel.resize(290, 400)
    panel.show()
    long_url = "https://api.example.com:8443/odata/v4/catalog/Products?$top=5&$filter=Price%20gt%2010"
    panel.add_entry(HistoryEntry("GET", long_url, 503, 88.4, time.time()))
    assert isinstance(panel.view.itemDelegate(), HistoryRowDelegate)
    rect = panel.view.visualRect(panel.proxy.index(0, 0))
    line = panel.view.fontMetrics().height()
    assert rect.height() >= 2 * line and rect.width() > 250
    image = panel.view.viewport().grab(rect).toImage()
    colours = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}

    def near(target: str) -> bool:
        t = QColor(target)
        return any(abs(QColor(c).red() - t.red()) + abs(QColor(c).green() - t.green())
                   + abs(QColor(c).blue() - t.blue()) < 40 for c in colours)

    assert near(current().method("GET")) and near(current().status(503))
