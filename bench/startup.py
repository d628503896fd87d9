"""Cold start to a painted main window: API Workbench vs a bare PySide6 window, same run.

Issue 3 target: median under 0.8 s on this machine and within 2x of a bare PySide6 window
(QTreeView + QPlainTextEdit) started the same way; issue 17 tightens the ratio to 1.6x.
A third, informative row: the bare window plus `Qt.AlignmentFlag` (creating PySide6's `Qt`
namespace, ~100 enums, which any real window uses and the bare one never touches): the floor
no application code can go below. Each run is a fresh interpreter: the time is
taken from just before the process is spawned (passed in WORKBENCH_STARTUP_T0) to the end of the
window's first paint event, which the process prints itself (WORKBENCH_STARTUP_PROBE=1, see
workbench/ui/app.py). Both sides use the offscreen platform so the numbers do not depend on a
display server. Runs alternate between the two so disk-cache warmth is shared fairly.

Usage: .venv/bin/python bench/startup.py [RUNS]   (default 10)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = r'''
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit, QSplitter, QTreeView

t0 = float(os.environ["WORKBENCH_STARTUP_T0"])
app = QApplication(sys.argv[:1])
window = QMainWindow()
split = QSplitter()
split.addWidget(QTreeView())
split.addWidget(QPlainTextEdit())
window.setCentralWidget(split)

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        print(f"startup_s={time.time() - t0:.4f}", flush=True)
        os._exit(0)

probe = Probe()
window.installEventFilter(probe)
window.resize(1280, 800)
window.show()
app.exec()
'''
BARE_QT = BARE.replace("app = QApplication(sys.argv[:1])",
                       "app = QApplication(sys.argv[:1])\nfrom PySide6.QtCore import Qt\nQt.AlignmentFlag")


def _measure(cmd: list[str], env: dict[str, str]) -> float:
    env = {**env, "WORKBENCH_STARTUP_T0": repr(time.time())}
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    for line in out.stdout.splitlines():
        if line.startswith("startup_s="):
            return float(line.split("=", 1)[1])
    raise RuntimeError(f"no startup figure from {cmd}: rc={out.returncode} {out.stderr.strip()[-400:]}")


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    data = Path(tempfile.mkdtemp(prefix="wb-startup-"))
    try:
        base_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory",
                    "WORKBENCH_DATA_DIR": str(data), "PYTHONPYCACHEPREFIX": str(data / "pycache")}
        base_env.pop("PYTHONDONTWRITEBYTECODE", None)
        app_cmd = [sys.executable, "-m", "workbench"]
        bare_cmd = [sys.executable, "-c", BARE]
        bare_qt_cmd = [sys.executable, "-c", BARE_QT]
        # One untimed start each: copies the sample workspace (first start) and warms the disk cache.
        _measure(app_cmd, {**base_env, "WORKBENCH_STARTUP_PROBE": "1"})
        _measure(bare_cmd, base_env)
        ours: list[float] = []
        bare: list[float] = []
        bare_qt: list[float] = []
        for _ in range(runs):
            ours.append(_measure(app_cmd, {**base_env, "WORKBENCH_STARTUP_PROBE": "1"}))
            bare.append(_measure(bare_cmd, base_env))
            bare_qt.append(_measure(bare_qt_cmd, base_env))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(f"cold start to first paint, {runs} runs each (offscreen, sample workspace)")
    print(f"{'window':<34}{'median s':>10}{'min s':>9}{'max s':>9}")
    print(f"{'API Workbench (sample workspace)':<34}{m_ours:>10.3f}{min(ours):>9.3f}{max(ours):>9.3f}")
    print(f"{'bare PySide6 (tree + text edit)':<34}{m_bare:>10.3f}{min(bare):>9.3f}{max(bare):>9.3f}")
    m_qt = statistics.median(bare_qt)
    print(f"{'  the same + the Qt namespace':<34}{m_qt:>10.3f}{min(bare_qt):>9.3f}{max(bare_qt):>9.3f}")
    ratio = m_ours / m_bare
    print(f"ratio {ratio:.2f}x (issue 17 target <= 1.6x, issue 3 <= 2.0x); median {m_ours:.3f} s (target < 0.8 s); "
          f"vs bare + Qt namespace {m_ours / m_qt:.2f}x")
    ok = m_ours < 0.8 and ratio <= 1.6
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
