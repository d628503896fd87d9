"""A parameter value as OpenAPI 3 serializes it: by `style` and `explode`, per location.

OAS 3.0.4/3.1.1 §4.8.12.4 "Style Values" (RFC 6570 expansions): `matrix` (`;name=v`), `label`
(`.v`) and `simple` (`v`) in paths, `form` (`name=v`), `spaceDelimited`, `pipeDelimited` and
`deepObject` in queries, `simple` in headers, `form` in cookies. Defaults: path/header `simple`,
query/cookie `form`; `explode` defaults to true for `form` only (§4.8.12.2). Arrays and objects
are flattened the way the spec's examples table shows (`color=R,100,G,200` vs `R=100&G=200`).

The result is text *before* percent-encoding: the request model keeps values readable, and
`sending/prepare.py` encodes each location as it goes on the wire (a path value's reserved
characters, a query's names and values). Swagger 2 `collectionFormat` is `convert.py`'s.
"""

from __future__ import annotations

from typing import Any, Literal, Mapping

from workbench.core.openapi.samples import to_text

Location = Literal["path", "query", "header", "cookie"]

#: Which styles each location allows (OAS §4.8.12.4), the first being the default.
STYLES: Mapping[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


def style_for(location: str, style: Any) -> str:
    """The style that applies: the declared one when the location allows it, else the default."""
    allowed = STYLES.get(location, ("simple",))
    return style if isinstance(style, str) and style in allowed else allowed[0]


def serialize(name: str, value: Any, location: Location, style: str | None = None,
              explode: bool | None = None) -> list[tuple[str, str]]:
    """`value` as (name, text) pairs for `location`: one pair, or several for exploded queries/cookies.

    For a path or header the single pair's text is the whole value (`;color=blue` for matrix);
    for a query or cookie each pair is one `name=value` (`color[R]=100` for deepObject).
    """
    style = style_for(location, style)
    if explode is None:
        explode = style == "form"
    if isinstance(value, dict):
        pairs = [(str(k), to_text(v)) for k, v in value.items()]
        return _object(name, pairs, style, explode)
    if isinstance(value, (list, tuple)):
        return _array(name, [to_text(v) for v in value], style, explode)
    text = to_text(value)
    if style == "matrix":
        return [(name, f";{name}={text}" if value is not None else f";{name}")]
    if style == "label":
        return [(name, f".{text}")]
    return [(name, text)]


def _array(name: str, items: list[str], style: str, explode: bool) -> list[tuple[str, str]]:
    if style == "matrix":
        if not items:
            return [(name, f";{name}")]
        return [(name, "".join(f";{name}={v}" for v in items) if explode else f";{name}={','.join(items)}")]
    if style == "label":
        return [(name, "." + ("." if explode else ",").join(items))]
    if style == "simple":
        return [(name, ",".join(items))]
    # form, spaceDelimited, pipeDelimited (deepObject is for objects; treated as form)
    if explode:
        return [(name, v) for v in items] or [(name, "")]
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return [(name, separator.join(items))]


def _object(name: str, pairs: list[tuple[str, str]], style: str, explode: bool) -> list[tuple[str, str]]:
    flat = [part for pair in pairs for part in pair]
    if style == "matrix":
        if not pairs:
            return [(name, f";{name}")]
        return [(name, "".join(f";{k}={v}" for k, v in pairs) if explode else f";{name}={','.join(flat)}")]
    if style == "label":
        return [(name, "." + (".".join(f"{k}={v}" for k, v in pairs) if explode else ",".join(flat)))]
    if style == "simple":
        return [(name, ",".join(f"{k}={v}" for k, v in pairs) if explode else ",".join(flat))]
    if style == "deepObject":
        return [(f"{name}[{k}]", v) for k, v in pairs] or [(name, "")]
    if explode:  # form: each property is its own parameter
        return list(pairs) or [(name, "")]
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return [(name, separator.join(flat))]
