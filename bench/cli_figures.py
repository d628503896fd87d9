"""The CLI as the user meets it: whole processes, wall clock, ours vs the peer, same run (issue 17).

Usage: .venv/bin/python bench/cli_figures.py [--runs N] [--import-only | --metadata-only] [--baseline DIR]
       [--no-bytecode] [FILE ...]

Rows (each a fresh process, start-up included, output written; runs interleaved ours/peer so
the machine's load hits both alike; medians of N runs):
- `workbench import SPEC --into TMP/wsN` (a new workspace each run: every request file written)
  vs `openapi2postmanv2 -s SPEC -o TMP/outN.json` (Postman's converter, npm).
  Target: ≥ 5× faster than the peer.
- `workbench metadata CSDL --json > TMP/out.json` vs `node bench/odata_csdl_xml2json.js CSDL 1 TMP/out.json`
  (odata-csdl's `xml2json`, the OASIS converter: read, convert once, write the JSON).
  Target: ≥ 3×, aim 5×.
Besides wall seconds, the table shows each side's CPU seconds (user + system of the process,
from `os.wait4`): on a shared, loaded machine the wall clock mostly measures the neighbours.
Each command runs once untimed first (disk cache, and our bytecode): Python runs as an installed
copy does, from `.pyc` files, kept in a private `PYTHONPYCACHEPREFIX` for the run. A sandbox that
sets PYTHONDONTWRITEBYTECODE would otherwise recompile every workbench module in every run
(~0.1 s of Stripe's import), a cost no pip-installed copy pays; `--no-bytecode` measures that way.
Files given on the command line pick the table by suffix (.xml/.edmx: metadata, else import).
`--baseline DIR` adds rows for another copy of the package (e.g. `git archive HEAD workbench | tar -x -C DIR`),
run as `python -c "from workbench.cli import main; main()"` with PYTHONPATH=DIR: before/after in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data").resolve()
sys.path.insert(0, str(ROOT / "tests" / "servers"))
import peers  # noqa: E402

WORKBENCH = [str(Path(sys.executable).with_name("workbench"))]
BASELINE_CLI = [sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main())"]
NODE_XML2JSON = ROOT / "bench" / "odata_csdl_xml2json.js"


def measure(cmd: list[str], stdout_to: Path | None = None, pythonpath: str = "") -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process; a failure stops the bench."""
    out = open(stdout_to, "wb") if stdout_to else subprocess.DEVNULL
    env = {**os.environ, "NODE_MODULES": str(peers.NODE_MODULES)}
    if pythonpath:  # run from there too: `python -c` puts the working folder first on sys.path
        env["PYTHONPATH"] = pythonpath
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=pythonpath or ROOT, env=env)
        err = proc.stderr.read()  # type: ignore[union-attr]
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    finally:
        if stdout_to:
            out.close()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {err.decode(errors='replace')[-400:]}")
    return wall, usage.ru_utime + usage.ru_stime


def files_written(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def row(what: str, tool: str, runs: list[tuple[float, float]], result: str) -> tuple[float, float]:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"{what:34} {tool:26} {wall:8.2f} {cpu:8.2f}  {result}", flush=True)
    return wall, cpu


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def ratio(what: str, ours: tuple[float, float], theirs: tuple[float, float], target: float,
          label: str = "peer / ours") -> bool:
    wall, cpu = theirs[0] / ours[0], theirs[1] / ours[1]
    ok = wall >= target
    print(f"{what:34} {'ratio (' + label + ')':26} {wall:7.1f}× {cpu:7.1f}×  "
          f"{'PASS' if ok else 'FAIL'} (target ≥ {target:g}× wall)", flush=True)
    return ok


