"""The import entry points: reading a source, rejecting what cannot be imported, writing a workspace.

Each test writes the smallest input that shows one rule; the docstring names it. What the
descriptor's parts become is tested in test_convert.py (and test_security.py for auth).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

import pytest

from workbench.core.context.selection import chosen_environment
from workbench.core.errors import SpecImportError
from workbench.core.openapi.bundle import BUNDLE_FILE
from workbench.core.openapi.importer import import_into_workspace, import_openapi
from workbench.core.workspace import storage


@pytest.mark.parametrize("text, expected", [
    ("title: hello\n", "not an OpenAPI or Swagger descriptor"),
    ('{"openapi": "3.0.0",\n  "info": {,}}', "invalid JSON at line 2, column 12"),
    ("openapi: 3.0.0\ninfo:\n  title: [unclosed\n", "invalid YAML at line 4, column 1"),
    ("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "unsupported OpenAPI version '4.0.0'"),
    ("swagger: '1.2'\n", "unsupported OpenAPI version '1.2'"),
    ("openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n"
     "        - $ref: '#/components/parameters/nope'\n      responses: {}\n", "unresolvable $ref"),
])
def test_bad_input_is_one_specific_line(write_spec: Callable[..., Path], tmp_path: Path, text: str, expected: str) -> None:
    """Each kind of bad input is a SpecImportError with one specific line."""
    with pytest.raises(SpecImportError) as info:
        import_openapi(write_spec(text, "bad.json" if text.startswith("{") else "bad.yaml"))
    assert expected in info.value.message
    assert "\n" not in info.value.message


def test_should_stop_cancels_the_import(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """`should_stop` (the dialog's Cancel) ends the import with "import cancelled", never a partial result."""
    spec = {"openapi": "3.0.3", "info": {"title": "S", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    with pytest.raises(SpecImportError, match="import cancelled"):
        import_openapi(write_spec(spec), should_stop=lambda: True)


def test_folder_count_counts_nested_folders(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """`folder_count` counts folders at any depth (the dialog and `--json` report it)."""
    spec = {"openapi": "3.0.0", "info": {"title": "P", "version": "1"}, "paths": {
        "/api/v1/pets/{id}/photos": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/v1/stores": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    result = import_openapi(write_spec(spec), group_by="path")
    assert [f.name for f in result.collection.folders] == ["api/v1"]
    assert result.folder_count == 2  # api/v1 and its pets


def test_source_file_is_never_modified(tmp_path: Path, shared_data: Path) -> None:
    """Importing reads only: the source bytes are unchanged afterwards."""
    source = tmp_path / "paypal.json"
    source.write_bytes((shared_data / "openapi" / "paypal-invoicing_v2.json").read_bytes())
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    import_into_workspace(source, tmp_path / "ws")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before


def test_import_into_workspace_writes_collection_bundle_and_environments(tmp_path: Path, shared_data: Path) -> None:
    """The collection gets its own environments, one per server (chosen: the first), and openapi.json."""
    summary = import_into_workspace(shared_data / "openapi" / "paypal-invoicing_v2.json", tmp_path / "ws")
    assert (summary.requests, summary.environments, summary.folders) == (20, 2, 3)
    ws = storage.load_workspace(tmp_path / "ws")
    assert not ws.problems
    coll = ws.collection(summary.collection_path)
    assert coll is not None and len(coll.all_requests()) == 20
    assert coll.auth.type == "oauth2" and coll.auth.get("token_url") == "{{tokenUrl}}"
    assert chosen_environment(ws, coll) == "Invoices – PayPal Sandbox Environment"  # the first server
    assert not ws.environments and len(coll.environments) == 2  # the API's own, not the workspace's
    env = next(e for e in coll.environments if "Sandbox" in e.name)
    assert env.as_dict()["tokenUrl"] == "https://api-m.sandbox.paypal.com/v1/oauth2/token"
    bundled = json.loads((tmp_path / "ws" / summary.collection_path / BUNDLE_FILE).read_text())
    assert bundled["openapi"] == "3.0.3"
