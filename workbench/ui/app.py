"""Starting the window: the QApplication, the qasync event loop, the first workspace.

Start-up time is a feature (issue: painted window in well under a second), so this module
imports only what the first paint needs; panels that are not visible yet (history, dialogs,
code generation) import their code when first opened. Core is imported and the workspace read
(`_prepare`) before Qt is imported, on the main thread: once PySide6 is loaded, every module
imported after it is read again by PySide's `__feature__` import hook (its source, to see
whether it uses PySide), and a thread reading beside the Qt import won nothing (both need the
GIL almost all the time) while making Qt's import wait on modules the thread was importing.
Measured (issue 17): ~3 ms faster this way than with the thread.

`WORKBENCH_STARTUP_PROBE=1` makes the app print the seconds from process start to the first
paint of the main window (`startup_s=`), then to the moment it is complete and its asyncio loop
runs (`ready_s=`), and exit (used by `bench/startup.py`). The start is taken from
`WORKBENCH_STARTUP_T0` (a `time.time()` stamp set by the caller just before it spawns us) or,
without it, from the kernel's start time of this process in /proc/self/stat.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:  # Qt loads inside run_app: `workbench --help` must not pay for it
    from PySide6.QtWidgets import QApplication, QMainWindow

    from workbench.core.collections import Workspace
    from workbench.ui.main_window import MainWindow


def process_start_time() -> float:
    """Wall-clock time at which this process started (for the start-up probe)."""
    explicit = os.environ.get("WORKBENCH_STARTUP_T0")
    if explicit:
        try:
            return float(explicit)
        except ValueError:
            pass
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 (starttime), counted after the ")" of the command name
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        return time.time() - (uptime - start_ticks / ticks)
    except (OSError, ValueError, IndexError):
        return time.time()


def _install_startup_probe(app: QApplication, window: QMainWindow) -> None:
    """At the first paint of `window`, print the elapsed start-up time (`startup_s=`).

    The process goes on to print `ready_s=` and quit once the asyncio loop runs (`_report_ready`).
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and obj is window:
                obj.removeEventFilter(self)
                # After this paint event has been handled, the frame is on screen.
                QTimer.singleShot(0, self._report)
            return False

        def _report(self) -> None:
            print(f"startup_s={time.time() - process_start_time():.4f}", flush=True)

    probe = Probe(window)
    window.installEventFilter(probe)


def quiet_offscreen_warnings() -> None:
    """The offscreen platform warns about window hints it ignores: noise on a command line.

    Only that warning is dropped; every other Qt message still reaches stderr.
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


def missing_display() -> str | None:
    """Why a window cannot open here (Linux with no X11/Wayland display), else None.

    Without this check Qt aborts the process with a page of plugin messages; a user deserves
    one line saying what to do instead.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset): "
            "use --screenshot PNG, or set QT_QPA_PLATFORM=offscreen")


class _Prepared(NamedTuple):
    """What the window needs that has nothing to do with Qt, read before Qt is imported."""

    root: Path
    theme: str = "system"
    workspace: Workspace | None = None  # None: read by the window (and reported there)
    problem: str = ""  # the folder cannot be a workspace: the one line to print


def _prepare(workspace: str | None) -> _Prepared:
    from workbench.core.errors import WorkbenchError
    from workbench.core.workspace import storage
    from workbench.core.workspace.recent import default_workspace, theme_preference

    root = Path(workspace) if workspace else default_workspace()
    if workspace and not root.exists():
        storage.init_workspace(root)
    if not root.is_dir():
        return _Prepared(root, problem=f"{root}: not a folder")
    try:
        loaded: Workspace | None = storage.load_workspace(str(root))
    except WorkbenchError:
        loaded = None
    # Qt-free modules the window imports, imported before PySide's import hook is in place.
    import workbench.ui.models  # noqa: F401
    import workbench.ui.palette  # noqa: F401
    import workbench.ui.widgets.workspace  # noqa: F401
    from workbench.ui.resource_files import resources_dir

    resources_dir()
    return _Prepared(root, theme_preference(), loaded)


