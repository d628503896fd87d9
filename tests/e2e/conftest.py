"""End-to-end fixtures: a real MainWindow on an empty workspace, the qasync loop, the platform stand-ins.

Each journey in this folder starts from nothing, as a new user would: an empty workspace folder,
then File → Import…, File → New connection…, the collection's settings, Send. Peers are the
session's real servers (tests/conftest.py) and the small stand-ins in tests/servers/platform_standins.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import platform_standins
import pytest
from PySide6.QtWidgets import QApplication, QDialog


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
def _ui_gc(gc_on_the_ui_thread):  # type: ignore[no-untyped-def]
    """Every journey runs with cyclic GC on the UI thread (tests/conftest.py says why)."""
    yield
