"""Sending with httpx against the real httpbin peer: bodies arrive as sent, errors are plain words."""

from __future__ import annotations

import asyncio
import functools
import http.server
import json
import os
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import peers
import pytest

from workbench.core.collections import Body, FormPart, KeyValue, Request, Settings
from workbench.core.errors import SendError
from workbench.core.sending.prepare import prepare
from workbench.core.sending.transport import SPOOL_BYTES, send_prepared


def _send(request: Request, settings: Settings | None = None, base_dir: str | Path = ".", **kw):  # type: ignore[no-untyped-def]
    return asyncio.run(send_prepared(prepare(request, base_dir=base_dir), settings, **kw))


def _json(exchange) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(exchange.response.read_body())


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_methods(httpbin: peers.Peer, method: str) -> None:
    ex = _send(Request("m", method, f"{httpbin.url}/anything"))
    assert ex.response.status == 200 and _json(ex)["method"] == method


def test_head_has_no_body(httpbin: peers.Peer) -> None:
    ex = _send(Request("h", "HEAD", f"{httpbin.url}/get"))
    assert ex.response.status == 200 and ex.response.size == 0


def test_headers_and_query_arrive(httpbin: peers.Peer) -> None:
    ex = _send(Request("q", "GET", f"{httpbin.url}/anything", params=(KeyValue("$filter", "name eq 'a b'"),),
                       headers=(KeyValue("X-Trace", "abc"), KeyValue("X-Off", "no", False))))
    data = _json(ex)
    assert data["args"] == {"$filter": "name eq 'a b'"}
    assert data["headers"]["X-Trace"] == "abc" and "X-Off" not in data["headers"]
    assert ex.response.header("content-type") == "application/json"
    assert ex.response.timings.total_ms > 0 and ex.response.elapsed_ms > 0


def test_json_body_arrives_as_sent(httpbin: peers.Peer) -> None:
    text = '{"name": "Zoë", "n": [1, 2]}'
    ex = _send(Request("j", "POST", f"{httpbin.url}/post", body=Body("raw", text=text)))
    data = _json(ex)
    assert data["json"] == {"name": "Zoë", "n": [1, 2]} and data["headers"]["Content-Type"] == "application/json"


