"""Issue 18's figures: every hostile input through the CLI, one subprocess each, timed and weighed.

Runs the cases of `tests/security/test_hostile_corpus.py` (`build_cases`) plus the slow ones the
in-process test leaves out (a 50 MB JSON string in the viewer, `odata parse --json` of a
5,000-term filter, an HTTP error status on a download), each as `python -m workbench ARGS` with
a time limit. A case is *clean* when it exits 0, 1 or 2 with at most one readable stderr line,
*uncaught* when stderr shows the catch-all (`unexpected error:`) or a traceback, a *hang* when
it outlives the limit. Peak memory is the command's maximum RSS as `/usr/bin/time` reports it.

    .venv/bin/python bench/hostile_corpus.py [--limit 60] [--only AREA] [--httpbin URL]

Prints one line per case, then the table "cases tried per area, clean errors, uncaught, hangs,
peak memory on the worst case".
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "security"))

from test_hostile_corpus import build_cases  # noqa: E402


def _extra_cases(tmp: Path, httpbin: str | None) -> list[tuple[str, str, list[str]]]:
    """Cases too slow or needing a peer for the in-process test."""
    cases: list[tuple[str, str, list[str]]] = []
    big = tmp / "string-50mb.json"
    with open(big, "wb") as fh:
        fh.write(b'"')
        for _ in range(50):
            fh.write(b"a" * 1024 * 1024)
        fh.write(b'"')
    cases.append(("viewer", "string-50mb", ["view", str(big), "--timings"]))
    base = "http://h/svc/People"
    or5000 = base + "?$filter=" + " or ".join(f"ID eq {i}" for i in range(5000))
    cases.append(("odata", "parse-json-or-5000", ["odata", "parse", "--json", or5000]))
    cases.append(("odata", "parse-canonical-or-5000", ["odata", "parse", "--canonical", or5000]))
    if httpbin:
        for status in (404, 500):
            cases.append(("download", f"import-{status}", ["import", f"{httpbin}/status/{status}",
                                                           "--into", str(tmp / f"out-{status}")]))
            cases.append(("download", f"metadata-{status}", ["metadata", f"{httpbin}/status/{status}"]))
    return cases


def _run(argv: list[str], limit: float) -> tuple[int | None, str, float, float]:
    """(exit code or None on a hang, stderr, seconds, peak RSS in MB) of one CLI run."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss_file:
        # /usr/bin/time reports the peak RSS of the command alone (wait4 on a child forked from
        # this process would count this process's pages copied before exec).
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file.name,
                                 sys.executable, "-m", "workbench", *argv], stdout=subprocess.DEVNULL,
                                stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env=env, start_new_session=True)
        try:
            code: int | None = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = None
        elapsed = time.perf_counter() - start
        err.seek(0)
        text = "\n".join(line for line in err.read().decode("utf-8", "replace").splitlines()
                         if not line.startswith("Command exited with non-zero status"))
        figures = rss_file.read().split()
        rss_kb = float(figures[-1]) if figures and figures[-1].isdigit() else float("nan")
    return code, text, elapsed, rss_kb / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=float, default=60.0, help="seconds before a case counts as a hang")
    ap.add_argument("--only", help="run one area")
    ap.add_argument("--httpbin", help="base URL of a running httpbin (adds the HTTP-status download cases)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        cases = build_cases(tmp) + _extra_cases(tmp, args.httpbin)
        per_area: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        worst: dict[str, tuple[float, str]] = {}
        for area, name, argv in cases:
            if args.only and area != args.only:
                continue
            code, err, seconds, rss = _run(argv, args.limit)
            lines = [line for line in err.splitlines() if line.strip()]
            uncaught = "unexpected error" in err or "Traceback" in err
            if code is None:
                verdict = "HANG"
            elif uncaught or code not in (0, 1, 2):
                verdict = "UNCAUGHT"
            else:
                verdict = "clean"
            row = per_area[area]
            row["cases"] += 1
            row["clean"] += verdict == "clean"
            row["uncaught"] += verdict == "UNCAUGHT"
            row["hangs"] += verdict == "HANG"
            row["max_s"] = max(row["max_s"], seconds)
            if rss > worst.get(area, (0.0, ""))[0]:
                worst[area] = (rss, name)
            said = next((line for line in lines if line.startswith("workbench:")), lines[-1] if lines else "")
            first = said[:110]
            print(f"{area:13} {name:28} {verdict:8} exit {code!s:4} {seconds:6.2f}s {rss:7.0f} MB  {first}",
                  flush=True)
        print()
        print(f"{'area':13} {'cases':>5} {'clean':>5} {'uncaught':>8} {'hangs':>5} {'slowest':>8}  worst peak RSS")
        for area, row in per_area.items():
            rss, name = worst[area]
            print(f"{area:13} {row['cases']:5.0f} {row['clean']:5.0f} {row['uncaught']:8.0f} {row['hangs']:5.0f} "
                  f"{row['max_s']:7.1f}s  {rss:.0f} MB ({name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
