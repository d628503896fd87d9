"""Import an OpenAPI/Swagger descriptor: what the CLI (`workbench import`) and the import dialog call.

- `import_openapi(source, group_by=..., auth=..., root=...) -> ImportResult`: read a file,
  folder, ZIP or URL (`sources.py`), bundle its `$ref`s into one document (`refs.py`) and
  convert it (`convert.py`).
- `import_into_workspace(source, workspace_root, ...) -> ImportSummary`: the same, written to
  a workspace; a re-import of a newer descriptor keeps the user's edits (`merge.py`).

Both are synchronous and Qt-free; the UI runs them through `workers.in_worker`. Reading and
writing live here, apart from the conversion, so `convert.py` and `merge.py` need not import
each other: this module imports both.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping
from urllib.parse import urlsplit

from workbench.core.collections import Auth, Body, Request
from workbench.core.errors import SpecImportError, StorageError
from workbench.core.openapi.convert import GroupBy, check_stop, convert
from workbench.core.openapi.descriptor import check_version
from workbench.core.openapi.merge import write_import
from workbench.core.openapi.refs import bundle
from workbench.core.openapi.results import ImportResult, ImportSummary
from workbench.core.openapi.sources import display_name, open_source, spec_version
from workbench.core.workspace import storage

if TYPE_CHECKING:  # the send machinery (httpx) loads only for a URL source
    from workbench.core.sending.send import SendContext


def import_openapi(source: str | Path, *, group_by: GroupBy = "tag", auth: Auth | None = None,
                   root: str | None = None, should_stop: Callable[[], bool] | None = None,
                   headers: Mapping[str, str] | None = None) -> ImportResult:
    """Read and convert a descriptor (file, folder, ZIP or URL); never modifies the source.

    `should_stop` is polled between operations (the UI's Cancel, from another thread); when it
    returns True the import ends with SpecImportError("import cancelled").
    """
    if group_by not in ("tag", "path"):
        raise SpecImportError(f"group_by must be 'tag' or 'path', not {group_by!r}")
    store = open_source(source, auth, root, headers)
    version = spec_version(store.root)
    if version is None:
        raise SpecImportError(f"{display_name(store.root_uri)}: not an OpenAPI or Swagger descriptor "
                              "(no `openapi` or `swagger` field at the top)")
    check_version(version, display_name(store.root_uri))
    doc = bundle(store)
    text = str(source)
    source_url = text if re.match(r"^https?://", text, re.I) else ""
    name_hint = Path(urlsplit(text).path if source_url else text).stem
    check_stop(should_stop)
    try:
        return convert(doc, group_by=group_by, source_url=source_url, name_hint=name_hint,
                       source_label=text, should_stop=should_stop)
    except RecursionError as exc:  # refs.MAX_NESTING bounds bundled documents; a single file may still be deep
        raise SpecImportError(f"{display_name(store.root_uri)}: nested too deeply to convert; refused") from exc


def download_credentials(url: str, template: Request, context: SendContext) -> tuple[str, Auth, dict[str, str]]:
    """The URL, auth and headers a download from `url` uses, as a send from `template` would.

    `--collection` (or the import dialog's "use the auth of") names the template: its variables
    fill the URL, its inherited headers go along, and an OAuth 2.0 auth is turned into a bearer
    token first (obtained, or reused from the cache), since the descriptor fetch is one GET.
    """
    from workbench.core.sending.send import check_resolved, prepare_in

    prepared = prepare_in(replace(template, method="GET", url=url, params=(), body=Body()), context)
    check_resolved(prepared, context, "the download")
    auth = prepared.auth
    if auth.type == "oauth2":
        import asyncio

        from workbench.core.auth import oauth2

        token = asyncio.run(oauth2.obtain_token(auth, settings=context.settings_for(template)))
        auth = Auth("bearer", {"token": token.access_token})
    headers = {k: v for k, v in prepared.headers if k.lower() not in ("content-type", "authorization")}
    return prepared.url, auth, headers


def import_into_workspace(source: str | Path, workspace_root: str | Path, *, group_by: GroupBy = "tag",
                          auth: Auth | None = None, root: str | None = None, template: Request | None = None,
                          context: SendContext | None = None) -> ImportSummary:
    """Import `source` into a workspace (created when absent); a re-import merges (see merge.py).

    A URL source is downloaded with `template`'s auth and headers in `context` when given.
    """
    headers: dict[str, str] | None = None
    text = str(source)
    if re.match(r"^(https?://|\{\{)", text, re.I) and (template is not None or context is not None):
        from workbench.core.sending.send import SendContext as _Context

        source, auth, headers = download_credentials(text, template or Request("download"), context or _Context())
    result = import_openapi(source, group_by=group_by, auth=auth, root=root, headers=headers)
    with contextlib.ExitStack() as held:  # two imports into one workspace queue: the second merges
        try:
            held.enter_context(storage.workspace_lock(workspace_root))
            storage.init_workspace(workspace_root)
        except (StorageError, OSError) as exc:
            message = exc.message if isinstance(exc, StorageError) else f"{workspace_root}: cannot create ({exc})"
            raise SpecImportError(message) from exc
        # One flush for every new file (requests, openapi.json, environment), not one each;
        # the batch lands before the lock is released (storage.batched_writes).
        with storage.batched_writes():
            return write_import(result, Path(workspace_root))
