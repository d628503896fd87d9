"""Splitting a typed URL into base and query rows, and joining them back.

The URL box and the Params table edit the same thing; these two functions are the only place
that converts between them, so both directions agree (a round trip keeps order, duplicates,
empty values and `{{variables}}`).
"""

from __future__ import annotations

from urllib.parse import quote, unquote_plus

from workbench.core.collections import KeyValue

# Characters left as typed in a query: OData syntax ($ ( ) ' , ; = : /) and template braces.
_QUERY_SAFE = "$()',;:/@!*{}-._~?"


def split_url(url: str) -> tuple[str, list[KeyValue]]:
    """`http://h/p?a=1&b` -> (`http://h/p`, [a=1, b=]). Values are decoded for display."""
    url = url.strip()
    fragment_free = url.split("#", 1)[0]
    if "?" not in fragment_free:
        return fragment_free, []
    base, query = fragment_free.split("?", 1)
    rows: list[KeyValue] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        rows.append(KeyValue(_decode(name), _decode(value)))
    return base, rows


def _decode(text: str) -> str:
    # Keep `+` as typed in OData values is wrong: `+` means space in form encoding, and servers
    # (CAP, ASP.NET) decode it so. But a literal `{{var}}` must survive untouched.
    return unquote_plus(text) if "%" in text or "+" in text else text


def encode_component(text: str) -> str:
    """Percent-encode a query name or value the way OData servers accept.

    Spaces become `%20` (not `+`: some servers treat `+` literally in $filter), and OData
    punctuation stays readable. `{{variables}}` are left for later substitution.
    """
    return quote(text, safe=_QUERY_SAFE)


def join_url(base: str, params: list[KeyValue] | tuple[KeyValue, ...], *, encode: bool = False) -> str:
    """The URL shown in the URL box (encode=False) or sent on the wire (encode=True)."""
    enabled = [p for p in params if p.enabled and p.name]
    if not enabled:
        return base
    if encode:
        pieces = [f"{encode_component(p.name)}={encode_component(p.value)}" for p in enabled]
    else:
        pieces = [f"{p.name}={p.value}" for p in enabled]
    sep = "&" if "?" in base else "?"
    return base + sep + "&".join(pieces)


def merge_params(old: tuple[KeyValue, ...] | list[KeyValue], typed: list[KeyValue]) -> tuple[KeyValue, ...]:
    """Params after the user edited the URL: typed rows become the enabled ones, disabled rows stay.

    Descriptions are carried over by name so an imported parameter keeps its docs.
    """
    described = {p.name: p.description for p in old}
    result = [KeyValue(p.name, p.value, True, described.get(p.name, "")) for p in typed]
    typed_names = {p.name for p in typed}
    result.extend(p for p in old if not p.enabled and p.name not in typed_names)
    return tuple(result)
