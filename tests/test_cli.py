"""The top-level `workbench` command as a script would run it: --help, --screenshot, no display.

Each sub-command's own contract is tested beside its module, in `tests/commands/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WORKBENCH = [sys.executable, "-m", "workbench"]  # for runs with their own environment


def test_help_for_window(workbench_run) -> None:
    main = workbench_run("--help")
    assert main.returncode == 0 and "send" in main.stdout and "--screenshot" in main.stdout


def test_screenshot_writes_a_png(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    env_dir = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory", "WORKBENCH_DATA_DIR": str(env_dir)}
    result = subprocess.run([*WORKBENCH, "--screenshot", str(png)], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    # The first start opened (a copy of) the sample workspace.
    assert (env_dir / "workspaces" / "Sample workspace" / "workspace.yaml").is_file()


def test_screenshot_of_a_new_workspace_folder(workbench_run, tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    result = workbench_run("--screenshot", str(png), str(tmp_path / "fresh"))
    assert result.returncode == 0 and png.stat().st_size > 5_000
    assert (tmp_path / "fresh" / "workspace.yaml").is_file()


def test_no_display_is_one_line_not_a_qt_abort(tmp_path: Path) -> None:
    """On a headless Linux box Qt would abort with a page of plugin messages: say what to do instead."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WORKBENCH_DATA_DIR"] = str(tmp_path / "data")
    sample = tmp_path / "x.json"
    sample.write_text('{"a": 1}')
    for args in ([str(tmp_path / "ws")], ["view", str(sample)]):
        result = subprocess.run([*WORKBENCH, *args], capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode == 1, result.stderr
        assert result.stderr.count("\n") == 1 and "--screenshot" in result.stderr and "Traceback" not in result.stderr


def test_version_prints_one_line(workbench_run) -> None:
    result = workbench_run("--version")
    assert result.returncode == 0 and result.stdout.startswith("workbench ") and result.stdout.count("\n") == 1


def test_unknown_sub_command_is_one_line_not_a_new_workspace(workbench_run, tmp_path: Path) -> None:
    """A mistyped sub-command must not open (and create) a workspace folder of that name."""
    result = workbench_run("sned", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "neither a sub-command nor a workspace folder" in result.stderr
    assert not (tmp_path / "sned").exists()