def run_app(workspace: str | None = None, screenshot: str | None = None, size: tuple[int, int] = (1280, 800),
            theme: str | None = None) -> int:
    """Open the main window (or render it to `screenshot` and exit).

    `theme` ("light", "dark", "system") overrides the user's stored choice for this run only.
    """
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif (problem := missing_display()) is not None:
        from workbench.exit_codes import EXIT_FAILED, fail

        return fail(problem, EXIT_FAILED)
    # No automatic collection while starting: the imports (Qt's enums above all) allocate enough to
    # run it ~40 times (~4 ms) and find nothing to free; the UI collector takes over below (collector.py).
    import gc

    collecting = gc.isenabled()
    gc.disable()
    prepared = _prepare(workspace)
    root = prepared.root
    if prepared.problem:
        from workbench.exit_codes import fail

        if collecting:
            gc.enable()
        return fail(prepared.problem)
    if screenshot:
        quiet_offscreen_warnings()
    from PySide6.QtWidgets import QApplication

    # The instance, when there is one, is the QApplication made here or by a test's qapp.
    existing = QApplication.instance()
    app = cast(QApplication, existing or QApplication([*sys.argv[:1], "-style", "Fusion"]))
    app.setApplicationName("API Workbench")
    app.setOrganizationName("API Workbench")
    from workbench.ui.theme import apply_theme

    apply_theme(app, theme or prepared.theme, set_style=existing is not None)
    from workbench.ui.main_window import MainWindow

    window = MainWindow(str(root), workspace=prepared.workspace)
    if screenshot:
        from workbench.ui import collector

        collector.install(app)  # cyclic GC on the UI thread only (see collector.py)
        return _screenshot(app, window, screenshot, size)
    if os.environ.get("WORKBENCH_STARTUP_PROBE"):
        _install_startup_probe(app, window)
    window.resize(1280, 800)
    window.show()
    # Paint first: nothing async can happen before the user acts, so the asyncio machinery
    # (qasync, asyncio and the ssl module below it: ~50 ms) loads while the user is already
    # looking at the window, once the work deferred past the first paint is done.
    started = _until_started(window)
    from workbench.ui import collector

    collector.install(app)  # cyclic GC on the UI thread only, from now on (see collector.py)
    if not started:
        return 0  # closed before it was ever shown in full
    from workbench.core.workspace.recent import remember_workspace

    remember_workspace(str(root))
    import asyncio

    import qasync  # type: ignore[import-untyped]  # qasync ships no type information

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    if os.environ.get("WORKBENCH_STARTUP_PROBE"):
        loop.call_soon(_report_ready)
    with loop:
        app_close = asyncio.Event()
        app.aboutToQuit.connect(app_close.set)
        loop.run_until_complete(app_close.wait())
    return 0


def _report_ready() -> None:
    """Start-up probe: the window is complete and the asyncio loop runs (a send would start now)."""
    print(f"ready_s={time.time() - process_start_time():.4f}", flush=True)
    os._exit(0)


def _until_started(window: MainWindow) -> bool:
    """Turn Qt's event loop until `window` is painted and has built what it deferred past that paint.

    Whether the window is still open (closing it this early quits the application). A window
    that is never painted (started minimized) stops waiting after two seconds.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if not window.startup_finished:
        loop = QEventLoop()
        window.started.connect(loop.quit)
        QTimer.singleShot(2000, loop.quit)
        loop.exec()
    return window.isVisible()


def _screenshot(app: QApplication, window: QMainWindow, path: str, size: tuple[int, int] = (1280, 800)) -> int:
    """Render the window as a user would first see it and save it as PNG."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    for _ in range(5):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    # One more turn for deferred work (file watching starts after the first paint).
    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)
    loop.exec()
    pixmap = window.grab()
    if not pixmap.save(path, "PNG"):
        from workbench.exit_codes import fail

        return fail(f"cannot write screenshot {path}", 1)
    window.close()
    return 0
