"""`workbench run` against newman (Postman's CLI runner) on the same 200-request collection.

Issue 15 measured 3.38 s for us against 2.70 s for newman, with a new httpx client (and a new
TLS context: the CA bundle loaded 200 times) per send. The target is at most a third of
newman's time. Both are whole processes, as a CI job runs them, against the same local httpbin
(gunicorn, keep-alive), on the same collection: ours as saved in a workspace, newman's that
collection exported to Postman v2.1 by `workbench export`. Rounds alternate so neither tool
gets a warmer machine; the medians and every round are printed.

Usage: .venv/bin/python bench/runner.py [N_REQUESTS] [ROUNDS]       (default 200 and 3)
newman: found in ~/.cache/api-workbench-tests/{npm,newman-bench}/node_modules/.bin, $NEWMAN,
or installed into ~/.cache/api-workbench-tests/newman-bench with `npm install newman`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "servers"))

import peers  # noqa: E402

from workbench.core.collections import Body, Check, Collection, Folder, Request  # noqa: E402
from workbench.core.workspace import storage  # noqa: E402

CACHE = Path.home() / ".cache" / "api-workbench-tests"


def newman_bin() -> str:
    if os.environ.get("NEWMAN"):
        return os.environ["NEWMAN"]
    for folder in ("npm", "newman-bench"):
        candidate = CACHE / folder / "node_modules" / ".bin" / "newman"
        if candidate.exists():
            return str(candidate)
    target = CACHE / "newman-bench"
    target.mkdir(parents=True, exist_ok=True)
    print("installing newman into", target, flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "newman@6"], cwd=target, check=True,
                   stdout=subprocess.DEVNULL)
    return str(target / "node_modules" / ".bin" / "newman")


def build(ws: Path, n: int) -> Path:
    """Half GETs, half JSON POSTs, in 4 folders; each with a status check (newman: none, it has no checks)."""
    storage.init_workspace(ws)
    per = max(1, n // 4)
    folders = []
    made = 0
    for f in range(4):
        requests = []
        for i in range(per if f < 3 else n - 3 * per):
            made += 1
            if made % 2:
                requests.append(Request(f"get {made}", "GET", f"{{{{baseUrl}}}}/get?i={made}",
                                        checks=(Check("status", expected="200"),)))
            else:
                requests.append(Request(f"post {made}", "POST", "{{baseUrl}}/anything",
                                        body=Body("raw", "application/json", json.dumps({"i": made, "name": "x"})),
                                        checks=(Check("status", expected="2xx"),)))
        folders.append(Folder(f"F{f}", tuple(requests), path=f"F{f}"))
    coll = storage.save_collection(ws, Collection("Bench", folders=tuple(folders)))
    return ws / coll.path


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - t0, proc


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    newman = newman_bin()
    peer = peers.start_httpbin()
    tmp = Path(tempfile.mkdtemp(prefix="bench-runner-"))
    try:
        coll = build(tmp / "ws", n)
        exported = tmp / "bench.postman_collection.json"
        wb = [sys.executable, "-m", "workbench"]
        proc = subprocess.run([*wb, "export", str(coll), "--out", str(exported)], capture_output=True, text=True)
        if proc.returncode != 0:
            proc = subprocess.run([*wb, "export", str(coll), "--format", "postman", "--out", str(exported)],
                                  capture_output=True, text=True)
        if proc.returncode != 0:
            print("export failed:", proc.stderr.strip())
            return 1
        ours_cmd = [*wb, "run", str(coll), "--var", f"baseUrl={peer.url}", "--reporter", "json",
                    "--out", str(tmp / "ours.json")]
        theirs_cmd = [newman, "run", str(exported), "--env-var", f"baseUrl={peer.url}", "--reporters", "json",
                      "--reporter-json-export", str(tmp / "newman.json")]
        ours, theirs = [], []
        for _ in range(rounds):
            t, p = timed(ours_cmd)
            report = json.loads((tmp / "ours.json").read_text(encoding="utf-8"))
            if p.returncode != 0 or report["requests"] != n:
                print("workbench run failed:", p.returncode, p.stderr.strip()[:300], report.get("failed"))
                return 1
            ours.append(t)
            t, p = timed(theirs_cmd)
            stats = json.loads((tmp / "newman.json").read_text(encoding="utf-8"))["run"]["stats"]["requests"]
            if p.returncode != 0 or stats["total"] != n:
                print("newman failed:", p.returncode, p.stdout.strip()[-300:], stats)
                return 1
            theirs.append(t)
        mo, mt = statistics.median(ours), statistics.median(theirs)
        print(f"{n} requests to httpbin on 127.0.0.1, whole processes, median of {rounds} alternating rounds")
        print(f"  workbench run : {mo:6.2f} s   rounds: {', '.join(f'{t:.2f}' for t in ours)}")
        print(f"  newman run    : {mt:6.2f} s   rounds: {', '.join(f'{t:.2f}' for t in theirs)}")
        print(f"  ratio         : {mo / mt:.2f} of newman's time (target ≤ 0.33): {'PASS' if mo <= mt / 3 else 'MISS'}")
        return 0
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
