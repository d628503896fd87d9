"""Install a one-folder build for this user, so the desktop's launcher shows it; and remove it again.

Usage:
    python3 packaging/user_install.py install BUILD_DIR    (BUILD_DIR: dist/api-workbench, with share/)
    python3 packaging/user_install.py uninstall

Where things go (the XDG base directories, so every freedesktop launcher finds them):
    $XDG_DATA_HOME/api-workbench-app/        the build itself (not `api-workbench/`: that folder
                                              holds the user's own data, which no uninstall touches)
    $XDG_DATA_HOME/applications/ID.desktop   the launcher entry, Exec pointing at the build
    $XDG_DATA_HOME/metainfo/ID.metainfo.xml  AppStream metadata
    $XDG_DATA_HOME/icons/hicolor/*/apps/ID.* the icons
    ~/.local/bin/workbench                   a symlink to the build's program
($XDG_DATA_HOME defaults to ~/.local/share.)

Every path written, and every folder the install had to create, goes into a manifest inside the
installed build; `uninstall` removes exactly those and nothing else, so it is safe to run twice
and never deletes a file the user put there. Installing again first uninstalls the previous one.
Standard library only: it runs with the system python3, with or without a build venv.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

APP_ID = "io.github.apiworkbench.Workbench"
PROGRAM = "workbench"
APP_FOLDER = "api-workbench-app"
MANIFEST = ".install-manifest.json"


class InstallError(Exception):
    """A reason to stop, told as one line."""


def data_home() -> Path:
    explicit = os.environ.get("XDG_DATA_HOME")
    return Path(explicit) if explicit and os.path.isabs(explicit) else Path.home() / ".local" / "share"


def bin_dir() -> Path:
    return Path.home() / ".local" / "bin"


def app_dir() -> Path:
    return data_home() / APP_FOLDER


class Manifest:
    """What one install wrote: files and links to delete, the build tree, folders it created."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.links: list[str] = []
        self.trees: list[str] = []
        self.dirs: list[str] = []

    def make_dirs(self, path: Path) -> None:
        """mkdir -p, remembering each level that did not exist (removed later if left empty)."""
        missing = []
        for parent in [path, *path.parents]:
            if parent.exists():
                break
            missing.append(parent)
        for folder in reversed(missing):
            folder.mkdir()
            self.dirs.append(str(folder))

    def to_json(self) -> str:
        return json.dumps({"version": 1, "app_id": APP_ID, "files": self.files, "links": self.links,
                           "trees": self.trees, "dirs": self.dirs}, indent=2)


def _copy_file(source: Path, target: Path, manifest: Manifest, text: str | None = None) -> None:
    manifest.make_dirs(target.parent)
    if text is None:
        shutil.copyfile(source, target)
    else:
        target.write_text(text, encoding="utf-8")
    manifest.files.append(str(target))


def _desktop_entry(source: Path, program: Path) -> str:
    """The packaged entry with Exec/TryExec pointing at the installed program (PATH may lack ~/.local/bin)."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={_quote_exec(program)} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={program}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _quote_exec(path: Path) -> str:
    """Quote a path for an Exec key (desktop entry spec: reserved characters inside double quotes)."""
    text = str(path).replace("%", "%%")
    if not any(ch in text for ch in ' \t\n"\'\\><~|&;$*?#()`'):
        return text
    escaped = text.replace("\\", "\\\\\\\\").replace('"', '\\\\"').replace("`", "\\\\`").replace("$", "\\\\$")
    return f'"{escaped}"'


def install(build: Path) -> list[str]:
    build = build.resolve()
    share = build / "share"
    if not (build / PROGRAM).is_file() or not share.is_dir():
        raise InstallError(f"{build}: not a finished build (no {PROGRAM} or share/); run packaging/build.sh first")
    link = bin_dir() / PROGRAM
    target_app = app_dir()
    if link.exists() or link.is_symlink():
        ours = link.is_symlink() and Path(os.readlink(link)).parent == target_app
        if not ours:
            raise InstallError(f"{link} exists and is not from a previous install: remove it first "
                               f"(for instance `pip uninstall api-workbench`), then try again")
    if (target_app / MANIFEST).exists():
        uninstall()
    elif target_app.exists():
        raise InstallError(f"{target_app} exists but holds no install manifest: remove it first")

    manifest = Manifest()
    # The build: copied beside its final place, then renamed, so a failed copy leaves nothing half-made.
    manifest.make_dirs(target_app.parent)
    staging = target_app.with_name(f".{APP_FOLDER}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(build, staging, symlinks=True)
    staging.rename(target_app)
    manifest.trees.append(str(target_app))
    try:
        program = target_app / PROGRAM
        home = data_home()
        _copy_file(share / "applications" / f"{APP_ID}.desktop", home / "applications" / f"{APP_ID}.desktop",
                   manifest, _desktop_entry(share / "applications" / f"{APP_ID}.desktop", program))
        _copy_file(share / "metainfo" / f"{APP_ID}.metainfo.xml", home / "metainfo" / f"{APP_ID}.metainfo.xml",
                   manifest)
        icons = share / "icons"
        for icon in sorted(icons.rglob(f"{APP_ID}.*")):
            _copy_file(icon, home / "icons" / icon.relative_to(icons), manifest)
        manifest.make_dirs(link.parent)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(program)
        manifest.links.append(str(link))
    finally:
        # Written even when a step failed, so `uninstall` can take back what did get installed.
        (target_app / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return [*manifest.trees, *manifest.files, *manifest.links]


def uninstall() -> list[str]:
    manifest_path = app_dir() / MANIFEST
    if not manifest_path.exists():
        return []
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallError(f"{manifest_path}: unreadable install manifest ({exc})") from exc
    removed = []
    for path in map(Path, recorded.get("links", [])):
        # Only a link that still points into the install: the user may have replaced it since.
        if path.is_symlink() and Path(os.readlink(path)).parent == app_dir():
            path.unlink()
            removed.append(str(path))
    for path in map(Path, recorded.get("files", [])):
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(str(path))
    for path in map(Path, recorded.get("trees", [])):
        if path == app_dir() and path.is_dir():  # never a tree the manifest names elsewhere
            shutil.rmtree(path)
            removed.append(str(path))
    for path in sorted(map(Path, recorded.get("dirs", [])), key=lambda p: len(p.parts), reverse=True):
        try:
            path.rmdir()  # only when empty: the user's own files keep their folder
            removed.append(str(path))
        except OSError:
            pass
    return removed


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 2 and argv[0] == "install":
            written = install(Path(argv[1]))
            print(f"installed API Workbench: {len(written)} paths, program {bin_dir() / PROGRAM}")
            if str(bin_dir()) not in os.environ.get("PATH", "").split(os.pathsep):
                print(f"note: {bin_dir()} is not on PATH; the launcher entry works regardless")
            return 0
        if argv == ["uninstall"]:
            removed = uninstall()
            print(f"removed {len(removed)} installed paths" if removed else "API Workbench is not installed for this user")
            return 0
    except (InstallError, OSError) as exc:
        sys.stderr.write(f"user_install: {exc}\n")
        return 1
    sys.stderr.write("usage: user_install.py install BUILD_DIR | uninstall\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
