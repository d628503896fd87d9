"""The desktop entry and AppStream metadata in packaging/: what launchers and software centres read.

Checked against the specs' required keys and elements here (no extra tool needed); where
`appstreamcli` is installed, its validator runs too.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.apiworkbench.Workbench"
DESKTOP = ROOT / "packaging" / f"{APP_ID}.desktop"
METAINFO = ROOT / "packaging" / f"{APP_ID}.metainfo.xml"
# Desktop Menu Specification, registered main categories.
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
                   "Network", "Office", "Science", "Settings", "System", "Utility"}


def _project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def test_desktop_entry_has_the_required_keys() -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "API Workbench"
    assert entry["Exec"].split()[0] == "workbench" and entry["TryExec"] == "workbench"
    assert entry["Icon"] == APP_ID, "the icon name is the app id, as installed under hicolor"
    assert entry["Terminal"] == "false"
    categories = [c for c in entry["Categories"].split(";") if c]
    assert entry["Categories"].endswith(";") and MAIN_CATEGORIES & set(categories)
    assert entry["Keywords"].endswith(";")


def test_metainfo_has_the_required_elements_and_matches_the_package() -> None:
    root = ElementTree.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    for required in ("id", "metadata_license", "project_license", "name", "summary", "description"):
        element = root.find(required)
        assert element is not None and (element.text or len(element)), f"<{required}> is required"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") in {"CC0-1.0", "FSFAP", "MIT", "CC-BY-3.0", "CC-BY-4.0"}
    assert root.findtext("project_license") == "MIT"
    assert len(root.findtext("summary") or "") < 80
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id" and launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "workbench"
    release = root.find("releases/release")
    assert release is not None and release.get("version") == _project_version(), \
        "the newest <release> names the version pyproject.toml ships"


def test_package_version_is_one_number_everywhere() -> None:
    from workbench import __version__

    assert __version__ == _project_version()


def test_metainfo_passes_appstreamcli() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (Debian package appstream); the spec checks above still ran")
    result = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
