"""OData's client-driven paging: `$top`/`$skip` windows when a service cuts a page short silently.

Server-driven paging (`@odata.nextLink`, v2 `__next`) is followed by `core/paging/`. Some
services instead cap `$top` without saying so: Jitterbit App Builder documents a maximum of 1000
rows and returns 1000 for `$top=2500`, with no next link. `$top` is the number of rows the user
asked for (OData URL Conventions §5.1.6), so a page shorter than `$top` with no next link
means either "there are no more rows" or "the service cut the page": the next window
(`$skip` + rows received, `$top` − rows received) tells which, and an empty one ends the walk.
`@odata.count`, when the service sent it, saves that last request.
"""

from __future__ import annotations

from typing import Any

from workbench.core.paging.items import total_count
from workbench.core.paging.links import NextLink
from workbench.core.paging.page_numbers import query_value, with_param

_SOURCE = "$top/$skip window"


def _number(url: str, name: str) -> tuple[str, int] | None:
    found = query_value(url, (name, name.replace("$", "%24")))
    if found is None or not found[1].isdigit():
        return None
    return found[0], int(found[1])


def next_window(url: str, payload: Any, items_on_page: int) -> NextLink | None:
    """The window after the one `url` asked for; `NextLink("", …)` when the rows asked for have
    all come; None when the request has no `$top` (then the server decides the page size)."""
    top = _number(url, "$top")
    if top is None:
        return None
    top_name, wanted = top
    skip = _number(url, "$skip")
    skip_name, offset = skip if skip is not None else ("$skip", 0)
    if items_on_page == 0 or items_on_page >= wanted:
        return NextLink("", _SOURCE)
    count = total_count(payload)
    if count is not None and offset + items_on_page >= count:
        return NextLink("", _SOURCE)
    following = with_param(url, top_name, str(wanted - items_on_page))
    return NextLink(with_param(following, skip_name, str(offset + items_on_page)), _SOURCE, same_request=True)
