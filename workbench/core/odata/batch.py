"""OData `$batch`: many requests in one round trip, as JSON (4.01) or multipart/mixed (v4 and v2).

Two wire formats exist and services support different ones: the JSON batch of OData 4.01
(JSON Format §19: `requests` with `id`, `method`, `url`, `headers`, `body`, `dependsOn`,
`atomicityGroup`) and the multipart/mixed batch of OData v4.0 (Part 1 Protocol §11.7) and v2
(OData v2 "Batch Processing"), where a nested multipart/mixed *change set* is the atomic unit.
Multipart bodies use CRLF line ends and `Content-Transfer-Encoding: binary` parts
(RFC 2046 §5.1.1, RFC 7230 §3 for the embedded HTTP messages).

Building is pure (no network): `build_json_batch` / `build_multipart_batch` give body bytes
and a Content-Type; `batch_request` wraps them in a workbench `Request` so the usual send path
applies auth and variables. `split_batch_response` turns the batch answer back into one
`http.Response` per part, so each shows in the response viewer like any other response.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence
from typing import Literal as TLiteral

from workbench.core.collections import Body, Collection, Environment, KeyValue, Request
from workbench.core.errors import SendError
from workbench.core.sending.send import SendContext, check_resolved, prepare_in
from workbench.core.sending.transport import Response

BatchFormat = TLiteral["json", "multipart"]
CRLF = "\r\n"


@dataclass(frozen=True, slots=True)
class BatchPart:
    """One request inside a batch.

    `url` is relative to the service root (`Customers?$top=1`), absolute, or a `$<id>`
    reference to an earlier part's result (OData 4.01 JSON §19.1, Protocol §11.7.7.2).
    Parts with the same non-empty `atomicity_group` succeed or fail together; in a multipart
    batch they form one change set (GET parts may not be in one).
    """

    id: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    depends_on: tuple[str, ...] = ()
    atomicity_group: str = ""

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One part's answer: its id (JSON `id` or multipart `Content-ID`) and the response."""

    id: str
    response: Response
    atomicity_group: str = ""


@dataclass(frozen=True, slots=True)
class BuiltBatch:
    """A batch body ready to POST to `{service root}/$batch`."""

    body: bytes
    content_type: str
    format: BatchFormat
    ids: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- building


def _is_json(content_type: str | None) -> bool:
    ct = (content_type or "").split(";")[0].strip().lower()
    return ct == "application/json" or ct.endswith("+json")


def build_json_batch(parts: Sequence[BatchPart]) -> BuiltBatch:
    """The OData 4.01 JSON batch body (JSON Format §19.1)."""
    _check_ids(parts)
    requests: list[dict[str, Any]] = []
    for part in parts:
        item: dict[str, Any] = {"id": part.id, "method": part.method.upper(), "url": part.url}
        if part.headers:
            item["headers"] = {k.lower(): v for k, v in part.headers}
        if part.body:
            ct = part.header("content-type")
            if _is_json(ct) or ct is None:
                try:
                    item["body"] = json.loads(part.body)
                except ValueError as exc:
                    if ct is None:
                        item["body"] = part.body.decode("utf-8", errors="replace")
                    else:
                        raise SendError(f"Batch part {part.id}: the body is not valid JSON ({exc})") from exc
            elif (ct or "").startswith("text/"):
                item["body"] = part.body.decode("utf-8", errors="replace")
            else:
                # Binary bodies travel base64url-encoded (JSON Format §19.1 "body").
                item["body"] = base64.urlsafe_b64encode(part.body).decode().rstrip("=")
        if part.depends_on:
            item["dependsOn"] = list(part.depends_on)
        if part.atomicity_group:
            item["atomicityGroup"] = part.atomicity_group
        requests.append(item)
    body = json.dumps({"requests": requests}, ensure_ascii=False).encode("utf-8")
    return BuiltBatch(body, "application/json", "json", tuple(p.id for p in parts))


def _check_ids(parts: Sequence[BatchPart]) -> None:
    seen: set[str] = set()
    groups: dict[str, int] = {}
    for index, part in enumerate(parts):
        if not part.id:
            raise SendError(f"Batch part {index + 1} has no id")
        if part.id in seen:
            raise SendError(f"Batch id {part.id!r} is used twice")
        for dep in part.depends_on:
            if dep not in seen and dep not in groups:
                raise SendError(f"Batch part {part.id!r} depends on {dep!r}, which does not come before it")
        seen.add(part.id)
        if part.atomicity_group:
            if part.atomicity_group in groups and groups[part.atomicity_group] != index - 1 and \
                    parts[index - 1].atomicity_group != part.atomicity_group:
                raise SendError(f"The parts of atomicity group {part.atomicity_group!r} must be adjacent")
            groups[part.atomicity_group] = index


