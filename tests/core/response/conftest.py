"""Response test fixtures: an OData-shaped JSON document with the awkward parts real bodies have."""

from __future__ import annotations

import random
from typing import Any, Callable

import pytest


@pytest.fixture
def odata_document() -> Callable[..., dict[str, Any]]:
    """`odata_document(records, seed=7)`: unicode, escaped quotes, brackets inside strings, nesting."""

    def make(records: int, seed: int = 7) -> dict[str, Any]:
        rnd = random.Random(seed)
        return {
            "@odata.context": "$metadata#Cases",
            "@odata.count": records,
            "value": [{
                "ID": i, "title": f"Case \"{i}\" — ünïcode ✓", "amount": round(rnd.random() * 1000, 2),
                "urgent": i % 3 == 0, "owner": {"name": "Anna", "tags": ["a", "b", {"deep": [1, 2, 3]}]},
                "note": None, "braces": "text with } ] { [ and \\ backslash",
            } for i in range(records)],
        }

    return make
