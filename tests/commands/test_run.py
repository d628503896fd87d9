"""`workbench run`: exit codes, output shape, one-line errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_run_reports_each_request_and_fails_on_4xx(echo_collection: Path, cli: Cli) -> None:
    result = cli("run", str(echo_collection), "--env", "local", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["requests"] == 2 and data["failed"] == 1
    assert sorted(r["status"] for r in data["results"]) == [200, 418]


def test_run_bad_input_is_one_line(tmp_path: Path, cli: Cli) -> None:
    result = cli("run", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
