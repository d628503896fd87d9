"""Following OData paging: server-driven next links, and client-driven `$top`/`$skip` pages.

A service returns a partial collection plus a next link when it pages on its side
(OData v4 JSON Format §4.5.5 `@odata.nextLink`; v2 JSON verbose `d.__next`). A user wants
"next page" and "all pages" — with a cap, because "all" of a big table is rarely what was
meant and must not exhaust memory. Some platforms also document a hard maximum `$top`
(Jitterbit App Builder: 1000) and silently truncate above it; `plan_pages` splits a larger
request into `$top`/`$skip` windows that respect the limit.

Next links are sent exactly as the server wrote them (never decoded and re-encoded: a
`$skiptoken` may contain `%3D` or `+`).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, AsyncIterator
from urllib.parse import urljoin

from workbench.core.auth import schemes as auth_mod
from workbench.core.collections import Request
from workbench.core.errors import SendError
from workbench.core.sending.prepare import PreparedRequest
from workbench.core.sending.send import SendContext, check_resolved, prepare_in
from workbench.core.sending.transport import Exchange, send_prepared

DEFAULT_MAX_PAGES = 100
DEFAULT_MAX_ITEMS = 100_000


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its items, the link to the next (absolute, "" at the end) and the exchange."""

    items: tuple[Any, ...]
    next_link: str
    exchange: Exchange
    count: int | None = None  # `@odata.count` / v2 `__count` when the server sent it


@dataclass(frozen=True, slots=True)
class PagedResult:
    """All items collected over several pages; `truncated` says a cap stopped the walk early."""

    items: tuple[Any, ...]
    pages: int
    truncated: bool = False
    next_link: str = ""
    count: int | None = None
    exchanges: tuple[Exchange, ...] = field(default=(), repr=False)


def parse_payload(body: bytes | str | Any) -> Any:
    if isinstance(body, (bytes, str)):
        try:
            return json.loads(body)
        except ValueError as exc:
            raise SendError(f"The response is not JSON, so it cannot be paged: {exc}") from exc
    return body


def page_items(payload: Any) -> tuple[Any, ...]:
    """The entities of a collection response: v4 `value`, v2 `d.results` or `d` as a list."""
    if isinstance(payload, dict):
        if isinstance(payload.get("value"), list):
            return tuple(payload["value"])
        d = payload.get("d")
        if isinstance(d, dict) and isinstance(d.get("results"), list):
            return tuple(d["results"])
        if isinstance(d, list):
            return tuple(d)
    if isinstance(payload, list):
        return tuple(payload)
    return ()


def total_count(payload: Any) -> int | None:
    if isinstance(payload, dict):
        for key in ("@odata.count", "odata.count", "@count"):
            if key in payload:
                try:
                    return int(payload[key])
                except (TypeError, ValueError):
                    return None
        d = payload.get("d")
        if isinstance(d, dict) and "__count" in d:
            try:
                return int(d["__count"])
            except (TypeError, ValueError):
                return None
    return None


def next_link(payload: Any, request_url: str, service_root: str = "") -> str:
    """The absolute URL of the next page, or "" when this is the last one.

    v4 next links may be relative; OData JSON §4.5.1 resolves them against the context URL,
    whose base is the service root (`{root}/$metadata`), so the service root is the base when
    known, else the request URL.
    """
    link: Any = None
    if isinstance(payload, dict):
        link = payload.get("@odata.nextLink") or payload.get("odata.nextLink") or payload.get("@nextLink")
        d = payload.get("d")
        if link is None and isinstance(d, dict):
            link = d.get("__next")
        if link is None:
            link = payload.get("__next")
    if not isinstance(link, str) or not link:
        return ""
    if "://" in link:
        return link
    if service_root:
        return urljoin(service_root.rstrip("/") + "/", link)
    return urljoin(request_url, link)


def plan_pages(top: int | None, skip: int, max_page_size: int) -> list[tuple[int, int]]:
    """(`$top`, `$skip`) windows that fetch `top` rows from `skip` in pages of at most
    `max_page_size` (e.g. Jitterbit's 1000). `top=None` means "until a short page"; then only
    the first window is planned."""
    if max_page_size <= 0:
        raise ValueError("max_page_size must be positive")
    if top is None:
        return [(max_page_size, skip)]
    windows: list[tuple[int, int]] = []
    done = 0
    while done < top:
        size = min(max_page_size, top - done)
        windows.append((size, skip + done))
        done += size
    return windows


async def _send(prepared: PreparedRequest, ctx: SendContext) -> Exchange:
    ready = await auth_mod.apply(prepared, ctx.token_provider)
    return await send_prepared(ready, ctx.settings)