def build_multipart_batch(parts: Sequence[BatchPart], *, boundary: str = "", version: str = "4.0") -> BuiltBatch:
    """A multipart/mixed batch (Protocol §11.7.2; OData v2 Batch); adjacent parts sharing an
    `atomicity_group` become one change set."""
    _check_ids(parts)
    boundary = boundary or f"batch_{uuid.uuid4().hex[:16]}"
    out: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part.atomicity_group:
            group = _take_group(parts, index)
            for member in group:
                if member.method.upper() == "GET":
                    raise SendError(f"Batch part {member.id!r}: a GET cannot be inside a change set "
                                    f"(atomicity group {member.atomicity_group!r})")
            cs_boundary = f"changeset_{uuid.uuid4().hex[:16]}"
            out.append(f"--{boundary}{CRLF}Content-Type: multipart/mixed; boundary={cs_boundary}{CRLF}{CRLF}")
            for member in group:
                out.append(f"--{cs_boundary}{CRLF}")
                out.append(_http_part(member, version, in_change_set=True))
            out.append(f"--{cs_boundary}--{CRLF}")
            index += len(group)
        else:
            out.append(f"--{boundary}{CRLF}")
            out.append(_http_part(part, version, in_change_set=False))
            index += 1
    out.append(f"--{boundary}--{CRLF}")
    body = "".join(out).encode("utf-8")
    return BuiltBatch(body, f"multipart/mixed; boundary={boundary}", "multipart", tuple(p.id for p in parts))


def _take_group(parts: Sequence[BatchPart], start: int) -> list[BatchPart]:
    group = [parts[start]]
    for part in parts[start + 1:]:
        if part.atomicity_group != parts[start].atomicity_group:
            break
        group.append(part)
    return group


def _http_part(part: BatchPart, version: str, *, in_change_set: bool) -> str:
    """One `application/http` part: MIME headers, then the embedded request (RFC 7230 §3)."""
    mime = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if in_change_set or part.id:
        mime.append(f"Content-ID: {part.id}")
    url = part.url.replace(" ", "%20")
    lines = [f"{part.method.upper()} {url} HTTP/1.1"]
    headers = list(part.headers)
    if part.body and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    if part.body and not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(("Content-Length", str(len(part.body))))
    if version.startswith(("1.", "2.", "3.")) and not any(k.lower() == "dataserviceversion" for k, _ in headers):
        headers.append(("DataServiceVersion", "2.0"))
    lines.extend(f"{k}: {v}" for k, v in headers)
    body = part.body.decode("utf-8", errors="replace") if part.body else ""
    # The CRLF after the body belongs to the next delimiter (RFC 2046 §5.1.1); sending it even
    # after an empty body is what SAP Gateway and ASP.NET expect.
    return CRLF.join(mime) + CRLF + CRLF + CRLF.join(lines) + CRLF + CRLF + body + CRLF


def build_batch(parts: Sequence[BatchPart], fmt: BatchFormat = "json", *, version: str = "4.0") -> BuiltBatch:
    if fmt == "json":
        if version.startswith(("1.", "2.", "3.")):
            raise SendError("OData v2 services only accept multipart $batch; choose the multipart format")
        return build_json_batch(parts)
    return build_multipart_batch(parts, version=version)


def batch_request(parts: Sequence[BatchPart], service_root: str, fmt: BatchFormat = "json", *,
                  version: str = "4.0", name: str = "$batch") -> Request:
    """A workbench `Request` that POSTs the batch to `{service_root}/$batch`.

    Sending it through `send.send` applies the collection's auth and headers like any request.
    """
    built = build_batch(parts, fmt, version=version)
    headers: tuple[KeyValue, ...] = (KeyValue("Content-Type", built.content_type), KeyValue("Accept", _accept(fmt)))
    if version.startswith(("1.", "2.", "3.")):
        headers += (KeyValue("DataServiceVersion", "2.0"), KeyValue("MaxDataServiceVersion", "2.0"))
    body = Body("raw", built.content_type, built.body.decode("utf-8"))
    return Request(name, "POST", service_root.rstrip("/") + "/$batch", headers=headers, body=body)


def _accept(fmt: BatchFormat) -> str:
    return "application/json" if fmt == "json" else "multipart/mixed"


def relative_url(url: str, service_root: str) -> str:
    """`http://h/svc/People?x` → `People?x` when under the service root (batch parts are relative)."""
    root = service_root.rstrip("/") + "/"
    if url.startswith(root):
        return url[len(root):]
    return url


def parts_from_requests(requests: Iterable[Request], service_root: str, *, collection: Collection | None = None,
                        environment: Environment | None = None, atomicity_group: str = "",
                        context: SendContext | None = None) -> list[BatchPart]:
    """Batch parts from saved requests: variables resolved, URL made relative, body encoded.

    Auth is not copied into parts: the `$batch` request itself authenticates (Protocol §11.7).
    Variables come from `context` (the one made by `core/context/`); `collection` and
    `environment` stand for a two-layer context when no context is given.
    """
    ctx = context or SendContext(collection=collection, environment=environment)
    out: list[BatchPart] = []
    for index, request in enumerate(requests, start=1):
        prepared = prepare_in(request, ctx)
        check_resolved(prepared, ctx, f"the $batch part “{request.name}”")
        headers = tuple((k, v) for k, v in prepared.headers if k.lower() not in ("authorization", "cookie"))
        group = atomicity_group if request.method.upper() != "GET" else ""
        out.append(BatchPart(str(index), prepared.method, relative_url(prepared.url, ctx.resolver()(service_root)),
                             headers, prepared.body, (), group))
    return out


