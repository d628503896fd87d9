"""Secret storage: keyring or a clearly labelled fallback, never the workspace YAML."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from workbench.core.collections import Auth, Collection, Request
from workbench.core.workspace import secrets, storage


def test_file_fallback_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secrets.json"
    backend = secrets.FileBackend(path)
    backend.set("k", "s3cret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert backend.get("k") == "s3cret"
    backend.set("k", "other")  # rewrite keeps the mode (new temp file, replaced)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    backend.delete("k")
    assert backend.get("k") is None
    assert "0600" in backend.label and str(path) in backend.label


def test_file_backend_chosen_when_asked_lives_in_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_SECRETS", "file")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "userdata"))
    chosen = secrets._choose_backend()
    assert isinstance(chosen, secrets.FileBackend)
    assert chosen.path == tmp_path / "userdata" / "secrets.json"
    secrets.set_backend(chosen)
    assert secrets.backend_label().startswith("file ") and "no OS keyring" in secrets.backend_label()


def test_memory_backend_label_says_it_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_SECRETS", "memory")
    chosen = secrets._choose_backend()
    secrets.set_backend(chosen)
    assert "memory only" in secrets.backend_label()


def test_protect_and_reveal_keep_templates_and_references(tmp_path: Path) -> None:
    ref = secrets.protect(str(tmp_path), "c/r.yaml#password", "pw")
    assert ref.startswith("secret:") and secrets.reveal(ref) == "pw"
    assert ref == secrets.protect(str(tmp_path), "c/r.yaml#password", "pw")  # stable: small diffs
    assert secrets.protect(str(tmp_path), "x", "{{password}}") == "{{password}}"
    assert secrets.reveal("plain") == "plain"
    other = secrets.reference_for(str(tmp_path / "other"), "c/r.yaml#password")
    assert other != ref  # two workspaces never share a slot


def test_oauth2_secrets_never_reach_yaml(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    auth = Auth("oauth2", {"grant_type": "password", "token_url": "http://t/token", "client_id": "app",
                           "client_secret": "CLIENT-SECRET-1", "username": "alice", "password": "USER-PW-1",
                           "refresh_token": "RT-1"})
    coll = storage.save_collection(root, Collection("API", auth=auth,
                                                    requests=(Request("r", url="http://x/", auth=Auth("inherit")),)))
    text = "\n".join(p.read_text() for p in root.rglob("*.yaml"))
    for secret in ("CLIENT-SECRET-1", "USER-PW-1", "RT-1"):
        assert secret not in text
    assert "client_id: app" in text and "secret:" in text
    loaded = storage.load_workspace(root).collection(coll.path)
    assert loaded is not None and dict(loaded.auth.params) == dict(auth.params)


def test_redact_header_keeps_scheme() -> None:
    assert secrets.redact_header("Authorization", "Bearer abc") == "Bearer •••"
    assert secrets.redact_header("X-API-Key", "abc") == "•••"
    assert secrets.redact_header("Accept", "json") == "json"


@pytest.mark.parametrize("name", ["Ocp-Apim-Subscription-Key", "x-functions-key", "X-Vault-Token", "Set-Cookie",
                                  "Proxy-Authorization", "X-Client-Secret", "sessionid"])
def test_redact_header_catches_platform_key_names(name: str) -> None:
    assert secrets.redact_header(name, "abc123") == "•••"


@pytest.mark.parametrize("name", ["Content-Type", "Accept", "x-tenant-id", "x-client-id", "User-Agent"])
def test_redact_header_leaves_ordinary_headers(name: str) -> None:
    assert secrets.redact_header(name, "value 1") == "value 1"
