"""Which viewer fits a body (core/response/classify.py): media type first, then sniffing."""

from __future__ import annotations

import pytest

from workbench.core.response.classify import classify


@pytest.mark.parametrize("content_type, head, kind", [
    ("application/json; charset=utf-8", b"{}", "json"),
    ("application/problem+json", b"{}", "json"),
    ("application/xml", b"<a/>", "xml"),
    ("application/atom+xml", b"<feed/>", "xml"),
    ("text/html", b"<html>", "html"),
    ("image/png", b"\x89PNG\r\n", "image"),
    ("application/octet-stream", b"\x89PNG\r\n\x1a\n", "image"),
    ("text/plain", b'  [1, 2]', "json"),
    ("", b"<?xml version='1.0'?><a/>", "xml"),
    ("application/octet-stream", b"\x00\x01\x02binary", "binary"),
    ("text/plain", b"hello", "text"),
    ("application/json", b"", "empty"),
    ("multipart/mixed; boundary=b", b"--b", "multipart"),
])
def test_classify(content_type: str, head: bytes, kind: str) -> None:
    assert classify(content_type, head) == kind
