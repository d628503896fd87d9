"""`workbench view FILE [--screenshot PNG] [--timings]` as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_view(*args: str, timeout: float = 120, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if data_dir is not None:
        env["WORKBENCH_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "workbench", "view", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"@odata.context": "$metadata#Cases", "value": [
        {"ID": i, "title": f"Case {i}", "owner": {"name": "Anna", "tags": ["a", "b"]}} for i in range(3000)]}))
    return path


def test_timings_prints_one_json_line_with_numbers(records: Path) -> None:
    result = run_view(str(records), "--timings")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert set(figures) == {"first_view_ms", "max_stall_ms", "peak_rss_mb"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())
    assert figures["first_view_ms"] < 20000 and figures["peak_rss_mb"] < 2000


def test_screenshot_writes_a_png(records: Path, tmp_path: Path) -> None:
    shot = tmp_path / "view.png"
    result = run_view(str(records), "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    assert result.stdout == ""


def _mean_gray(png: Path) -> float:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    step = max(1, image.width() // 60)
    values = [image.pixelColor(x, y).lightnessF() for x in range(0, image.width(), step)
              for y in range(0, image.height(), step)]
    return sum(values) / len(values)


@pytest.mark.parametrize("stored, flag, dark", [("dark", None, True), ("dark", "light", False)])
def test_the_stored_theme_is_used_and_theme_overrides_it(tmp_path: Path, stored: str, flag: str | None,
                                                         dark: bool) -> None:
    """The viewer wears the Settings theme (state.json), like the main window; --theme wins for one run."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "state.json").write_text(json.dumps({"theme": stored}))
    small = tmp_path / "small.json"
    small.write_text(json.dumps({"value": [{"ID": 1, "title": "Case 1"}]}))
    shot = tmp_path / "view.png"
    extra = ("--theme", flag) if flag else ()
    result = run_view(str(small), "--screenshot", str(shot), *extra, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    gray = _mean_gray(shot)
    assert (gray < 0.3) if dark else (gray > 0.7), gray


def test_csdl_file_opens_as_xml(tmp_path: Path, shared_data: Path) -> None:
    shot = tmp_path / "csdl.png"
    result = run_view(str(shared_data / "csdl" / "TripPin.xml"), "--screenshot", str(shot), "--timings")
    assert result.returncode == 0, result.stderr
    assert shot.exists() and set(json.loads(result.stdout)) == {"first_view_ms", "max_stall_ms", "peak_rss_mb"}


@pytest.mark.parametrize("content, name, message", [
    (None, "missing.json", "no such file"),
    ("", "empty.json", "the file is empty"),
    ("hello world", "notes.json", "not a JSON document"),
    ("{\"a\": [1, 2,, 3]}", "broken.json", "Invalid JSON"),
    ("plain text", "notes.xml", "not an XML document"),
    ("\x00\x01\x02", "blob.bin", "not a JSON or XML file"),
])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, content: str | None, name: str, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = run_view(str(path), "--timings")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("workbench:")]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
