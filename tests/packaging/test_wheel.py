"""The wheel built from pyproject.toml installs into a fresh venv, holds resources/ and starts.

A real install (dependencies resolved by pip, nothing borrowed from the development venv), so
a package or data file that pyproject.toml forgets fails here, not on a user's machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL_CSDL = ROOT / "tests" / "data" / "csdl" / "constructs-v4.xml"


def _check(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{cmd}: {result.stderr[-2000:]}"
    return result


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_installs_into_a_fresh_venv_and_runs(tmp_path: Path) -> None:
    from workbench import __version__

    _check([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheels"), str(ROOT)])
    wheel = next((tmp_path / "wheels").glob("api_workbench-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("workbench/resources/theme.qss", "workbench/resources/icons/app.svg",
                   "workbench/resources/sample-workspace/workspace.yaml"):
        assert needed in names, f"{needed} missing from the wheel"
    assert not any("/.workbench/" in name for name in names), "a developer's UI state leaked into the wheel"
    assert not any(name.startswith(("tests/", "bench/", "packaging/")) for name in names)

    venv = tmp_path / "venv"
    _check([sys.executable, "-m", "venv", str(venv)])
    _check([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory",
           "WORKBENCH_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    program = str(venv / "bin" / "workbench")
    assert _check([program, "--version"], env=env, cwd=tmp_path).stdout == f"workbench {__version__}\n"
    summary = _check([program, "metadata", str(SMALL_CSDL)], env=env, cwd=tmp_path).stdout
    assert re.match(r"OData 4\.\d+ metadata", summary) and "entity sets:" in summary
    # The installed copy, not the source tree, answered (cwd is elsewhere and PYTHONPATH is unset).
    where = _check([str(venv / "bin" / "python"), "-c",
                    "import importlib.resources as r; print(r.files('workbench.resources') / 'theme.qss')"],
                   env=env, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(venv)) and Path(where).is_file()
