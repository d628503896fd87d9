"""One exception tree, so the UI and the CLI can show any failure in plain words.

Every error carries a `message` fit for a user (one line) and an optional `detail` (server
response, parser output) shown one click away. Foreign errors (httpx, lxml, yaml) are wrapped
at the boundary with `raise ... from exc`.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench reports to a user."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class StorageError(WorkbenchError):
    """A workspace, collection, environment or request file could not be read or written."""


class SpecImportError(WorkbenchError):
    """An OpenAPI/Swagger descriptor could not be imported."""


class AuthError(WorkbenchError):
    """Authentication could not be set up or a token could not be obtained."""


class TokenError(AuthError):
    """The token endpoint (or discovery) refused or failed; carries what the server said."""

    def __init__(self, message: str, *, error: str = "", error_description: str = "", status: int | None = None,
                 body: str = "", detail: str | None = None) -> None:
        super().__init__(message, detail if detail is not None else (body or None))
        self.error = error
        self.error_description = error_description
        self.status = status
        self.body = body


class ODataQueryError(WorkbenchError):
    """An OData URL or query does not parse or does not fit the service's metadata."""

    def __init__(self, message: str, detail: str | None = None, position: int | None = None) -> None:
        super().__init__(message, detail)
        self.position = position


class CsdlError(WorkbenchError):
    """A CSDL ($metadata) document is malformed, unsafe or unsupported."""


class SendError(WorkbenchError):
    """A request could not be sent or no response arrived (DNS, refused, TLS, timeout)."""


class ViewError(WorkbenchError):
    """A response body could not be shown (too large, undecodable)."""


class JsonSyntaxError(ViewError):
    """The body is not valid JSON (RFC 8259); `offset` is the byte where reading stopped."""

    def __init__(self, message: str, offset: int = -1, detail: str | None = None) -> None:
        super().__init__(message, detail)
        self.offset = offset


class CodegenError(WorkbenchError):
    """Code could not be generated for a request (unknown language, unsupported body)."""


class UnresolvedVariableError(WorkbenchError):
    """A `{{variable}}` has no value: the request is not sent (bad input, exit 2 on the CLI).

    Sending it anyway would come back as a DNS error for the host "{{baseurl}}" or a 401 for
    a literal "{{clientSecret}}": true, but about the wrong thing. `names` lists what is missing.
    """

    def __init__(self, message: str, names: tuple[str, ...] = (), detail: str | None = None) -> None:
        super().__init__(message, detail)
        self.names = names


class SendTimeout(SendError):
    """No response in time; `setting` names the setting that ran out (`timeout_s`, `connect_timeout_s`)."""

    def __init__(self, message: str, detail: str | None = None, setting: str = "timeout_s") -> None:
        super().__init__(message, detail)
        self.setting = setting


class HttpStatus(Exception):
    """The cause of an error whose download answered an HTTP error status (`raise … from HttpStatus(404)`).

    A cause rather than a subclass: the error stays the `SpecImportError` or `CsdlError` its
    callers catch, and the CLI can still tell "the server refused" (the thing asked failed,
    exit 1) from "the document it sent is malformed" (bad input, exit 2).
    """

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def answered_status(exc: BaseException) -> int | None:
    """The HTTP error status a download answered, if one is in `exc`'s chain of causes."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, HttpStatus):
            return cause.status
        cause = cause.__cause__
    return None
