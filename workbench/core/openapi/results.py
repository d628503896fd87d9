"""What an import produces: the converted descriptor, and what was written to the workspace.

The converter makes an `ImportResult`, the workspace writer (`merge.py`) turns it into an
`ImportSummary`, and the entry points (`importer.py`) hand either to the CLI and the dialog.
The OData `$metadata` import (`core/csdl/to_collection.py`) reports with the same summary.
Plain data in a leaf module, so each of those can import it without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.collections import Collection, Environment


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a descriptor becomes: the collection, its environments, what could not be mapped."""

    collection: Collection
    environments: tuple[Environment, ...]
    warnings: tuple[str, ...]
    spec: dict[str, Any]

    @property
    def folder_count(self) -> int:
        return self.collection.count_folders()


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What `import_into_workspace` did, for the dialog and `workbench import --json`."""

    collection: str
    collection_path: str
    folders: int
    requests: int
    environments: int
    warnings: tuple[str, ...]
    changes: ChangeSummary | None = None  # on a re-import

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"collection": self.collection, "folders": self.folders, "requests": self.requests,
                               "environments": self.environments, "warnings": list(self.warnings),
                               "path": self.collection_path}
        if self.changes is not None:
            out["changes"] = self.changes.as_json()
        return out


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """What a re-import changed, for the dialog and `--json`."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept_edits: tuple[str, ...] = ()  # "Get pet: url, params" — user edits that were kept
    unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"added": list(self.added), "updated": list(self.updated), "removed": list(self.removed),
                "kept_edits": list(self.kept_edits), "unchanged": self.unchanged}

    def lines(self) -> list[str]:
        out = [f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
               f"{self.unchanged} unchanged"]
        out += [f"+ {n}" for n in self.added] + [f"~ {n}" for n in self.updated] + [f"- {n}" for n in self.removed]
        out += [f"kept your edits: {n}" for n in self.kept_edits]
        return out
