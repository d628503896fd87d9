"""Error bodies in one shape: RFC 9457 problem details and OData JSON errors, for the error card."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    """What an error body says, in one shape for both formats the card shows.

    `flavour` "problem" is RFC 9457 problem details (type, title, status, detail, instance and
    extension members such as the common `errors` list); "odata" is the OData JSON error
    (OData JSON Format 4.01 §21: error.code, message, target, details, innererror; v2/v3
    bodies put the message in `{"lang", "value"}`).
    """

    flavour: Literal["problem", "odata"]
    title: str = ""
    status: int | None = None
    detail: str = ""
    type: str = ""
    instance: str = ""
    code: str = ""
    target: str = ""
    errors: tuple[Any, ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict)
    innererror: Any = None


_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")


def _message_text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("value") or value.get("message") or "")
    return "" if value is None else str(value)


def error_details(content_type: str, body: Any) -> ErrorDetails | None:
    """Recognise a problem+json or OData error body; None for anything else."""
    if not isinstance(body, dict):
        return None
    ct = content_type.split(";")[0].strip().lower()
    error = body.get("error", body.get("odata.error"))
    if isinstance(error, dict) and ("code" in error or "message" in error):
        details = error.get("details") or ()
        return ErrorDetails(
            flavour="odata",
            title=_message_text(error.get("message")),
            code=str(error.get("code") or ""),
            target=str(error.get("target") or ""),
            errors=tuple(details) if isinstance(details, list) else (details,),
            innererror=error.get("innererror", error.get("@SAP__common.ExceptionCategory")),
            extensions={k: v for k, v in error.items()
                        if k not in ("code", "message", "target", "details", "innererror")},
        )
    looks_like_problem = "title" in body and ("type" in body or isinstance(body.get("status"), int))
    if ct == "application/problem+json" or looks_like_problem:
        status = body.get("status")
        errors = body.get("errors")
        if isinstance(errors, dict):  # e.g. ASP.NET's {"field": ["message", ...]}
            errors = [{"pointer": k, "detail": v} for k, v in errors.items()]
        return ErrorDetails(
            flavour="problem",
            title=str(body.get("title") or ""),
            status=status if isinstance(status, int) else None,
            detail=str(body.get("detail") or ""),
            type=str(body.get("type") or "about:blank"),
            instance=str(body.get("instance") or ""),
            errors=tuple(errors) if isinstance(errors, list) else (),
            extensions={k: v for k, v in body.items() if k not in _PROBLEM_MEMBERS and k != "errors"},
        )
    return None
