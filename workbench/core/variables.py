"""`{{name}}` substitution, with the precedence users know from Postman.

Order (later wins): collection variables, environment, `--var` overrides. Dynamic variables
(`{{$guid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}`, `{{$randomInt}}`) are computed per send.
An unknown variable is left as typed and reported, so a user sees which one is missing.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

VARIABLE = re.compile(r"\{\{\s*([$A-Za-z_][\w.\-$]*)\s*\}\}")


def _dynamic(name: str) -> str | None:
    if name == "$guid" or name == "$randomUUID":
        return str(uuid.uuid4())
    if name == "$timestamp":
        return str(int(time.time()))
    if name == "$isoTimestamp":
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if name == "$randomInt":
        return str(random.randint(0, 1000))
    return None


@dataclass
class Resolver:
    """Resolves `{{name}}` in strings; remembers which names it could not resolve."""

    values: Mapping[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def __call__(self, text: str) -> str:
        if "{{" not in text:
            return text

        def sub(match: re.Match[str], depth: int = 0) -> str:
            name = match.group(1)
            if name in self.values:
                value = self.values[name]
                # A value may itself refer to variables (baseUrl = {{scheme}}://{{host}}).
                if "{{" in value and depth < 5:
                    return VARIABLE.sub(lambda m: sub(m, depth + 1), value)
                return value
            dynamic = _dynamic(name)
            if dynamic is not None:
                return dynamic
            self.missing.add(name)
            return match.group(0)

        return VARIABLE.sub(sub, text)


def layered(*layers: Mapping[str, str] | None) -> dict[str, str]:
    """Merge variable layers; later layers win."""
    merged: dict[str, str] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return merged


def names_in(text: str) -> list[str]:
    """The variable names used in `text`, in order (for highlighting and hints)."""
    return [m.group(1) for m in VARIABLE.finditer(text)]
