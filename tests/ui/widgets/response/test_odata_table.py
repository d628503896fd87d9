"""The OData table against the real CAP service: columns, sorting, @odata.count and next-link paging.

CAP ignores `Prefer: odata.maxpagesize` (checked: no `@odata.nextLink` comes back), so paging is
tested on `PagedTasks`, which the peer serves with server-driven pages of 10 (`@cds.query.limit`).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from exchanges import fetch  # noqa: E402
from PySide6.QtCore import Qt

from workbench.core.response.json_index import JsonIndex
from workbench.core.sending.transport import Exchange
from workbench.ui.widgets.response.odata_table import (
    ODataTable,
    collection_node,
    entity_set_from_context,
)
from workbench.ui.widgets.response.pane import ResponsePane


def show(qtbot, pane: ResponsePane, exchange: Exchange) -> ODataTable:  # type: ignore[no-untyped-def]
    pane.show_exchange(exchange)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=15000)
    assert pane.tab_visible("table")
    return pane.table_view


def column(table: ODataTable, name: str) -> list[object]:
    model = table.model
    col = model.columns.index(name)
    while model.canFetchMore():
        model.fetchMore()
    return [model.data(model.index(r, col), Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def test_columns_come_from_the_entity_type(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    """With `$select=city,ID` the rows hold two members: those columns, in the entity type's order and typed."""
    table = show(qtbot, pane, fetch(f"{odata_server.url}/Users?$select=city,ID&$count=true"))
    assert table.entity_set == "Users"
    assert table.model.columns == ["ID", "city"]
    assert table.model.types["ID"] == "Edm.Int32" and table.model.types["createdAt"] == "Edm.DateTimeOffset"
    assert table.model.total_rows == 20 and table.count == 20
    assert "@odata.count 20" in table.info.text() and "last page" in table.info.text()
    assert column(table, "city")[:2] == ["Madrid", "Oslo"]
    full = show(qtbot, pane, fetch(f"{odata_server.url}/Users?$top=2"))
    assert full.model.columns[:7] == ["ID", "userName", "fullName", "email", "city", "active", "createdAt"]
    # The fetched metadata also checks the rows against the entity type (Contract tab).
    assert "OData entity type CasesService.Users" in pane.contract_summary.text()
    assert pane.tabs.tabText(pane.tabs.indexOf(pane.contract_view)) == "Contract ✔"


def test_without_metadata_columns_are_the_union_of_keys(qtbot, odata_server) -> None:  # type: ignore[no-untyped-def]
    exchange = fetch(f"{odata_server.url}/Cases?$select=title,urgent&$top=3&$expand=owner($select=userName)")
    table = ODataTable()
    qtbot.addWidget(table)
    index = JsonIndex(exchange.response.read_body())
    table.load(index, collection_node(index), exchange)
    assert table.model.columns == ["title", "urgent", "owner", "ID"]  # in the order the rows have them
    owner = table.model.data(table.model.index(0, 2))
    assert owner.startswith('{"userName":') and '"ID":' in owner  # an expanded entity as compact JSON


def test_sorting_by_a_column(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    table = show(qtbot, pane, fetch(f"{odata_server.url}/Cases"))
    amounts = column(table, "amount")
    col = table.model.columns.index("amount")
    table.view.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    assert column(table, "amount") == sorted(amounts)
    table.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert column(table, "amount") == sorted(amounts, reverse=True)
    title_col = table.model.columns.index("title")
    table.view.sortByColumn(title_col, Qt.SortOrder.AscendingOrder)
    titles = column(table, "title")
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 40


def test_paging_with_next_link_append_and_replace(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    table = show(qtbot, pane, fetch(f"{odata_server.url}/PagedTasks?$count=true",
                                    headers=(("Prefer", "odata.maxpagesize=5"),)))
    assert table.model.total_rows == 10 and table.count == 80
    assert "%24skiptoken=10" in table.next_link and table.next_btn.isEnabled()
    assert column(table, "ID") == list(range(1, 11))
    table.next_btn.click()
    qtbot.waitUntil(lambda: table.model.total_rows == 20, timeout=10000)
    assert column(table, "ID") == list(range(1, 21))
    assert "2 pages loaded" in table.info.text() and table.count == 80
    table.mode.setCurrentText("Replace")
    table.fetch_next()
    qtbot.waitUntil(lambda: column(table, "ID")[:1] == [21], timeout=10000)
    assert column(table, "ID") == list(range(21, 31)) and "page 3" in table.info.text()
    for _ in range(5):
        table.fetch_next()
        expected = table.pages + 1
        qtbot.waitUntil(lambda: table.pages == expected, timeout=10000)
    assert column(table, "ID") == list(range(71, 81))
    assert table.next_link  # CAP still links to a page after the last full one
    loaded: list[int] = []
    table.page_loaded.connect(loaded.append)
    table.fetch_next()
    qtbot.waitUntil(lambda: bool(loaded), timeout=10000)
    assert column(table, "ID") == list(range(71, 81))  # the empty page did not wipe the rows
    assert table.next_link == "" and not table.next_btn.isEnabled() and "last page" in table.info.text()
    assert "next page was empty" in table.status.text()


def test_next_page_failure_is_reported(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    table = show(qtbot, pane, fetch(f"{odata_server.url}/PagedTasks"))
    table.next_link = f"{odata_server.url}/Nope?$skiptoken=10"
    failures: list[str] = []
    table.page_failed.connect(failures.append)
    table.fetch_next()
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert failures[0].startswith("The next page answered 404")
    assert table.model.total_rows == 10


def test_next_page_keeps_the_first_requests_headers(qtbot, basic_cap) -> None:  # type: ignore[no-untyped-def]
    """Auth travels with the next-link request: the CAP peer with basic auth needs it."""
    secured = basic_cap
    auth = (("Authorization", "Basic YWxpY2U6YWxpY2UxMjM="),)  # alice:alice123
    exchange = fetch(f"{secured.url}/PagedTasks", headers=auth)
    assert exchange.response.status == 200
    table = ODataTable()
    qtbot.addWidget(table)
    index = JsonIndex(exchange.response.read_body())
    table.load(index, collection_node(index), exchange)
    table.fetch_next()
    qtbot.waitUntil(lambda: table.model.total_rows == 20, timeout=10000)
    table.next_link = table.next_link  # a request without the header fails: prove the header mattered
    table._exchange = replace(exchange, request=replace(exchange.request, headers=()))
    failures: list[str] = []
    table.page_failed.connect(failures.append)
    table.fetch_next()
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert "401" in failures[0]


@pytest.mark.parametrize("context, name", [
    ("$metadata#Users", "Users"), ("http://h/svc/$metadata#Users(ID,name)", "Users"),
    ("$metadata#Users/$entity", "Users"), ("$metadata#Collection(Edm.String)", ""), ("", ""),
])
def test_entity_set_from_context(context: str, name: str) -> None:
    assert entity_set_from_context(context) == name
