"""Where a `$metadata` document comes from: a file, raw bytes, or `GET {service}/$metadata`.

Fetching goes through `send.send`, the same path as any saved request, so the metadata of a
protected service is read with the request's (or collection's) auth, variables and settings —
a user who can call the service can browse it. Parsing a large document (Microsoft Graph,
3.5 MB) runs in a worker thread (`workers.in_worker`) so the UI's event loop
never stalls, and
the whole load is a coroutine a caller can cancel.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.csdl.model import Model
from workbench.core.errors import CsdlError, HttpStatus

if TYPE_CHECKING:  # httpx, the send machinery and the collection model load only when a URL is fetched
    from workbench.core.collections import Request
    from workbench.core.sending.send import SendContext

METADATA_ACCEPT = "application/xml, application/json;q=0.9, */*;q=0.1"


def is_url(source: str) -> bool:
    """True for http(s) URLs and `{{variable}}`-based URLs (resolved when sent)."""
    low = source.strip().lower()
    return low.startswith(("http://", "https://", "{{"))


def metadata_url(service: str) -> str:
    """`{service}/$metadata` unless the URL already addresses `$metadata` (OData URL Conventions §4.1)."""
    url = service.strip()
    base = url.split("?", 1)[0].rstrip("/")
    if base.endswith("/$metadata"):
        return url
    query = url.split("?", 1)[1] if "?" in url else ""
    return f"{base}/$metadata" + (f"?{query}" if query else "")


def parse_bytes(data: bytes | str, source: str = "", content_type: str = "") -> Model:
    """Parse a CSDL document, XML or JSON, whichever it is (sniffed, Content-Type as a hint)."""
    text_start = data.lstrip()[:1] if isinstance(data, str) else data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if text_start in ("{", b"{") or ("json" in content_type and text_start not in ("<", b"<")):
        from workbench.core.csdl.json_reader import parse_json

        return parse_json(data, source)
    if not text_start:
        raise CsdlError(f"{source or 'The document'} is empty: no CSDL to read.")
    from workbench.core.csdl.xml_reader import parse_xml

    return parse_xml(data, source)


def load_file(path: str | os.PathLike[str]) -> Model:
    """Read and parse a CSDL file (XML `.xml`/`.edmx` or JSON)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError as exc:
        raise CsdlError(f"{file}: no such file") from exc
    except IsADirectoryError as exc:
        raise CsdlError(f"{file} is a folder, not a CSDL file") from exc
    except OSError as exc:
        raise CsdlError(f"{file}: cannot be read ({exc.strerror or exc})") from exc
    return parse_bytes(data, str(file))


def metadata_request(service: str, template: Request | None = None) -> Request:
    """The `GET …/$metadata` request, taking auth and headers from `template` (a request of the service)."""
    from workbench.core.collections import KeyValue, Request

    url = metadata_url(service)
    headers = tuple(h for h in (template.headers if template else ()) if h.name.lower() != "accept")
    base = template or Request(name="$metadata")
    return replace(base, name="$metadata", method="GET", url=url, params=(), body=Request("").body,
                   headers=(*headers, KeyValue("Accept", METADATA_ACCEPT)), path=base.path,
                   meta={**dict(base.meta), "odata_service": url.rsplit("/$metadata", 1)[0]})


async def fetch_metadata(service: str, template: Request | None = None,
                         context: "SendContext | None" = None) -> Model:
    """`GET {service}/$metadata` with the request's auth, then parse it off the event loop.

    A non-2xx answer is a CsdlError naming the status, because the body is then an error page,
    not CSDL; transport failures arrive as SendError from `send`.
    """
    from workbench.core.sending.send import send

    request = metadata_request(service, template)
    exchange = await send(request, context)
    response = exchange.response
    if not 200 <= response.status < 300:
        snippet = " ".join(response.text()[:200].split())
        raise CsdlError(f"GET {exchange.request.url} answered {response.status} {response.reason}: "
                        "no metadata to show.", detail=snippet or None) from HttpStatus(response.status)
    data = response.read_body()
    # asyncio's executor: not loaded by `metadata FILE`
    from workbench.core.workers import in_worker

    return await in_worker(parse_bytes, data, exchange.request.url, response.content_type)


async def load_metadata(source: str, template: Request | None = None,
                        context: "SendContext | None" = None) -> Model:
    """Load a model from a file path or a service URL (entry point for the UI and the CLI).

    `template` is a request of the service whose auth/headers the `$metadata` GET reuses, and
    `context` the send context (collection, environment, settings) it runs in.
    """
    if is_url(source) or (context is not None and "{{" in source):
        return await fetch_metadata(source, template, context)
    from workbench.core.workers import in_worker

    return await in_worker(load_file, source)


def load_metadata_sync(source: str, template: Request | None = None,
                       context: "SendContext | None" = None) -> Model:
    """`load_metadata` for callers without an event loop (the CLI); files are read directly."""
    if not is_url(source):
        return load_file(source)
    import asyncio

    return asyncio.run(load_metadata(source, template, context))
