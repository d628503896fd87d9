"""Running generated code: bash + curl, the venv's Python (httpx), node 20 (fetch)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Mapping

import pytest

RunCode = Callable[[str, str, Mapping[str, str]], "subprocess.CompletedProcess[str]"]
_COMMANDS = {"curl": (["bash"], "call.sh"), "python": ([sys.executable], "call.py"),
             "javascript": (["node"], "call.mjs")}
# Secrets a test sets must not leak in from the developer's shell (a set WORKBENCH_PASSWORD would hide a bug).
_CLEAN = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}


@pytest.fixture
def run_code(tmp_path: Path) -> RunCode:
    """`run_code(language, code, env)`: the code saved to a file and run with only `env` added."""
    def run(language: str, code: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
        command, name = _COMMANDS[language]
        if shutil.which(command[0]) is None:
            pytest.skip(f"{command[0]} is not installed")
        if language == "curl" and shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        script = tmp_path / name
        script.write_text(code, encoding="utf-8")
        return subprocess.run([*command, str(script)], capture_output=True, text=True, timeout=60,
                              env={**_CLEAN, **env}, cwd=tmp_path)
    return run
