"""XML response bodies: parsed safely, pretty-printed, and recognised when they are `$metadata`."""

from __future__ import annotations

from typing import Any

from workbench.core import safe_xml
from workbench.core.errors import ViewError

EDMX_NAMESPACES = ("http://docs.oasis-open.org/odata/ns/edmx", "http://schemas.microsoft.com/ado/2007/06/edmx")


def parse_xml(data: bytes) -> Any:
    """An lxml element tree, parsed without entities, DTDs or network (`core/safe_xml.py`)."""
    return safe_xml.parse(data, error=ViewError, remove_blank_text=True)


def pretty_xml(root: Any) -> str:
    return safe_xml.pretty(root)


def is_csdl(root: Any) -> bool:
    """True for a `$metadata` document (CSDL XML: an `edmx:Edmx` root, v4 or v2/v3)."""
    tag = getattr(root, "tag", "")
    return isinstance(tag, str) and tag.endswith("}Edmx") and tag[1:].split("}")[0] in EDMX_NAMESPACES
