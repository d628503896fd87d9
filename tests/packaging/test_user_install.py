"""packaging/user_install.py: installs a build under the XDG folders and takes back exactly that.

Runs on a small stand-in build (a script named `workbench` plus share/) so it is fast; the
real build goes through the same script in test_frozen_build.py.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "user_install.py"
APP_ID = "io.github.apiworkbench.Workbench"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("user_install", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_build(root: Path) -> Path:
    build = root / "api-workbench"
    (build / "_internal").mkdir(parents=True)
    program = build / "workbench"
    program.write_text("#!/bin/sh\necho 'workbench 0.1.0'\n")
    program.chmod(0o755)
    share = build / "share"
    (share / "applications").mkdir(parents=True)
    (share / "applications" / f"{APP_ID}.desktop").write_bytes(
        (ROOT / "packaging" / f"{APP_ID}.desktop").read_bytes())
    (share / "metainfo").mkdir()
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text("<component/>")
    for size in ("16x16", "512x512"):
        (share / "icons" / "hicolor" / size / "apps").mkdir(parents=True)
        (share / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.png").write_bytes(b"\x89PNG")
    return build


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return home


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_install_puts_everything_under_xdg_and_uninstall_takes_exactly_it_back(home: Path, tmp_path: Path) -> None:
    build = _fake_build(tmp_path / "dist")
    (home / ".local" / "share" / "applications").mkdir(parents=True)
    (home / ".local" / "share" / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    before = _tree(home)

    result = _run("install", str(build))
    assert result.returncode == 0, result.stderr
    share = home / ".local" / "share"
    desktop = (share / "applications" / f"{APP_ID}.desktop").read_text()
    program = share / "api-workbench-app" / "workbench"
    assert f"Exec={program} %f" in desktop and f"TryExec={program}" in desktop
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "512x512" / "apps" / f"{APP_ID}.png").is_file()
    link = home / ".local" / "bin" / "workbench"
    assert link.is_symlink() and link.resolve() == program.resolve()
    assert subprocess.run([str(link)], capture_output=True, text=True).stdout == "workbench 0.1.0\n"

    # Installing again replaces the install rather than failing or leaving two.
    assert _run("install", str(build)).returncode == 0

    result = _run("uninstall")
    assert result.returncode == 0, result.stderr
    assert _tree(home) == before, "uninstall leaves exactly what was there before, the user's files included"
    assert _run("uninstall").stdout.startswith("API Workbench is not installed")


def test_xdg_data_home_is_honoured(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert _run("install", str(_fake_build(tmp_path / "dist"))).returncode == 0
    desktop = (data / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{data}/api-workbench-app/workbench" %f' in desktop, "a path with a space is quoted"
    assert _run("uninstall").returncode == 0
    assert not data.exists(), "folders the install created are removed once empty"


def test_a_program_link_from_elsewhere_is_left_alone(home: Path, tmp_path: Path) -> None:
    bin_dir = home / ".local" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "workbench").write_text("#!/bin/sh\n# pip --user install\n")
    result = _run("install", str(_fake_build(tmp_path / "dist")))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "not from a previous install" in result.stderr
    assert "pip --user" in (bin_dir / "workbench").read_text()
    assert not (home / ".local" / "share" / "api-workbench-app").exists(), "refused before writing anything"


def test_uninstall_keeps_files_the_user_added_to_installed_folders(home: Path, tmp_path: Path) -> None:
    assert _run("install", str(_fake_build(tmp_path / "dist"))).returncode == 0
    mine = home / ".local" / "share" / "icons" / "hicolor" / "16x16" / "apps" / "mine.png"
    mine.write_bytes(b"mine")
    assert _run("uninstall").returncode == 0
    assert mine.read_bytes() == b"mine"
    assert not (home / ".local" / "share" / "api-workbench-app").exists()


def test_a_folder_without_a_build_is_refused(home: Path, tmp_path: Path) -> None:
    result = _run("install", str(tmp_path))
    assert result.returncode == 1 and "not a finished build" in result.stderr


def test_exec_quoting_follows_the_desktop_entry_spec() -> None:
    quote = _load()._quote_exec
    assert quote(Path("/opt/wb/workbench")) == "/opt/wb/workbench"
    assert quote(Path("/home/a b/100%/w")) == '"/home/a b/100%%/w"'
    assert quote(Path('/x/"q"$')) == '"/x/\\\\"q\\\\"\\\\$"'
