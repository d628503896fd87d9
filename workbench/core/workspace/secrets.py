"""Where secrets live: the OS keyring, else a 0600 file outside the workspace, else memory.

Workspace YAML is kept in git, so a client secret, password, API key or token must never be
written there. Storage swaps each secret value for a stable reference `secret:<id>` on save
and back on load; the id is derived from the workspace and the field, so saving twice gives
the same file (small diffs) and two workspaces never share a slot.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Mapping, Protocol

REF_PREFIX = "secret:"
# Auth parameter names whose values are secrets (see collections.Auth).
SECRET_PARAMS = frozenset({
    "password", "client_secret", "token", "access_token", "refresh_token", "value", "api_key",
    "key_value", "id_token",
})
# Header names whose values are credentials. API keys travel under any name a platform picks
# (Ocp-Apim-Subscription-Key, x-functions-key, X-Vault-Token, sessionid cookies...), so any name
# mentioning a key, token, secret, password, session, signature or credential counts.
_REDACT_HEADER = re.compile(r"authorization|cookie|key|token|secret|passw|session|signature|credential|api-?auth",
                            re.I)


def is_reference(value: str) -> bool:
    return value.startswith(REF_PREFIX)


def is_template(value: str) -> bool:
    """A `{{variable}}` value is a reference already: safe to write as it is."""
    stripped = value.strip()
    return stripped.startswith("{{") and stripped.endswith("}}")


class SecretBackend(Protocol):
    label: str

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


class MemoryBackend:
    """Secrets kept for this process only: chosen when nothing persistent works."""

    label = "memory only (secrets are forgotten when the app closes)"

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._data.get(key)

    def set(self, key: str, value: str) -> None:
        self._data[key] = value

    def delete(self, key: str) -> None:
        self._data.pop(key, None)


class FileBackend:
    """A JSON file with 0600 permissions in the user's data folder, never inside a workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = f"file {path} (permissions 0600; no OS keyring available)"
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _write(self, data: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, sort_keys=True)
        os.replace(tmp, self.path)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._read().get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            data = self._read()
            if data.get(key) != value:
                data[key] = value
                self._write(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)


class KeyringBackend:
    """The OS keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

    label = "OS keyring"
    SERVICE = "api-workbench"

    def __init__(self) -> None:
        import keyring

        self._keyring = keyring

    def get(self, key: str) -> str | None:
        return self._keyring.get_password(self.SERVICE, key)

    def set(self, key: str, value: str) -> None:
        self._keyring.set_password(self.SERVICE, key, value)

    def delete(self, key: str) -> None:
        try:
            self._keyring.delete_password(self.SERVICE, key)
        except Exception:  # noqa: BLE001 - keyring raises backend-specific errors for "absent"
            pass


def data_dir() -> Path:
    """The per-user folder for secrets and settings; WORKBENCH_DATA_DIR overrides it (tests)."""
    if explicit := os.environ.get("WORKBENCH_DATA_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "api-workbench"


def _choose_backend() -> SecretBackend:
    choice = os.environ.get("WORKBENCH_SECRETS", "")
    if choice == "memory":
        return MemoryBackend()
    if choice != "file":
        try:
            import keyring
            from keyring.backends import fail

            if not isinstance(keyring.get_keyring(), fail.Keyring):
                backend = KeyringBackend()
                # Some keyrings exist but refuse at first use (locked, no D-Bus): probe once.
                backend.set("__probe__", "1")
                backend.delete("__probe__")
                return backend
        except Exception:  # noqa: BLE001 - any keyring failure means "no usable keyring"
            pass
    return FileBackend(data_dir() / "secrets.json")


_backend: SecretBackend | None = None


def backend() -> SecretBackend:
    """The process-wide secret backend, chosen once."""
    global _backend
    if _backend is None:
        _backend = _choose_backend()
    return _backend


def backend_label() -> str:
    """Where secrets are kept, in words, for the UI's status line ("OS keyring", "file …", "memory only …")."""
    return backend().label


def set_backend(new: SecretBackend) -> None:
    """Replace the backend (tests, or a user's choice in Settings)."""
    global _backend
    _backend = new


def reference_for(workspace_root: str, field_id: str) -> str:
    """The stable reference written to YAML for one secret field of one workspace."""
    import hashlib  # only saving a secret needs it; the window's start-up reads the workspace without it

    digest = hashlib.sha256(os.path.abspath(workspace_root).encode()).hexdigest()[:12]
    return f"{REF_PREFIX}{digest}/{field_id}"


def protect(workspace_root: str, field_id: str, value: str) -> str:
    """Store `value` and return what may be written to disk in its place."""
    if not value or is_reference(value) or is_template(value):
        return value
    ref = reference_for(workspace_root, field_id)
    backend().set(ref[len(REF_PREFIX):], value)
    return ref


def reveal(value: str) -> str:
    """The secret behind a reference ('' when the store lost it); other values unchanged."""
    if not is_reference(value):
        return value
    return backend().get(value[len(REF_PREFIX):]) or ""


def protect_params(workspace_root: str, field_prefix: str, params: Mapping[str, str]) -> dict[str, str]:
    return {k: (protect(workspace_root, f"{field_prefix}#{k}", v) if k in SECRET_PARAMS else v) for k, v in params.items()}


def reveal_params(params: Mapping[str, str]) -> dict[str, str]:
    return {k: reveal(v) for k, v in params.items()}


def redact(value: str, keep: int = 0) -> str:
    """A secret as shown in logs and history: its length hidden, at most `keep` chars shown."""
    if not value:
        return value
    return (value[:keep] if keep else "") + "•••"


def redact_header(name: str, value: str) -> str:
    """A header value safe to log: credentials hidden, the scheme word kept (`Bearer •••`)."""
    if not _REDACT_HEADER.search(name):
        return value
    scheme, sep, _ = value.partition(" ")
    return f"{scheme} •••" if sep and scheme.lower() in ("bearer", "basic", "digest", "negotiate") else "•••"
