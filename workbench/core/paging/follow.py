"""Walking the pages of a response: one step ("Next page") or all of them, with caps.

Each page is sent through the one send path (`sending/send.send` with the request's context:
its headers, auth, settings and 401 retry), so page 7 goes out as page 1 did. The walk asks
`links` (a next link in the body or the `Link` header), then OData's `$top`/`$skip` windows,
then `page_numbers`, in that order: what the server wrote wins over what we infer.

"All" of a big table is rarely what was meant and must not exhaust memory or run for ever, so
a walk stops at `max_pages` pages or `max_items` rows (and says it was cut short), when a next
link repeats one already fetched (a server that loops), and on a page that failed. A next link
is a stranger's URL: it is followed only to the server the request went to (http may become
https), so the request's credentials never travel to a host the user did not choose. Cancel the
consuming task to stop at once; no request is left behind.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

from workbench.core.collections import Body, Request
from workbench.core.errors import SendError
from workbench.core.odata.paging import next_window
from workbench.core.paging.items import page_items, total_count
from workbench.core.paging.links import (
    NextLink,
    body_next,
    header_next,
    is_odata_collection,
)
from workbench.core.paging.page_numbers import next_page_url
from workbench.core.sending.send import SendContext, send
from workbench.core.sending.transport import Exchange, send_prepared

DEFAULT_MAX_PAGES = 100
DEFAULT_MAX_ITEMS = 100_000
#: A page body above this is not parsed for rows (its `Link` header is still followed).
MAX_PARSED_PAGE_BYTES = 64 * 1024 * 1024

#: Sends one page: None is the request as saved, else the next page a response named.
PageSender = Callable[[NextLink | None], Awaitable[Exchange]]


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its position in the walk, the exchange, its rows, and where the next one is."""

    number: int
    exchange: Exchange
    items: tuple[Any, ...]
    next: NextLink | None  # None: nothing says there is a next page
    count: int | None = None  # the total row count, when the server says it

    @property
    def status(self) -> int:
        return self.exchange.response.status

    @property
    def url(self) -> str:
        return self.exchange.request.url

    @property
    def next_url(self) -> str:
        return self.next.url if self.next is not None else ""


@dataclass(frozen=True, slots=True)
class PagedResult:
    """What a walk collected. `truncated`: a cap stopped it with pages left (`next_url` is
    where it would go on); `stopped`: why it ended before the last page ("" when it did not)."""

    items: tuple[Any, ...]
    pages: int
    status: int
    truncated: bool = False
    next_url: str = ""
    count: int | None = None
    stopped: str = ""
    urls: tuple[str, ...] = ()


# ------------------------------------------------------------------ where the next page is
def locate_next(url: str, headers: tuple[tuple[str, str], ...], payload: Any, items_on_page: int,
                page_size_hint: int | None = None, service_root: str = "", windows: bool = True) -> NextLink | None:
    """The next page of the response to `url` (see the module docstring for the order).

    `windows` False once the walk has followed a server's link: the server pages, and the `$top`
    kept in its next links is no longer what the user asked for in this window.
    """
    said = body_next(payload, url, service_root)
    if said is not None and said.url:
        return said
    link = header_next(headers, url)
    if link is not None:
        return link
    if windows and (is_odata_collection(payload) or said is None):
        window = next_window(url, payload, items_on_page)
        if window is not None:
            return window
    if said is not None:
        return said
    return next_page_url(url, payload, items_on_page, page_size_hint)


def follow_refusal(next_url: str, first_url: str) -> str:
    """Why `next_url` may not be fetched with the credentials of a request to `first_url` ("" = it may)."""
    nxt, first = urlsplit(next_url), urlsplit(first_url)
    if nxt.scheme not in ("http", "https"):
        return f"The next page's address {next_url[:200]!r} is not an http(s) URL; it was not followed."
    same_host = (nxt.hostname or "").lower() == (first.hostname or "").lower()
    same_port = (nxt.port or _default_port(nxt.scheme)) == (first.port or _default_port(first.scheme))
    upgrade = first.scheme == "http" and nxt.scheme == "https"
    if same_host and (same_port and nxt.scheme == first.scheme or upgrade):
        return ""
    return (f"The next page is on another server ({nxt.scheme}://{nxt.netloc}); it was not followed, so the "
            f"request's credentials stay with {first.scheme}://{first.netloc}.")


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def parse_payload(exchange: Exchange) -> Any:
    """The JSON body of a page, or None (not JSON, too big to parse for rows, empty)."""
    response = exchange.response
    if response.size > MAX_PARSED_PAGE_BYTES:
        return None
    body = response.read_body()
    if not body.lstrip()[:1] in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def read_page(exchange: Exchange, number: int = 1, page_size_hint: int | None = None,
              service_root: str = "", windows: bool = True) -> Page:
    """A received page: its rows and where the next one is (nothing after a failed page)."""
    payload = parse_payload(exchange)
    items = page_items(payload)
    response = exchange.response
    following = None
    if response.status < 400:
        following = locate_next(exchange.request.url, response.headers, payload, len(items),
                                page_size_hint, service_root, windows)
    return Page(number, exchange, items, following, total_count(payload))


