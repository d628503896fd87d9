"""Writing an `Imported` into a workspace, through `workspace/storage` only.

Storage files every secret it is given (auth passwords, tokens, secret environment values) in
the secret store and writes a reference in its place, so an imported credential never lands
in the YAML a user commits.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workbench.core.collections import Collection, Workspace
from workbench.core.context.selection import choose_environment
from workbench.core.errors import SpecImportError, StorageError
from workbench.core.interchange.result import Imported
from workbench.core.openapi.results import ImportSummary
from workbench.core.workspace import storage


def _find(workspace: Workspace, name_or_path: str) -> Collection | None:
    wanted = name_or_path.strip().rstrip("/")
    return workspace.collection(wanted) or workspace.collection(Path(wanted).name)


def write_import(imported: Imported, workspace_root: str | Path, *, target_collection: str = "",
                 name: str = "") -> ImportSummary:
    """Save `imported` into the workspace (created when absent).

    `target_collection` (a collection's name or folder) receives a curl import's requests or an
    environment file; `name` renames a new collection (to import the same file twice).
    """
    try:
        # Two imports into one workspace queue (as OpenAPI imports do): the second sees the
        # first's collection and says so, never two collections or every request twice.
        with storage.workspace_lock(workspace_root):
            workspace = storage.init_workspace(workspace_root)
            if imported.collection is None:
                return _environments_only(imported, workspace, target_collection)
            collection = imported.collection
            if name:
                collection = replace(collection, name=name)
            if imported.append:
                return _append(imported, collection, workspace, target_collection)
            if workspace.collection(collection.name) is not None:
                raise SpecImportError(f"{workspace_root} already has a collection named {collection.name!r}: "
                                      "remove it first, or import under another name (--name)")
            saved = storage.save_collection(workspace_root, replace(collection, environments=()))
            for env in imported.environments:
                storage.save_environment(workspace_root, env, saved.path)
            if imported.environments:
                choose_environment(workspace_root, saved.path, imported.environments[0].name)
    except StorageError as exc:
        raise SpecImportError(f"cannot write the import: {exc.message}") from exc
    return ImportSummary(saved.name, saved.path, saved.count_folders(), len(saved.all_requests()),
                         len(imported.environments), imported.warnings)


def _append(imported: Imported, collection: Collection, workspace: Workspace, target: str) -> ImportSummary:
    existing = _find(workspace, target or collection.name)
    if existing is None:
        saved = storage.save_collection(workspace.root, replace(collection, name=target or collection.name))
        return ImportSummary(saved.name, saved.path, 0, len(saved.all_requests()), 0, imported.warnings)
    for request in collection.requests:
        storage.save_request(workspace.root, existing.path, request)
    return ImportSummary(existing.name, existing.path, 0, len(collection.requests), 0, imported.warnings)


def _environments_only(imported: Imported, workspace: Workspace, target: str) -> ImportSummary:
    owner = _find(workspace, target) if target else None
    if target and owner is None:
        raise SpecImportError(f"{workspace.root} has no collection {target!r} to receive the environment")
    warnings = list(imported.warnings)
    existing = {e.name: e.path for e in (owner.environments if owner else workspace.environments)}
    for env in imported.environments:
        if env.name in existing:
            warnings.append(f"the environment {env.name!r} was replaced")
            env = replace(env, path=existing[env.name])
        storage.save_environment(workspace.root, env, owner.path if owner else "")
    return ImportSummary(owner.name if owner else "", owner.path if owner else "", 0, 0,
                         len(imported.environments), tuple(warnings))
