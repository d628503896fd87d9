"""The bundled descriptor kept beside an imported collection, as `openapi.json`.

A re-import rebuilds what the previous import produced from it (`merge.py`), and response
checks read the operation's contract from it (`contract.py`); the original source may be a
URL or a folder that is gone by then.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Mapping

import orjson

from workbench.core.errors import SpecImportError

BUNDLE_FILE = "openapi.json"


def save_bundle(collection_dir: Path, spec: Mapping[str, Any]) -> None:
    """Write the bundled descriptor beside the collection (for contract checks and re-import)."""
    from workbench.core.workspace.storage import write_atomic

    data = orjson.dumps(spec, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    write_atomic(collection_dir / BUNDLE_FILE, data + "\n")


def load_bundle(collection_dir: Path) -> dict[str, Any] | None:
    """The saved descriptor, or None when there is none (a collection not imported from OpenAPI)."""
    path = Path(collection_dir) / BUNDLE_FILE
    try:
        loaded = orjson.loads(path.read_bytes())
        return loaded if isinstance(loaded, dict) else None
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SpecImportError(f"{path}: cannot read the saved descriptor ({exc})") from exc


def spec_hash(doc: Mapping[str, Any]) -> str:
    """A short fingerprint of a descriptor's content, independent of key order."""
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)).hexdigest()[:16]
