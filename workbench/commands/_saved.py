"""What several sub-commands share: finding a saved request or collection and its environment.

`send`, `codegen`, `run` and `token` all take a path inside a workspace plus `--env`/`--var`;
they must agree on how the workspace, the collection (for inherited auth, headers, variables)
and the environment are found, and on the messages when they are not.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from workbench.core.collections import Collection, Environment, Request, Workspace
from workbench.core.errors import StorageError
from workbench.core.workspace import storage


@dataclass(frozen=True, slots=True)
class Saved:
    """A request or collection as found on disk, with what surrounds it."""

    request: Request | None
    collection: Collection | None
    workspace: Workspace | None
    environment: Environment | None
    root: Path | None
    collection_dir: Path | None
    folder: str = ""


def add_variable_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", metavar="NAME", help="environment to use (default: the workspace's active one)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable (repeatable; wins over the environment)")


def parse_assignments(items: list[str], flag: str = "--var") -> dict[str, str]:
    """`["a=1", "b=x=y"]` → `{"a": "1", "b": "x=y"}`; a malformed item is bad input."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise StorageError(f"{flag} expects NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def _environment(workspace: Workspace | None, wanted: str | None, where: Path) -> Environment | None:
    if workspace is None:
        if wanted:
            raise StorageError(f"{where} is not inside a workspace, so --env {wanted!r} cannot be found")
        return None
    name = wanted or workspace.active_environment
    env = workspace.environment(name) if name else None
    if wanted and env is None:
        names = ", ".join(e.name for e in workspace.environments) or "none"
        raise StorageError(f"no environment named {wanted!r} (have: {names})")
    return env


def open_request_file(path: Path, env_name: str | None) -> Saved:
    """A request file; inside a workspace it comes with its collection and environment."""
    if not path.is_file():
        raise StorageError(f"{path}: no such request file")
    request = storage.request_from_yaml(storage.read_yaml(path), path.name, str(path))
    root, coll_path, rel = storage.locate(path)
    workspace = storage.load_workspace(root) if root is not None else None
    collection = workspace.collection(coll_path) if workspace and coll_path else None
    if collection is not None:
        request = collection.find_request(rel) or request
    return Saved(request, collection, workspace, _environment(workspace, env_name, path), root,
                 root / coll_path if root is not None and coll_path else None)


def open_collection_dir(path: Path, env_name: str | None) -> Saved:
    """A collection folder, or a folder inside one (`folder` is then its path in the collection)."""
    target = path.resolve()
    if not target.is_dir():
        raise StorageError(f"{path}: not a collection folder")
    collection_dir = next((p for p in [target, *target.parents] if (p / storage.COLLECTION_FILE).exists()), None)
    if collection_dir is None:
        raise StorageError(f"{path}: not a collection folder (no {storage.COLLECTION_FILE} in it or above it)")
    workspace = storage.load_workspace(collection_dir.parent)
    collection = workspace.collection(collection_dir.name)
    if collection is None:
        problem = next((p for p in workspace.problems if collection_dir.name in p), "cannot be read")
        raise StorageError(f"{collection_dir.name}: {problem}")
    folder = str(target.relative_to(collection_dir)) if target != collection_dir else ""
    return Saved(None, collection, workspace, _environment(workspace, env_name, path), collection_dir.parent,
                 collection_dir, folder)
