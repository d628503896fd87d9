"""Start the real peers the tests and benchmarks talk to, on 127.0.0.1 (stdlib only).

Each peer is a real server (httpbin, SAP CAP OData v4, oidc-provider, oauth2-mock-server,
Prism) installed once into a cache folder (`WORKBENCH_TEST_CACHE`, default
`~/.cache/api-workbench-tests`) and started per test session on a free port. `start()` waits
until the peer answers and returns its base URL; `Peer.stop()` ends the whole process group.

Also usable from the shell: `python tests/servers/peers.py install` fills the cache (CI does
this before pytest so the first test does not pay for it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("WORKBENCH_TEST_CACHE") or Path.home() / ".cache" / "api-workbench-tests")
NPM_DIR = CACHE / "npm"
NODE_MODULES = NPM_DIR / "node_modules"
HTTPBIN_VENV = CACHE / "httpbin-venv"


class PeerUnavailable(RuntimeError):
    """A peer could not be installed or started (tests then fail with this message)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _npm_ready() -> bool:
    stamp = NPM_DIR / ".installed"
    want = (HERE / "npm" / "package.json").read_text()
    return stamp.exists() and stamp.read_text() == want and NODE_MODULES.is_dir()


def ensure_npm() -> None:
    """Install the npm peers (CAP, oidc-provider, mock, Prism, Postman's converter and runner newman, odata-csdl)."""
    if _npm_ready():
        _link_node_modules()
        return
    if shutil.which("npm") is None:
        raise PeerUnavailable("npm is not installed: the OData/OIDC peers need node 20 and npm")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    want = (HERE / "npm" / "package.json").read_text()
    (NPM_DIR / "package.json").write_text(want)
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM_DIR,
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise PeerUnavailable(f"npm install of the test peers failed: {result.stderr.strip()[-2000:]}")
    (NPM_DIR / ".installed").write_text(want)
    _link_node_modules()


def _link_node_modules() -> None:
    """node resolves packages by walking up from the script: link the cache beside our scripts."""
    link = HERE / "node_modules"
    if link.is_symlink() and link.resolve() == NODE_MODULES.resolve():
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(NODE_MODULES, target_is_directory=True)


def ensure_httpbin() -> Path:
    python = HTTPBIN_VENV / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", "import httpbin, gunicorn"],
                                          capture_output=True).returncode == 0:
        return HTTPBIN_VENV
    subprocess.run([sys.executable, "-m", "venv", str(HTTPBIN_VENV)], check=True)
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                             "httpbin==0.10.*", "gunicorn>=23"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise PeerUnavailable(f"pip install httpbin failed: {result.stderr.strip()[-2000:]}")
    return HTTPBIN_VENV


def node_bin(name: str) -> str:
    """Path of an npm package's executable in the cache (e.g. prism, openapi2postmanv2)."""
    ensure_npm()
    path = NODE_MODULES / ".bin" / name
    if not path.exists():
        raise PeerUnavailable(f"{name} is not installed in {NODE_MODULES}")
    return str(path)


@dataclass
class Peer:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the test process dies, however it dies.

    A crashed or killed pytest never runs its fixtures' finalizers; without this its peers
    would live on and hold their ports.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(name: str, cmd: list[str], cwd: Path, env: dict[str, str] | None, probe: str, timeout: float = 60) -> Peer:
    logs = CACHE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}-{os.getpid()}-{int(time.time() * 1000)}.log"
    fh = open(log, "wb")
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("NODE_PATH", str(NODE_MODULES))
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=fh, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PeerUnavailable(f"{name} exited with {proc.returncode}: {log.read_text(errors='replace')[-1500:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                break
        except urllib.error.HTTPError:
            break  # it answered: up
        except (urllib.error.URLError, OSError):
            time.sleep(0.15)
    else:
        proc.kill()
        raise PeerUnavailable(f"{name} did not answer {probe} within {timeout:.0f} s; log: {log}")
    return Peer(name, probe, proc, log)


def start_httpbin(port: int | None = None) -> Peer:
    venv = ensure_httpbin()
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    peer = _spawn("httpbin", [str(venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                              "--threads", "16", "--timeout", "120", "httpbin:app"], CACHE, None, f"{url}/get")
    peer.url = url
    return peer


def start_odata(port: int | None = None, basic_auth: bool = False) -> Peer:
    ensure_npm()
    port = port or free_port()
    root = f"http://127.0.0.1:{port}/odata/v4/cases"
    env = {"CDS_ENV": "basic"} if basic_auth else {}
    probe = f"http://127.0.0.1:{port}/odata/v4/cases/$metadata"
    peer = _spawn("odata", ["node", str(HERE / "odata" / "server.js"), str(port)], HERE / "odata", env, probe, 120)
    peer.url = root
    return peer


def start_oidc(port: int | None = None, mock: bool = False, token_format: str = "jwt", ttl: int = 3600) -> Peer:
    """oidc-provider (strict about clients) or oauth2-mock-server (password grant, permissive)."""
    ensure_npm()
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    script = "mock-server.mjs" if mock else "server.mjs"
    env = {"OIDC_TOKEN_FORMAT": token_format, "OIDC_TOKEN_TTL": str(ttl)}
    peer = _spawn("oidc-mock" if mock else "oidc", ["node", str(HERE / "oidc" / script), str(port)], HERE / "oidc",
                  env, f"{url}/.well-known/openid-configuration")
    peer.url = url
    return peer


def start_prism(spec: str | Path, port: int | None = None) -> Peer:
    """Prism's validating mock of `spec`: it answers 4xx when a request breaks the spec."""
    prism = node_bin("prism")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    peer = _spawn("prism", [prism, "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)], HERE, None,
                  f"{url}/__workbench_probe__", 120)
    peer.url = url
    return peer


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        ensure_npm()
        ensure_httpbin()
        print(json.dumps({"cache": str(CACHE), "npm": str(NODE_MODULES)}))
    else:
        print("usage: python tests/servers/peers.py install", file=sys.stderr)
        sys.exit(2)
