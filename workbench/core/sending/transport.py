"""Sending a prepared request with httpx and recording what came back, with timings.

The only place a request becomes an httpx call. The body is streamed: progress is reported
as bytes arrive, and a large body spills to a temporary file instead of memory, so a 100 MB
response neither blocks nor doubles memory. Transport failures become one `SendError` whose
message a user understands ("Connection refused by 127.0.0.1:9"), never a traceback.

Clients are pooled: one long-lived `httpx.AsyncClient` per settings profile (timeouts, TLS
verification, proxy, redirects) and per event loop, shared by the window's sends and the
runner, as httpx's documentation recommends ("Why use a Client?": connection pooling, one TLS
setup). A new client per send loaded the CA bundle each time: 2.5 s of a 3.4 s run of 200
requests. The TLS context is built once per verification mode for the whole process. An httpx
client is bound to the loop it first ran on (its sockets are), so the pool is keyed by loop
and a loop's clients are closed when that loop closes (`asyncio.run` per CLI command, a worker
thread's loop, the window's qasync loop at exit).
"""

from __future__ import annotations

import asyncio
import functools
import os
import ssl
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from workbench import __version__
from workbench.core.collections import Settings
from workbench.core.errors import SendError, SendTimeout
from workbench.core.sending.prepare import PreparedRequest

ProgressCallback = Callable[[int, int | None], None]
SPOOL_BYTES = 8 * 1024 * 1024  # bodies above this go to a temporary file


@dataclass(frozen=True, slots=True)
class Timings:
    """Phases of one exchange in milliseconds (0 when the phase did not happen, e.g. reused connection)."""

    connect_ms: float = 0.0
    tls_ms: float = 0.0
    ttfb_ms: float = 0.0
    download_ms: float = 0.0
    total_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Response:
    """A received response. `body` holds small bodies; big ones live in `body_file`."""

    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    size: int
    elapsed_ms: float
    timings: Timings = field(default_factory=Timings)
    body: bytes = b""
    body_file: str = ""
    url: str = ""

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def read_body(self) -> bytes:
        """The whole body (reads the spill file for a big one)."""
        if self.body_file:
            with open(self.body_file, "rb") as fh:
                return fh.read()
        return self.body

    def text(self) -> str:
        charset = "utf-8"
        for piece in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = piece.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.read_body().decode(charset, errors="replace")
        except LookupError:
            return self.read_body().decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request as sent and the response that came back."""

    request: PreparedRequest
    response: Response
    started_at: float


#: What makes two sends need different clients; everything else (max body size) is per send.
ClientProfile = tuple[float, float, bool, bool, str]
MAX_CLIENTS_PER_LOOP = 16  # profiles are few (workspace, a slow request, a proxy); bound it anyway
# Keyed by the loop's identity, checked through a weak reference: a loop class may define its own
# hash/equality (qasync's loops compared equal across tests), and a client belongs to one loop only.
_POOL_ENTRIES: dict[int, tuple["weakref.ReferenceType[asyncio.AbstractEventLoop]", dict[ClientProfile, httpx.AsyncClient]]] = {}


def _pool_of(loop: asyncio.AbstractEventLoop, create: bool = False) -> dict[ClientProfile, httpx.AsyncClient] | None:
    """The clients of exactly this loop (never another loop's that happens to compare equal)."""
    entry = _POOL_ENTRIES.get(id(loop))
    if entry is not None and entry[0]() is loop:
        return entry[1]
    if not create:
        return None
    for key in [k for k, (ref, _) in _POOL_ENTRIES.items() if ref() is None]:
        del _POOL_ENTRIES[key]
    pool: dict[ClientProfile, httpx.AsyncClient] = {}
    _POOL_ENTRIES[id(loop)] = (weakref.ref(loop), pool)
    return pool


def _pop_pool(loop: asyncio.AbstractEventLoop) -> dict[ClientProfile, httpx.AsyncClient]:
    pool = _pool_of(loop)
    if pool is not None:
        del _POOL_ENTRIES[id(loop)]
    return pool or {}


def client_profile(settings: Settings) -> ClientProfile:
    return (settings.timeout_s, settings.connect_timeout_s, settings.follow_redirects, settings.verify_tls,
            settings.proxy)


@functools.lru_cache(maxsize=2)
def tls_context(verify: bool) -> ssl.SSLContext:
    """The TLS context for `verify` (CA bundle loaded once per process: the expensive part)."""
    return httpx.create_ssl_context(verify=verify, trust_env=False)


def _client(settings: Settings) -> httpx.AsyncClient:
    timeout = httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=settings.follow_redirects,
        verify=tls_context(settings.verify_tls),
        proxy=settings.proxy or None,
        trust_env=False,
        headers={"User-Agent": f"api-workbench/{__version__}"},
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30.0),
    )


def client_for(settings: Settings) -> httpx.AsyncClient:
    """The pooled client of the running loop for `settings`' profile (made on first use)."""
    loop = asyncio.get_running_loop()
    pool = _pool_of(loop)
    if pool is None:
        pool = _pool_of(loop, create=True)
        assert pool is not None
        _close_pool_with(loop)
    key = client_profile(settings)
    client = pool.get(key)
    if client is None or client.is_closed:
        if len(pool) >= MAX_CLIENTS_PER_LOOP:
            oldest = next(iter(pool))
            loop.create_task(pool.pop(oldest).aclose())
        client = pool[key] = _client(settings)
    return client


