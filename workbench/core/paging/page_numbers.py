"""Paging by a page-number query parameter: ask for page 1, 2, 3… until the server runs out.

Many REST APIs name no next link and page by number instead: Frends API management
(`PageNumber`, default 1, and `PageSize`, default 30, max 200), and the common `page` with
`per_page`/`pageSize`/`limit`. The walk increments the number in the URL that was sent and
stops at the first of:

- an empty page, or one shorter than the page size (the `PageSize` sent, else the first page's
  length);
- what the body says: the last page number (`lastPage`, `totalPages`, `total_pages`,
  `pageCount`; Frends' `paging.lastPage` is a URL and its `PageNumber` counts), a total row
  count (`totalCount`, `total`, …) already reached, or `hasMore: false`.

The URL is changed in one place only (the page number's value), so every other byte of the
query goes out as it was sent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from workbench.core.paging.items import total_count
from workbench.core.paging.links import NextLink

#: Query parameters that carry the page number, compared case-insensitively.
PAGE_PARAMS = ("PageNumber", "page", "page_number", "pageNo", "pageIndex")
#: Query parameters that carry the page size.
SIZE_PARAMS = ("PageSize", "per_page", "page_size", "perPage", "limit", "size", "pageLimit")

_LAST_PAGE_KEYS = ("lastPage", "last_page", "totalPages", "total_pages", "pageCount", "page_count")
_MORE_KEYS = ("hasMore", "has_more", "hasNextPage", "has_next_page", "has_next")
_HOLDERS = ("paging", "pagination", "meta", "page")
#: A page number above this is not one (a timestamp, an id): the walk does not go there.
MAX_PAGE_NUMBER = 10_000_000


def _query(url: str) -> str:
    return url.split("#", 1)[0].partition("?")[2]


def query_value(url: str, names: tuple[str, ...]) -> tuple[str, str] | None:
    """(name as written, raw value) of the first query parameter among `names` (any case)."""
    wanted = {n.lower() for n in names}
    for piece in _query(url).split("&"):
        name, _, value = piece.partition("=")
        if name.lower() in wanted:
            return name, value
    return None


def with_param(url: str, name: str, value: str) -> str:
    """`url` with query parameter `name` set to `value`; the rest of the URL byte for byte."""
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    pieces = query.split("&") if q and query else []
    encoded = quote(value, safe="")
    for i, piece in enumerate(pieces):
        if piece.partition("=")[0] == name:
            pieces[i] = f"{name}={encoded}"
            break
    else:
        pieces.append(f"{name}={encoded}")
    return f"{path}?{'&'.join(pieces)}{hash_}{fragment}"


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _facts(payload: Any) -> list[dict[str, Any]]:
    """The objects that may hold paging facts: the body and its paging object."""
    if not isinstance(payload, dict):
        return []
    return [payload, *(payload[k] for k in _HOLDERS if isinstance(payload.get(k), dict))]


def page_parameter(url: str, payload: Any) -> tuple[str, int] | None:
    """(parameter name, current page) when the request pages by number, else None.

    The number is read from the URL that was sent; without one there, a body with a top-level
    `page` number and a page total (`total_pages`, as reqres does) pages by `page`.
    """
    found = query_value(url, PAGE_PARAMS)
    if found is not None:
        number = _int(found[1])
        return (found[0], number) if number is not None and 0 <= number < MAX_PAGE_NUMBER else None
    if isinstance(payload, dict):
        number = _int(payload.get("page"))
        if number is not None and any(k in payload for k in _LAST_PAGE_KEYS) and 0 <= number < MAX_PAGE_NUMBER:
            return "page", number
    return None


def _last_page(payload: Any, name: str) -> int | None:
    for holder in _facts(payload):
        for key in _LAST_PAGE_KEYS:
            value = holder.get(key)
            number = _int(value)
            if number is None and isinstance(value, str) and "?" in value:
                found = query_value(value, (name,))  # Frends: `lastPage` is the last page's URL
                number = _int(found[1]) if found else None
            if number is not None:
                return number
    return None


def _no_more(payload: Any) -> bool:
    return any(holder.get(key) is False for holder in _facts(payload) for key in _MORE_KEYS)


def next_page_url(url: str, payload: Any, items_on_page: int, page_size_hint: int | None = None) -> NextLink | None:
    """The URL of the page after the one `url` fetched; `NextLink("", …)` after the last page;
    None when the request does not page by number.

    `page_size_hint` is the first page's length, the page size when the URL names none.
    """
    found = page_parameter(url, payload)
    if found is None:
        return None
    name, current = found
    label = f"{name} parameter"
    size_param = query_value(url, SIZE_PARAMS)
    size = _int(size_param[1]) if size_param else None
    size = size or page_size_hint
    if items_on_page == 0 or (size and items_on_page < size):
        return NextLink("", label)
    last = _last_page(payload, name)
    if last is not None and current >= last:
        return NextLink("", label)
    total = total_count(payload)
    if total is not None and size and max(current, 1) * size >= total:
        return NextLink("", label)
    if _no_more(payload):
        return NextLink("", label)
    return NextLink(with_param(url, name, str(current + 1)), label, same_request=True)
