"""Which workspace opens next: the last one, the recent ones, else a copy of the sample workspace.

User state, kept in the user's data folder (`state.json`), not in any workspace: it says what
this user opened, which is nobody else's business and no diff in git. Core, not UI, because
the window, the CLI and the tests all ask the same question.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from workbench.core.context.selection import choose_environment
from workbench.core.workspace.secrets import data_dir

STATE_FILE = "state.json"
MAX_RECENT = 8
ThemePreference = Literal["light", "dark", "system"]
THEME_PREFERENCES: tuple[ThemePreference, ...] = ("light", "dark", "system")


def _state_path() -> Path:
    return data_dir() / STATE_FILE


def _read_state() -> dict[str, object]:
    try:
        data = json.loads(_state_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remember_workspace(root: str) -> None:
    """Remember the last workspace (and the recent ones) so the next start opens it."""
    path = _state_path()
    resolved = str(Path(root).resolve())
    state = _read_state()
    old = state.get("recent")
    recent = [r for r in old if isinstance(r, str) and r != resolved] if isinstance(old, list) else []
    state.update({"last_workspace": resolved, "recent": [resolved, *recent][:MAX_RECENT]})
    _write_state(path, state)


def _write_state(path: Path, state: dict[str, object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def theme_preference() -> ThemePreference:
    """The user's Light/Dark/System choice ("system", following the desktop, until one is made).

    A user's taste, not a team's: it lives here beside the recent workspaces, not in a workspace.
    """
    value = _read_state().get("theme")
    return value if value in THEME_PREFERENCES else "system"


def set_theme_preference(theme: ThemePreference) -> None:
    """Remember the theme for the next start (an unknown value is stored as "system")."""
    state = _read_state()
    state["theme"] = theme if theme in THEME_PREFERENCES else "system"
    _write_state(_state_path(), state)


def recent_workspaces() -> list[str]:
    """Recently opened workspace folders that still exist, newest first."""
    recent = _read_state().get("recent", [])
    return [r for r in recent if isinstance(r, str) and Path(r).is_dir()] if isinstance(recent, list) else []


def default_workspace() -> Path:
    """The last workspace, else the sample workspace (copied on first start so edits are the user's)."""
    last = _read_state().get("last_workspace")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    target = data_dir() / "workspaces" / "Sample workspace"
    if not target.exists():
        copy_sample_workspace(target)
    return target


def copy_sample_workspace(target: Path) -> None:
    """Copy the bundled sample workspace to `target`, opened on a request ready to send."""
    import shutil
    from importlib import resources

    source = resources.files("workbench.resources") / "sample-workspace"
    with resources.as_file(source) as src:
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py"))
    # A newcomer sees a request ready to send, not an empty editor.
    state = target / ".workbench"
    state.mkdir(exist_ok=True)
    (state / ".gitignore").write_text("*\n", encoding="utf-8")
    first = ["Getting started", "Echo query parameters.yaml"]
    (state / "ui.json").write_text(json.dumps({"tabs": [first], "current": first}), encoding="utf-8")
    choose_environment(target, "Getting started", "Public httpbin")