def bench_import(spec: Path, runs: int, tmp: Path, baseline: str) -> bool:
    converter = peers.node_bin("openapi2postmanv2")
    ours: list[tuple[float, float]] = []
    before: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    written = 0
    measure([*WORKBENCH, "import", str(spec), "--into", str(tmp / f"warm-{spec.stem}")])
    if baseline:
        measure([*BASELINE_CLI, "import", str(spec), "--into", str(tmp / f"warm-base-{spec.stem}")],
                pythonpath=baseline)
    measure([converter, "-s", str(spec), "-o", str(tmp / f"warm-{spec.stem}.json")])
    for i in range(runs):
        target = tmp / f"ws-{spec.stem}-{i}"
        ours.append(measure([*WORKBENCH, "import", str(spec), "--into", str(target)]))
        written = files_written(target)
        if baseline:
            before.append(measure([*BASELINE_CLI, "import", str(spec), "--into", str(tmp / f"base-{spec.stem}-{i}")],
                                  pythonpath=baseline))
        theirs.append(measure([converter, "-s", str(spec), "-o", str(tmp / f"postman-{spec.stem}-{i}.json")]))
    size = (tmp / f"postman-{spec.stem}-0.json").stat().st_size / 1e6
    name = f"import {spec.name}"[:34]
    mine = row(name, "workbench import", ours, f"{written} files written")
    if baseline:
        row("", "workbench import (baseline)", before, baseline)
    peer = row("", "openapi2postmanv2", theirs, f"1 file, {size:.1f} MB")
    if baseline:
        ratio("", _median(before), peer, 5, "peer / baseline")
    return ratio("", mine, peer, 5)


def bench_metadata(csdl: Path, runs: int, tmp: Path, baseline: str) -> bool:
    ours: list[tuple[float, float]] = []
    before: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    measure([*WORKBENCH, "metadata", str(csdl), "--json"], tmp / "ours.json")
    if baseline:
        measure([*BASELINE_CLI, "metadata", str(csdl), "--json"], tmp / "base.json", pythonpath=baseline)
    measure(["node", str(NODE_XML2JSON), str(csdl), "1", str(tmp / "theirs.json")])
    for _ in range(runs):
        ours.append(measure([*WORKBENCH, "metadata", str(csdl), "--json"], tmp / "ours.json"))
        if baseline:
            before.append(measure([*BASELINE_CLI, "metadata", str(csdl), "--json"], tmp / "base.json",
                                  pythonpath=baseline))
        theirs.append(measure(["node", str(NODE_XML2JSON), str(csdl), "1", str(tmp / "theirs.json")]))
    name = f"metadata {csdl.name}"[:34]
    mine = row(name, "workbench metadata --json", ours, f"{(tmp / 'ours.json').stat().st_size / 1e6:.1f} MB JSON")
    if baseline:
        import json  # the value is the contract, not the spacing or key order

        same = json.loads((tmp / "ours.json").read_bytes()) == json.loads((tmp / "base.json").read_bytes())
        row("", "metadata --json (baseline)", before, "same JSON" if same else "OUTPUT DIFFERS")
    peer = row("", "odata-csdl xml2json (node)", theirs, f"{(tmp / 'theirs.json').stat().st_size / 1e6:.1f} MB JSON")
    if baseline:
        ratio("", _median(before), peer, 3, "peer / baseline")
    return ratio("", mine, peer, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-only", action="store_true")
    parser.add_argument("--metadata-only", action="store_true")
    parser.add_argument("--baseline", metavar="DIR", default="", help="another copy of the package to time alongside")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep the environment's PYTHONDONTWRITEBYTECODE (every module compiled in every run)")
    args = parser.parse_args()
    specs = [f for f in args.files if f.suffix not in (".xml", ".edmx")] or (
        [] if args.files else [SHARED / "openapi" / "kubernetes-swagger.json", SHARED / "openapi" / "stripe-spec3.json"])
    csdls = [f for f in args.files if f.suffix in (".xml", ".edmx")] or (
        [] if args.files else [SHARED / "csdl" / "msgraph-v1.0-cleanMetadata.xml"])
    if args.import_only:
        csdls = []
    if args.metadata_only:
        specs = []
    peers.ensure_npm()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} runs")
    print(f"{'what':34} {'tool':26} {'wall s':>8} {'CPU s':>8}  result")
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if not args.no_bytecode:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        bytecode = "no bytecode (every module compiled per run)" if os.environ.get("PYTHONDONTWRITEBYTECODE") \
            else "from bytecode, as installed"
        print(f"python: {bytecode}")
        for spec in specs:
            if spec.exists():
                ok &= bench_import(spec, args.runs, tmp, args.baseline)
            else:
                print(f"{spec.name}: missing, skipped")
        for csdl in csdls:
            if csdl.exists():
                ok &= bench_metadata(csdl, args.runs, tmp, args.baseline)
            else:
                print(f"{csdl.name}: missing, skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
