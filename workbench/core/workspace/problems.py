"""Which of a workspace's load problems bear on one request or collection.

`load_workspace` never stops at a broken file: it skips it and notes a problem. A send must not
go out regardless, because the skipped file held what the request inherits: `workspace.yaml`
(globals, proxy, TLS, timeouts), `collection.yaml` and `folder.yaml` (auth, headers, variables)
or an environment (`{{baseUrl}}`). It went out with `{{baseUrl}}` literally and failed later
with exit 1 and no word about the file. A broken file of another collection is no reason to
refuse, so only the files on the request's own chain count.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from workbench.core.workspace.storage import (
    COLLECTION_FILE,
    ENV_DIR,
    FOLDER_FILE,
    WORKSPACE_FILE,
)

# Notes, not breakage: a secret typed in clear text was moved to the secret store.
_NOTES = (": moved the value of ",)


def bearing_on(problems: Iterable[str], root: Path, collection_dir: Path | None, request_path: str = "") -> list[str]:
    """The problems about the files `request_path` (relative to `collection_dir`) inherits from.

    Those are `workspace.yaml`, the shared environments, the collection's `collection.yaml` and
    own environments, and the `folder.yaml` of each folder above the request.
    """
    files = [root / WORKSPACE_FILE]
    folders = [root / ENV_DIR]
    if collection_dir is not None:
        files.append(collection_dir / COLLECTION_FILE)
        folders.append(collection_dir / ENV_DIR)
        parts = Path(request_path).parts[:-1] if request_path else ()
        for depth in range(1, len(parts) + 1):
            files.append(collection_dir.joinpath(*parts[:depth]) / FOLDER_FILE)
    exact = tuple(f"{f}:" for f in files)
    inside = tuple(f"{f}{os.sep}" for f in folders)
    return [p for p in problems
            if p.startswith(exact + inside) and not any(note in p for note in _NOTES)]


def refusal(problems: list[str], what: str = "the request was not sent") -> str:
    """One line naming the first broken file and its problem (and how many more there are)."""
    first = " ".join(problems[0].split())
    more = f" (and {len(problems) - 1} more broken file(s))" if len(problems) > 1 else ""
    return f"{first}{more}; fix it first: {what}"
