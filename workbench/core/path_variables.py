"""Path variables: `{name}` placeholders in a request's URL and the values that fill them.

The URL keeps the OpenAPI template as written (`{{baseUrl}}/pets/{petId}`), and the request
holds one row per placeholder (`Request.path_variables`), as Postman's "Path Variables" table
does for its `:petId`. `{name}` rather than `:name`: it is what the descriptor says (re-import
and contract checks match it), it also marks a placeholder inside a segment
(`/files/{name}.{ext}`, Google's `/{name}:cancel`), and a raw `{` is never valid in a URL
(RFC 3986 §2), so it cannot be mistaken for real path text the way `:x` can (`/a:b` is valid).
`{{name}}` is a variable, not a placeholder: single braces only.

Values are filled at send time (`sending/prepare.py`): `{{variables}}` in them resolved first,
then percent-encoded as a path segment needs (RFC 3986 §3.3 `pchar`): `/ ? # [ ]`, spaces and
non-ASCII are encoded, sub-delimiters (`, ; = . :`) stay, since the OpenAPI styles use them as
separators (`;id=5`, `R=100,G=200`). `allowReserved` does not apply to paths (OAS §4.8.12.1).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping
from urllib.parse import quote

from workbench.core.collections import KeyValue

PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}/?#\s]+)\}(?!\})")
_PCHAR_SAFE = "!$&'()*+,;=:@-._~%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _template_part(url: str) -> tuple[str, str]:
    """The URL up to its query or fragment (where placeholders live), and the rest."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def placeholder_names(url: str) -> list[str]:
    """The placeholders in `url`'s path, in order, each once."""
    names: list[str] = []
    for name in PLACEHOLDER.findall(_template_part(url)[0]):
        if name not in names:
            names.append(name)
    return names


def rows_for(url: str, rows: Iterable[KeyValue]) -> tuple[KeyValue, ...]:
    """The path variable rows `url` needs: its placeholders in order, known values kept.

    The URL decides the names (editing it adds and removes rows); a row whose placeholder is
    gone is dropped, a new placeholder gets an empty value.
    """
    known = {row.name: row for row in rows}
    return tuple(known.get(name) or KeyValue(name, "") for name in placeholder_names(url))


def encode_path_value(text: str) -> str:
    """A path variable's value as it goes into the path (RFC 3986 §3.3 pchar; `%XX` kept)."""
    return quote(_LONE_PERCENT.sub("%25", text), safe=_PCHAR_SAFE)


def fill_path(url: str, values: Mapping[str, str], resolve: Callable[[str], str] = str) -> tuple[str, set[str]]:
    """`url` with its placeholders replaced by their values, resolved and encoded; and the names left unfilled.

    A placeholder without a row, or with an empty value, takes the variable of that name
    (`--var petId=5`, or a collection variable from before path variables had their own table);
    without one it stays as typed and is reported, so a send refuses it as it refuses an
    undefined `{{variable}}`: neither a literal `{petId}` nor `DELETE /pets/` (another resource)
    goes out.
    """
    missing: set[str] = set()

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if values.get(name):
            return encode_path_value(resolve(values[name]))
        variable = "{{" + name + "}}"
        value = resolve(variable)
        if value == variable:
            missing.add(name)
            return match.group(0)
        return encode_path_value(value)

    head, rest = _template_part(url)
    return PLACEHOLDER.sub(sub, head) + rest, missing
