"""Which viewer fits a response body: by media type first, then by sniffing the first bytes."""

from __future__ import annotations

from typing import Literal

BodyKind = Literal["empty", "json", "xml", "html", "image", "text", "multipart", "binary"]


def human_size(size: float) -> str:
    """1536 → "1.5 KB" (binary units, as file managers show them)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"



_XML_TYPES = ("application/xml", "text/xml", "application/atom+xml", "application/xhtml+xml")


def classify(content_type: str, head: bytes) -> BodyKind:
    """Which viewer fits a body: by media type first, then by sniffing the first bytes.

    Servers often send JSON as text/plain or XML as application/octet-stream, so an unknown or
    generic type is sniffed (magic numbers for images, `{`/`[` for JSON, `<` for XML/HTML).
    """
    if not head:
        return "empty"
    ct = content_type.split(";")[0].strip().lower()
    if ct.startswith("image/") and ct != "image/svg+xml":
        return "image"
    if ct.startswith("multipart/"):
        return "multipart"
    if "json" in ct:
        return "json"
    if ct == "text/html":
        return "html"
    if ct in _XML_TYPES or ct.endswith("+xml"):
        return "xml"
    sniff = head.lstrip()[:64]
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if sniff[:1] in (b"{", b"["):
        return "json"
    low = sniff.lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "html"
    if low.startswith(b"<"):
        return "xml"
    if ct.startswith("text/") or ct in ("application/javascript", "application/yaml", "application/x-yaml",
                                        "application/x-www-form-urlencoded"):
        return "text"
    if b"\x00" in head[:4096]:
        return "binary"
    try:
        head[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head[:4096]) - 4:  # a cut multi-byte char at the end is fine
            return "binary"
    return "text"
