"""Where the next page is, when the response says so: a next link in the body or in the headers.

APIs name their next page in a handful of ways, and a user should not have to say which:

- OData v4 `@odata.nextLink` (JSON Format §4.5.5; `odata.nextLink` in v4.0 minimal metadata)
  and v2 verbose `d.__next`: a page of an OData collection without one is the last;
- RFC 8288 `Link: <…>; rel="next"` (GitHub, GitLab, many REST APIs);
- a body that names its next page: `paging.nextPage` (Frends API management), `next`
  (Django REST framework), `links.next` (JSON:API, a string or `{"href": …}`) and HAL's
  `_links.next.href`. A `null` there means "this is the last page".

A link is returned exactly as the server wrote it, resolved against the response URL when it is
relative (never decoded and re-encoded: a `$skiptoken` may contain `%3D` or `+`). Whether a link
may be followed (same server, http or https) is `follow`'s decision, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

#: Longest next link taken from a response: a link longer than any URL a server accepts is not one.
MAX_LINK_CHARS = 16 * 1024


@dataclass(frozen=True, slots=True)
class NextLink:
    """What a response says about its next page: `url` ("" = this is the last page) and `source`,
    where it was said (`@odata.nextLink`, `Link header`, `paging.nextPage`, …) for messages.

    `same_request` says the next page is the same request with one query parameter changed (a
    page number, a `$skip` window): sent with its method and body. A link is fetched with GET
    (RFC 8288: a link is a resource to retrieve, whatever request led to it).
    """

    url: str
    source: str
    same_request: bool = False


def _usable(value: Any) -> bool:
    """A string that can be a link: absolute, or a path or query relative to the response."""
    if not isinstance(value, str) or not value or len(value) > MAX_LINK_CHARS:
        return False
    text = value.strip()
    return "://" in text or text.startswith(("/", "?", "./", "../")) or "?" in text


def _absolute(link: str, base: str) -> str:
    link = link.strip()
    return link if "://" in link else urljoin(base, link)


def _member(payload: Any, *path: str) -> tuple[bool, Any]:
    """(present, value) of the member at `path` in nested objects."""
    node = payload
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def is_odata_collection(payload: Any) -> bool:
    """An OData collection response: v4 `value` with an OData annotation beside it, or v2 `d.results`."""
    if not isinstance(payload, dict):
        return False
    if isinstance(payload.get("value"), list) and any(k.startswith(("@odata.", "odata.", "@")) for k in payload):
        return True
    d = payload.get("d")
    return isinstance(d, dict) and isinstance(d.get("results"), list)


# Body members that name the next page, most specific first. Each: (path, label).
_BODY_LINKS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("@odata.nextLink",), "@odata.nextLink"),
    (("odata.nextLink",), "odata.nextLink"),
    (("@nextLink",), "@nextLink"),
    (("d", "__next"), "d.__next"),
    (("__next",), "__next"),
    (("paging", "nextPage"), "paging.nextPage"),
    (("paging", "next"), "paging.next"),
    (("pagination", "next"), "pagination.next"),
    (("_links", "next", "href"), "_links.next.href"),
    (("links", "next", "href"), "links.next.href"),
    (("links", "next"), "links.next"),
    (("next",), "next"),
)


def body_next(payload: Any, base_url: str, service_root: str = "") -> NextLink | None:
    """The next page a JSON body names; `NextLink("", …)` when it says this is the last page;
    None when the body says nothing about paging.

    Relative OData next links are resolved against the service root when it is known (OData
    JSON §4.5.1: against the context URL, `{root}/$metadata`), else against the response URL.
    """
    if not isinstance(payload, dict):
        return None
    for path, label in _BODY_LINKS:
        present, value = _member(payload, *path)
        if not present:
            continue
        if value is None or value == "":
            return NextLink("", label)
        if isinstance(value, dict):  # `links.next` as an object: `links.next.href` was tried first
            continue
        if not _usable(value):
            continue  # `next` as an opaque cursor or a flag: not a link
        base = service_root.rstrip("/") + "/" if service_root and label.startswith(("@", "odata")) else base_url
        return NextLink(_absolute(value, base), label)
    if is_odata_collection(payload):
        return NextLink("", "@odata.nextLink")  # OData: no next link means the last page
    return None


def parse_link_header(value: str) -> list[tuple[str, frozenset[str]]]:
    """`<a>; rel="next", <b>; rel="prev last"` → [(a, {next}), (b, {prev, last})] (RFC 8288 §3).

    Commas may appear inside `<…>` and quoted strings, so the header is scanned, not split.
    """
    links: list[tuple[str, frozenset[str]]] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("<", i)
        if start < 0:
            break
        end = value.find(">", start + 1)
        if end < 0:
            break
        target = value[start + 1:end]
        i = end + 1
        current: list[str] = []
        quoted = False
        while i < n:
            ch = value[i]
            if ch == '"':
                quoted = not quoted
            elif ch == "," and not quoted:
                i += 1
                break
            current.append(ch)
            i += 1
        params = "".join(current).split(";")
        rels: set[str] = set()
        for param in params:
            name, sep, raw = param.partition("=")
            if sep and name.strip().lower() == "rel":
                rels.update(r.lower() for r in raw.strip().strip('"').split())
        links.append((target.strip(), frozenset(rels)))
    return links


def header_next(headers: tuple[tuple[str, str], ...] | list[tuple[str, str]], base_url: str) -> NextLink | None:
    """The `rel="next"` target of the response's `Link` headers (RFC 8288), or None."""
    for name, value in headers:
        if name.lower() != "link" or len(value) > 8 * MAX_LINK_CHARS:
            continue
        for target, rels in parse_link_header(value):
            if "next" in rels and target and len(target) <= MAX_LINK_CHARS:
                return NextLink(_absolute(target, base_url), "Link header")
    return None
