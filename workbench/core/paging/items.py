"""Where a page's rows are, and how many rows the server says there are in all.

A "page" is an array of objects inside an envelope whose name differs per API: OData v4 `value`,
v2 `d.results`, Frends `data`, and `items`, `results`, `records`, `content` (Spring), HAL's
`_embedded.<name>`, or the body itself when it is an array. Both the paging walk (on parsed
JSON) and the response Table (on the lazy `JsonIndex` of a big body) look here, so they agree
on what a row is.
"""

from __future__ import annotations

from typing import Any

from workbench.core.response.json_index import JsonIndex, JsonNode

#: Envelope members that hold a page's rows, in the order they are tried.
ITEM_KEYS = ("value", "data", "items", "results", "records", "content", "entries", "rows")

#: Members that hold the total number of rows, at the top level or under a paging object.
_COUNT_KEYS = ("@odata.count", "odata.count", "@count", "totalCount", "total_count", "totalItems",
               "total_items", "totalElements", "totalRecords", "total")
_PAGING_OBJECTS = ("paging", "pagination", "meta", "page")

#: Largest envelope member (bytes) read when looking for paging facts next to the rows.
ENVELOPE_MEMBER_BYTES = 64 * 1024


def page_items(payload: Any) -> tuple[Any, ...]:
    """The rows of one page (empty when the body holds no recognisable array)."""
    if isinstance(payload, list):
        return tuple(payload)
    if not isinstance(payload, dict):
        return ()
    d = payload.get("d")
    if isinstance(d, dict) and isinstance(d.get("results"), list):
        return tuple(d["results"])
    if isinstance(d, list):
        return tuple(d)
    for key in ITEM_KEYS:
        if isinstance(payload.get(key), list):
            return tuple(payload[key])
    embedded = payload.get("_embedded")
    if isinstance(embedded, dict):
        for value in embedded.values():
            if isinstance(value, list):
                return tuple(value)
    return ()


def _as_count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def total_count(payload: Any) -> int | None:
    """The number of rows in all pages when the server says it (`@odata.count`, v2 `__count`,
    Frends `paging.totalCount`, `total`, …); None when it does not."""
    if not isinstance(payload, dict):
        return None
    d = payload.get("d")
    if isinstance(d, dict) and "__count" in d:
        return _as_count(d["__count"])
    for holder in (payload, *(payload.get(k) for k in _PAGING_OBJECTS)):
        if not isinstance(holder, dict):
            continue
        for key in _COUNT_KEYS:
            if key in holder:
                count = _as_count(holder[key])
                if count is not None:
                    return count
    return None


# ------------------------------------------------------------------ the same, on a lazy JsonIndex
def _array_of_objects(index: JsonIndex, node: JsonNode | None) -> bool:
    """An array whose first items are objects (or an empty array: a page with no rows)."""
    if node is None or node.kind != "a":
        return False
    first = index.children(node, 0, 5)
    return all(child.kind == "o" for child in first)


def collection_node(index: JsonIndex) -> JsonNode | None:
    """The array of rows in a body (see the module docstring), None when there is none."""
    root = index.root
    if root.kind == "a":
        return root if _array_of_objects(index, root) else None
    if root.kind != "o":
        return None
    d = index.child(root, "d")
    if d is not None and d.kind == "o":
        results = index.child(d, "results")
        if _array_of_objects(index, results):
            return results
    elif _array_of_objects(index, d):
        return d
    for key in ITEM_KEYS:
        node = index.child(root, key)
        if _array_of_objects(index, node):
            return node
    embedded = index.child(root, "_embedded")
    if embedded is not None and embedded.kind == "o":
        for child in index.children(embedded, 0, 20):
            if _array_of_objects(index, child):
                return child
    return None


def envelope(index: JsonIndex, rows: JsonNode | None, depth: int = 2) -> Any:
    """The body without its rows: what `links.body_next` and `total_count` need, read from the
    index without parsing a page of 200 000 rows. Big members are left out."""
    return _envelope(index, index.root, rows, depth)


def _envelope(index: JsonIndex, node: JsonNode, rows: JsonNode | None, depth: int) -> Any:
    if node.kind != "o":
        return None
    out: dict[str, Any] = {}
    for child in index.children(node, 0, 200):
        if rows is not None and child.start == rows.start:
            out[str(child.key)] = []
        elif child.kind == "o" and depth > 0:
            out[str(child.key)] = _envelope(index, child, rows, depth - 1)
        elif child.end >= 0 and child.end - child.start <= ENVELOPE_MEMBER_BYTES:
            out[str(child.key)] = index.value(child)
    return out
