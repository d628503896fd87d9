"""Paging: next links (v4 `@odata.nextLink`, v2 `d.__next`), caps, and $top windows under a
documented page-size limit; server-driven paging checked against CAP (`PagedTasks`: pages of 10)."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from workbench.core.collections import KeyValue, Request
from workbench.core.odata.paging import (
    fetch_all,
    fetch_windows,
    iter_pages,
    next_link,
    next_page,
    page_items,
    plan_pages,
    total_count,
)

SEED = Path(__file__).resolve().parents[2] / "servers" / "odata" / "db" / "data"


def _task_ids() -> list[int]:
    with (SEED / "wb-Tasks.csv").open(encoding="utf-8") as fh:
        return sorted(int(row["ID"]) for row in csv.DictReader(fh, delimiter=";"))


def test_next_link_v4_relative_and_absolute() -> None:
    payload = {"@odata.nextLink": "PagedTasks?%24skiptoken=10", "value": [1, 2]}
    root = "http://h/odata/v4/cases"
    assert next_link(payload, f"{root}/PagedTasks", root) == f"{root}/PagedTasks?%24skiptoken=10"
    # relative to the service root, not to a deeper request path
    assert next_link(payload, f"{root}/Users(1)/tasks", root) == f"{root}/PagedTasks?%24skiptoken=10"
    assert next_link({"@odata.nextLink": "http://x/y?p=1"}, "http://h/a") == "http://x/y?p=1"
    assert next_link({"value": []}, "http://h/a") == ""
    assert page_items(payload) == (1, 2)


def test_next_link_v2_verbose_json() -> None:
    payload = {"d": {"results": [{"a": 1}], "__next": "http://h/V2/Northwind.svc/Orders?$skiptoken=10248", "__count": "830"}}
    assert next_link(payload, "http://h/V2/Northwind.svc/Orders") == "http://h/V2/Northwind.svc/Orders?$skiptoken=10248"
    assert page_items(payload) == ({"a": 1},)
    assert total_count(payload) == 830
    assert page_items({"d": [{"a": 1}]}) == ({"a": 1},)


def test_plan_pages_respects_a_maximum_page_size() -> None:
    assert plan_pages(2500, 0, 1000) == [(1000, 0), (1000, 1000), (500, 2000)]
    assert plan_pages(10, 5, 1000) == [(10, 5)]
    assert plan_pages(None, 20, 1000) == [(1000, 20)]
    with pytest.raises(ValueError):
        plan_pages(10, 0, 0)


@pytest.mark.peers
def test_all_pages_follow_next_links(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    request = Request("t", "GET", f"{root}/PagedTasks", params=(KeyValue("$select", "ID"), KeyValue("$count", "true")))
    result = asyncio.run(fetch_all(request, service_root=root))
    ids = _task_ids()
    assert [i["ID"] for i in result.items] == ids
    # CAP sends a next link after a full last page, so an empty page may end the walk.
    assert result.pages in (-(-len(ids) // 10), len(ids) // 10 + 1) and not result.truncated
    assert result.count == len(ids)


@pytest.mark.peers
def test_caps_stop_early_and_report_truncation(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    request = Request("t", "GET", f"{root}/PagedTasks?$select=ID")
    result = asyncio.run(fetch_all(request, service_root=root, max_items=25))
    assert [i["ID"] for i in result.items] == _task_ids()[:25]
    assert result.truncated and result.next_link and result.pages == 3
    result = asyncio.run(fetch_all(request, service_root=root, max_pages=2))
    assert len(result.items) == 20 and result.truncated


@pytest.mark.peers
def test_next_page_one_at_a_time(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url

    async def go() -> tuple[list[int], list[int], object]:
        pages = iter_pages(Request("t", "GET", f"{root}/PagedTasks?$select=ID&$orderby=ID desc"), service_root=root)
        first = await pages.__anext__()
        await pages.aclose()
        second = await next_page(first, service_root=root)
        assert second is not None
        return [i["ID"] for i in first.items], [i["ID"] for i in second.items], second

    first, second, _ = asyncio.run(go())
    ids = sorted(_task_ids(), reverse=True)
    assert first == ids[:10] and second == ids[10:20]


@pytest.mark.peers
def test_client_windows_under_a_page_size_limit(odata_server) -> None:  # type: ignore[no-untyped-def]
    """Like Jitterbit's 1000-row limit: $top=35 from $skip=3 fetched in windows of at most 10."""
    root = odata_server.url
    result = asyncio.run(fetch_windows(Request("t", "GET", f"{root}/Tasks?$select=ID&$top=35&$skip=3&$orderby=ID"),
                                       max_page_size=10))
    assert [i["ID"] for i in result.items] == _task_ids()[3:38]
    assert result.pages == 4
    for exchange in result.exchanges:
        assert "%24top=10" in exchange.request.url or "$top=10" in exchange.request.url or \
            "$top=5" in exchange.request.url
    everything = asyncio.run(fetch_windows(Request("t", "GET", f"{root}/Tasks?$select=ID"), max_page_size=30))
    assert [i["ID"] for i in everything.items] == _task_ids() and everything.pages == 3
