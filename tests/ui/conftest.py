"""UI fixtures: a qasync event loop on the test QApplication, and a main window over a tmp workspace.

The window sends requests as asyncio tasks; `qasync_loop` installs qasync's QEventLoop so those
tasks run while pytest-qt processes Qt events (`qtbot.waitUntil`), exactly as in the app.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `exchanges.py` (real exchanges for the viewer tests) is imported by tests in the widget sub-folders.
sys.path.insert(0, str(Path(__file__).parent))
SAMPLE = ROOT / "resources" / "sample-workspace"


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
        asyncio.set_event_loop(None)
        # `already_running=True` marked this loop as the running one; unmark it, or a later test's
        # asyncio.run() fails with "cannot be called from a running event loop".
        asyncio.events._set_running_loop(None)


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """A copy of the sample workspace (two collections, two environments) in tmp_path."""
    target = tmp_path / "workspace"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target


@pytest.fixture
def main_window(qtbot, qasync_loop, workspace_dir: Path):  # type: ignore[no-untyped-def]
    from workbench.ui.main_window import MainWindow

    window = MainWindow(str(workspace_dir))
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.startup_finished, timeout=10000)  # response pane, file watcher, docks
    yield window
    # Closed here rather than by qtbot.addWidget (which closes before fixtures are torn down),
    # so edits a test left unsaved can be accepted first: no modal "save changes?" question.
    window.cancel_send()
    for editor in window.editors():
        editor.mark_saved(editor.to_model())
    window.close()
    window.deleteLater()


@pytest.fixture
def pane(qtbot):  # type: ignore[no-untyped-def]
    """A response pane on screen, for viewer tests."""
    from workbench.ui.widgets.response.pane import ResponsePane

    widget = ResponsePane()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


@pytest.fixture(autouse=True)
def _gc_on_the_ui_thread(qapp):  # type: ignore[no-untyped-def]
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
    if not transport._POOLS.get(loop):
        return
    done = asyncio.ensure_future(transport.close_clients(), loop=loop)
    deadline = time.monotonic() + 5
    while not done.done() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)
