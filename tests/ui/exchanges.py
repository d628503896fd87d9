"""Real exchanges for viewer tests: one request through core, on its own loop in a thread.

A thread because a qasync loop may already be running on the test's thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from workbench.core.sending.prepare import PreparedRequest
from workbench.core.sending.transport import Exchange, send_prepared


def fetch(url: str, method: str = "GET", body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
    prepared = PreparedRequest(method, url, headers=headers, body=body)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(send_prepared(prepared))).result(timeout=30)
