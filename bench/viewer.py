"""Response viewer on big JSON bodies: `workbench view FILE --timings` against a naive viewer.

For generated, realistic JSON bodies (an OData-style `value` array of records with nested
objects and arrays, strings with escapes and non-ASCII text, numbers, booleans, nulls) of
1, 10 and 100 MB, already received (a file), this measures in a fresh process each:

- first_view_ms: from handing the body to the viewer to the first painted useful view;
- max_stall_ms: the longest gap between two event-loop turns while loading (a 5 ms timer);
- peak_rss_mb: peak resident memory of the whole process (ru_maxrss), Qt included.

The peer is the naive viewer most tools start as: `json.loads` then a QStandardItemModel
built for every value, shown in a QTreeView, all on the UI thread — run the same way in the
same session. Targets (issue 8): first view < 1 s, stall < 100 ms, memory < 4x the body.

    .venv/bin/python bench/viewer.py [--sizes 1,10,100] [--runs 3] [--naive-timeout 240]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NAIVE = textwrap.dedent("""
    import json, resource, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTreeView
    app = QApplication([])
    view = QTreeView(); view.resize(1180, 780); view.show(); app.processEvents()
    state = {"last": 0.0, "gap": 0.0, "first": None}
    def tick():
        now = time.perf_counter(); state["gap"] = max(state["gap"], now - state["last"]); state["last"] = now
    meter = QTimer(); meter.setInterval(5); meter.timeout.connect(tick)
    def add(parent, key, value):
        if isinstance(value, dict):
            item = QStandardItem(str(key)); row = [item, QStandardItem("object"), QStandardItem(f"{{{len(value)}}}")]
            for k, v in value.items(): add(item, k, v)
        elif isinstance(value, list):
            item = QStandardItem(str(key)); row = [item, QStandardItem("array"), QStandardItem(f"[{len(value)}]")]
            for i, v in enumerate(value): add(item, i, v)
        else:
            row = [QStandardItem(str(key)), QStandardItem(type(value).__name__), QStandardItem(json.dumps(value))]
        parent.appendRow(row)
    def load():
        data = json.loads(open(sys.argv[1], "rb").read())
        model = QStandardItemModel(); model.setHorizontalHeaderLabels(["Key", "Type", "Value"])
        add(model.invisibleRootItem(), "$", data)
        view.setModel(model); view.expandToDepth(0); view.repaint()
        state["first"] = time.perf_counter()
        QTimer.singleShot(20, finish)
    def finish():
        meter.stop()
        print(json.dumps({"first_view_ms": round((state["first"] - t0) * 1000, 1),
                          "max_stall_ms": round(state["gap"] * 1000, 1),
                          "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
        app.quit()
    t0 = time.perf_counter(); state["last"] = t0; meter.start(); QTimer.singleShot(0, load); app.exec()
""")


def generate(path: Path, target_mb: float, seed: int = 8) -> int:
    """Write a realistic OData-style JSON body of about `target_mb` MB; returns its size."""
    rnd = random.Random(seed)
    cities = ["Paris", "Oslo", "Zürich", "Madrid", "São Paulo", "Kraków", "Berlin"]
    statuses = ["open", "waiting", "closed", "escalated"]
    target = int(target_mb * 1024 * 1024)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"@odata.context":"$metadata#Cases(owner(),tasks())","@odata.count":-1,"value":[')
        written = 0
        i = 0
        while written < target:
            record = {
                "ID": f"{rnd.getrandbits(128):032x}", "caseNo": 100000 + i,
                "title": f"Refund review #{i} for customer {rnd.randint(1, 99999)}",
                "status": rnd.choice(statuses), "priority": rnd.randint(1, 5),
                "amount": round(rnd.random() * 25000, 2), "urgent": rnd.random() < 0.2,
                "dueDate": None if i % 7 == 0 else f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                "owner": {"ID": rnd.randint(1, 500), "fullName": "Anna O'Neil", "city": rnd.choice(cities),
                          "roles": ["agent", "reviewer"][: rnd.randint(1, 2)]},
                "tasks": [{"ID": i * 10 + k, "name": f"Step {k}", "done": k % 2 == 0, "effort": k * 1.5}
                          for k in range(rnd.randint(0, 4))],
                "notes": "Customer wrote: \"please hurry\"\nSecond line with a tab\tand ünïcödé ✓",
            }
            text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            if i:
                fh.write(",")
            fh.write(text)
            written += len(text.encode("utf-8")) + 1
            i += 1
        fh.write("]}")
    return path.stat().st_size


def measure(cmd: list[str], timeout: float) -> dict[str, float] | str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    if result.returncode != 0:
        return f"failed ({result.returncode}): {result.stderr.strip().splitlines()[-1:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100", help="body sizes in MB (comma separated)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size for the workbench (median reported)")
    parser.add_argument("--naive-timeout", type=float, default=240, help="seconds before the naive viewer is given up")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    workbench = [sys.executable, "-m", "workbench", "view"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="wb-viewer-bench-") as tmp:
        naive_script = Path(tmp) / "naive_viewer.py"
        naive_script.write_text(NAIVE)
        for size_mb in sizes:
            path = Path(tmp) / f"body-{size_mb:g}mb.json"
            size = generate(path, size_mb)
            runs = [measure(workbench + [str(path), "--timings"], 300) for _ in range(args.runs)]
            ok = [r for r in runs if isinstance(r, dict)]
            if ok:
                rows.append((size, "workbench view", median(ok, "first_view_ms"), max(r["max_stall_ms"] for r in ok),
                             median(ok, "max_stall_ms"), median(ok, "peak_rss_mb")))
            else:
                rows.append((size, "workbench view", runs[0], None, None, None))
            naive = measure([sys.executable, str(naive_script), str(path)], args.naive_timeout)
            if isinstance(naive, dict):
                rows.append((size, "naive (json.loads + QStandardItemModel)", naive["first_view_ms"], naive["max_stall_ms"],
                             naive["max_stall_ms"], naive["peak_rss_mb"]))
            else:
                rows.append((size, "naive (json.loads + QStandardItemModel)", naive, None, None, None))
    print(f"{'body':>9}  {'viewer':<42} {'first view ms':>13} {'stall ms (median/worst)':>24} {'peak RSS MB':>11} {'RSS/body':>8}")
    for size, tool, first, worst, med, rss in rows:
        if not isinstance(first, float):
            print(f"{size / 1048576:>7.1f}MB  {tool:<42} {first}")
            continue
        ratio = rss / (size / 1048576)
        print(f"{size / 1048576:>7.1f}MB  {tool:<42} {first:>13.0f} {med:>12.0f} / {worst:<9.0f} {rss:>11.0f} {ratio:>8.1f}")
    print("targets for 100 MB: first view < 1000 ms, stall < 100 ms, peak RSS < 4x body (includes ~90 MB of Qt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
