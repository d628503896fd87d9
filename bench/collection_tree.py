"""How fast a 1,000-operation collection shows in the window, and whether the window freezes.

Issue 4 target: the tree of a 1,000-operation collection shows within 1 s without freezing the
UI. Imports the Kubernetes descriptor (1,123 operations, ../shared/data) into a temporary
workspace with core, opens the main window offscreen, then times the background reload that
follows an import (cold: no parse cache; warm: cache filled) until the tree holds every request,
recording the longest gap between two event-loop turns (a 5 ms QTimer). For comparison, the
same reload done on the UI thread (the freeze the background reload avoids).

Usage: .venv/bin/python bench/collection_tree.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
SPEC = ROOT.parent / "shared" / "data" / "openapi" / "kubernetes-swagger.json"


def main() -> int:
    if not SPEC.exists():
        print(f"SKIP: {SPEC} is absent")
        return 0
    from _window_probe import GapProbe
    from PySide6.QtWidgets import QApplication

    from workbench.core.openapi.importer import import_into_workspace
    from workbench.core.workspace import storage
    from workbench.ui.main_window import MainWindow
    from workbench.ui.theme import apply_theme

    tmp = Path(tempfile.mkdtemp(prefix="wb-tree-"))
    os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "data")
    ws = tmp / "ws"
    storage.init_workspace(ws)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    window = MainWindow(str(ws))
    window.resize(1280, 800)
    window.show()
    deadline = time.perf_counter() + 30
    while not window.startup_finished and time.perf_counter() < deadline:  # panels loaded after first paint
        app.processEvents()
        time.sleep(0.005)
    summary = import_into_workspace(SPEC, ws)
    total = summary.requests

    def shown() -> int:
        model = window.collections.model
        count = 0
        stack = [model.node(model.index(r, 0)) for r in range(model.rowCount())]
        while stack:
            node = stack.pop()
            count += node.kind == "request"
            stack.extend(node.children)
        return count

    rows = []
    for label in ("background reload, cold (no parse cache)", "background reload, warm (parse cache)"):
        if "cold" in label:
            (ws / ".workbench" / storage.PARSE_CACHE_FILE).unlink(missing_ok=True)
        window.reload_workspace()  # reset to a known state, then empty the tree
        window.collections.model.set_workspace(storage.Workspace(str(ws)))
        if "cold" in label:
            (ws / ".workbench" / storage.PARSE_CACHE_FILE).unlink(missing_ok=True)
        probe = GapProbe()
        t0 = probe.start()
        window.reload_workspace_in_background()
        while shown() < total and time.perf_counter() - t0 < 30:
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - t0
        probe.stop()
        rows.append((label, elapsed, probe.longest()))
    t0 = time.perf_counter()
    window.reload_workspace()
    frozen = time.perf_counter() - t0
    rows.append(("same reload on the UI thread (warm)", frozen, frozen))

    print(f"Kubernetes descriptor: {total} requests in the tree")
    print(f"{'reload':45} {'tree shown s':>12} {'longest UI gap ms':>18}")
    for label, elapsed, gap in rows:
        print(f"{label:45} {elapsed:12.3f} {gap * 1000:18.1f}")
    ok = all(e < 1.0 for _, e, _ in rows[:2])
    print("PASS" if ok else "MISS", "(target: tree within 1 s, window keeps turning)")
    window.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