def test_form_body(httpbin: peers.Peer) -> None:
    ex = _send(Request("f", "POST", f"{httpbin.url}/post", body=Body("form", form=(
        KeyValue("grant_type", "client_credentials"), KeyValue("scope", "api read"), KeyValue("off", "x", False)))))
    data = _json(ex)
    assert data["form"] == {"grant_type": "client_credentials", "scope": "api read"}
    assert data["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_multipart_body_with_file(httpbin: peers.Peer, tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text('{"openapi": "3.0.0"}')
    ex = _send(Request("m", "POST", f"{httpbin.url}/post", body=Body("multipart", parts=(
        FormPart("file", file="spec.json"), FormPart("note", "hello")))), base_dir=tmp_path)
    data = _json(ex)
    assert data["files"] == {"file": '{"openapi": "3.0.0"}'} and data["form"] == {"note": "hello"}
    assert data["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_binary_body(httpbin: peers.Peer, tmp_path: Path) -> None:
    payload = bytes(range(256)) * 4
    (tmp_path / "blob.bin").write_bytes(payload)
    ex = _send(Request("b", "PUT", f"{httpbin.url}/anything", body=Body("binary", file="blob.bin")), base_dir=tmp_path)
    data = _json(ex)
    assert data["headers"]["Content-Length"] == str(len(payload))
    assert data["headers"]["Content-Type"] == "application/octet-stream"
    assert data["data"].startswith("data:application/octet-stream;base64,")


def test_missing_file_is_a_send_error(tmp_path: Path) -> None:
    with pytest.raises(SendError, match="Cannot read the body file"):
        prepare(Request("b", "PUT", "http://127.0.0.1:9/", body=Body("binary", file="nope.bin")), base_dir=tmp_path)


def test_redirects_followed_or_not(httpbin: peers.Peer) -> None:
    url = f"{httpbin.url}/redirect-to?url=/get&status_code=302"
    followed = _send(Request("r", "GET", url), Settings(follow_redirects=True))
    assert followed.response.status == 200 and followed.response.url.endswith("/get")
    kept = _send(Request("r", "GET", url), Settings(follow_redirects=False))
    assert kept.response.status == 302 and kept.response.header("location") == "/get"


def test_read_timeout_is_a_send_error(httpbin: peers.Peer) -> None:
    started = time.perf_counter()
    with pytest.raises(SendError, match="read timeout"):
        _send(Request("t", "GET", f"{httpbin.url}/delay/5"), Settings(timeout_s=0.5))
    assert time.perf_counter() - started < 3


def test_refused_connection_is_a_send_error() -> None:
    port = peers.free_port()
    with pytest.raises(SendError) as info:
        _send(Request("x", "GET", f"http://127.0.0.1:{port}/"))
    assert "refused" in info.value.message.lower() and f"127.0.0.1:{port}" in info.value.message


def test_bad_scheme_is_a_send_error() -> None:
    with pytest.raises(SendError, match="scheme"):
        _send(Request("x", "GET", "ftp://127.0.0.1/file"))


def test_progress_callback_reports_bytes(httpbin: peers.Peer) -> None:
    seen: list[tuple[int, int | None]] = []
    ex = _send(Request("p", "GET", f"{httpbin.url}/bytes/50000"), on_progress=lambda got, total: seen.append((got, total)))
    assert seen and seen[-1][0] == 50000 == ex.response.size
    assert all(b >= a for (a, _), (b, _) in zip(seen, seen[1:]))


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A stdlib static file server with one big file (httpbin caps its bodies at 100 KB)."""
    folder = tmp_path_factory.mktemp("static")
    size = SPOOL_BYTES + 1_000_000
    (folder / "big.bin").write_bytes(os.urandom(1024) * (size // 1024))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", (size // 1024) * 1024
    server.shutdown()
    server.server_close()


def test_big_body_spills_to_a_file(file_server: tuple[str, int]) -> None:
    url, size = file_server
    ex = _send(Request("big", "GET", f"{url}/big.bin"))
    try:
        assert ex.response.body_file and ex.response.body == b""
        assert os.path.getsize(ex.response.body_file) == size == ex.response.size
        assert len(ex.response.read_body()) == size
    finally:
        os.unlink(ex.response.body_file)


def test_body_limit_stops_the_transfer(file_server: tuple[str, int]) -> None:
    url, _ = file_server
    before = set(os.listdir(tempfile.gettempdir()))
    with pytest.raises(SendError, match="larger than the limit"):
        _send(Request("big", "GET", f"{url}/big.bin"), Settings(max_body_mb=1))
    spilled = [n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("workbench-body-")]
    assert spilled == []  # nothing left behind


def test_cancel_aborts_at_once() -> None:
    """A server that accepts and never answers: cancelling the task ends the send immediately."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]

        async def scenario() -> float:
            task = asyncio.ensure_future(send_prepared(prepare(Request("c", "GET", f"http://127.0.0.1:{port}/")),
                                                       Settings(timeout_s=60)))
            await asyncio.sleep(0.3)
            started = time.perf_counter()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return time.perf_counter() - started

        assert asyncio.run(scenario()) < 0.5


def test_one_pooled_client_per_profile_and_loop(httpbin: peers.Peer) -> None:
    """Sends share a keep-alive client per settings profile; the TLS context is built once; a loop's clients close with it."""
    from workbench.core.sending import transport

    seen: list[object] = []

    async def sends() -> None:
        for settings in (Settings(), Settings(), Settings(timeout_s=5), Settings(max_body_mb=1)):
            await send_prepared(prepare(Request("g", "GET", f"{httpbin.url}/get")), settings)
            seen.append(transport.client_for(settings))
        assert transport.pooled_clients() == 2

    asyncio.run(sends())
    assert seen[0] is seen[1] is seen[3] and seen[2] is not seen[0]
    assert all(c.is_closed for c in seen)  # type: ignore[attr-defined]
    assert transport.tls_context(True) is transport.tls_context(True)
    loop = asyncio.new_event_loop()  # a worker thread's loop, closed without asyncio.run
    client = loop.run_until_complete(sends_one(httpbin.url))
    loop.close()
    assert client.is_closed


async def sends_one(url: str):  # type: ignore[no-untyped-def]
    from workbench.core.sending import transport

    await send_prepared(prepare(Request("g", "GET", f"{url}/get")))
    return transport.client_for(Settings())
