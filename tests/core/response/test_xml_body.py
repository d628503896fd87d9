"""XML bodies (core/response/xml_body.py): parsed safely (no XXE, no entity bombs), CSDL recognised."""

from __future__ import annotations

import pytest

from workbench.core.errors import ViewError
from workbench.core.response import xml_body


def test_xml_is_parsed_safely() -> None:
    """Response bodies go through the one safe parser (core/safe_xml.py): a DOCTYPE with entities is refused."""
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'
    with pytest.raises(ViewError, match="declares XML entities"):
        xml_body.parse_xml(xxe)
    with pytest.raises(ViewError, match="external DTD"):
        xml_body.parse_xml(b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd"><a/>')
    edmx = xml_body.parse_xml(b'<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"/>')
    assert xml_body.is_csdl(edmx)
    assert not xml_body.is_csdl(xml_body.parse_xml(b"<a><b/></a>"))
    assert "  <b/>" in xml_body.pretty_xml(xml_body.parse_xml(b"<a><b/></a>"))
    with pytest.raises(ViewError, match="Malformed XML"):
        xml_body.parse_xml(b"<a><b></a>")
