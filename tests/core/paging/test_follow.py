"""Walking pages against a real server that pages the ways real APIs do (tests/servers/paged_api.py)."""

from __future__ import annotations

import asyncio

import paged_api as server
import pytest

from workbench.core.collections import Auth, KeyValue, Request
from workbench.core.errors import SendError
from workbench.core.paging.follow import collect, iter_pages, replay_sender, sender_for
from workbench.core.sending.send import SendContext, send

ALL = list(range(1, server.ROWS + 1))
FRENDS = "/frends/api/v1/api-management/api-specifications"


def _ids(items: tuple[object, ...]) -> list[int]:
    return [item["id"] for item in items]  # type: ignore[index]


def frends_request(api: server.PagedApi, size: int = 20) -> Request:
    """The key as the whole Authorization value, from a variable: paging must not lose it."""
    return Request("list", "GET", "{{base}}" + FRENDS, params=(KeyValue("PageSize", str(size)),),
                   auth=Auth("apikey", {"name": "Authorization", "value": "{{apiKey}}", "in": "header"}))


def test_frends_paging_next_page_to_the_end(paged_api: server.PagedApi) -> None:
    ctx = SendContext(overrides={"base": paged_api.url, "apiKey": server.FRENDS_KEY})
    before = len(paged_api.requests)
    result = asyncio.run(collect(sender_for(frends_request(paged_api), ctx)))
    assert _ids(result.items) == ALL and result.pages == 3 and result.status == 200
    assert not result.truncated and not result.stopped and result.count == server.ROWS
    sent = paged_api.requests[before:]
    assert [s.authorization for s in sent] == [server.FRENDS_KEY] * 3
    assert sent[-1].path.endswith("PageNumber=3&PageSize=20")


@pytest.mark.parametrize(("path", "pages"), [
    ("/link/items?per_page=25", 3),           # RFC 8288 Link header
    ("/numbers/items?per_page=6", 10),        # page/per_page, total_pages in the body
    ("/numbers/items", 10),                   # no page parameter sent: the body's `page` says how
    ("/plain/items?PageNumber=1&PageSize=19", 4),  # 19+19+19, then an empty page ends it
    ("/hal/items", 3),                        # HAL _links.next.href, relative
    ("/capped/Items?$top=35&$skip=3", 4),     # silently capped at 10: $top/$skip windows
])
def test_every_way_of_paging(paged_api: server.PagedApi, path: str, pages: int) -> None:
    result = asyncio.run(collect(sender_for(Request("r", "GET", paged_api.url + path))))
    want = ALL[3:38] if "capped" in path else ALL
    assert _ids(result.items) == want and result.pages == pages and not result.stopped


def test_caps_cut_the_walk_short_and_say_so(paged_api: server.PagedApi) -> None:
    request = Request("r", "GET", paged_api.url + "/link/items?per_page=10")
    by_pages = asyncio.run(collect(sender_for(request), max_pages=2))
    assert _ids(by_pages.items) == ALL[:20] and by_pages.truncated and "page=3" in by_pages.next_url
    by_items = asyncio.run(collect(sender_for(request), max_items=15))
    assert _ids(by_items.items) == ALL[:15] and by_items.truncated and by_items.pages == 2


def test_next_links_to_another_host_or_looping_are_not_followed(paged_api: server.PagedApi) -> None:
    elsewhere = asyncio.run(collect(sender_for(Request("r", "GET", paged_api.url + "/elsewhere/items"))))
    assert elsewhere.pages == 1 and len(elsewhere.items) == 5 and "another server" in elsewhere.stopped
    assert not paged_api.seen("/elsewhere/items?PageNumber=2")
    loop = asyncio.run(collect(sender_for(Request("r", "GET", paged_api.url + "/loop/items"))))
    assert loop.pages == 2 and "repeats" in loop.stopped


def test_a_failed_first_page_raises_a_failed_later_page_stops(paged_api: server.PagedApi) -> None:
    no_key = asyncio.run(collect(sender_for(Request("r", "GET", paged_api.url + FRENDS))))
    assert no_key.pages == 1 and no_key.status == 401 and "401" in no_key.stopped
    refused = Request("r", "GET", "http://127.0.0.1:9/nothing")
    with pytest.raises(SendError):
        asyncio.run(collect(sender_for(refused)))


def test_continue_from_a_shown_response_by_replaying_it(paged_api: server.PagedApi) -> None:
    """The response pane's case: page 1 is shown; the walk goes on from its next link."""
    ctx = SendContext(overrides={"base": paged_api.url, "apiKey": server.FRENDS_KEY})

    async def go() -> list[int]:
        first = await send(frends_request(paged_api, 25), ctx)
        from workbench.core.paging.follow import read_page

        page = read_page(first)
        assert page.next is not None and page.next.source == "paging.nextPage"
        ids = []
        async for later in iter_pages(replay_sender(first), start=page.next, first_url=first.request.url,
                                      first_number=2):
            assert later.exchange.request.header("Authorization") == server.FRENDS_KEY
            ids.extend(_ids(later.items))
        return ids

    assert asyncio.run(go()) == ALL[25:]
