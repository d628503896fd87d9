"""Masking secret values by value, wherever they travelled: URL, header, path, a server's reply.

A secret goes under whatever name the user or the service chose (`subscription-key`,
`X-Auth`, a path segment) and a token server may echo the request back in its error text or a
redirect's `Location`, so masking by parameter or header name alone misses it. Here a value is
replaced in every form it may take on the wire: raw, percent-encoded, `+` for spaces.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable
from urllib.parse import quote, quote_plus

MASK = "•••"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words ("wrong", "en"); real secrets are longer


def _forms(value: str) -> set[str]:
    """`value` as it may appear in a URL or header: raw, percent-encoded, `+` for spaces."""
    forms = {value, quote(value, safe=""), quote_plus(value), quote(value)}
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


_PLACEHOLDERS_ONLY = re.compile(r"(?:\{\{[^{}]*\}\}\s*)+")


def masker(values: Iterable[str]) -> Callable[[str], str]:
    """A function that replaces every occurrence of any of `values` (in any encoding) by •••.

    Masking by value, not by name: a secret travels under whatever name the user or the
    service chose (`subscription-key`, `X-Auth`, a path segment), so the names alone miss it.
    """
    forms: set[str] = set()
    for value in values:
        # A value still reading `{{pw}}` was never resolved: it names a variable, it is not one's secret,
        # and masking it would hide which variable a message is about.
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH and not _PLACEHOLDERS_ONLY.fullmatch(value):
            forms |= _forms(value)
    if not forms:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    return lambda text: pattern.sub(MASK, text)


#: Query parameters whose value is a credential whatever the workspace says (RFC 6750 §2.3
#: `access_token`, API keys, OAuth `code` and `client_secret`, signed-URL signatures).
SECRET_QUERY = re.compile(r"([?&](?:access_token|token|api_key|apikey|api-key|key|subscription-key|code"
                          r"|client_secret|secret|password|sig|signature)=)[^&#\s'\"<>]*", re.I)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]*[^\s'\"<>:,.;)]")  # not the `:` after it
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s]*@")


def mask_urls(text: str) -> str:
    """`text` with every URL in it stripped of credentials: `user:pass@` and secret query values.

    By structure, not by value: a URL typed on the command line (`https://u:p@host/x?api_key=…`)
    carries secrets no workspace declared, and an error message repeats the URL it failed on.
    """
    def one(match: re.Match[str]) -> str:
        return SECRET_QUERY.sub(r"\1" + MASK, _USERINFO.sub(r"\1" + MASK + "@", match.group(0)))

    return _URL.sub(one, text) if "://" in text else text


def mask_message(text: str, secrets: Iterable[str] = ()) -> str:
    """A message fit for stderr, a log or a dialog: `secrets` masked by value, URLs by structure."""
    return mask_urls(masker(secrets)(text))
