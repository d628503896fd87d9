"""Benchmark: OData query URL parsing vs SAP CAP's own URL parser (the peer server), same URLs.

Issue 7 names no speed target; the builder re-parses the URL on every keystroke and the
validator on every change, so parsing must stay well below a frame (16 ms) per URL. The peer
is the parser CAP runs for every request (`@sap/cds` libx/odata/parse, a PEG parser, called
without a model) over the same relative URLs; ours is `parse_url` (with positions and typed
literals) and, separately, `parse_url` + `canonical` (parse and write back). Times are
in-process per round of REPEAT × all URLs; rounds alternate node / Python, and node's
first (JIT warm-up) round in each process is dropped.

    .venv/bin/python bench/odata_query.py [--rounds N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
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

from workbench.core.odata.parser import parse_url  # noqa: E402
from workbench.core.odata.serializer import canonical  # noqa: E402

URLS = [
    "Cases?$filter=priority gt 2&$select=caseNo,title&$top=5",
    "Cases?$filter=contains(title,'review') and (priority gt 2 or urgent eq true) and tasks/any(t:t/done eq true)"
    "&$expand=tasks($select=ID,name;$filter=done eq false;$orderby=ID desc;$expand=assignee($select=city)),"
    "owner($select=userName)&$orderby=length(title) desc,caseNo&$select=caseNo,title&$top=5&$count=true",
    "Users?$filter=fullName eq 'Anna O''Neil' or city in ('Oslo','Rome','Madrid')&$orderby=ID desc&$skip=2",
    "Cases?$filter=dueDate lt 2025-06-01 and openedAt ge 2025-02-02T01:15:00Z and "
    "ID ne 6513270e-269e-4d37-b2a7-4de452e6b438&$select=ID",
    "Labels(caseNo=1001,code='bug-0')",
]


def node_rounds(file: str, rounds: int, repeat: int) -> list[float]:
    out = subprocess.run(["node", str(ROOT / "bench" / "odata_query_cap.js"), file, str(rounds), str(repeat)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "NODE_MODULES": str(peers.NODE_MODULES)})
    return list(json.loads(out.stdout)["parse_ms"])


def py_rounds(rounds: int, repeat: int, write_back: bool) -> list[float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for url in URLS:
                parsed = parse_url(url)
                if write_back:
                    canonical(parsed)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    peers.ensure_npm()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(URLS, fh)
        name = fh.name
    node: list[float] = []
    py: list[float] = []
    py_rt: list[float] = []
    try:
        for _ in range(args.rounds):  # interleaved so machine load hits both alike
            node += node_rounds(name, 2, args.repeat)[1:]  # the peer's second, JIT-warm round
            py += py_rounds(1, args.repeat, False)
            py_rt += py_rounds(1, args.repeat, True)
    finally:
        os.unlink(name)
    per = args.repeat * len(URLS)
    print(f"{len(URLS)} URLs × {args.repeat} per round, {args.rounds} rounds (µs per URL)")
    print(f"{'parser':<42} {'best':>8} {'median':>8}")
    rows = [("CAP @sap/cds OData URL parser (node)", node), ("workbench parse_url (Python)", py),
            ("workbench parse_url + canonical (Python)", py_rt)]
    for label, times in rows:
        print(f"{label:<42} {min(times) * 1000 / per:>8.1f} {statistics.median(times) * 1000 / per:>8.1f}")
    ratio = statistics.median(py) / statistics.median(node)
    print(f"ratio parse (ours / CAP, median): {ratio:.2f}×; one URL parses in "
          f"{statistics.median(py) * 1000 / per:.0f} µs (frame budget 16 000 µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