# ------------------------------------------------------------------ how a page is sent
def sender_for(request: Request, ctx: SendContext | None = None) -> PageSender:
    """Pages of `request` sent through `send()` with its context (headers, auth, settings)."""
    link_request = dataclasses.replace(request, method="GET", body=Body())

    async def send_page(following: NextLink | None) -> Exchange:
        if following is None:
            return await send(request, ctx)
        return await send(request if following.same_request else link_request, ctx, url=following.url)

    return send_page


def replay_sender(exchange: Exchange) -> PageSender:
    """Pages sent by repeating `exchange`'s request as it went out (its auth already applied).

    For a response shown without its request's context (a `$batch` part, `workbench view`, a
    window that did not hand the pane its context): no token refresh, default settings.
    """
    sent = exchange.request

    async def send_page(following: NextLink | None) -> Exchange:
        if following is None:
            return await send_prepared(sent)
        if following.same_request:
            return await send_prepared(dataclasses.replace(sent, url=following.url))
        headers = tuple((k, v) for k, v in sent.headers if k.lower() != "content-type")
        return await send_prepared(dataclasses.replace(sent, method="GET", url=following.url, headers=headers,
                                                       body=b"", form_fields=(), files=()))

    return send_page


# ------------------------------------------------------------------ walking
async def iter_pages(send_page: PageSender, *, start: NextLink | None = None, first_url: str = "",
                     first_number: int = 1, page_size_hint: int | None = None,
                     max_pages: int = DEFAULT_MAX_PAGES, service_root: str = "") -> AsyncIterator[Page]:
    """Yield pages until the last one, a failed one, or `max_pages`.

    `start` None sends the request as saved; else the walk starts at that next page (of a
    response to `first_url`, already shown). Raises `SendError` when a next link may not be
    followed or repeats; the pages before it have been yielded.
    """
    following = start
    seen: set[str] = set()
    origin = first_url
    number = first_number
    by_link = start is not None and not start.same_request
    for _ in range(max(0, max_pages)):
        if following is not None:
            if not origin:
                origin = following.url
            refusal = follow_refusal(following.url, origin)
            if refusal:
                raise SendError(refusal)
            if following.url in seen:
                raise SendError(f"The next page ({following.source}) repeats a page already fetched; "
                                "the walk stopped there.", detail=following.url)
            seen.add(following.url)
        exchange = await send_page(following)
        if not origin:
            origin = exchange.request.url
        seen.add(exchange.request.url)
        page = read_page(exchange, number, page_size_hint, service_root, windows=not by_link)
        if page_size_hint is None and page.items:
            page_size_hint = len(page.items)
        yield page
        following = page.next
        if page.status >= 400 or following is None or not following.url:
            return
        by_link = by_link or not following.same_request
        number += 1


async def collect(send_page: PageSender, *, start: NextLink | None = None, first_url: str = "",
                  max_pages: int = DEFAULT_MAX_PAGES, max_items: int = DEFAULT_MAX_ITEMS,
                  service_root: str = "", on_page: Callable[[Page], None] | None = None) -> PagedResult:
    """All rows over all pages, within the caps. A failure after the first page ends the walk
    with what was collected and says why in `stopped`; a failure of the first page raises."""
    items: list[Any] = []
    urls: list[str] = []
    status = 0
    count: int | None = None
    last: Page | None = None
    stopped = ""
    try:
        async for page in iter_pages(send_page, start=start, first_url=first_url, max_pages=max_pages,
                                     service_root=service_root):
            last = page
            urls.append(page.url)
            status = page.status
            if count is None:
                count = page.count
            if on_page is not None:
                on_page(page)
            room = max_items - len(items)
            items.extend(page.items[:room])
            if len(page.items) > room or (len(items) >= max_items and page.next_url):
                return PagedResult(tuple(items), len(urls), status, True, page.next_url, count, "", tuple(urls))
    except SendError as exc:
        if last is None:
            raise
        stopped = exc.message
    if last is not None and last.status >= 400:
        stopped = f"Page {last.number} answered {last.status} {last.exchange.response.reason}; the walk stopped there."
    next_url = last.next_url if last is not None and not stopped else ""
    return PagedResult(tuple(items), len(urls), status, bool(next_url), next_url, count, stopped, tuple(urls))
