"""The flags every server-facing sub-command shares (commands/_saved.py): `--collection`, `--env`, `--var`.

A `$metadata` behind a platform's OAuth2 gate (password grant, client id/secret in the body,
`x-client-id`/`x-tenant-id` on every call) and one behind Basic auth are read through
`metadata`, `odata check` and `import` with a collection's auth, headers and environment,
exactly as a send from that collection would. Real peers: SAP CAP (twice: open and in its
basic-auth mode), our strict token server, and a gate that forwards only authorised calls.
"""

from __future__ import annotations

import json
from pathlib import Path

import peers
import pytest
import strict_token as strict
from oauth_gate import OAuthGate

from workbench.cli import main
from workbench.core.collections import Auth, Collection, Environment, KeyValue
from workbench.core.workspace import storage


def _workspace(root: Path, token_url: str) -> None:
    """A Jitterbit-like collection: password grant in the body, two headers, secrets in the environment."""
    storage.init_workspace(root)
    auth = Auth("oauth2", {"grant_type": "password", "token_url": "{{tokenUrl}}", "client_id": "body-only",
                           "client_secret": "{{clientSecret}}", "client_auth": "body", "username": "alice",
                           "password": "{{password}}"})
    coll = storage.save_collection(root, Collection("App Builder", auth=auth, headers=(
        KeyValue("x-client-id", "{{clientId}}"), KeyValue("x-tenant-id", "t1"))))
    storage.save_environment(root, Environment("Production", (
        KeyValue("tokenUrl", token_url), KeyValue("clientId", "jb-client"),
        KeyValue("clientSecret", "body-secret"), KeyValue("password", "wonder land:+/%")),
        frozenset({"clientSecret", "password"})), coll.path)
    storage.save_collection(root, Collection("Basic", auth=Auth("basic", {"username": "alice", "password": "{{pw}}"})))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "unexpected error" not in err and "Traceback" not in err
    return code, out, err


def test_metadata_behind_an_oauth2_gate_with_extra_headers(tmp_path: Path, gate: tuple[OAuthGate, str],
                                                           strict_token: strict.StrictTokenServer,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    server, root = gate
    ws = tmp_path / "ws"
    _workspace(ws, f"{strict_token.url}/token")
    code, _, err = _run(capsys, "metadata", f"{root}/$metadata")
    assert code == 1 and "401" in err  # no way in without the collection
    code, out, err = _run(capsys, "metadata", f"{root}/$metadata", "--collection", str(ws / "App Builder"),
                          "--env", "production", "--json")  # the environment name matched case-insensitively
    assert code == 0, err
    assert json.loads(out)["counts"]["entity_sets"] >= 3
    assert server.seen[-1]["x-client-id"] == "jb-client" and server.seen[-1]["x-tenant-id"] == "t1"


def test_odata_check_and_import_use_the_same_collection(tmp_path: Path, gate: tuple[OAuthGate, str],
                                                        strict_token: strict.StrictTokenServer,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _, root = gate
    ws = tmp_path / "ws"
    _workspace(ws, f"{strict_token.url}/token")
    flags = ("--collection", str(ws / "App Builder"), "--env", "Production")
    code, out, err = _run(capsys, "odata", "check", f"{root}/Users?$top=5&$orderby=userName",
                          "--metadata", root, *flags)
    assert code == 0 and "no problems found" in out, err
    code, out, err = _run(capsys, "import", f"{root}/$metadata", "--into", str(tmp_path / "other"), *flags, "--json")
    assert code == 0, err
    assert json.loads(out)["requests"] > 0


def test_metadata_behind_basic_auth_with_a_var(tmp_path: Path, basic_cap: peers.Peer,
                                               strict_token: strict.StrictTokenServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    _workspace(ws, f"{strict_token.url}/token")
    code, _, err = _run(capsys, "metadata", f"{basic_cap.url}/$metadata", "--collection", str(ws / "Basic"))
    assert code == 2 and "{{pw}} is not defined" in err and "--var pw=VALUE" in err  # nothing was sent
    code, out, err = _run(capsys, "metadata", f"{basic_cap.url}/$metadata", "--collection", str(ws / "Basic"),
                          "--var", "pw=alice123")
    assert code == 0 and "entity sets:" in out, err
    code, _, err = _run(capsys, "metadata", f"{basic_cap.url}/$metadata", "--collection", str(ws / "Basic"),
                        "--var", "pw=wrong")
    assert code == 1 and "401" in err


def test_env_without_a_collection_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "metadata", "http://127.0.0.1:9/$metadata", "--env", "Production")
    assert code == 2 and "--env needs --collection" in err
