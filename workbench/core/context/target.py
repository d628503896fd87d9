"""From a path a user typed to what surrounds it: the request, its folder, collection and workspace.

`workbench send REQUEST.yaml`, `run FOLDER`, `token COLLECTION` and `metadata URL --collection
PATH` all start from a path and need the same answers (which workspace, which collection's
auth, headers and environments apply) with the same messages when there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from workbench.core.collections import Auth, Collection, Request, Workspace
from workbench.core.errors import StorageError
from workbench.core.workspace import storage


@dataclass(frozen=True, slots=True)
class Target:
    """A request file, a collection folder or a folder inside one, as found on disk."""

    request: Request | None
    collection: Collection | None
    workspace: Workspace | None
    root: Path | None
    collection_dir: Path | None
    folder: str = ""

    def template(self, name: str = "request") -> Request:
        """A request that inherits this target's auth and headers (for `$metadata`, tokens, imports).

        For a request file: that request. For a collection or folder: an empty request placed
        in it, so `prepare` walks the same inheritance chain as the requests saved there.
        """
        if self.request is not None:
            return self.request
        path = f"{self.folder}/{name}.yaml" if self.folder else f"{name}.yaml"
        return Request(name=name, auth=Auth("inherit"), path=path)


def open_request_file(path: Path) -> Target:
    """A request file; inside a workspace it comes with its collection."""
    if not path.is_file():
        raise StorageError(f"{path}: no such request file")
    data = storage.read_yaml(path)
    why = storage.not_a_request(data)
    if why:
        raise StorageError(f"{path}: {why}")
    request = storage.request_from_yaml(data, path.name, str(path))
    root, coll_path, rel = storage.locate(path)
    workspace = storage.load_workspace(root) if root is not None else None
    collection = workspace.collection(coll_path) if workspace and coll_path else None
    if collection is not None:
        request = collection.find_request(rel) or replace(request, path=rel)
    return Target(request, collection, workspace, root,
                  root / coll_path if root is not None and coll_path else None)


def open_collection_dir(path: Path) -> Target:
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
    return Target(None, collection, workspace, collection_dir.parent, collection_dir, folder)


def open_target(path: str | Path) -> Target:
    """A request file, collection or folder, whichever `path` is (`--collection PATH`)."""
    p = Path(path)
    if p.is_file():
        return open_request_file(p)
    if p.is_dir():
        return open_collection_dir(p)
    raise StorageError(f"{path}: no such request file, collection or folder")
