"""Worker threads for heavy parses: results and errors come back to the awaiting task."""

from __future__ import annotations

import asyncio
import threading

import pytest

from workbench.core.workers import in_worker


def test_runs_off_the_calling_thread_and_returns_the_result() -> None:
    caller = threading.get_ident()

    def work(a: int, *, b: int) -> tuple[int, bool]:
        return a + b, threading.get_ident() != caller

    assert asyncio.run(in_worker(work, 2, b=3)) == (5, True)


def test_errors_reach_the_awaiting_task() -> None:
    def broken() -> None:
        raise ValueError("bad document")

    with pytest.raises(ValueError, match="bad document"):
        asyncio.run(in_worker(broken))


def test_cancelling_stops_the_wait_at_once() -> None:
    release = threading.Event()

    async def main() -> float:
        task = asyncio.ensure_future(in_worker(release.wait, 10))
        await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        started = loop.time()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return loop.time() - started

    try:
        assert asyncio.run(main()) < 0.5
    finally:
        release.set()
