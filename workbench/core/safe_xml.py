"""The one way we parse XML: no entities, no DTDs, no network, no huge trees.

XML reaches us from strangers: `$metadata` from any server, response bodies, a body pasted
into the editor. lxml's defaults resolve entities and may load DTDs, which opens the door to
XXE (reading local files, making requests) and entity expansion ("billion laughs"). So every
parse goes through `parse`: it refuses a DOCTYPE that declares entities or points at an
external DTD before lxml sees the bytes, and parses with everything dangerous switched off
(OWASP XML Security Cheat Sheet). No format we read (CSDL, Atom, SOAP faults) needs a DOCTYPE.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from workbench.core.errors import WorkbenchError

_PROLOG_END = re.compile(rb"<[A-Za-z_:]")
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+[^\s>\[]+\s+(SYSTEM|PUBLIC)\b")
ENTITIES_REFUSED = ("Refused: the document declares XML entities in a DOCTYPE "
                    "(entity expansion / XXE attack vector)")
EXTERNAL_DTD_REFUSED = "Refused: the document references an external DTD (XXE attack vector)"


def refuse_unsafe(data: bytes, error: type[WorkbenchError] = WorkbenchError, why: str = "") -> None:
    """Raise `error` for a DOCTYPE that declares entities or points at an external DTD.

    Checked on the prolog, before lxml sees the document: internal entities allow exponential
    expansion, external ones read local files or make requests. `why` ends the message (for
    CSDL: "CSDL never uses them.").
    """
    head = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            head = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return
    match = _PROLOG_END.search(head)
    prolog = head[: match.start()] if match else head
    at = prolog.find(b"<!DOCTYPE")
    if at < 0:
        return
    doctype = prolog[at:]
    suffix = f"; {why}" if why else "."
    if b"<!ENTITY" in doctype:
        raise error(ENTITIES_REFUSED + suffix)
    if _EXTERNAL_DTD.search(doctype):
        raise error(EXTERNAL_DTD_REFUSED + suffix)


def parser(*, remove_blank_text: bool = False, remove_comments: bool = False) -> etree.XMLParser:
    """An lxml parser with entity resolution, DTD loading, network access and huge trees off."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=remove_blank_text,
                           remove_comments=remove_comments, remove_pis=remove_comments)


def parse(data: bytes, *, error: type[WorkbenchError] = WorkbenchError, why: str = "",
          remove_blank_text: bool = False, remove_comments: bool = False) -> Any:
    """Parse `data` safely into an lxml root element; every failure is `error` with a plain message."""
    refuse_unsafe(data, error, why)
    try:
        root = etree.fromstring(data, parser(remove_blank_text=remove_blank_text, remove_comments=remove_comments))
    except etree.XMLSyntaxError as exc:
        raise error(f"Malformed XML: {exc.msg}", detail=str(exc)) from exc
    except (ValueError, etree.LxmlError) as exc:
        raise error(f"Malformed XML: {exc}", detail=repr(exc)) from exc
    if root is None:
        raise error("Malformed XML: the document is empty.")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise error(ENTITIES_REFUSED + (f"; {why}" if why else "."))
    return root


def pretty(root: Any) -> str:
    """Indented text of an element tree."""
    return str(etree.tostring(root, pretty_print=True, encoding="unicode"))
