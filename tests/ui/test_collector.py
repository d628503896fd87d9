"""Cyclic garbage collection on the UI thread only (workbench/ui/collector.py)."""

from __future__ import annotations

import gc
import threading

from workbench.ui.collector import UiGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collection_happens_on_the_ui_thread_not_in_workers(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    guard = UiGarbageCollector()
    try:
        assert not gc.isenabled()
        threads: list[str] = []

        def note(phase: str, info: dict) -> None:  # type: ignore[type-arg]
            if phase == "start":
                threads.append(threading.current_thread().name)

        gc.callbacks.append(note)
        try:
            worker = threading.Thread(target=lambda: [_Cycle() for _ in range(50_000)], name="worker")
            worker.start()
            worker.join()
            assert threads == []  # a worker allocating cycles no longer triggers a collection there
            qtbot.waitUntil(lambda: bool(threads), timeout=3000)
            assert set(threads) == {threading.main_thread().name}
        finally:
            gc.callbacks.remove(note)
    finally:
        guard.stop()
    assert gc.isenabled()
