"""Which environment each collection uses: the user's choice, kept out of the files in git.

Each collection has its own environments (`<collection>/environments/`), and the workspace can
share some (`environments/`) between collections, as one platform's Development/Testing/
Production serve both its OData and its REST API. Picking "Production" for one API must not
move another API to a server it does not have, so the choice is per collection. It is user
state in `.workbench/environments.json` (ignored by git): a teammate's pull never switches
your environment, and switching never shows up as a diff.
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.collections import Collection, Environment, Workspace
from workbench.core.errors import StorageError
from workbench.core.workspace import storage

STATE_FILE = "environments.json"
NONE = ""


def _state_path(workspace_root: str | Path) -> Path:
    return storage.state_dir(workspace_root) / STATE_FILE


def read_choices(workspace_root: str | Path) -> dict[str, str]:
    """Collection path → chosen environment name ("" = explicitly none); {} when unreadable."""
    try:
        data = json.loads(_state_path(workspace_root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def choose_environment(workspace_root: str | Path, collection_path: str, name: str) -> None:
    """Remember `name` as the environment of the collection at `collection_path`."""
    choices = read_choices(workspace_root)
    choices[collection_path] = name
    path = _state_path(workspace_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        storage.write_atomic(ignore, "*\n")
    storage.write_atomic(path, json.dumps(choices, indent=1, sort_keys=True) + "\n")


def environment_names(workspace: Workspace, collection: Collection | None) -> tuple[str, ...]:
    """What the picker offers for `collection`: its own environments, then the shared ones."""
    own = [e.name for e in collection.environments] if collection is not None else []
    shared = [e.name for e in workspace.environments if e.name not in own]
    return tuple(own + shared)


def _belongs_to(env_name: str, collection: Collection) -> bool:
    """A shared environment an import of the old layout made for this collection ("Petstore – prod")."""
    return env_name == collection.name or env_name.startswith(collection.name + " ")


def chosen_environment(workspace: Workspace, collection: Collection | None) -> str:
    """The environment name in force for `collection` ("" for none).

    The user's choice wins. Without one, the collection's own first environment, so an imported
    API reaches its own server at once. Workspaces of the old layout (every environment shared,
    one active for the whole workspace) are read as they are: a shared environment an import
    named after this collection comes first, then the old workspace-wide choice unless it was
    made for another collection — so Petstore no longer inherits Kubernetes' `baseUrl`.
    """
    names = environment_names(workspace, collection)
    if collection is not None:
        choices = read_choices(workspace.root)
        if collection.path in choices:
            chosen = choices[collection.path]
            return chosen if chosen in names else NONE
        if collection.environments:
            return collection.environments[0].name
        named = [e.name for e in workspace.environments if _belongs_to(e.name, collection)]
        if named:
            return workspace.active_environment if workspace.active_environment in named else named[0]
    legacy = workspace.active_environment
    if legacy and legacy in names:
        others = [c for c in workspace.collections if c is not collection and _belongs_to(legacy, c)]
        if not others:
            return legacy
    return NONE


def match_environment(workspace: Workspace, collection: Collection | None, wanted: str) -> str:
    """The environment name a user typed (`--env prod`), matched case-insensitively when unambiguous."""
    names = environment_names(workspace, collection)
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    have = ", ".join(names) or "none"
    if len(folded) > 1:
        raise StorageError(f"environment {wanted!r} is ambiguous (have: {have})")
    owner = f" for collection “{collection.name}”" if collection is not None else ""
    raise StorageError(f"no environment named {wanted!r}{owner} (have: {have})")


def environments_named(workspace: Workspace, collection: Collection | None,
                       name: str) -> tuple[Environment | None, Environment | None]:
    """The shared and the collection's own environment called `name` (either may be missing)."""
    if not name:
        return None, None
    own = collection.environment(name) if collection is not None else None
    return workspace.environment(name), own
