"""Shared fixtures: real peers started once per session on 127.0.0.1, isolated user data.

Peers are started lazily (only when a test asks for one) and stopped at the end. Secrets go
to an in-memory backend and user data to a temporary folder, so a test run never touches the
developer's keyring or settings.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WORKBENCH_SECRETS", "memory")

sys.path.insert(0, str(Path(__file__).parent / "servers"))
import peers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT / ".." / "shared" / "data").resolve()


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(data))
    from workbench.core.workspace import secrets

    secrets.set_backend(secrets.MemoryBackend())


def _peer(factory, *args, **kwargs) -> Iterator[peers.Peer]:  # type: ignore[no-untyped-def]
    try:
        peer = factory(*args, **kwargs)
    except peers.PeerUnavailable as exc:
        pytest.fail(f"peer could not start: {exc}")
    try:
        yield peer
    finally:
        peer.stop()


@pytest.fixture(scope="session")
def httpbin() -> Iterator[peers.Peer]:
    """httpbin (HTTP echo) under gunicorn."""
    yield from _peer(peers.start_httpbin)


@pytest.fixture(scope="session")
def odata_server() -> Iterator[peers.Peer]:
    """SAP CAP OData v4 service `CasesService` (tests/servers/odata), url = service root."""
    yield from _peer(peers.start_odata)


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[peers.Peer]:
    """oidc-provider 9: strict client authentication, client credentials, discovery, JWT tokens."""
    yield from _peer(peers.start_oidc)


@pytest.fixture(scope="session")
def oauth_mock() -> Iterator[peers.Peer]:
    """oauth2-mock-server 7: password grant and refresh tokens, accepts any client."""
    yield from _peer(peers.start_oidc, mock=True)


@pytest.fixture(scope="session")
def strict_token() -> Iterator["strict_token_server.StrictTokenServer"]:
    """Our strict token endpoint (tests/servers/strict_token.py): refuses the wrong client-auth method."""
    import strict_token as strict_token_server

    server = strict_token_server.default_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` (real public descriptors and CSDL); tests skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def workbench_run() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `workbench ARGS…` as a script would (a fresh process, offscreen, memory secrets).

    Every run is checked for a traceback: bad input must end in one readable line, never a dump.
    """

    def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory"}
        result = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                                timeout=timeout, cwd=cwd, env=env)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
        return result

    return run


@pytest.fixture(scope="session")
def gate(odata_server: peers.Peer, strict_token) -> Iterator[tuple["oauth_gate.OAuthGate", str]]:  # type: ignore[no-untyped-def]
    """The CAP service behind an OAuth 2.0 gate (tests/servers/oauth_gate.py) that also wants
    `x-client-id: jb-client` and `x-tenant-id: t1`; yields (gate, the service root through the gate)."""
    from urllib.parse import urlsplit

    import oauth_gate

    parts = urlsplit(odata_server.url)
    server = oauth_gate.OAuthGate(f"{parts.scheme}://{parts.netloc}", strict_token,
                                  {"x-client-id": "jb-client", "x-tenant-id": "t1"}).start()
    yield server, server.url + parts.path
    server.stop()


@pytest.fixture(scope="session")
def basic_cap() -> Iterator[peers.Peer]:
    """SAP CAP in its basic-auth mode (alice/alice123, bob/bob123)."""
    yield from _peer(peers.start_odata, basic_auth=True)


@pytest.fixture(scope="session")
def paged_api() -> Iterator["paged_api_server.PagedApi"]:
    """Our REST API that pages like Frends, RFC 8288 `Link`, `page`/`per_page`, HAL and a capped
    OData service (tests/servers/paged_api.py)."""
    import paged_api as paged_api_server

    server = paged_api_server.PagedApi().start()
    yield server
    server.stop()


@pytest.fixture
def qasync_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:  # type: ignore[no-untyped-def]
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        # Close this loop's pooled HTTP clients while it still dispatches: their keep-alive sockets'
        # notifiers would otherwise outlive the loop and swallow events for a reused descriptor.
        _close_pooled_clients(qapp, loop)
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        # asyncio.to_thread runs on qasync's QThreadExecutor; a pool thread left running when Qt
        # tears down aborts the process ("QThread: Destroyed while thread is still running").
        executor = getattr(loop, "_QEventLoop__default_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)
            loop.set_default_executor(None)
        # The loop is never closed (it was "already running"), so do what qasync's close() does for its
        # socket notifiers: a stale, enabled notifier on a descriptor number the OS hands out again
        # starves the next test's loop of that socket's events (a send that never completes).
        for notifier in [*loop._read_notifiers.values(), *loop._write_notifiers.values()]:
            notifier.setEnabled(False)
        loop._read_notifiers.clear()
        loop._write_notifiers.clear()
        asyncio.set_event_loop(None)
        # `already_running=True` marked this loop as the running one; unmark it, or a later test's
        # asyncio.run() fails with "cannot be called from a running event loop".
        asyncio.events._set_running_loop(None)


@pytest.fixture
def gc_on_the_ui_thread(qapp):  # type: ignore[no-untyped-def]
    """As in the app (workbench/ui/collector.py): cyclic GC runs on the UI thread, never in a worker."""
    import gc

    from workbench.ui import collector

    guard = collector.install(qapp)
    yield
    guard.stop()
    guard.deleteLater()
    gc.collect()


def _close_pooled_clients(qapp, loop: asyncio.AbstractEventLoop) -> None:  # type: ignore[no-untyped-def]
    import time

    from workbench.core.sending import transport

    # Let cancelled sends unwind first (a request cut off mid-way holds its socket until then).
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    deadline = time.monotonic() + 3
    while any(not t.done() for t in pending) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)
    if not transport._pool_of(loop):
        return
    done = asyncio.ensure_future(transport.close_clients(), loop=loop)
    deadline = time.monotonic() + 5
    while not done.done() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)


@pytest.fixture
def race() -> Callable[..., list[str]]:
    """`race(fn, n=4)`: `fn` in `n` threads released together; each outcome is "ok" or the error's message.

    For imports that must queue on the workspace lock: one wins, the others fail cleanly.
    """
    import threading

    from workbench.core.errors import WorkbenchError

    def run(fn: Callable[[], object], n: int = 4) -> list[str]:
        barrier = threading.Barrier(n)
        outcomes: list[str] = []

        def one() -> None:
            barrier.wait()
            try:
                fn()
                outcomes.append("ok")
            except WorkbenchError as exc:
                outcomes.append(exc.message)

        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return outcomes

    return run
