"""Send settings as written in YAML: the workspace's, and partial ones on a collection, folder or request.

One vocabulary everywhere (`timeout_s`, `connect_timeout_s`, `follow_redirects`, `verify_tls`,
`proxy`, `max_body_mb`), so a slow endpoint gets its own `timeout_s: 300` in its request file
while the rest of the workspace keeps 30 s. Values come from files a stranger may have written:
each is checked here (a number must be finite and positive, a port must exist), so a bad value
is one clear problem naming the file, not a crash deep inside httpx.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import Any, Mapping
from urllib.parse import urlsplit

from workbench.core.collections import Settings, SettingsOverrides
from workbench.core.errors import StorageError

SETTING_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Settings))
_PROXY_SCHEMES = ("http", "https")


def _number(key: str, value: Any, where: str, *, integer: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StorageError(f"{where}: settings.{key} must be a number, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise StorageError(f"{where}: settings.{key} must be a positive number, not {value!r}")
    return int(value) if integer else float(value)


def _proxy(value: Any, where: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text or "{{" in text:
        return text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise StorageError(f"{where}: settings.proxy {text!r} is not a valid URL ({exc})") from exc
    if parts.scheme not in _PROXY_SCHEMES or not parts.hostname:
        raise StorageError(f"{where}: settings.proxy must be an http:// or https:// URL, not {text!r}")
    del port
    return text


def check_value(key: str, value: Any, where: str) -> float | int | bool | str:
    """One setting, checked and normalised (bad input raises StorageError naming `where`)."""
    if key in ("timeout_s", "connect_timeout_s"):
        return _number(key, value, where)
    if key == "max_body_mb":
        return _number(key, value, where, integer=True)
    if key in ("follow_redirects", "verify_tls"):
        if not isinstance(value, bool):
            raise StorageError(f"{where}: settings.{key} must be true or false, not {value!r}")
        return value
    if key == "proxy":
        return _proxy(value, where)
    raise StorageError(f"{where}: unknown setting {key!r} (known: {', '.join(SETTING_KEYS)})")


def overrides_from_yaml(data: Any, where: str) -> SettingsOverrides:
    """A `settings:` mapping of a collection, folder or request (absent → no overrides)."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise StorageError(f"{where}: `settings` must be a mapping of {', '.join(SETTING_KEYS)}")
    return {str(k): check_value(str(k), v, where) for k, v in data.items()}


def overrides_to_yaml(overrides: SettingsOverrides) -> dict[str, Any] | None:
    """The mapping as written back (keys in the fixed order, so diffs stay one line)."""
    out = {k: overrides[k] for k in SETTING_KEYS if k in overrides}
    return out or None


def settings_from_yaml(data: Any, where: str) -> Settings:
    """The workspace's full settings (`workspace.yaml`): defaults for what is not set."""
    return apply(Settings(), overrides_from_yaml(data, where))


def apply(base: Settings, *layers: SettingsOverrides) -> Settings:
    """`base` with each layer's keys applied in order: the nearest layer wins, key by key."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if k in SETTING_KEYS})
    return replace(base, **merged) if merged else base
