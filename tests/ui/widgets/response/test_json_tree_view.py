"""The lazy JSON tree model: Qt's model rules (qtmodeltester), lazy children, growth while indexing."""

from __future__ import annotations

import threading

import orjson
import pytest
from PySide6.QtCore import QModelIndex, Qt

from workbench.core.response.json_index import JsonIndex
from workbench.ui.models.json_tree import (
    FETCH_BATCH,
    NODE_ROLE,
    PATH_ROLE,
    JsonTreeModel,
)

DOC = {
    "@odata.context": "$metadata#Cases",
    "count": 3,
    "value": [{"ID": i, "name": f"n{i}", "tags": ["a", "b"], "owner": {"id": i, "empty": {}}, "none": None}
              for i in range(3)],
    "empty_list": [],
    "flag": True,
}


def _model(doc: object, small: int = 256 * 1024) -> JsonTreeModel:
    index = JsonIndex(orjson.dumps(doc), small_container=small)
    index.build()
    return JsonTreeModel(index)


def test_qtmodeltester_on_a_nested_document(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = _model(DOC)
    qtmodeltester.check(model, force_py=True)


def test_qtmodeltester_on_a_scalar_document(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = JsonTreeModel(JsonIndex(b'  "just a string"  '))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 1
    assert model.data(model.index(0, 2)) == "just a string"


def test_columns_key_type_value_children() -> None:
    model = _model(DOC)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Key", "Type", "Value", "Children"]
    assert model.rowCount() == 5 and not model.canFetchMore(QModelIndex())  # the top level comes at once
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    assert rows == [
        ["@odata.context", "string", "$metadata#Cases", ""],
        ["count", "number", "3", ""],
        ["value", "array", "[3 items]", "3"],
        ["empty_list", "array", "[0 items]", "0"],
        ["flag", "boolean", "true", ""],
    ]
    value = model.index(2, 0)
    assert model.hasChildren(value) and not model.hasChildren(model.index(3, 0))
    assert model.rowCount(value) == 0  # not materialised until expanded
    model.fetchMore(value)
    first = model.index(0, 0, value)
    assert model.data(first) == "[0]" and model.data(first, PATH_ROLE) == "$.value[0]"
    model.fetchMore(first)
    owner = model.index(3, 0, first)
    assert model.data(owner) == "owner" and model.data(owner.siblingAtColumn(2)) == "{2 keys}"
    assert model.parent(owner) == first and model.parent(first) == value
    assert model.data(owner, NODE_ROLE).path() == "$.value[0].owner"


def test_big_arrays_are_fetched_in_batches(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = _model(list(range(FETCH_BATCH * 2 + 17)), small=64)
    assert model.rowCount() == FETCH_BATCH and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == FETCH_BATCH * 2 + 17 and not model.canFetchMore(QModelIndex())
    deep = model.index_for_rows([FETCH_BATCH * 2 + 3])
    assert model.data(deep.siblingAtColumn(2)) == str(FETCH_BATCH * 2 + 3)
    qtmodeltester.check(model, force_py=True)


def test_model_grows_while_the_index_is_built(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The worker appends rows; refresh() inserts them (rowsInserted) without a reset."""
    doc = {"value": [{"i": i, "pad": "x" * 50} for i in range(30000)]}
    index = JsonIndex(orjson.dumps(doc), small_container=1024)
    model = JsonTreeModel(index)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))
    worker = threading.Thread(target=index.build)
    worker.start()
    qtbot.waitUntil(lambda: len(index._registry) >= 2, timeout=5000)
    model.refresh()
    value = model.index(0, 0)
    assert model.data(value) == "value"
    model.fetchMore(value)
    worker.join(10)
    model.refresh()
    while model.canFetchMore(value):
        model.fetchMore(value)
    assert model.rowCount(value) == 30000
    assert model.data(model.index(29999, 0, value)) == "[29999]"
    assert sum(inserted) + 1 >= 30000  # the top row may come with set_index or refresh
    assert model.data(value.siblingAtColumn(3)) == "30,000"


@pytest.mark.parametrize("broken", [b'{"a": [1, 2', b'{"a": {"b": tru}}'])
def test_broken_slices_show_an_error_not_a_crash(broken: bytes) -> None:
    index = JsonIndex(broken, small_container=1)
    with pytest.raises(Exception):
        index.build()
    model = JsonTreeModel(index)
    model.fetchMore(QModelIndex())
    for row in range(model.rowCount()):
        for col in range(4):
            model.data(model.index(row, col))  # no exception escapes into Qt
