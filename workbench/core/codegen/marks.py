"""Markers that carry secrets, dynamic values and the fetched access token through `prepare`.

The generated code is built from the request as `prepare` resolves it, so the values that
must not appear in it (a secret) or that the code computes itself (`{{$guid}}`, the OAuth
token) are first replaced by markers. A marker is made of letters, digits and underscores
only, so URL and form encoding leave it intact; each language then turns the pieces of a
marked string into a literal, an environment read, an expression or the token variable.

Environment variables are named after the workspace variable that holds the secret
(`{{clientSecret}}` → `clientSecret`), so the names a script sets are the names a user sees in
the workbench; a secret typed straight into an auth field or a credential header is read from
`WORKBENCH_<FIELD>` (`WORKBENCH_CLIENT_SECRET`). Scripts rely on these names: change them never.
"""

from __future__ import annotations

import re
from typing import Callable, Literal, Mapping

PieceKind = Literal["text", "secret", "dynamic", "token"]

_ANY = re.compile(r"__WB(?:SECRET_([0-9a-f]+)|DYN_([A-Z]+)|(TOKEN))__")
_SECRET = re.compile(r"__WBSECRET_([0-9a-f]+)__")
_DYNAMIC = re.compile(r"__WBDYN_([A-Z]+)__")
TOKEN = "__WBTOKEN__"
# Dynamic variables are computed by the generated code at run time, as the workbench does per send.
DYNAMIC_KINDS: dict[str, str] = {"$guid": "GUID", "$randomUUID": "GUID", "$timestamp": "TIMESTAMP",
                                 "$isoTimestamp": "ISOTIMESTAMP", "$randomInt": "RANDOMINT"}
# Auth fields whose literal values are secrets, and the `WORKBENCH_<FIELD>` suffix each is read from.
FIELD_NAMES: dict[str, str] = {"password": "PASSWORD", "token": "TOKEN", "value": "API_KEY",
                               "client_secret": "CLIENT_SECRET", "access_token": "ACCESS_TOKEN",
                               "api_key": "API_KEY", "key_value": "API_KEY", "refresh_token": "REFRESH_TOKEN",
                               "id_token": "ID_TOKEN"}


def env_var_name(variable: str) -> str:
    """The environment variable holding workspace variable `variable`: the same name.

    Names a shell cannot hold (`api.key`, `tenant-id`, a leading digit) have each offending
    character replaced by `_`, so every language reads the same variable.
    """
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", variable)
    return f"_{cleaned}" if not cleaned or cleaned[0].isdigit() else cleaned


def field_env_name(field: str) -> str:
    """`WORKBENCH_<FIELD>` for a secret stored directly in an auth field or a credential header."""
    name = FIELD_NAMES.get(field) or re.sub(r"[^A-Za-z0-9]+", "_", field).strip("_").upper() or "SECRET"
    return f"WORKBENCH_{name}"


def secret(env_name: str) -> str:
    """The marker for a read of environment variable `env_name` (hex keeps its case and underscores)."""
    return f"__WBSECRET_{env_name.encode('utf-8').hex()}__"


def dynamic(kind: str) -> str:
    return f"__WBDYN_{kind}__"


def has_secret(text: str) -> bool:
    return bool(_SECRET.search(text))


def without_secrets(text: str) -> str:
    """`text` with its secret markers taken out (what would be left in clear)."""
    return _SECRET.sub("", text)


def only_secrets(text: str) -> bool:
    """Nothing but secret markers (and blanks): safe to keep as it is."""
    return has_secret(text) and not without_secrets(text).strip()


def secrets_in(text: str) -> list[str]:
    """The environment variables read by `text`, in order."""
    return [bytes.fromhex(h).decode("utf-8") for h in _SECRET.findall(text)]


def dynamics_in(text: str) -> list[str]:
    return _DYNAMIC.findall(text)


def pieces(text: str) -> list[tuple[PieceKind, str]]:
    """`text` split into literal text, secret reads (env names), dynamic values and the token."""
    out: list[tuple[PieceKind, str]] = []
    pos = 0
    for m in _ANY.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        if m.group(1):
            out.append(("secret", bytes.fromhex(m.group(1)).decode("utf-8")))
        elif m.group(2):
            out.append(("dynamic", m.group(2)))
        else:
            out.append(("token", ""))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(("text", text[pos:]))
    return out


def concat(text: str, literal: Callable[[str], str], read: Callable[[str], str], dynamics: Mapping[str, str],
           token: str, joiner: str = " + ") -> str:
    """An expression joining the pieces of `text` in a language that concatenates with `+`."""
    rendered = []
    for kind, value in pieces(text):
        if kind == "text":
            rendered.append(literal(value))
        elif kind == "secret":
            rendered.append(read(value))
        elif kind == "dynamic":
            rendered.append(dynamics[value])
        else:
            rendered.append(token)
    return joiner.join(rendered)
