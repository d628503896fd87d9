"""Reading the workspace again (F5, the file watcher, after an import) without freezing the window.

A reload of a 1,540-request workspace took 0.18 s on the UI thread, most of it walking the
folders for the file watcher; a `git pull` can make it seconds. Here the parse and that walk run
in a worker thread and the window only swaps the result in. One reload runs at a time: asking
again while one runs cancels it and queues the new one (the newest wins, the older result is
never shown), so holding F5 or a burst of watcher events never piles up threads on two cores.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from workbench.core.collections import Workspace
from workbench.core.errors import WorkbenchError
from workbench.core.workspace import storage

WATCH_LIMIT = 4000  # inotify watches are a shared, limited resource: watch at most this many paths


def watch_paths(root: str, workspace: Workspace) -> tuple[str, ...]:
    """The folders and YAML files whose change means the workspace changed (no dot-folders)."""
    base = Path(root)
    paths: list[str] = [str(base)]
    if (base / storage.WORKSPACE_FILE).exists():
        paths.append(str(base / storage.WORKSPACE_FILE))
    if (base / storage.ENV_DIR).is_dir():
        paths.append(str(base / storage.ENV_DIR))
        paths.extend(str(p) for p in (base / storage.ENV_DIR).glob("*.y*ml"))
    for coll in workspace.collections:
        for dirpath in [base / coll.path, *[p for p in (base / coll.path).rglob("*") if p.is_dir()]]:
            if any(part.startswith(".") for part in dirpath.relative_to(base).parts):
                continue
            paths.append(str(dirpath))
            paths.extend(str(p) for p in dirpath.glob("*.y*ml"))
            if len(paths) > WATCH_LIMIT:
                return tuple(paths[:WATCH_LIMIT])
    return tuple(paths)


class WorkspaceReloader(QObject):
    """Runs `storage.load_workspace` in a worker; `loaded(Workspace)` / `failed(str)` arrive on the UI thread."""

    loaded = Signal(object)
    failed = Signal(str)
    _finished = Signal(object, object, object)  # generation, Workspace | None, error message | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._running: threading.Event | None = None  # the running reload's cancel flag
        self._queued: str | None = None  # the root of the reload asked for while one ran
        self._finished.connect(self._on_finished)

    def is_busy(self) -> bool:
        return self._running is not None or self._queued is not None

    def request(self, root: str) -> None:
        """Reload `root`; a reload still running is superseded (its result dropped)."""
        self._generation += 1
        if self._running is not None:
            self._running.set()
            self._queued = root
            return
        self._start(root)

    def cancel(self) -> None:
        """Drop the running and the queued reload: nothing more is delivered."""
        self._generation += 1
        self._queued = None
        if self._running is not None:
            self._running.set()

    def _start(self, root: str) -> None:
        from workbench.ui.background import keep_ui_responsive_beside_workers

        keep_ui_responsive_beside_workers()
        cancelled = threading.Event()
        self._running = cancelled
        generation = self._generation

        def work() -> None:
            result: Workspace | None = None
            error: str | None = None
            try:
                result = storage.load_workspace(root)
            except WorkbenchError as exc:
                error = exc.message
            except OSError as exc:
                error = f"{root}: cannot be read ({exc.strerror or exc})"
            try:
                self._finished.emit(generation, None if cancelled.is_set() else result, error)
            except RuntimeError:  # the window (and this object) closed while the worker read
                pass

        threading.Thread(target=work, daemon=True, name="workbench-reload").start()

    def _on_finished(self, generation: int, result: Workspace | None, error: str | None) -> None:
        self._running = None
        if self._queued is not None:
            root, self._queued = self._queued, None
            self._start(root)
            return
        if generation != self._generation:
            return  # cancelled, or superseded by a reload that is not queued (cancel then request)
        if result is not None:
            self.loaded.emit(result)
        elif error is not None:
            self.failed.emit(error)
