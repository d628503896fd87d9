"""Cold start to a painted main window: the one-folder build against `workbench` from the venv.

Issue 16 asks what the frozen build costs (or saves) at start-up. Same method as
bench/startup.py (whose measuring it reuses): a fresh process per run, timed from just before the
spawn to the end of the window's first paint (WORKBENCH_STARTUP_PROBE=1), offscreen, the sample
workspace, runs alternating so both sides share the disk cache. Also times `--version` (the
smallest thing either can do, which is mostly interpreter and import start-up).

Usage: .venv/bin/python bench/frozen_startup.py [RUNS] [BUILT_PROGRAM]
       (defaults: 10 runs, packaging/dist/api-workbench/workbench; make it with packaging/build.sh)
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROOT, _measure  # noqa: E402 - a sibling script, not a package

VENV_PROGRAM = ROOT / ".venv" / "bin" / "workbench"


def _version_time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*cmd, "--version"], capture_output=True, check=True, timeout=60, env=env)
    return time.perf_counter() - start


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    built = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "packaging" / "dist" / "api-workbench" / "workbench"
    if not built.is_file():
        sys.stderr.write(f"{built}: no build; run `bash packaging/build.sh` first\n")
        return 2
    data = Path(tempfile.mkdtemp(prefix="wb-frozen-startup-"))
    sides = {"one-folder build": [str(built)], "venv (.venv/bin/workbench)": [str(VENV_PROGRAM)]}
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory",
               "WORKBENCH_DATA_DIR": str(data), "PYTHONPYCACHEPREFIX": str(data / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        probe = {**env, "WORKBENCH_STARTUP_PROBE": "1"}
        for cmd in sides.values():  # untimed: copies the sample workspace, warms caches, writes .pyc
            _measure(cmd, probe)
        paint: dict[str, list[float]] = {name: [] for name in sides}
        version: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(runs):
            for name, cmd in sides.items():
                paint[name].append(_measure(cmd, probe))
                version[name].append(_version_time(cmd, env))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"cold start, {runs} runs each (offscreen, sample workspace); median (min-max) seconds")
    print(f"{'program':<30}{'first paint':>24}{'--version':>24}")
    for name in sides:
        p, v = paint[name], version[name]
        print(f"{name:<30}{statistics.median(p):>10.3f} ({min(p):.3f}-{max(p):.3f}){statistics.median(v):>10.3f}"
              f" ({min(v):.3f}-{max(v):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
