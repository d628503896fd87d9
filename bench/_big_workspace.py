"""The 1,540-request workspace the window benches share: Kubernetes (1,123) + Stripe (417) from ../shared/data.

Imported with core into a temporary folder (about 10 s); a bench calls `make()` and removes the folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "openapi"
SPECS = ("kubernetes-swagger.json", "stripe-spec3.json")


def available() -> bool:
    return all((DATA / name).exists() for name in SPECS)


def make() -> tuple[Path, int]:
    """A new temporary folder holding the workspace at `<folder>/ws`; returns (folder, request count)."""
    from workbench.core.openapi.importer import import_into_workspace
    from workbench.core.workspace import storage

    tmp = Path(tempfile.mkdtemp(prefix="wb-bigws-"))
    ws = tmp / "ws"
    storage.init_workspace(ws)
    total = sum(import_into_workspace(DATA / name, ws).requests for name in SPECS)
    return tmp, total
