"""Awaiting CPU-heavy work (parsing a big descriptor or `$metadata`) in a worker thread.

What `asyncio.to_thread` does, but on a plain-Python pool of our own: under qasync the loop's
default executor is a pool of QThreads, and Qt aborts the process ("QThread: Destroyed while
thread is still running") if one is still alive when the application object goes away. Core
stays Qt-free and every caller, UI or not, gets the same behaviour.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="workbench-worker")
        return _pool


async def in_worker(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` in a worker thread and await its result.

    Cancelling the awaiting task stops the wait at once; the function itself runs to its end
    (threads cannot be interrupted), so long functions take a `should_stop` callback.
    """
    return await asyncio.get_running_loop().run_in_executor(_executor(), functools.partial(fn, *args, **kwargs))
