"""The OData table model: rows parsed on demand from indexed pages, declared columns first, sorting."""

from __future__ import annotations

import orjson
from PySide6.QtCore import QModelIndex, Qt

from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.ui.models.odata_table import FETCH_BATCH, ODataTableModel


def _page(rows: list[dict[str, object]]) -> tuple[JsonIndex, JsonNode]:
    index = JsonIndex(orjson.dumps({"value": rows}))
    index.build()
    node = index.child(index.root, "value")
    assert node is not None
    return index, node


def test_qtmodeltester_over_two_pages(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ODataTableModel()
    model.add_page(*_page([{"ID": i, "name": f"n{i}", "ok": i % 2 == 0} for i in range(5)]))
    model.add_page(*_page([{"ID": 5, "name": None, "extra": [1, 2]}]))
    qtmodeltester.check(model, force_py=True)
    assert model.total_rows == 6 and model.columns == ["ID", "name", "ok", "extra"]  # a later page adds members
    assert model.data(model.index(5, 1)) == "null" and model.data(model.index(5, 2)) == ""  # null vs absent
    assert model.data(model.index(5, 3)) == "[1,2]" and model.data(model.index(0, 3)) == ""


def test_declared_columns_come_first_and_absent_ones_are_left_out() -> None:
    model = ODataTableModel()
    model.set_declared(["ID", "title", "unused"], {"ID": "Edm.Int32", "title": "Edm.String", "unused": "Edm.String"})
    model.add_page(*_page([{"title": "a", "ID": 1, "@odata.etag": "W/1", "more": True}]))
    assert model.columns == ["ID", "title", "more", "@odata.etag"]
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "ID: Edm.Int32"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def test_rows_come_in_batches_and_sort_by_a_column() -> None:
    model = ODataTableModel()
    model.add_page(*_page([{"n": (i * 7) % 1500} for i in range(1500)]))
    assert model.rowCount() == FETCH_BATCH and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 1500 and not model.canFetchMore(QModelIndex())
    model.sort(0, Qt.SortOrder.DescendingOrder)  # small enough to sort at once
    assert [model.data(model.index(r, 0)) for r in range(3)] == ["1499", "1498", "1497"]
