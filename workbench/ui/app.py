"""Starting the window: the QApplication, the qasync event loop, the first workspace.

Start-up time is a feature (issue: painted window in well under a second), so this module
imports only what the first paint needs; panels that are not visible yet import their code
when first opened.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

from workbench.core.secrets import data_dir

STATE_FILE = "state.json"


def _state_path() -> Path:
    return data_dir() / STATE_FILE


def remember_workspace(root: str) -> None:
    """Remember the last workspace so the next start opens it."""
    path = _state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"last_workspace": str(Path(root).resolve())}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def default_workspace() -> Path:
    """The last workspace, else the sample workspace (copied on first start so edits are the user's)."""
    try:
        last = json.loads(_state_path().read_text(encoding="utf-8")).get("last_workspace")
        if last and Path(last).is_dir():
            return Path(last)
    except (OSError, ValueError):
        pass
    target = data_dir() / "workspaces" / "Sample workspace"
    if not target.exists():
        copy_sample_workspace(target)
    return target


def copy_sample_workspace(target: Path) -> None:
    source = resources.files("workbench.resources") / "sample-workspace"
    with resources.as_file(source) as src:
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))


def run_app(workspace: str | None = None, screenshot: str | None = None) -> int:
    """Open the main window (or render it to `screenshot` and exit)."""
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = Path(workspace) if workspace else default_workspace()
    if workspace and not root.exists():
        from workbench.core.storage import init_workspace

        init_workspace(root)
    if not root.is_dir():
        from workbench.cli import fail

        return fail(f"{root}: not a folder")

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("API Workbench")
    app.setOrganizationName("API Workbench")
    from workbench.ui.theme import apply_theme

    apply_theme(app)

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    from workbench.ui.main_window import MainWindow

    window = MainWindow(str(root))
    if screenshot:
        return _screenshot(app, window, screenshot)
    remember_workspace(str(root))
    window.show()
    with loop:
        app_close = asyncio.Event()
        app.aboutToQuit.connect(app_close.set)
        loop.run_until_complete(app_close.wait())
    return 0


def _screenshot(app: object, window: object, path: str) -> int:
    """Render the window as a user would first see it and save it as PNG."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    assert isinstance(window, QMainWindow)
    window.resize(1280, 800)
    window.show()
    for _ in range(5):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    # One more turn for deferred loads (the workspace tree fills after the first paint).
    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)
    loop.exec()
    pixmap = window.grab()
    if not pixmap.save(path, "PNG"):
        from workbench.cli import fail

        return fail(f"cannot write screenshot {path}", 1)
    window.close()
    return 0
