"""Shared fixtures: real peers started once per session on 127.0.0.1, isolated user data.

Peers are started lazily (only when a test asks for one) and stopped at the end. Secrets go
to an in-memory backend and user data to a temporary folder, so a test run never touches the
developer's keyring or settings.
"""

from __future__ import annotations

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
