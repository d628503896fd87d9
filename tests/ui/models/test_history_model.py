"""The History table model over core's `HistoryEntry` values, and its word filter."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from workbench.core.workspace.history import HistoryEntry
from workbench.ui.models.history import EntryRole, HistoryFilter, HistoryModel

NOW = time.time()
ENTRIES = [HistoryEntry("DELETE", "http://h/new", 404, 3.5, NOW, "", ""),
           HistoryEntry("GET", "http://h/old", 200, 12.0, NOW - 100, "Old.yaml", "C")]


def test_qtmodeltester_with_entries_and_a_prepend(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    model.set_entries(ENTRIES)
    qtmodeltester.check(model, force_py=True)
    model.prepend(HistoryEntry("POST", "http://h/newest", 201, 1.0, NOW + 1))
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r, 1).data() for r in range(3)] == ["POST", "DELETE", "GET"]


def test_columns_and_the_entry_role() -> None:
    model = HistoryModel()
    model.set_entries(ENTRIES)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == ["Time", "Method", "Status", "URL", "ms"]
    assert [model.index(1, c).data() for c in range(1, 5)] == ["GET", "200", "http://h/old", "12"]
    assert model.index(1, 3).data(EntryRole) is ENTRIES[1]
    assert "Saved request: C/Old.yaml" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_filter_keeps_rows_holding_every_word(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    model.set_entries(ENTRIES)
    proxy = HistoryFilter()
    proxy.setSourceModel(model)
    proxy.set_needle("  GET old.YAML ")
    assert proxy.rowCount() == 1 and proxy.index(0, 3).data() == "http://h/old"
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_needle("404 new")
    assert proxy.rowCount() == 1 and proxy.index(0, 1).data() == "DELETE"
    proxy.set_needle("")
    assert proxy.rowCount() == 2


def test_host_and_path_split_what_a_user_reads() -> None:
    from workbench.ui.models.history import host_and_path

    assert host_and_path("https://api.example.com:8443/v1/Orders?$top=5") == ("api.example.com:8443", "/v1/Orders?$top=5")
    assert host_and_path("http://h") == ("h", "/")
    assert host_and_path("https://user:•••@h.example/x") == ("h.example", "/x")
    assert host_and_path("{{baseUrl}}/people") == ("", "{{baseUrl}}/people")
