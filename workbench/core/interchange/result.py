"""What every importer of this package produces, whatever the source format.

A leaf of plain data, so the importers, the writer and `detect` share it without importing
each other (as `openapi/results.py` does for the descriptor import).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workbench.core.collections import Collection, Environment

SourceFormat = Literal["curl", "postman", "postman-environment", "insomnia"]


@dataclass(frozen=True, slots=True)
class Imported:
    """A converted file: a collection (None for an environment file), environments, warnings.

    `environments` belong to the collection when there is one, else they are the file's content
    (a Postman environment). `append` says the requests join an existing collection of that
    name when there is one (curl: "Imported from curl" grows with each paste) instead of the
    import being refused as a duplicate.
    """

    format: SourceFormat
    collection: Collection | None
    environments: tuple[Environment, ...] = ()
    warnings: tuple[str, ...] = ()
    append: bool = False
