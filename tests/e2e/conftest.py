"""End-to-end fixtures: a real MainWindow on an empty workspace, the qasync loop, the platform stand-ins.

Each journey in this folder starts from nothing, as a new user would: an empty workspace folder,
then File → Import…, File → New connection…, the collection's settings, Send. Peers are the
session's real servers (tests/conftest.py) and the small stand-ins in tests/servers/platform_standins.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Iterator

import platform_standins
import pytest
from PySide6.QtWidgets import QApplication, QDialog




@pytest.fixture
def qasync_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:  # type: ignore[no-untyped-def]
    """qasync's loop on the test QApplication, torn down as tests/ui/conftest.py does (see there why)."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        # Close this loop's pooled HTTP clients while it still dispatches: their keep-alive sockets'
        # notifiers would otherwise outlive the loop and swallow events for a reused descriptor.
        _close_pooled_clients(qapp, loop)
        for task in [t for t in asyncio.all_tasks(loop) if not t.done()]:
            task.cancel()
        executor = getattr(loop, "_QEventLoop__default_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)
            loop.set_default_executor(None)
        asyncio.set_event_loop(None)
        asyncio.events._set_running_loop(None)


@pytest.fixture
def window(qtbot, qasync_loop, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A MainWindow on an empty workspace folder, on screen and done starting up."""
    from workbench.core.workspace import storage
    from workbench.ui.main_window import MainWindow

    root = tmp_path / "workspace"
    storage.init_workspace(root)
    win = MainWindow(str(root))
    win.resize(1280, 820)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.startup_finished, timeout=10000)
    yield win
    win.cancel_send()
    for editor in win.editors():
        editor.mark_saved(editor.to_model())
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, QDialog) and dialog.isVisible():
            dialog.reject()
    win.close()
    win.deleteLater()


@pytest.fixture(scope="session")
def bizagi() -> Iterator[platform_standins.BizagiOData]:
    server = platform_standins.BizagiOData().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def datasets() -> Iterator[platform_standins.Datasets]:
    server = platform_standins.Datasets().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def workflow_api(oidc_server) -> Iterator[platform_standins.WorkflowApi]:  # type: ignore[no-untyped-def]
    server = platform_standins.WorkflowApi(issuer=oidc_server.url).start()
    yield server
    server.stop()


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
