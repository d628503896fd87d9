"""Token requests: our core/auth/oauth2.py side by side with authlib's httpx OAuth2 client, same run.

Both ask a real oidc-provider (started here on 127.0.0.1) for client-credentials tokens with
Basic client authentication, one new HTTP client per token (as a send does). Also: the cost
of a cached-token lookup (the path every send takes) and whether each accepts a client secret
that RFC 6749 §2.3.1 requires to be form-encoded (`s3c:r+t/=#% x`).

Usage: .venv/bin/python bench/oauth2_tokens.py [N]     (default N = 60 token requests each)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "servers"))

import peers  # noqa: E402

from workbench.core.auth import oauth2
from workbench.core.collections import Auth  # noqa: E402
from workbench.core.workspace import secrets  # noqa: E402


async def ours(token_url: str, client_id: str, secret: str, n: int) -> tuple[list[float], str]:
    auth = Auth("oauth2", {"token_url": token_url, "client_id": client_id, "client_secret": secret, "scope": "api"})
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        await oauth2.obtain_token(auth, force=True)
        times.append((time.perf_counter() - t0) * 1000)
    return times, "ok"


async def authlib_client(token_url: str, client_id: str, secret: str, n: int) -> tuple[list[float], str]:
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        async with AsyncOAuth2Client(client_id, secret, scope="api",
                                     token_endpoint_auth_method="client_secret_basic") as client:
            await client.fetch_token(token_url, grant_type="client_credentials")
        times.append((time.perf_counter() - t0) * 1000)
    return times, "ok"


async def odd_secret(fn, token_url: str) -> str:  # type: ignore[no-untyped-def]
    try:
        await fn(token_url, "odd client:1", "s3c:r+t/=#% x", 1)
        return "accepted"
    except Exception as exc:  # noqa: BLE001 - we report whatever the library raised
        return f"REFUSED ({type(exc).__name__}: {str(exc)[:60]})"


async def cached_lookup(token_url: str, n: int) -> float:
    auth = Auth("oauth2", {"token_url": token_url, "client_id": "basic-client", "client_secret": "basic-secret"})
    await oauth2.obtain_token(auth)
    t0 = time.perf_counter()
    for _ in range(n):
        await oauth2.obtain_token(auth)
    return (time.perf_counter() - t0) / n * 1e6


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    secrets.set_backend(secrets.MemoryBackend())
    peer = peers.start_oidc()
    try:
        url = f"{peer.url}/token"
        rows = []
        for name, fn in (("workbench core/auth/oauth2.py", ours), ("authlib AsyncOAuth2Client", authlib_client)):
            try:
                times, _ = asyncio.run(fn(url, "basic-client", "basic-secret", n))
            except ImportError:
                rows.append((name, "-", "-", "-", "authlib not installed"))
                continue
            odd = asyncio.run(odd_secret(fn, url))
            rows.append((name, f"{statistics.median(times):.2f}", f"{sorted(times)[int(len(times) * 0.9) - 1]:.2f}",
                         f"{n / (sum(times) / 1000):.0f}", odd))
        lookup_us = asyncio.run(cached_lookup(url, 2000))
    finally:
        peer.stop()
    print(f"client-credentials tokens from oidc-provider 9, Basic client auth, N={n} each, new client per token")
    print(f"{'client':<28}{'median ms':>10}{'p90 ms':>9}{'tokens/s':>10}  secret 's3c:r+t/=#% x' (RFC 6749 §2.3.1)")
    for name, med, p90, rate, odd in rows:
        print(f"{name:<28}{med:>10}{p90:>9}{rate:>10}  {odd}")
    print(f"cached-token lookup (every send): {lookup_us:.1f} µs per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
