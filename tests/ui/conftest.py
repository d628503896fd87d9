"""UI fixtures: a qasync event loop on the test QApplication, and a main window over a tmp workspace.

The window sends requests as asyncio tasks; `qasync_loop` installs qasync's QEventLoop so those
tasks run while pytest-qt processes Qt events (`qtbot.waitUntil`), exactly as in the app.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `exchanges.py` (real exchanges for the viewer tests) is imported by tests in the widget sub-folders.
sys.path.insert(0, str(Path(__file__).parent))
SAMPLE = ROOT / "resources" / "sample-workspace"




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
def _ui_gc(gc_on_the_ui_thread):  # type: ignore[no-untyped-def]
    """Every UI test runs with cyclic GC on the UI thread (tests/conftest.py says why)."""
    yield
