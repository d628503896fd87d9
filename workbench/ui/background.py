"""Running parsing and network work off the UI thread, with results delivered back as signals.

Viewers parse big bodies in worker threads (the window must keep painting), and a viewer's
"Next page" sends through core in a worker with its own asyncio loop, so it works whether or
not a qasync loop drives the window (tests, `workbench view`). Each job has a cancel event;
cancelling an HTTP job cancels its task at once.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Awaitable, Callable

from PySide6.QtCore import QObject, Signal

_alive: set["BackgroundJob"] = set()
UI_SWITCH_INTERVAL_S = 0.0002


def keep_ui_responsive_beside_workers() -> None:
    """Shorten Python's thread switch interval so the UI thread gets the GIL back at once.

    Workers (parsers, workspace reloads) run while the window paints. PySide releases the GIL
    around every Qt call, and getting it back waits up to the switch interval while a worker
    holds it: 300 gutter drawText calls took 323 ms at the default 5 ms, 49 ms at 1 ms and 9 ms
    at 0.2 ms (7 ms idle); a background workspace reload left the window frozen for 0.9 s at
    5 ms. Process-wide, so it is set once by whatever UI starts first.
    """
    import sys

    if sys.getswitchinterval() > UI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(UI_SWITCH_INTERVAL_S)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class BackgroundJob:
    """`fn(job)` in a daemon thread; `on_done(result)` / `on_error(exc)` run on the UI thread.

    `fn` may call `job.report(value)` to send progress (delivered to `on_progress`), and should
    check `job.cancelled` in its loops. A cancelled job delivers nothing.
    """

    def __init__(self, fn: Callable[["BackgroundJob"], Any], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 on_progress: Callable[[Any], None] | None = None, start: bool = True) -> None:
        self.cancel_event = threading.Event()
        self._fn = fn
        self._relay = _Relay()
        self.finished = False
        # First: mark finished, so the callbacks below already see the job as done.
        self._relay.done.connect(self._forget)
        self._relay.failed.connect(self._forget)
        if on_done is not None:
            self._relay.done.connect(lambda r: None if self.cancelled else on_done(r))
        if on_error is not None:
            self._relay.failed.connect(lambda e: None if self.cancelled else on_error(e))
        if on_progress is not None:
            self._relay.progress.connect(lambda v: None if self.cancelled else on_progress(v))
        self._thread = threading.Thread(target=self._run, daemon=True, name="workbench-viewer")
        if start:
            self.start()

    def start(self) -> None:
        keep_ui_responsive_beside_workers()
        _alive.add(self)
        self._thread.start()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def cancel(self) -> None:
        self.cancel_event.set()

    def report(self, value: Any) -> None:
        if not self.cancelled:
            self._relay.progress.emit(value)

    def _forget(self, _: Any = None) -> None:
        self.finished = True
        _alive.discard(self)

    def _run(self) -> None:
        try:
            result = self._fn(self)
        except BaseException as exc:  # noqa: BLE001 - delivered to the UI as a value
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


class CoroutineJob(BackgroundJob):
    """A coroutine (e.g. core `send_prepared`) on its own event loop in a worker thread."""

    def __init__(self, factory: Callable[[], Awaitable[Any]], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Future[Any] | None = None
        self._factory = factory
        super().__init__(self._drive, on_done, on_error)

    def _drive(self, _: BackgroundJob) -> Any:
        async def main() -> Any:
            self._task = asyncio.ensure_future(self._factory())
            if self.cancelled:
                self._task.cancel()
            return await self._task

        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            return loop.run_until_complete(main())
        finally:
            loop.close()

    def cancel(self) -> None:
        super().cancel()
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:
                pass
