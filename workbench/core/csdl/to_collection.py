"""Importing an OData service's `$metadata` as a collection (File → Import…, `workbench import`).

The metadata browser's "Generate collection" made reachable from the import paths: a CSDL
document (XML or JSON, a file or a service URL) becomes a collection with requests for every
entity set, singleton and function/action import, and an environment holding `serviceRoot`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.collections import Environment, KeyValue, Request
from workbench.core.context.selection import choose_environment
from workbench.core.csdl.requests import generate_collection
from workbench.core.csdl.source import is_url, load_metadata_sync
from workbench.core.errors import (
    CsdlError,
    SpecImportError,
    StorageError,
    WorkbenchError,
)
from workbench.core.openapi.results import ImportSummary
from workbench.core.workspace import storage

if TYPE_CHECKING:
    from workbench.core.sending.send import SendContext

_SNIFF_BYTES = 4096
# Windows tools write `$metadata` as UTF-16, and the XML reader takes any Unicode encoding: the
# byte order marks, then (XML 1.0 appendix F) how a first `<` without a BOM looks in each.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_FIRST_LT = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00", "utf-16-le"),
             (b"\x00<", "utf-16-be"))


def _as_utf8(head: bytes) -> bytes:
    """The start of a file as UTF-8, whatever Unicode encoding its BOM or first `<` shows."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore").encode("utf-8")
    for start, encoding in _FIRST_LT:
        if head.startswith(start):
            return head.decode(encoding, errors="ignore").encode("utf-8")
    return head


def looks_like_csdl(source: str) -> bool:
    """A `$metadata` URL, or a file whose start is an EDMX root or a CSDL JSON `$Version`.

    The file may be UTF-8, UTF-16 or UTF-32 (with or without a BOM): `workbench metadata`
    reads all of them, so `import` must recognise them too.
    """
    if is_url(source):
        return source.rstrip("/").endswith("$metadata")
    path = Path(source)
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            head = _as_utf8(fh.read(_SNIFF_BYTES)).lstrip(b" \t\r\n")
    except OSError:
        return False
    if head.startswith(b"<"):
        return b"Edmx" in head and (b"docs.oasis-open.org/odata" in head or b"schemas.microsoft.com/ado" in head)
    if head.startswith(b"{"):
        return b'"$Version"' in head
    return False


def service_root_of(source: str) -> str:
    """`https://host/svc/$metadata` → `https://host/svc`; '' for a file (set it in the environment)."""
    if not is_url(source):
        return ""
    root = source.split("?", 1)[0].rstrip("/")
    return root[: -len("$metadata")].rstrip("/") if root.endswith("$metadata") else root


def import_metadata_into_workspace(source: str, workspace_root: str | Path, *, service_root: str = "",
                                  name: str = "", template: Request | None = None,
                                  context: SendContext | None = None) -> ImportSummary:
    """Generate and save the collection; a collection of that name already there is left alone.

    A URL source is downloaded with `template`'s auth and headers in `context` (`--collection`),
    so a `$metadata` behind OAuth2 or Basic can be imported. The collection gets an environment
    of its own holding the service root, chosen at once: its first send reaches the service.
    """
    try:
        model = load_metadata_sync(source, template, context)
    except WorkbenchError as exc:
        raise SpecImportError(exc.message, detail=exc.detail) from exc
    root_url = service_root or service_root_of(source)
    collection = generate_collection(model, name=name, service_root=root_url)
    try:
        # Two imports into one workspace queue (as OpenAPI imports do): the second sees the
        # first's collection and says so, instead of both writing one.
        with storage.workspace_lock(workspace_root):
            workspace = storage.init_workspace(workspace_root)
            if workspace.collection(collection.name) is not None:
                raise SpecImportError(f"{workspace_root} already has a collection named {collection.name!r}: "
                                      "remove it first, or import under another name (--name)")
            saved = storage.save_collection(workspace_root, collection)
            env = Environment(f"{collection.name} service", (KeyValue(
                "serviceRoot", root_url, description="The OData service root (the URL before /$metadata)"),))
            env = storage.save_environment(workspace_root, env, saved.path)
            choose_environment(workspace_root, saved.path, env.name)
    except (StorageError, CsdlError) as exc:
        raise SpecImportError(f"cannot write the import: {exc.message}") from exc
    warnings = () if root_url else ("the service root is not known for a file: set serviceRoot in the "
                                    f"environment {env.name!r} before sending",)
    requests = len(saved.all_requests())
    return ImportSummary(saved.name, saved.path, len(saved.folders), requests, 1, warnings)



