"""OData paging: server-driven next links (v4 `@odata.nextLink`, v2 `d.__next`) checked against
CAP (`PagedTasks`: pages of 10), and client-driven `$top`/`$skip` windows when a service cuts a
page short without a next link."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from workbench.core.collections import KeyValue, Request
from workbench.core.odata.paging import next_window
from workbench.core.paging.follow import collect, iter_pages, read_page, sender_for

SEED = Path(__file__).resolve().parents[2] / "servers" / "odata" / "db" / "data"


def _task_ids() -> list[int]:
    with (SEED / "wb-Tasks.csv").open(encoding="utf-8") as fh:
        return sorted(int(row["ID"]) for row in csv.DictReader(fh, delimiter=";"))


def test_windows_after_a_page_cut_short() -> None:
    """Like Jitterbit's 1000-row cap: `$top=2500` answered with 1000 rows asks for the rest."""
    url = "http://h/odata/Items?$filter=a%20eq%201&$top=2500"
    got = next_window(url, {"value": []}, 1000)
    assert got is not None and got.url == "http://h/odata/Items?$filter=a%20eq%201&$top=1500&$skip=1000"
    assert got.same_request
    assert next_window("http://h/I?%24top=20&%24skip=5", {}, 10).url == "http://h/I?%24top=10&%24skip=15"  # type: ignore[union-attr]
    assert next_window(url, {}, 2500).url == ""  # type: ignore[union-attr]  # every row asked for came
    assert next_window(url, {}, 0).url == ""  # type: ignore[union-attr]
    assert next_window(url, {"@odata.count": 1000}, 1000).url == ""  # type: ignore[union-attr]
    assert next_window("http://h/I?$skip=5", {}, 10) is None  # no $top: the server decides


@pytest.mark.peers
def test_all_pages_follow_next_links(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    request = Request("t", "GET", f"{root}/PagedTasks", params=(KeyValue("$select", "ID"), KeyValue("$count", "true")))
    result = asyncio.run(collect(sender_for(request), service_root=root))
    ids = _task_ids()
    assert [i["ID"] for i in result.items] == ids
    # CAP sends a next link after a full last page, so an empty page may end the walk.
    assert result.pages in (-(-len(ids) // 10), len(ids) // 10 + 1) and not result.truncated
    assert result.count == len(ids) and result.status == 200 and not result.stopped


@pytest.mark.peers
def test_caps_stop_early_and_report_truncation(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    request = Request("t", "GET", f"{root}/PagedTasks?$select=ID")
    result = asyncio.run(collect(sender_for(request), service_root=root, max_items=25))
    assert [i["ID"] for i in result.items] == _task_ids()[:25]
    assert result.truncated and result.next_url and result.pages == 3
    result = asyncio.run(collect(sender_for(request), service_root=root, max_pages=2))
    assert len(result.items) == 20 and result.truncated


@pytest.mark.peers
def test_next_page_one_at_a_time(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    send_page = sender_for(Request("t", "GET", f"{root}/PagedTasks?$select=ID&$orderby=ID desc"))

    async def go() -> tuple[list[int], list[int]]:
        first = read_page(await send_page(None), service_root=root)
        assert first.next is not None and first.next.source == "@odata.nextLink"
        second = read_page(await send_page(first.next), 2, service_root=root)
        return [i["ID"] for i in first.items], [i["ID"] for i in second.items]

    first, second = asyncio.run(go())
    ids = sorted(_task_ids(), reverse=True)
    assert first == ids[:10] and second == ids[10:20]


@pytest.mark.peers
def test_top_over_server_pages(odata_server) -> None:  # type: ignore[no-untyped-def]
    """`$top=25` on a set paged by 10: next links until 25 rows, no window after them."""
    root = odata_server.url

    async def go() -> list[int]:
        ids: list[int] = []
        async for page in iter_pages(sender_for(Request("t", "GET", f"{root}/PagedTasks?$select=ID&$top=25&$orderby=ID")),
                                     service_root=root):
            ids.extend(i["ID"] for i in page.items)
        return ids

    assert asyncio.run(go()) == _task_ids()[:25]


def test_no_window_once_the_server_pages_by_links() -> None:
    """Olingo keeps `$top` in its next links: the short last page is the end, not a cut page."""
    from workbench.core.paging.follow import locate_next

    last = "http://h/svc/Items?$top=25&$skiptoken=20"
    payload = {"@odata.context": "$metadata#Items", "value": [{}] * 5}
    assert locate_next(last, (), payload, 5, windows=False).url == ""  # type: ignore[union-attr]
    assert locate_next(last, (), payload, 5).url.endswith("$top=20&$skiptoken=20&$skip=5")  # type: ignore[union-attr]
