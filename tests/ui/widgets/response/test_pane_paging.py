"""The response pane's Table for any JSON array of objects, with "Next page", "All pages" and
Cancel, against our paging server (tests/servers/paged_api.py)."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import paged_api as server
from exchanges import fetch
from PySide6.QtCore import Qt

from workbench.core.collections import Auth, KeyValue, Request
from workbench.core.sending.send import SendContext, send
from workbench.core.sending.transport import Exchange
from workbench.ui.widgets.response.odata_table import ODataTable
from workbench.ui.widgets.response.pane import ResponsePane

FRENDS = "/frends/api/v1/api-management/api-specifications"


def ids(table: ODataTable) -> list[int]:
    model = table.model
    while model.canFetchMore():
        model.fetchMore()
    col = model.columns.index("id")
    return [model.data(model.index(r, col), Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def sent(request: Request, ctx: SendContext) -> Exchange:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(send(request, ctx))).result(timeout=30)


def shown(qtbot, pane: ResponsePane, exchange: Exchange, request: Request | None = None) -> ODataTable:  # type: ignore[no-untyped-def]
    pane.show_exchange(exchange, request)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=15000)
    assert pane.tab_visible("table")
    return pane.table_view


def test_all_pages_of_a_frends_list(qtbot, pane: ResponsePane, paged_api: server.PagedApi) -> None:  # type: ignore[no-untyped-def]
    """The `data` array is the table; "All pages" follows `paging.nextPage` with the API key."""
    request = Request("List", "GET", "{{base}}" + FRENDS, params=(KeyValue("PageSize", "20"),),
                      auth=Auth("apikey", {"name": "Authorization", "value": "{{key}}", "in": "header"}))
    ctx = SendContext(overrides={"base": paged_api.url, "key": server.FRENDS_KEY})
    pane.set_send_context(ctx)
    table = shown(qtbot, pane, sent(request, ctx), request)
    assert ids(table) == list(range(1, 21)) and table.model.columns == ["id", "name"]
    assert "total 57" in table.info.text() and "more pages available (paging.nextPage)" in table.info.text()
    assert table.next_btn.isEnabled() and table.all_btn.isEnabled()
    before = len(paged_api.requests)
    with qtbot.waitSignal(table.walk_finished, timeout=15000) as finished:
        table.all_btn.click()
    assert finished.args == [2]
    assert ids(table) == list(range(1, 58)) and table.pages == 3
    assert "last page" in table.info.text() and not table.all_btn.isEnabled() and not table.cancel_btn.isVisibleTo(table)
    assert [s.authorization for s in paged_api.requests[before:]] == [server.FRENDS_KEY] * 2


def test_a_top_level_array_pages_by_its_link_header_and_caps(qtbot, pane: ResponsePane,  # type: ignore[no-untyped-def]
                                                             paged_api: server.PagedApi) -> None:
    table = shown(qtbot, pane, fetch(f"{paged_api.url}/link/items?per_page=10"))
    assert ids(table) == list(range(1, 11)) and "Link header" in table.info.text()
    with qtbot.waitSignal(table.walk_finished, timeout=15000):
        table.next_btn.click()
    assert ids(table) == list(range(1, 21))
    table.max_pages.setValue(2)
    with qtbot.waitSignal(table.walk_finished, timeout=15000):
        table.all_btn.click()
    assert ids(table) == list(range(1, 41)) and "more pages remain" in table.status.text()
    assert table.all_btn.isEnabled()


def test_cancel_stops_all_pages_at_once(qtbot, pane: ResponsePane, paged_api: server.PagedApi) -> None:  # type: ignore[no-untyped-def]
    table = shown(qtbot, pane, fetch(f"{paged_api.url}/slow/items?per_page=10"))
    table.all_btn.click()
    assert table.cancel_btn.isVisibleTo(table) and not table.next_btn.isEnabled()
    started = time.monotonic()
    with qtbot.waitSignal(table.walk_finished, timeout=2000) as finished:
        table.cancel_btn.click()
    assert time.monotonic() - started < server.SLOW_S / 2
    assert finished.args == [0] and "Cancelled" in table.status.text()
    assert ids(table) == list(range(1, 11)) and table.next_btn.isEnabled() and not table.cancel_btn.isVisibleTo(table)
