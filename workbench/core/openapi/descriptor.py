"""The descriptor being converted: its dialect, its `$ref`s and the warnings found so far.

Operations (`convert.py`), servers (`servers.py`), security schemes (`security.py`) and request
bodies (`bodies.py`) are read by separate parts; they all read one document and report into one
warning list, so they share this object rather than reaching into the converter. The functions
below are the small readings every part needs.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from workbench.core.errors import SpecImportError
from workbench.core.openapi.refs import LocalRefs
from workbench.core.openapi.sources import spec_version

_VAR_NAME = re.compile(r"[^\w.\-$]")


class Descriptor:
    """A bundled descriptor (internal `$ref`s only), checked to be a version we read.

    Warnings are kept once each: the same problem met by many operations is one line to the user.
    """

    def __init__(self, doc: dict[str, Any], source_url: str, name_hint: str) -> None:
        version = spec_version(doc)
        if version is None:
            raise SpecImportError("not an OpenAPI or Swagger descriptor (no `openapi` or `swagger` field at the top)")
        self.dialect = check_version(version, name_hint or "descriptor")
        self.version = version
        self.doc = doc
        self.v2 = self.dialect == "2.0"
        self.refs = LocalRefs(doc)
        self.source_url = source_url
        self.warnings: list[str] = []
        self.warned: set[str] = set()

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            self.warnings.append(message)

    def deref(self, node: Any, where: str) -> Any:
        try:
            return self.refs.deref(node)
        except SpecImportError as exc:
            raise SpecImportError(f"{exc.message} (at {where})", detail=exc.detail) from exc


def check_version(version: str, where: str = "descriptor") -> str:
    """`2.0`, `3.0` or `3.1` (the dialect we read); SpecImportError for anything else."""
    if version == "2.0":
        return "2.0"
    match = re.fullmatch(r"3\.(\d+)(\.\d+)?(-.*)?", version)
    if match:
        minor = int(match.group(1))
        return "3.0" if minor == 0 else "3.1"
    raise SpecImportError(f"{where}: unsupported OpenAPI version {version!r} "
                          "(supported: Swagger 2.0, OpenAPI 3.0 and 3.1)")


def var_name(name: str) -> str:
    """A `{{variable}}` name for a descriptor's name: characters a variable cannot hold become `_`."""
    return _VAR_NAME.sub("_", str(name)) or "var"


def as_map(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one (descriptors put anything anywhere)."""
    return value if isinstance(value, Mapping) else {}


def one_line_join(*parts: Any) -> str:
    """Descriptions joined on one line of at most 500 characters: a table row shows one line."""
    text = " ".join(str(p).strip() for p in parts if p and str(p).strip())
    return " ".join(text.split())[:500]
