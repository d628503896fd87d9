"""Is this request an OData request, and where is its service root? (the query builder's and the browser's question)

Why a rule at all: asking any URL for `$metadata` turns every REST request into a DNS error or a
404 in the query builder, and pre-fills the metadata browser with an address that has nothing
to show. So a request counts as OData only when something says so:

1. where it came from: `odata_service` (generated from a `$metadata`/CSDL) or `odata_version`
   in the request's or its collection's `meta`, or an OData platform's template fact
   (`fact.odata_*`) on the collection: the root is `odata_service` when known;
2. its URL: a `$metadata`, `$batch` or `$count` segment, an OData system query option
   (`$filter`, `$select`, `$expand`, `$orderby`, `$top`, `$skip`, `$count`, `$search`, …; OData
   URL Conventions §5), a path segment `odata` (`/odata/v4/…`, SAP's `/sap/opu/odata/…`), a
   `….svc` segment (WCF Data Services, SAP `…_SRV`-style services behind `.svc`), or a leading
   `{{serviceRoot}}` variable (the name the templates and the sample use).

Anything else (an httpbin echo, a REST API) is not OData; the window says so instead of
fetching. Qt-free on purpose: the rule is tested without widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from workbench.core.errors import ODataQueryError
from workbench.core.odata.parser import parse_url

SYSTEM_OPTIONS = frozenset({"$filter", "$select", "$expand", "$orderby", "$top", "$skip", "$count", "$search",
                            "$format", "$inlinecount", "$apply", "$skiptoken", "$levels", "$compute", "$index"})
_SEGMENT = re.compile(r"/(\$metadata|\$batch|\$count)(?:[/?#]|$)")
_ODATA_PATH = re.compile(r"/(?:odata[^/?#]*|[^/?#]+\.svc)(?:[/?#]|$)", re.IGNORECASE)

NOT_ODATA = ("This request is not an OData request, so the query builder has nothing to build.\n\n"
             "It works with requests generated from a service's $metadata (Tools → Metadata browser), "
             "or whose URL shows OData: a service root such as …/odata/… or ….svc, or $filter, $select, "
             "$expand, $top … options.")


def odata_markers(url: str, meta: Mapping[str, str] | None = None,
                  collection_meta: Mapping[str, str] | None = None) -> bool:
    """True when the request's origin (meta) or its URL (as written or resolved) shows OData."""
    for source in (meta or {}, collection_meta or {}):
        if any(key in source for key in ("odata_service", "odata_version")):
            return True
        if any(key.startswith("fact.odata_") for key in source):
            return True
    text = url.strip()
    if text.startswith("{{serviceRoot}}"):
        return True
    path, _, query = text.partition("?")
    if _SEGMENT.search(path) or _ODATA_PATH.search(path):
        return True
    names = {pair.partition("=")[0].strip().replace("%24", "$").lower() for pair in query.split("&") if pair}
    return bool(names & SYSTEM_OPTIONS)


def odata_service_root(url: str, resolve: Callable[[str], str], meta: Mapping[str, str] | None = None,
                       collection_meta: Mapping[str, str] | None = None) -> str:
    """The service root of an OData request ("" when the request is not OData by `odata_markers`).

    `url` is as written (`{{serviceRoot}}/People`), `resolve` fills its variables. A recorded
    `odata_service` wins when the URL starts with it; otherwise the parser's heuristic splits
    the resolved URL into root and resource path.
    """
    if not odata_markers(url, meta, collection_meta):
        return ""
    resolved = resolve(url)
    for source in (meta or {}, collection_meta or {}):
        root = source.get("odata_service", "")
        if root:
            root = resolve(root).rstrip("/")
            if resolved.startswith(root):
                return root
    if "://" not in resolved:
        return ""
    try:
        root = parse_url(resolved).service_root
    except ODataQueryError:
        return ""
    return root.removesuffix("/$metadata").removesuffix("/$batch")
