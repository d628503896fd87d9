"""`workbench codegen REQUEST --lang L`: code on stdout that names no secret, one-line errors.

Named `_cli` because `tests/core/test_codegen.py` tests the generator itself (`workbench/core/codegen.py`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import peers

from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage

SECRET = "pw-Zq81-SECRET"
TOKEN = "tok-77-SECRET"


def _assert_no_secret(code: str) -> None:
    assert SECRET not in code and TOKEN not in code


def test_cli_codegen(httpbin: peers.Peer, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    storage.save_collection(str(root), Collection("C", requests=(
        Request("R", "GET", "{{base}}/basic-auth/u/{{password}}", auth=Auth("basic", {"username": "u", "password": "{{password}}"})),)))
    storage.save_environment(str(root), Environment("Dev", (KeyValue("base", httpbin.url), KeyValue("password", SECRET)),
                                                    frozenset({"password"})))
    env = {**os.environ, "WORKBENCH_SECRETS": "memory"}
    out = subprocess.run([sys.executable, "-m", "workbench", "codegen", str(root / "C" / "R.yaml"), "--lang", "python",
                          "--env", "Dev"], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    _assert_no_secret(out.stdout)
    assert httpbin.url in out.stdout
    bad = subprocess.run([sys.executable, "-m", "workbench", "codegen", str(root / "C" / "R.yaml"), "--lang", "cobol"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "workbench", "codegen", str(root / "nope.yaml"), "--lang", "curl"],
                             capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
