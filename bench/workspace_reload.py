"""F5 over a 1,540-request workspace: how long the window stops turning, and when the tree is fresh.

Issue 17 target: the reload off the UI thread (parse in a worker, the model swapped on the UI
thread; cancellable; a newer reload supersedes an older one). Kubernetes + Stripe are imported
into a temporary workspace, the main window opens offscreen, and F5 is pressed (QTest) after a
file changed on disk; a 5 ms QTimer records the longest gap until the tree shows the change.
Also: five F5 presses 20 ms apart (only the last reload is applied). The peer, same run: the
same reload done on the UI thread (`reload_workspace()`, what an edit made in the window does,
and what F5 did before).

Usage: .venv/bin/python bench/workspace_reload.py [RUNS]   (default 3)
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _window_probe import GapProbe, open_window  # noqa: E402


def _probe(app: Any, act: Callable[[], None], done: Callable[[], bool], timeout: float = 60.0) -> tuple[float, float]:
    """(seconds until `done()`, longest event-loop gap in that time)."""
    probe = GapProbe()
    t0 = probe.start()
    act()
    probe.tick()  # the action itself, if it ran on this thread
    while not done():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("the tree did not show the change")
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    probe.stop()
    return elapsed, probe.longest()


def main() -> int:
    import _big_workspace

    if not _big_workspace.available():
        print(f"SKIP: descriptors absent in {_big_workspace.DATA}")
        return 0
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    tmp, total = _big_workspace.make()
    try:
        os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "data")
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        ws = tmp / "ws"
        app, window = open_window(str(ws))
        window._reload_timer.timeout.disconnect()  # the file watcher would reload by itself: F5 only here
        coll = sorted(p for p in ws.iterdir() if (p / "collection.yaml").exists())[0]
        counter = [0]

        def touch() -> str:
            counter[0] += 1
            name = f"zz bench {counter[0]}"
            (coll / f"{name}.yaml").write_text(f"name: {name}\nmethod: GET\nurl: http://h/{counter[0]}\n",
                                               encoding="utf-8")
            return f"{coll.name}/{name}.yaml"

        def shown(key: str) -> Callable[[], bool]:
            return lambda: window.collections.model.index_for_key(key).isValid() and not window.reload_pending()

        f5: list[tuple[float, float]] = []
        burst: list[tuple[float, float]] = []
        sync: list[tuple[float, float]] = []
        for _ in range(runs):
            key = touch()
            f5.append(_probe(app, lambda: QTest.keyClick(window, Qt.Key.Key_F5), shown(key)))
            key = touch()

            def five() -> None:
                for _ in range(5):
                    QTest.keyClick(window, Qt.Key.Key_F5)
                    QTest.qWait(20)

            burst.append(_probe(app, five, shown(key)))
            key = touch()
            sync.append(_probe(app, window.reload_workspace, shown(key)))
        window.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"workspace reload, {total} requests (Kubernetes + Stripe), {runs} runs, offscreen")
    print(f"{'':46}{'tree fresh s':>13}{'longest UI gap ms':>19}")
    for label, rows in (("F5 (worker reads, UI swaps the model)", f5),
                        ("5x F5, 20 ms apart (newest wins)", burst),
                        ("peer: same reload on the UI thread", sync)):
        print(f"{label:46}{statistics.median(r[0] for r in rows):>13.2f}"
              f"{statistics.median(r[1] for r in rows) * 1000:>12.0f} (worst {max(r[1] for r in rows) * 1000:.0f})")
    print("target: the parse off the UI thread; the gap left is the model swap on the UI thread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
