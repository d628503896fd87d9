"""`{{name}}` substitution over layers of variables, with the precedence users know from Postman.

Which layers exist and in what order is decided once, in `core/context/resolve.py`; this module
only merges and substitutes. Dynamic variables (`{{$guid}}`, `{{$timestamp}}`,
`{{$isoTimestamp}}`, `{{$randomInt}}`) are computed per send. An unknown variable is left as
typed and reported, so a user sees which one is missing (and a send refuses to go out with it).
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


@dataclass(frozen=True, slots=True)
class VariableLayer:
    """One source of variables, named the way a message to the user names it.

    `label` reads in a sentence: "the workspace globals", "environment “Production” of Petstore",
    "folder “pets”", "--var". `secret_names` are masked wherever the value is shown.
    """

    label: str
    values: Mapping[str, str]
    secret_names: frozenset[str] = frozenset()


def merge_layers(layers: tuple[VariableLayer, ...] | list[VariableLayer]) -> dict[str, str]:
    """The variables a request sees: later layers win."""
    return layered(*(layer.values for layer in layers))


def source_of(name: str, layers: tuple[VariableLayer, ...] | list[VariableLayer]) -> str:
    """Where the value of `name` comes from (the winning layer's label), "" when undefined."""
    for layer in reversed(layers):
        if name in layer.values:
            return layer.label
    return ""


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
