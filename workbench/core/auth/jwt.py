"""Reading a JSON Web Token's header and claims, WITHOUT checking its signature.

The auth panel and `workbench token` show what a token says (subject, audience, scopes,
expiry) because that is what a user needs to see when a call is refused. Verifying the
signature would need the issuer's keys and proves nothing to the person debugging, so we do
not do it, and every caller says so ("signature not verified").

A JWT in compact serialization (RFC 7519 §3, RFC 7515 §7.1) is three base64url parts joined
by dots; an encrypted JWE (five parts) cannot be read without the key and is reported as such.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from workbench.core.errors import AuthError

SIGNATURE_NOTE = "signature not verified"

# Claims holding NumericDate values (RFC 7519 §2, §4.1.4-4.1.6), shown as dates too.
TIME_CLAIMS = ("exp", "nbf", "iat", "auth_time", "updated_at")


@dataclass(frozen=True, slots=True)
class DecodedJwt:
    """A token's JOSE header and claims set, as sent (the signature is not checked)."""

    header: Mapping[str, Any] = field(default_factory=dict)
    claims: Mapping[str, Any] = field(default_factory=dict)
    signed: bool = True
    verified: bool = False  # always False: we never check signatures (see module docstring)

    @property
    def expires_at(self) -> float | None:
        exp = self.claims.get("exp")
        return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None

    def scopes(self) -> list[str]:
        """Scopes from `scope` (space-separated, RFC 8693 §4.2) or `scp` (string or list, Azure/Okta)."""
        for name in ("scope", "scp"):
            value = self.claims.get(name)
            if isinstance(value, str):
                return value.split()
            if isinstance(value, list):
                return [str(v) for v in value]
        return []


def _b64url_decode(part: str) -> bytes:
    padded = part + "=" * (-len(part) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def looks_like_jwt(token: str) -> bool:
    """True when `token` has the shape of a JWS compact serialization with a JSON header."""
    try:
        decode(token)
    except AuthError:
        return False
    return True


def decode(token: str) -> DecodedJwt:
    """Header and claims of a JWS-compact JWT; AuthError when it is not one (opaque token, JWE)."""
    token = token.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    parts = token.split(".")
    if len(parts) == 5:
        raise AuthError("This token is an encrypted JWT (JWE): its claims cannot be read without the key.")
    if len(parts) != 3:
        raise AuthError("This token is not a JWT (it is opaque): only the server that issued it can read it.")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise AuthError("This token is not a JWT: its parts are not base64url-encoded JSON.", detail=str(exc)) from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise AuthError("This token is not a JWT: its header or claims are not JSON objects.")
    return DecodedJwt(header, claims, signed=bool(parts[2]) and header.get("alg") != "none")


def describe_time_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """The NumericDate claims as readable UTC dates (`exp` → `2026-01-01 12:00:00 UTC`)."""
    out: dict[str, str] = {}
    for name in TIME_CLAIMS:
        value = claims.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                out[name] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(value)))
            except (OverflowError, OSError, ValueError):
                continue
    return out


def pretty(decoded: DecodedJwt) -> str:
    """Header and claims as indented JSON, with a line saying the signature was not verified."""
    header = json.dumps(dict(decoded.header), indent=2, ensure_ascii=False, sort_keys=True)
    claims = json.dumps(dict(decoded.claims), indent=2, ensure_ascii=False, sort_keys=True)
    dates = describe_time_claims(decoded.claims)
    when = "".join(f"\n  {k}: {v}" for k, v in dates.items())
    note = f"({SIGNATURE_NOTE})" if decoded.signed else "(unsigned token: alg none)"
    return f"Header {note}:\n{header}\n\nClaims:\n{claims}" + (f"\n\nDates:{when}" if when else "")
