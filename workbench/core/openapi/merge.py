"""Writing an import to a workspace, and re-importing a newer descriptor without losing edits.

A re-import is a three-way merge, like git's: *base* is what the previous import produced
(rebuilt from the `openapi.json` saved beside the collection, converted with the same rules),
*ours* is what is on disk now (the user's edits), *theirs* is what the new descriptor gives.
Per field (and per parameter/header row, by name): untouched by the user → take the new value;
edited by the user → keep the edit. Requests are matched by `operationId`, else by method and
path (`meta["openapi_operation"]`). Requests the user created stay; an operation gone from the
descriptor is deleted only when the user never edited it, else kept with a warning.
Requests keep their files (and so any folder the user moved them to).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

from workbench.core.collections import (
    Collection,
    Environment,
    Folder,
    KeyValue,
    Request,
)
from workbench.core.context.selection import choose_environment, read_choices
from workbench.core.errors import SpecImportError, StorageError
from workbench.core.openapi.bundle import load_bundle, save_bundle
from workbench.core.openapi.convert import convert
from workbench.core.openapi.results import ChangeSummary, ImportResult, ImportSummary
from workbench.core.workspace import storage

_FIELDS = ("name", "method", "url", "body", "auth", "docs")


def request_key(request: Request) -> tuple[str, str]:
    """How a request is matched across imports: operationId first, else `method path`."""
    op_id = request.meta.get("operationId", "")
    return ("id", op_id) if op_id else ("op", request.meta.get("openapi_operation", ""))


def _index(requests: Iterable[Request]) -> tuple[dict[str, Request], dict[str, Request]]:
    by_id: dict[str, Request] = {}
    by_op: dict[str, Request] = {}
    for r in requests:
        if r.meta.get("operationId"):
            by_id.setdefault(r.meta["operationId"], r)
        if r.meta.get("openapi_operation"):
            by_op.setdefault(r.meta["openapi_operation"], r)
    return by_id, by_op


def _find(request: Request, by_id: dict[str, Request], by_op: dict[str, Request]) -> Request | None:
    op_id = request.meta.get("operationId")
    if op_id and op_id in by_id:
        return by_id[op_id]
    return by_op.get(request.meta.get("openapi_operation", ""))


def merge_rows(ours: tuple[KeyValue, ...], base: tuple[KeyValue, ...] | None,
               theirs: tuple[KeyValue, ...]) -> tuple[KeyValue, ...]:
    """Row-wise three-way merge by name (order: the new descriptor's, then the user's own rows).

    Without a base (no earlier import to compare with) every existing row counts as the user's:
    kept as it is; only rows new in the descriptor are added.
    """
    if base is None:
        ours_by = {r.name: r for r in ours}
        theirs_names = {r.name for r in theirs}
        return tuple(ours_by.get(r.name, r) for r in theirs) + tuple(r for r in ours if r.name not in theirs_names)
    base_by = {r.name: r for r in base}
    ours_by = {r.name: r for r in ours}
    out: list[KeyValue] = []
    for row in theirs:
        mine = ours_by.get(row.name)
        old = base_by.get(row.name)
        if mine is None:
            if old is None:
                out.append(row)  # new in the descriptor
            continue  # the user deleted it: keep it deleted
        out.append(row if old is not None and mine == old else mine)
    theirs_names = {r.name for r in theirs}
    for row in ours:
        if row.name in theirs_names:
            continue
        old = base_by.get(row.name)
        if old is not None and old == row:
            continue  # removed from the descriptor, never edited
        out.append(row)
    return tuple(out)


def merge_request(ours: Request, base: Request | None, theirs: Request) -> tuple[Request, list[str]]:
    """The merged request and the names of the fields where the user's edit was kept."""
    kept: list[str] = []
    values: dict[str, Any] = {}
    for name in _FIELDS:
        mine, new = getattr(ours, name), getattr(theirs, name)
        if base is None:  # nothing to tell edits from spec changes: never lose the user's version
            values[name] = mine
            if mine != new:
                kept.append(name)
            continue
        old = getattr(base, name)
        if mine == old:
            values[name] = new
        else:
            values[name] = mine
            if new != old:
                kept.append(name)
    for name in ("params", "headers", "path_variables"):
        mine, new = getattr(ours, name), getattr(theirs, name)
        old = getattr(base, name) if base is not None else None
        merged = merge_rows(mine, old, new)
        values[name] = merged
        if merged != new and old is not None and mine != old:
            kept.append(name)
    meta = {**ours.meta, **theirs.meta}
    if "operationId" in ours.meta and "operationId" not in theirs.meta:
        meta.pop("operationId", None)
    return replace(ours, meta=meta, **values), kept


