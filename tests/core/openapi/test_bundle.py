"""The bundled descriptor saved beside a collection (`openapi.json`), read back for re-import and contracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import SpecImportError
from workbench.core.openapi.bundle import (
    BUNDLE_FILE,
    load_bundle,
    save_bundle,
    spec_hash,
)


def test_saved_bundle_reads_back_the_same(tmp_path: Path) -> None:
    """What is saved is what a re-import reads: the same document, written as `openapi.json`."""
    spec = {"openapi": "3.0.3", "info": {"title": "B", "version": "1"}, "paths": {"/a": {}}}
    save_bundle(tmp_path, spec)
    assert (tmp_path / BUNDLE_FILE).is_file()
    assert load_bundle(tmp_path) == spec


def test_missing_bundle_is_none_and_a_broken_one_one_line(tmp_path: Path) -> None:
    """No `openapi.json` (a collection not imported from OpenAPI) is None; an unreadable one is a
    SpecImportError naming the file."""
    assert load_bundle(tmp_path) is None
    (tmp_path / BUNDLE_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(SpecImportError, match="cannot read the saved descriptor"):
        load_bundle(tmp_path)


def test_spec_hash_ignores_key_order() -> None:
    """The fingerprint depends on content, not on how the keys happen to be ordered."""
    assert spec_hash({"a": 1, "b": {"c": 2, "d": 3}}) == spec_hash({"b": {"d": 3, "c": 2}, "a": 1})
    assert spec_hash({"a": 1}) != spec_hash({"a": 2})
