"""The bundled descriptor kept beside an imported collection, as `openapi.json`.

A re-import rebuilds what the previous import produced from it (`merge.py`), and response
checks read the operation's contract from it (`contract.py`); the original source may be a
URL or a folder that is gone by then.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Mapping

import orjson

from workbench.core.errors import SpecImportError

BUNDLE_FILE = "openapi.json"


def dump_json(value: Any, *, indent: bool = False, sort_keys: bool = False) -> str:
    """JSON text of a descriptor's values: orjson, else the stdlib for what orjson refuses.

    orjson rejects integers beyond 64 bits (`maximum: 18446744073709551616` is in real specs)
    and nesting deeper than 255; the stdlib writes both. Deeper than it can go is bad input.
    """
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0) | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, option=option).decode()
    except TypeError:
        pass
    try:
        return json.dumps(value, indent=2 if indent else None, sort_keys=sort_keys, ensure_ascii=False,
                          default=str, separators=None if indent else (",", ":"))
    except RecursionError as exc:
        raise SpecImportError("the descriptor is nested too deeply to write as JSON") from exc
    except (TypeError, ValueError) as exc:
        raise SpecImportError(f"the descriptor holds a value JSON cannot express ({exc})") from exc


def save_bundle(collection_dir: Path, spec: Mapping[str, Any]) -> None:
    """Write the bundled descriptor beside the collection (for contract checks and re-import)."""
    from workbench.core.workspace.storage import write_atomic

    data = dump_json(spec, indent=True)
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
    return hashlib.sha256(dump_json(doc, sort_keys=True).encode()).hexdigest()[:16]