# --------------------------------------------------------------------------- splitting


def split_batch_response(response: Response, parts: Sequence[BatchPart] = ()) -> list[BatchResult]:
    """One `BatchResult` per part of a JSON or multipart batch response, in order.

    Change-set responses are flattened, each keeping its change set's id as `atomicity_group`.
    A failed batch (4xx/5xx with an error body instead of parts) raises `SendError` with the
    server's message. Given the `parts` that were sent, results get the parts' own atomicity
    group names back (a multipart answer only knows change-set boundaries).
    """
    results = _split(response)
    if parts:
        groups = {p.id: p.atomicity_group for p in parts}
        results = [BatchResult(r.id, r.response, groups.get(r.id, r.atomicity_group)) for r in results]
    return results


def _split(response: Response) -> list[BatchResult]:
    ct = response.header("content-type") or ""
    body = response.read_body()
    if ct.lower().startswith("multipart/"):
        boundary = _boundary(ct)
        if not boundary:
            raise SendError("The batch response is multipart but has no boundary")
        return _split_multipart(body, boundary, "")
    if _is_json(ct) or body.lstrip().startswith(b"{"):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise SendError(f"The batch response is not valid JSON: {exc}") from exc
        if isinstance(data, dict) and "responses" in data:
            return [_json_part(item) for item in data["responses"]]
        if isinstance(data, dict) and "error" in data:
            err = data["error"]
            raise SendError(f"The batch failed ({response.status}): "
                            f"{err.get('message') if isinstance(err, dict) else err}", detail=body.decode("utf-8", "replace"))
    raise SendError(f"The batch response ({response.status}, {ct or 'no content type'}) holds no parts",
                    detail=body[:2000].decode("utf-8", "replace"))


def _json_part(item: dict[str, Any]) -> BatchResult:
    headers = tuple((str(k), str(v)) for k, v in (item.get("headers") or {}).items())
    raw = item.get("body")
    ct = next((v for k, v in headers if k.lower() == "content-type"), "")
    if raw is None:
        data = b""
    elif isinstance(raw, str) and not _is_json(ct):
        data = raw.encode("utf-8")
    else:
        data = json.dumps(raw, ensure_ascii=False).encode("utf-8")
        if not ct:
            headers += (("content-type", "application/json"),)
    status = int(item.get("status", 0))
    return BatchResult(str(item.get("id", "")), Response(status, _reason(status), "HTTP/1.1", headers, len(data), 0.0,
                                                         body=data), str(item.get("atomicityGroup", "")))


def _boundary(content_type: str) -> str:
    m = re.search(r'boundary\s*=\s*("([^"]+)"|[^;\s]+)', content_type, re.I)
    if not m:
        return ""
    return m.group(2) or m.group(1)


def _split_multipart(body: bytes, boundary: str, group: str) -> list[BatchResult]:
    delimiter = b"--" + boundary.encode()
    chunks = body.split(delimiter)
    results: list[BatchResult] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # close delimiter
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
        head, body_part = _split_head(chunk)
        mime = _headers(head)
        ct = mime.get("content-type", "")
        if ct.lower().startswith("multipart/"):
            inner = _boundary(ct)
            cs_id = mime.get("content-id", "") or inner
            results.extend(_split_multipart(body_part, inner, cs_id))
            continue
        results.append(_http_response(body_part, mime.get("content-id", ""), group))
    return results


def _split_head(chunk: bytes) -> tuple[bytes, bytes]:
    for sep in (b"\r\n\r\n", b"\n\n"):
        idx = chunk.find(sep)
        if idx >= 0:
            return chunk[:idx], chunk[idx + len(sep):]
    return chunk, b""


def _headers(head: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip().lower()] = value.strip()
    return out


def _http_response(data: bytes, content_id: str, group: str) -> BatchResult:
    """Parse an embedded `HTTP/1.1 200 OK` message (RFC 7230 §3) into a `Response`."""
    head, body = _split_head(data)
    lines = head.decode("utf-8", "replace").splitlines()
    status_line = lines[0] if lines else ""
    m = re.match(r"(HTTP/\d(?:\.\d)?)\s+(\d{3})\s*(.*)", status_line)
    if not m:
        raise SendError(f"A batch part does not start with an HTTP status line: {status_line[:80]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    # Strip the CRLF that precedes the next boundary (it belongs to the delimiter, RFC 2046 §5.1.1).
    if body.endswith(b"\r\n"):
        body = body[:-2]
    elif body.endswith(b"\n"):
        body = body[:-1]
    status = int(m.group(2))
    content_id = content_id or next((v for k, v in headers if k.lower() == "content-id"), "")
    return BatchResult(content_id, Response(status, m.group(3) or _reason(status), m.group(1), tuple(headers),
                                            len(body), 0.0, body=body), group)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
