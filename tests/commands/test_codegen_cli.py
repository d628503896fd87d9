"""`workbench codegen REQUEST --lang L`: code on stdout that names no secret, one-line errors.

Named `_cli` because `tests/core/codegen/test_codegen.py` tests the generator itself (`workbench/core/codegen/`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import peers
import strict_token as strict

from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage

SECRET = "pw-Zq81-SECRET"
TOKEN = "tok-77-SECRET"


def _assert_no_secret(code: str) -> None:
    assert SECRET not in code and TOKEN not in code


def _codegen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", "codegen", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "WORKBENCH_SECRETS": "memory"})


def test_cli_codegen(httpbin: peers.Peer, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    storage.save_collection(str(root), Collection("C", requests=(
        Request("R", "GET", "{{base}}/basic-auth/u/{{password}}", auth=Auth("basic", {"username": "u", "password": "{{password}}"})),)))
    storage.save_environment(str(root), Environment("Dev", (KeyValue("base", httpbin.url), KeyValue("password", SECRET)),
                                                    frozenset({"password"})))
    out = _codegen(str(root / "C" / "R.yaml"), "--lang", "python", "--env", "Dev")
    assert out.returncode == 0, out.stderr
    _assert_no_secret(out.stdout)
    assert httpbin.url in out.stdout
    bad = _codegen(str(root / "C" / "R.yaml"), "--lang", "cobol")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    missing = _codegen(str(root / "nope.yaml"), "--lang", "curl")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_cli_code_gets_its_own_token(strict_token: strict.StrictTokenServer, tmp_path: Path) -> None:
    """A request inheriting the collection's OAuth, its secret in a secret environment value: the
    JavaScript the CLI prints runs with `clientSecret` set and reaches the bearer-checking resource.
    PowerShell is offered too (`--lang powershell`)."""
    root = tmp_path / "ws"
    storage.init_workspace(root)
    storage.save_collection(str(root), Collection("C", auth=Auth("oauth2", {
        "token_url": "{{base}}/token", "client_id": "basic-only", "client_secret": "{{clientSecret}}",
        "client_auth": "basic", "scope": "api"}), requests=(Request("R", "GET", "{{base}}/resource"),)))
    storage.save_environment(str(root), Environment("Dev", (KeyValue("base", strict_token.url),
                                                            KeyValue("clientSecret", "basic-secret")),
                                                    frozenset({"clientSecret"})))
    js = _codegen(str(root / "C" / "R.yaml"), "--lang", "javascript", "--env", "Dev")
    assert js.returncode == 0, js.stderr
    assert "basic-secret" not in js.stdout and "process.env.clientSecret" in js.stdout
    script = tmp_path / "call.mjs"
    script.write_text(js.stdout)
    ran = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "clientSecret": "basic-secret"})
    assert ran.returncode == 0 and '"ok": true' in ran.stdout, ran.stderr
    ps = _codegen(str(root / "C" / "R.yaml"), "--lang", "powershell", "--env", "Dev")
    assert ps.returncode == 0 and "Invoke-WebRequest" in ps.stdout and "$env:clientSecret" in ps.stdout
    assert "basic-secret" not in ps.stdout