def _same(a: Request, b: Request) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in _FIELDS + ("params", "headers", "path_variables")) and dict(a.meta) == dict(b.meta)


def _map_tree(folders: tuple[Folder, ...], fn: Callable[[Request], Request | None]) -> tuple[Folder, ...]:
    out = []
    for folder in folders:
        requests = tuple(r for r in (fn(x) for x in folder.requests) if r is not None)
        out.append(replace(folder, requests=requests, folders=_map_tree(folder.folders, fn)))
    return tuple(out)


def _placements(collection: Collection) -> list[tuple[list[Folder], Request]]:
    """Each request of a fresh import with the chain of folders that holds it."""
    out: list[tuple[list[Folder], Request]] = [([], r) for r in collection.requests]

    def walk(folder: Folder, chain: list[Folder]) -> None:
        for r in folder.requests:
            out.append((chain + [folder], r))
        for sub in folder.folders:
            walk(sub, chain + [folder])

    for f in collection.folders:
        walk(f, [])
    return out


def _insert(folders: tuple[Folder, ...], chain: list[Folder], request: Request) -> tuple[Folder, ...]:
    if not chain:
        raise ValueError("root requests are added by the caller")
    head, rest = chain[0], chain[1:]
    items = list(folders)
    for i, folder in enumerate(items):
        if folder.name == head.name:
            if rest:
                items[i] = replace(folder, folders=_insert(folder.folders, rest, request))
            else:
                items[i] = replace(folder, requests=folder.requests + (request,))
            return tuple(items)
    new = Folder(head.name, docs=head.docs)
    new = replace(new, folders=_insert((), rest, request)) if rest else replace(new, requests=(request,))
    return tuple(items) + (new,)


def merge_collection(ours: Collection, base: Collection | None, theirs: Collection) -> tuple[
        Collection, ChangeSummary, list[str], list[str]]:
    """(merged collection, summary, warnings, request paths to delete)."""
    base_id, base_op = _index(base.all_requests()) if base is not None else ({}, {})
    ours_id, ours_op = _index(ours.all_requests())
    theirs_id, theirs_op = _index(theirs.all_requests())
    added: list[str] = []
    updated: list[str] = []
    removed: list[str] = []
    kept_edits: list[str] = []
    warnings: list[str] = []
    delete: list[str] = []
    unchanged = 0
    matched: set[int] = set()

    def merge_one(request: Request) -> Request | None:
        nonlocal unchanged
        if not (request.meta.get("operationId") or request.meta.get("openapi_operation")):
            return request  # the user's own request
        new = _find(request, theirs_id, theirs_op)
        old = _find(request, base_id, base_op) if base is not None else None
        if new is None:
            if old is not None and _same(request, old):
                removed.append(request.name)
                delete.append(request.path)
                return None
            warnings.append(f"{request.name!r} is no longer in the descriptor; kept because you edited it"
                            if old is not None else
                            f"{request.name!r} is no longer in the descriptor; kept (no earlier import to compare)")
            return request
        matched.add(id(new))
        merged, kept = merge_request(request, old, new)
        if kept:
            kept_edits.append(f"{request.name}: {', '.join(kept)}")
        if _same(merged, request):
            unchanged += 1
        else:
            updated.append(merged.name)
        return merged

    requests = tuple(r for r in (merge_one(x) for x in ours.requests) if r is not None)
    folders = _map_tree(ours.folders, merge_one)
    for chain, request in _placements(theirs):
        if id(request) in matched:
            continue
        if _find(request, ours_id, ours_op) is not None:
            continue  # matched an existing request already
        added.append(request.name)
        if chain:
            folders = _insert(folders, chain, request)
        else:
            requests = requests + (request,)
    variables = merge_rows(ours.variables, base.variables if base is not None else None, theirs.variables)
    headers = merge_rows(ours.headers, base.headers if base is not None else None, theirs.headers)
    auth = theirs.auth if base is not None and ours.auth == base.auth else ours.auth
    if base is not None and ours.auth != base.auth and theirs.auth != base.auth:
        kept_edits.append("collection: auth")
    merged = replace(ours, requests=requests, folders=folders, variables=variables, headers=headers, auth=auth,
                     docs=theirs.docs if base is not None and ours.docs == base.docs else ours.docs,
                     meta={**ours.meta, **theirs.meta}, name=ours.name)
    summary = ChangeSummary(tuple(added), tuple(updated), tuple(removed), tuple(kept_edits), unchanged)
    return merged, summary, warnings, delete


