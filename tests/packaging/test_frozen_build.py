"""The one-folder build (packaging/build.sh): the window, a sub-command and the user install, frozen.

Slow only the first time: build.sh stamps the build with a hash of the sources and skips an
unchanged tree, and the build lives in the test cache (`~/.cache/api-workbench-tests/build`),
so a repeated run costs seconds. A first build takes about 80 s on the CI machine (venv,
dependencies, PyInstaller, icons). `slow` is a label, not a skip: CI runs these.
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

import peers
import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.apiworkbench.Workbench"
CACHE = peers.CACHE / "build"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    env = {**os.environ, "WORKBENCH_BUILD_DIR": str(CACHE), "WORKBENCH_DIST": str(CACHE / "dist")}
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], capture_output=True, text=True,
                            timeout=1200, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    app = CACHE / "dist" / "api-workbench"
    assert (app / "BUILD-ID").is_file() and (app / "workbench").is_file()
    return app


def _run(app: Path, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory",
           "WORKBENCH_DATA_DIR": str(tmp / "data")}
    env.pop("PYTHONPATH", None)
    result = subprocess.run([str(app / "workbench"), *args], capture_output=True, text=True, timeout=120,
                            env=env, cwd=tmp)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC and head[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_built_program_renders_its_window(frozen_app: Path, tmp_path: Path) -> None:
    shot = tmp_path / "out.png"
    result = _run(frozen_app, "--screenshot", str(shot), tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    width, height = _png_size(shot)
    assert width >= 800 and height >= 500
    assert shot.stat().st_size > 20_000, "a blank window compresses to almost nothing"
    # The sample workspace came out of the bundled resources.
    assert (tmp_path / "data" / "workspaces" / "Sample workspace" / "workspace.yaml").is_file()


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_built_program_runs_sub_commands(frozen_app: Path, tmp_path: Path, shared_data: Path) -> None:
    from workbench import __version__

    assert _run(frozen_app, "--version", tmp=tmp_path).stdout == f"workbench {__version__}\n"
    result = _run(frozen_app, "metadata", str(shared_data / "csdl" / "TripPin.xml"), tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OData 4.0 metadata") and "entity sets: 4" in result.stdout
    bad = _run(frozen_app, "metadata", str(tmp_path / "missing.xml"), tmp=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_build_holds_the_desktop_files_and_every_icon_size(frozen_app: Path) -> None:
    share = frozen_app / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    hicolor = share / "icons" / "hicolor"
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        assert _png_size(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == \
        (ROOT / "resources" / "icons" / "app.svg").read_bytes()
    internal = frozen_app / "_internal"
    assert (internal / "workbench" / "resources" / "theme.qss").is_file()
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.abi3.so")}
    assert qt_modules <= {"QtCore", "QtGui", "QtWidgets", "QtSvg"}, f"unused Qt modules bundled: {qt_modules}"
    assert not list(internal.rglob("libQt6WebEngine*")) and not list(internal.rglob("libQt6Quick*"))


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_install_user_and_uninstall_user(frozen_app: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "WORKBENCH_BUILD_DIR": str(CACHE), "WORKBENCH_DIST": str(CACHE / "dist")}
    env.pop("XDG_DATA_HOME", None)
    # Should the tree have changed since the fixture built it, the rebuild keeps its caches where they were.
    env["XDG_CACHE_HOME"] = env["PYINSTALLER_CONFIG_DIR"] = str(Path.home() / ".cache")
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--install-user"], capture_output=True,
                            text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    program = home / ".local" / "bin" / "workbench"
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("workbench ")
    share = home / ".local" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()

    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--uninstall-user"], capture_output=True,
                            text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    # ~/.local did not exist before: all of it was the install's, and all of it is gone.
    assert not (home / ".local").exists(), "uninstall removes exactly what was installed"