def pooled_clients() -> int:
    """How many clients the running loop holds (for tests and diagnostics)."""
    return len(_pool_of(asyncio.get_running_loop()) or {})


async def close_clients() -> None:
    """Close the running loop's clients (their keep-alive connections); the next send opens new ones."""
    pool = _pop_pool(asyncio.get_running_loop())
    for client in pool.values():
        await client.aclose()


def _close_pool_with(loop: asyncio.AbstractEventLoop) -> None:
    """Close `loop`'s clients just before the loop itself closes.

    asyncio has no "loop closing" hook, and a client left open on a closed loop leaves sockets
    that only the garbage collector closes (with ResourceWarnings). Wrapping this loop's
    `close` covers `asyncio.run`, a worker thread's `new_event_loop()`…`close()` and qasync
    alike. A loop closed while still running cannot await anything: its clients are dropped.
    """
    original = loop.close

    def close() -> None:
        pool = _pop_pool(loop)
        if pool and not loop.is_closed() and not loop.is_running():
            async def close_all() -> None:
                for client in pool.values():
                    await client.aclose()
            try:
                loop.run_until_complete(close_all())
            except Exception:  # noqa: BLE001 - closing is best effort; the loop must still close
                pass
        original()

    setattr(loop, "close", close)


def transport_error(exc: BaseException, url: str, settings: Settings | None = None) -> SendError:
    """The SendError for a failed exchange; a timeout says which setting ran out (and its seconds)."""
    message = describe_transport_error(exc, url, settings)
    detail = f"{exc.__class__.__name__}: {exc}" if str(exc) else repr(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return SendTimeout(message, detail, "connect_timeout_s")
    if isinstance(exc, httpx.TimeoutException):
        return SendTimeout(message, detail, "timeout_s")
    return SendError(message, detail=detail)


#: OpenSSL's reasons for refusing a certificate, in the words a user acts on.
_TLS_REASONS = (
    ("self-signed certificate in certificate chain", "its certificate chain is self-signed (not trusted here)"),
    ("self signed certificate in certificate chain", "its certificate chain is self-signed (not trusted here)"),
    ("self-signed certificate", "its certificate is self-signed (not trusted here)"),
    ("self signed certificate", "its certificate is self-signed (not trusted here)"),
    ("certificate has expired", "its certificate has expired"),
    ("hostname mismatch", "its certificate is for another host name"),
    ("ip address mismatch", "its certificate is for another address"),
    ("unable to get local issuer certificate", "its certificate's issuer is not trusted here (missing CA certificate)"),
    ("wrong version number", "it does not speak TLS on this port (is it plain http://?)"),
    ("record layer failure", "it does not speak TLS on this port (is it plain http://?)"),
    ("unsupported protocol", "it only offers a TLS version this client refuses"),
    ("handshake failure", "it refused the handshake (no common cipher or TLS version)"),
)


def _tls_reason(text: str) -> str:
    """Why a TLS handshake failed, in plain words (OpenSSL's own text when it is none we know)."""
    low = text.lower()
    for needle, words in _TLS_REASONS:
        if needle in low:
            return words
    return text


def describe_transport_error(exc: BaseException, url: str, settings: Settings | None = None) -> str:
    """A one-line, plain-words description of why no response arrived (the CLI prints it, the UI shows it).

    The words name what failed and where (`Could not connect to 127.0.0.1:9 — connection
    refused`, `DNS lookup failed for host "x"`, `Timed out after 30 s …`); httpx's own text
    goes to the error's `detail`, one click away, never in place of the sentence.
    """
    try:  # the URL may be the very thing httpx refused (a NUL, a bad port): then name it as written
        parsed = httpx.URL(url) if "://" in url else None
    except httpx.InvalidURL:
        parsed = None
    host = parsed.host if parsed is not None else url
    port = parsed.port if parsed is not None else None
    where = f"{host}:{port}" if port else host
    text = str(exc) or exc.__class__.__name__
    low = text.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        after = f" after {settings.connect_timeout_s:g} s" if settings is not None else ""
        return f"Timed out{after} connecting to {where} (connect timeout): no answer to the connection request."
    if isinstance(exc, httpx.ReadTimeout):
        after = f" after {settings.timeout_s:g} s" if settings is not None else ""
        return f"Timed out{after} waiting for {where}: it accepted the connection but sent no response (read timeout)."
    if isinstance(exc, httpx.TimeoutException):
        after = f" after {settings.timeout_s:g} s" if settings is not None else ""
        return f"Timed out{after} talking to {where}."
    if isinstance(exc, httpx.ConnectError):
        if ("name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low
                or "temporary failure in name resolution" in low or "no address associated" in low):
            return f"DNS lookup failed for host “{host}”: no such host name (check the URL, VPN or proxy)."
        if "refused" in low or "all connection attempts failed" in low:
            return f"Could not connect to {where} — connection refused: is the server running?"
        if "certificate" in low or "ssl" in low or "tls" in low:
            return f"TLS handshake with {where} failed: {_tls_reason(text)}."
        if "network is unreachable" in low or "no route to host" in low:
            return f"Could not connect to {where} — the network is unreachable from here (offline, VPN?)."
        return f"Could not connect to {where}: {text.split('] ', 1)[-1]}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake with {where} failed: {_tls_reason(text)}."
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in low or "disconnected" in low:
            return f"{where} closed the connection without sending a complete response."
        return f"{where} sent something that is not valid HTTP: {text}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"Unsupported URL scheme in {url!r}: use http:// or https://."
    if isinstance(exc, httpx.InvalidURL):
        return f"Invalid URL {url!r}: {text}"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"Too many redirects from {url}."
    return f"Request to {where} failed: {text}"


def to_httpx(prepared: PreparedRequest, client: httpx.AsyncClient) -> httpx.Request:
    """The httpx request for a prepared request (multipart built by httpx)."""
    headers = list(prepared.headers)
    if prepared.files or prepared.form_fields:
        files = [(f.name, (f.filename, f.content, f.content_type)) for f in prepared.files]
        # Let httpx write the multipart Content-Type with its boundary.
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        return client.build_request(prepared.method, prepared.url, headers=headers,
                                    data=dict(prepared.form_fields) if prepared.form_fields else None,
                                    files=files or None)
    return client.build_request(prepared.method, prepared.url, headers=headers,
                                content=prepared.body if prepared.body else None)


async def send_prepared(prepared: PreparedRequest, settings: Settings | None = None,
                        on_progress: ProgressCallback | None = None,
                        client: httpx.AsyncClient | None = None) -> Exchange:
    """Send and read the whole response; cancel the task to abort the transfer at once."""
    settings = settings or Settings()
    try:
        client = client or client_for(settings)
    except ValueError as exc:  # a `{{variable}}` proxy passes the settings check but is never resolved
        raise SendError(f"The proxy {settings.proxy!r} (Settings → Proxy) is not a proxy URL: {exc}",
                        detail=repr(exc)) from exc
    marks: dict[str, float] = {}

    async def trace(event: str, info: dict[str, Any]) -> None:
        marks.setdefault(event, time.perf_counter())

    started_at = time.time()
    t0 = time.perf_counter()
    spill = None
    try:
        try:
            request = to_httpx(prepared, client)
            request.extensions["trace"] = trace
            response = await client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL, ssl.SSLError, OSError) as exc:  # InvalidURL is no HTTPError
            raise transport_error(exc, prepared.url, settings) from exc
        except UnicodeEncodeError as exc:  # httpx writes header names and values as ASCII
            raise SendError(f"A header name or value holds {exc.object[exc.start:exc.end]!r}, which an HTTP header "
                            "cannot carry: remove it or percent-encode it.", detail=repr(exc)) from exc
        try:
            t_headers = time.perf_counter()
            total_hint = response.headers.get("content-length")
            expected = int(total_hint) if total_hint and total_hint.isdigit() else None
            limit = settings.max_body_mb * 1024 * 1024
            received = 0
            buffer = bytearray()
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if received > limit:
                    raise SendError(f"The response body is larger than the limit of {settings.max_body_mb} MB "
                                    "(Settings → Maximum body size); the transfer was stopped.")
                if spill is None:
                    buffer += chunk
                    if len(buffer) > SPOOL_BYTES:
                        spill = tempfile.NamedTemporaryFile(prefix="workbench-body-", delete=False)
                        spill.write(buffer)
                        buffer = bytearray()
                else:
                    spill.write(chunk)
                if on_progress is not None:
                    on_progress(received, expected)
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            raise transport_error(exc, prepared.url, settings) from exc
        finally:
            await response.aclose()
        t_end = time.perf_counter()
        body_file = ""
        if spill is not None:
            spill.close()
            body_file = spill.name
            spill = None
        timings = _timings(marks, t0, t_headers, t_end)
        return Exchange(prepared, Response(
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=tuple((k, v) for k, v in response.headers.multi_items()),
            size=received,
            elapsed_ms=(t_end - t0) * 1000,
            timings=timings,
            body=bytes(buffer) if not body_file else b"",
            body_file=body_file,
            url=str(response.url),
        ), started_at)
    except BaseException:
        if spill is not None:
            spill.close()
            os.unlink(spill.name)
        raise


def _timings(marks: dict[str, float], t0: float, t_headers: float, t_end: float) -> Timings:
    def span(start: str, end: str) -> float:
        s = marks.get(start)
        e = marks.get(end)
        return (e - s) * 1000 if s is not None and e is not None else 0.0

    return Timings(
        connect_ms=span("connection.connect_tcp.started", "connection.connect_tcp.complete"),
        tls_ms=span("connection.start_tls.started", "connection.start_tls.complete"),
        ttfb_ms=(t_headers - t0) * 1000,
        download_ms=(t_end - t_headers) * 1000,
        total_ms=(t_end - t0) * 1000,
    )