def _page(exchange: Exchange, service_root: str) -> Page:
    response = exchange.response
    if response.status >= 400:
        raise SendError(f"Page request failed: {response.status} {response.reason}",
                        detail=response.text()[:2000])
    payload = parse_payload(response.read_body())
    return Page(page_items(payload), next_link(payload, response.url or exchange.request.url, service_root),
                exchange, total_count(payload))


async def iter_pages(request: Request | PreparedRequest, ctx: SendContext | None = None, *,
                     service_root: str = "", max_pages: int = DEFAULT_MAX_PAGES,
                     page_size: int | None = None) -> AsyncIterator[Page]:
    """Yield pages, following next links, until the last page or `max_pages`.

    `page_size` asks the server for smaller pages with `Prefer: odata.maxpagesize` (OData v4
    Protocol §8.2.8.3); servers may ignore it. Cancel the consuming task to stop at once.
    """
    ctx = ctx or SendContext()
    if isinstance(request, Request):
        prepared = prepare_in(request, ctx)
        check_resolved(prepared, ctx)
    else:
        prepared = request
    if page_size:
        prepared = prepared.with_header("Prefer", f"odata.maxpagesize={page_size}")
    for _ in range(max_pages):
        page = _page(await _send(prepared, ctx), service_root)
        yield page
        if not page.next_link:
            return
        prepared = dataclasses.replace(prepared, url=page.next_link, body=b"")


async def next_page(page: Page, ctx: SendContext | None = None, *, service_root: str = "") -> Page | None:
    """The page after `page` ("Next page" button), or None at the end."""
    if not page.next_link:
        return None
    prepared = dataclasses.replace(page.exchange.request, url=page.next_link, body=b"")
    return _page(await _send(prepared, ctx or SendContext()), service_root)


async def fetch_all(request: Request | PreparedRequest, ctx: SendContext | None = None, *,
                    service_root: str = "", max_pages: int = DEFAULT_MAX_PAGES,
                    max_items: int = DEFAULT_MAX_ITEMS, page_size: int | None = None) -> PagedResult:
    """All items over all pages, stopping at `max_pages` pages or `max_items` items."""
    items: list[Any] = []
    exchanges: list[Exchange] = []
    pages = 0
    count: int | None = None
    last_link = ""
    async for page in iter_pages(request, ctx, service_root=service_root, max_pages=max_pages, page_size=page_size):
        pages += 1
        exchanges.append(page.exchange)
        if count is None:
            count = page.count
        room = max_items - len(items)
        items.extend(page.items[:room])
        last_link = page.next_link
        if len(page.items) > room:
            return PagedResult(tuple(items), pages, True, last_link, count, tuple(exchanges))
        if len(items) >= max_items and last_link:
            return PagedResult(tuple(items), pages, True, last_link, count, tuple(exchanges))
    return PagedResult(tuple(items), pages, bool(last_link), last_link, count, tuple(exchanges))


async def fetch_windows(request: Request, ctx: SendContext | None = None, *, max_page_size: int,
                        max_pages: int = DEFAULT_MAX_PAGES) -> PagedResult:
    """Client-driven paging for services with a documented `$top` maximum and no next links.

    The request's own `$top`/`$skip` (if any) say what the user wants; each window asks for at
    most `max_page_size` rows. Without `$top`, windows continue until a short page. Server next
    links, when present, are still followed inside each window.
    """
    from workbench.core.odata.parser import parse_options
    from workbench.core.urls import split_url

    ctx = ctx or SendContext()
    base, typed = split_url(request.url)
    rows = [p for p in (*typed, *request.params) if p.enabled and p.name]
    query = "&".join(f"{p.name}={p.value}" for p in rows)
    options = parse_options(query) if query else None
    top = options.top if options else None
    skip = (options.skip or 0) if options else 0
    kept = tuple(p for p in rows if p.name.lower() not in ("$top", "$skip"))
    items: list[Any] = []
    exchanges: list[Exchange] = []
    pages = 0
    count: int | None = None
    windows = plan_pages(top, skip, max_page_size)
    index = 0
    while index < len(windows) and pages < max_pages:
        size, offset = windows[index]
        from workbench.core.collections import KeyValue

        params = kept + (KeyValue("$top", str(size)), KeyValue("$skip", str(offset)))
        window_request = dataclasses.replace(request, url=base, params=params)
        got = 0
        async for page in iter_pages(window_request, ctx, max_pages=max_pages - pages):
            pages += 1
            exchanges.append(page.exchange)
            count = page.count if count is None else count
            items.extend(page.items)
            got += len(page.items)
        index += 1
        if got < size:
            return PagedResult(tuple(items), pages, False, "", count, tuple(exchanges))
        if top is None:
            windows.append((max_page_size, offset + size))
    return PagedResult(tuple(items), pages, index < len(windows), "", count, tuple(exchanges))
