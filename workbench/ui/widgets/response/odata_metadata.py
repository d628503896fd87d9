"""The `$metadata` behind an OData response, fetched once per service for the Table and Contract tabs.

An OData JSON response names its metadata document in `@odata.context` (OData JSON Format
4.01 §4.5.1). Fetching it gives the table its declared columns in declaration order and the
contract check its entity type. It is fetched with the first request's headers (so auth carries
over) and kept per URL for the life of the process: a service's metadata rarely changes while
one browses its responses, and refetching it for every page would double the traffic.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable
from urllib.parse import urljoin

from workbench.core.errors import WorkbenchError
from workbench.core.response.json_index import JsonIndex
from workbench.core.sending.transport import Exchange, send_prepared
from workbench.ui.background import CoroutineJob

if TYPE_CHECKING:
    from workbench.core.csdl.model import Model

__all__ = ["cached", "fetch", "metadata_url", "remember"]

_cache: dict[str, Model] = {}


def metadata_url(index: JsonIndex, exchange: Exchange) -> str:
    """The absolute `$metadata` URL named by the body's `@odata.context` ("" when it names none)."""
    context = index.child(index.root, "@odata.context")
    try:
        context_url = index.value(context) if context is not None else ""
    except WorkbenchError:
        return ""
    if not isinstance(context_url, str) or "$metadata" not in context_url:
        return ""
    base = exchange.response.url or exchange.request.url
    return urljoin(base, context_url.split("#", 1)[0])


def cached(url: str) -> Model | None:
    return _cache.get(url)


def remember(url: str, model: Model) -> None:
    _cache[url] = model


def fetch(exchange: Exchange, url: str, on_done: Callable[[Model | None], None],
          on_error: Callable[[BaseException], None]) -> CoroutineJob:
    """GET `url` as XML with the headers of `exchange`'s request; None when the service refuses."""
    prepared = replace(exchange.request, method="GET", url=url, body=b"", form_fields=(), files=())
    prepared = prepared.with_header("Accept", "application/xml")

    async def get() -> Model | None:
        answer = await send_prepared(prepared)
        if answer.response.status >= 400:
            return None
        from workbench.core.csdl.source import parse_bytes

        return parse_bytes(answer.response.read_body(), url, answer.response.content_type)

    return CoroutineJob(get, on_done, on_error)