def merge_environment(ours: Environment, base: Environment | None, theirs: Environment) -> Environment:
    variables = merge_rows(ours.variables, base.variables if base is not None else None, theirs.variables)
    return replace(ours, variables=variables, secret_names=ours.secret_names | theirs.secret_names)


def _find_existing(collections: Iterable[Collection], theirs: Collection) -> Collection | None:
    title = theirs.meta.get("openapi_title")
    for c in collections:
        if title and c.meta.get("openapi_title") == title:
            return c
    return None


def write_import(result: ImportResult, workspace_root: Path) -> ImportSummary:
    """Save `result` into the workspace, merging with an earlier import of the same API."""
    try:
        workspace = storage.load_workspace(workspace_root)
        existing = _find_existing(workspace.collections, result.collection)
        warnings = list(result.warnings)
        changes: ChangeSummary | None = None
        base_result: ImportResult | None = None
        if existing is None:
            saved = storage.save_collection(workspace_root, result.collection)
        else:
            old_doc = load_bundle(workspace_root / existing.path)
            if old_doc is not None:
                try:
                    base_result = convert(old_doc, group_by=existing.meta.get("openapi_group_by", "tag"),  # type: ignore[arg-type]
                                          source_url=_source_url(existing), name_hint=existing.name,
                                          source_label=existing.meta.get("openapi_source", ""))
                except SpecImportError:
                    base_result = None
            if base_result is None:
                warnings.append(f"{existing.path}/openapi.json (the earlier import) is missing or unreadable: "
                                "existing requests keep their current content; new operations are added")
            merged, changes, merge_warnings, delete = merge_collection(
                existing, base_result.collection if base_result else None, result.collection)
            warnings.extend(merge_warnings)
            for rel in delete:
                storage.delete_item(workspace_root, f"{existing.path}/{rel}")
            saved = storage.save_collection(workspace_root, merged)
        save_bundle(workspace_root / saved.path, result.spec)
        # The API's environments are the collection's own (`<collection>/environments/`): two APIs
        # in one workspace each reach their own server. A re-import merges into the collection's
        # copy, or into a shared one of the old layout that an earlier import wrote.
        env_names = []
        base_envs = {e.name: e for e in base_result.environments} if base_result else {}
        owner = existing if existing is not None else saved
        for env in result.environments:
            current = owner.environment(env.name) or workspace.environment(env.name)
            to_save = env if current is None else merge_environment(current, base_envs.get(env.name), env)
            if current is not None and not current.path.startswith(f"{saved.path}/"):
                to_save = replace(to_save, path="")  # an old shared copy: the collection gets its own now
            storage.save_environment(workspace_root, to_save, saved.path)
            env_names.append(env.name)
        if env_names and saved.path not in read_choices(workspace_root):
            choose_environment(workspace_root, saved.path, env_names[0])
    except StorageError as exc:
        raise SpecImportError(f"cannot write the import: {exc.message}", detail=exc.detail) from exc
    return ImportSummary(
        collection=saved.name, collection_path=saved.path, folders=saved.count_folders(),
        requests=len(saved.all_requests()), environments=len(result.environments), warnings=tuple(warnings),
        changes=changes)


def _source_url(collection: Collection) -> str:
    source = collection.meta.get("openapi_source", "")
    return source if source.lower().startswith(("http://", "https://")) else ""


__all__ = ["ChangeSummary", "merge_collection", "merge_environment", "merge_request", "merge_rows", "write_import"]
