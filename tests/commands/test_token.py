"""`workbench token`: the CLI contract of issue 5, against real token servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import peers
import pytest
import strict_token as strict

from workbench.cli import main
from workbench.core.auth import oauth2
from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.context.selection import choose_environment
from workbench.core.workspace import secrets, storage

ROOT = Path(__file__).resolve().parents[2]
WORKBENCH = [sys.executable, "-m", "workbench"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    oauth2.cache.clear_memory()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_script_form_client_credentials_json(oidc_server: peers.Peer, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CLIENT_SECRET", "basic-secret")
    code, out, err = _run(["token", "--grant", "client_credentials", "--token-url", f"{oidc_server.url}/token",
                           "--client-id", "basic-client", "--scope", "api", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"token_type", "expires_in", "scope", "claims"}
    assert data["token_type"] == "Bearer" and data["scope"] == "api" and 3500 < data["expires_in"] <= 3600
    assert data["claims"]["client_id"] == "basic-client"


def test_script_form_discovery_body_auth_and_show_token(oidc_server: peers.Peer, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CLIENT_SECRET", "post-secret")
    code, out, err = _run(["token", "--grant", "client_credentials", "--discovery", oidc_server.url,
                           "--client-id", "post-client", "--client-auth", "body", "--scope", "api",
                           "--show-token"], capsys)
    assert code == 0, err
    token = out.strip()
    assert out.count("\n") == 1 and token.count(".") == 2  # the raw JWT alone
    # The summary (no flag) reuses the cached token and never prints it whole.
    code, out, _ = _run(["token", "--grant", "client_credentials", "--discovery", oidc_server.url,
                         "--client-id", "post-client", "--client-auth", "body", "--scope", "api"], capsys)
    assert code == 0 and token not in out and "cached token reused" in out and "Cached in:     memory only" in out
    assert "signature not verified" in out and "client_id: post-client" in out


def test_script_form_odd_secret_at_strict_endpoint(strict_token: strict.StrictTokenServer,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CLIENT_SECRET", "s3c:r+t/=#% x")
    args = ["token", "--grant", "client_credentials", "--token-url", f"{strict_token.url}/token",
            "--client-id", "odd client:1", "--json"]
    code, out, err = _run(args, capsys)
    assert code == 0, err
    assert json.loads(out)["claims"] is None  # opaque token
    code, out, err = _run(args[:-1] + ["--client-auth", "basic-unencoded", "--new"], capsys)
    assert code == 1 and err.count("\n") == 1 and "invalid_client" in err


def test_script_form_password_grant_reads_env_only(strict_token: strict.StrictTokenServer,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CLIENT_SECRET", "body-secret")
    monkeypatch.setenv("WORKBENCH_PASSWORD", "wonder land:+/%")
    start = len(strict_token.requests)
    code, out, err = _run(["token", "--grant", "password", "--token-url", f"{strict_token.url}/token",
                           "--client-id", "body-only", "--client-auth", "body", "--username", "alice",
                           "--scope", "read", "--param", "tenant=t 1", "--resource", "urn:api"], capsys)
    assert code == 0, err
    assert "Refresh token: yes" in out and "wonder" not in out
    seen = strict_token.requests[start]
    assert seen.form["password"] == "wonder land:+/%" and seen.form["tenant"] == "t 1"
    assert seen.form["resource"] == "urn:api"
    monkeypatch.setenv("WORKBENCH_PASSWORD", "wrong")
    code, out, err = _run(["token", "--grant", "password", "--token-url", f"{strict_token.url}/token",
                           "--client-id", "body-only", "--client-auth", "body", "--username", "alice"], capsys)
    assert code == 1 and "invalid_grant" in err and "wrong username or password" in err


def test_password_grant_at_mock(oauth_mock: peers.Peer, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_PASSWORD", "wonderland")
    code, out, err = _run(["token", "--grant", "password", "--discovery", oauth_mock.url, "--client-id", "app",
                           "--username", "alice", "--scope", "api", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["claims"]["sub"] == "alice"


@pytest.mark.parametrize("argv,words", [
    (["token"], "COLLECTION_OR_REQUEST"),
    (["token", "--grant", "client_credentials", "--client-id", "a"], "--token-url"),
    (["token", "--grant", "client_credentials", "--token-url", "http://t"], "--client-id"),
    (["token", "--grant", "password", "--token-url", "http://t", "--client-id", "a"], "--username"),
    (["token", "--grant", "password", "--token-url", "http://t", "--client-id", "a", "--username", "u"],
     "WORKBENCH_PASSWORD"),
    (["token", "--grant", "client_credentials", "--token-url", "http://t", "--discovery", "http://d",
      "--client-id", "a"], "not allowed with"),
    (["token", "--grant", "implicit"], "invalid choice"),
    (["token", "--grant", "client_credentials", "--token-url", "http://t", "--client-id", "a", "--param", "x"],
     "K=V"),
    (["token", "--client-secret", "s"], "unrecognized"),
    (["token", "/no/such/place"], "no such"),
])
def test_bad_arguments_exit_2_one_line(argv: list[str], words: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_PASSWORD", raising=False)
    code, out, err = _run(argv, capsys)
    assert code == 2 and err.count("\n") == 1 and words in err and "Traceback" not in err


def test_unreachable_and_html_exit_1(strict_token: strict.StrictTokenServer, capsys: pytest.CaptureFixture[str]) -> None:
    port = peers.free_port()
    code, _, err = _run(["token", "--grant", "client_credentials", "--token-url", f"http://127.0.0.1:{port}/t",
                         "--client-id", "a"], capsys)
    assert code == 1 and "connection refused" in err.lower()
    code, _, err = _run(["token", "--grant", "client_credentials", "--token-url", f"{strict_token.url}/html/token",
                         "--client-id", "a"], capsys)
    assert code == 1 and "HTML page" in err


def _workspace(root: Path, strict_url: str) -> Collection:
    storage.init_workspace(root)
    auth = Auth("oauth2", {"grant_type": "password", "token_url": "{{auth_base}}/token", "client_id": "basic-only",
                           "client_secret": "basic-secret", "username": "alice", "password": "{{user_password}}",
                           "scope": "api"})
    env = Environment("Dev", (KeyValue("auth_base", strict_url), KeyValue("user_password", "wonder land:+/%")),
                      frozenset({"user_password"}))
    storage.save_environment(root, env)  # shared: the collection below picks it by name
    coll = storage.save_collection(root, Collection(
        "Strict API", auth=auth,
        requests=(Request("resource", url=f"{strict_url}/resource", auth=Auth("inherit")),
                  Request("public", url=f"{strict_url}/resource", auth=Auth("none")))))
    choose_environment(root, coll.path, "Dev")
    return coll


def test_collection_and_request_forms(strict_token: strict.StrictTokenServer, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    coll = _workspace(tmp_path / "ws", strict_token.url)
    folder = tmp_path / "ws" / coll.path
    code, out, err = _run(["token", str(folder), "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["scope"] == "api"
    code, out, err = _run(["token", str(folder / "resource.yaml")], capsys)
    assert code == 0 and "cached token reused" in out  # same (inherited) auth, same token
    code, out, err = _run(["token", str(folder / "public.yaml")], capsys)
    assert code == 2 and "not OAuth 2.0" in err
    code, out, err = _run(["token", str(folder), "--env", "Nope"], capsys)
    assert code == 2 and "no environment named 'Nope'" in err
    # --var wins over the environment: a wrong password is the server's refusal (exit 1), an
    # undefined variable is bad input (exit 2) and nothing is sent.
    code, out, err = _run(["token", str(folder), "--var", "user_password=wrong", "--new"], capsys)
    assert code == 1 and "wrong username or password" in err
    code, out, err = _run(["token", str(folder), "--env", "", "--new"], capsys)
    assert code == 2 and "{{auth_base}}" in err and "not defined, so the token request was not sent" in err


def test_full_flow_leaves_no_secret_in_workspace(strict_token: strict.StrictTokenServer, tmp_path: Path) -> None:
    """Real processes with the 0600 file store: send + token, then grep every workspace file."""
    data_dir = tmp_path / "userdata"
    store = secrets.FileBackend(data_dir / "secrets.json")
    secrets.set_backend(store)
    root = tmp_path / "ws"
    coll = _workspace(root, strict_token.url)
    env = {**os.environ, "WORKBENCH_SECRETS": "file", "WORKBENCH_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    folder = root / coll.path
    sent = subprocess.run(WORKBENCH + ["send", str(folder / "resource.yaml"), "--json"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["status"] == 200
    shown = subprocess.run(WORKBENCH + ["token", str(folder), "--show-token"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    access = shown.stdout.strip()
    assert access in strict_token.valid_tokens  # the token the send obtained, reused from the file store
    refreshes = [k for k, v in strict_token.refresh_tokens.items() if v == ("basic-only", "alice")]
    assert refreshes
    leaks = ["basic-secret", "wonder land:+/%", access, *refreshes]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.parts[-2] == ".workbench" or ".workbench" in p.parts for p in files)  # history was written
    for path in files:
        content = path.read_bytes().decode("utf-8", errors="replace")
        for leak in leaks:
            assert leak not in content, f"{leak[:6]}… found in {path.relative_to(root)}"
    assert stat_mode(data_dir / "secrets.json") == 0o600
    assert access in (data_dir / "secrets.json").read_text()


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_send_with_refused_token_exits_1_with_server_words(strict_token: strict.StrictTokenServer, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`workbench send` on a request whose inherited OAuth2 client is refused: one line, exit 1."""
    root = tmp_path / "ws"
    storage.init_workspace(root)
    coll = storage.save_collection(root, Collection(
        "Refused", auth=Auth("oauth2", {"token_url": f"{strict_token.url}/token", "client_id": "body-only",
                                        "client_secret": "body-secret", "client_auth": "basic"}),
        requests=(Request("resource", url=f"{strict_token.url}/resource", auth=Auth("inherit")),)))
    code, out, err = _run(["send", str(root / coll.path / "resource.yaml"), "--no-history"], capsys)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "invalid_client" in err and "must authenticate with method 'body'" in err
