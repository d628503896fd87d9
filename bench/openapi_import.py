"""OpenAPI import: speed, peak memory and validity, ours vs Postman's `openapi2postmanv2`, same run.

Usage: .venv/bin/python bench/openapi_import.py [--speed | --validity] [SPEC ...]
(default: both tables; speed on the two largest shared specs)

Validity table: for each shared spec Prism can load, a Prism mock of the spec is started and every
request of both imports is sent unchanged (baseUrl at Prism, dummy credentials); the share of 2xx
answers is the share of requests valid as imported (tests/core/openapi/test_prism_acceptance.py does the same
for ours and asserts ≥ 90%). Postman's requests are sent with httpx as Postman would: its
`{{baseUrl}}`, `:pathVariable` values, enabled query/header rows and body as generated.

Each measurement is a fresh process (so peak memory is that process's own maximum resident set,
read with `os.wait4`), run REPEAT times; the table shows medians. Rows:
- `core import`: `import_openapi(SPEC)` (read, bundle, convert; what the dialog waits for),
- `core import + write`: `import_into_workspace(SPEC, tmp)` (also writes every request file),
- `openapi2postmanv2`: `openapi2postmanv2 -s SPEC -o out.json` (Postman's converter, npm).
Wall time includes interpreter / node start-up for both sides; "in-process" is our time without it.
Target (issue 4): core import ≥ 5× faster than openapi2postmanv2, with lower peak memory.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data" / "openapi").resolve()
sys.path.insert(0, str(ROOT / "tests" / "servers"))
import peers  # noqa: E402

REPEAT = 3
CHILD = """
import json, sys, time
t0 = time.perf_counter()
from workbench.core.openapi.importer import import_openapi, import_into_workspace
t1 = time.perf_counter()
if sys.argv[2] == "write":
    summary = import_into_workspace(sys.argv[1], sys.argv[3])
    n = summary.requests
else:
    n = len(import_openapi(sys.argv[1]).collection.all_requests())
t2 = time.perf_counter()
print(json.dumps({"requests": n, "in_process_s": t2 - t1, "import_modules_s": t1 - t0}))
"""


def measure(cmd: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_maxrss // 1024, out.decode(errors="replace")


def bench_spec(spec: Path) -> list[tuple[str, float, float, int, str]]:
    converter = peers.node_bin("openapi2postmanv2")
    rows: dict[str, list[tuple[float, int, str]]] = {"core import": [], "core import + write": [],
                                                     "openapi2postmanv2": []}
    inproc: dict[str, list[float]] = {"core import": [], "core import + write": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(REPEAT):
            for label, mode in (("core import", "read"), ("core import + write", "write")):
                wall, rss, out = measure([sys.executable, "-c", CHILD, str(spec), mode, f"{tmp}/ws{i}"])
                info = json.loads(out.strip().splitlines()[-1])
                rows[label].append((wall, rss, f"{info['requests']} requests"))
                inproc[label].append(info["in_process_s"])
            target = Path(tmp) / f"postman{i}.json"
            wall, rss, _ = measure([converter, "-s", str(spec), "-o", str(target)])
            collection = json.loads(target.read_text())
            count = _count_items(collection.get("item", []))
            rows["openapi2postmanv2"].append((wall, rss, f"{count} requests"))
    table = []
    for label, runs in rows.items():
        wall = statistics.median(r[0] for r in runs)
        rss = int(statistics.median(r[1] for r in runs))
        inside = statistics.median(inproc[label]) if label in inproc else float("nan")
        table.append((label, wall, inside, rss, runs[0][2]))
    return table


def _count_items(items: list[dict]) -> int:  # type: ignore[type-arg]
    return sum(_count_items(i["item"]) if "item" in i else 1 for i in items)


# --------------------------------------------------------------------------- validity against Prism


def _postman_requests(collection: dict) -> list[dict]:  # type: ignore[type-arg]
    out = []

    def walk(items: list[dict], auth: dict | None) -> None:  # type: ignore[type-arg]
        for item in items:
            if "item" in item:
                walk(item["item"], item.get("auth") or auth)
            elif "request" in item:
                request = dict(item["request"])
                if not request.get("auth"):
                    request["auth"] = auth
                out.append(request)

    walk(collection.get("item", []), collection.get("auth"))
    return out


async def _send_postman(request: dict, base: str, client: object) -> int:  # type: ignore[type-arg]
    import re
    import urllib.parse

    import httpx

    assert isinstance(client, httpx.AsyncClient)
    url = request["url"] if isinstance(request["url"], dict) else {"raw": request["url"]}
    variables = {v.get("key"): str(v.get("value", "")) for v in url.get("variable") or []}
    path = "/".join(url.get("path") or [])
    path = re.sub(r"(?<![\w])(:[A-Za-z_][\w.-]*)", lambda m: variables.get(m.group(1)[1:], m.group(1)), path)
    query = [(q["key"], q.get("value") or "") for q in url.get("query") or [] if not q.get("disabled")]
    headers = {h["key"]: h.get("value", "") for h in request.get("header") or [] if not h.get("disabled")}
    auth = request.get("auth") or {}
    kind = auth.get("type")
    if kind == "apikey":
        fields = {f["key"]: f.get("value") for f in auth.get("apikey") or []}
        if fields.get("in") == "query":
            query.append((fields.get("key") or "api_key", "dummy-api-key"))
        else:
            headers[fields.get("key") or "Authorization"] = "dummy-api-key"
    elif kind in ("bearer", "oauth2"):
        headers["Authorization"] = "Bearer dummy-token"
    elif kind == "basic":
        headers["Authorization"] = "Basic dXNlcjpwYXNz"
    body = request.get("body") or {}
    content: bytes | None = None
    data = files = None
    mode = body.get("mode")
    if mode == "raw":
        content = str(body.get("raw", "")).encode()
    elif mode == "urlencoded":
        content = urllib.parse.urlencode([(f["key"], f.get("value", "")) for f in body.get("urlencoded") or []
                                          if not f.get("disabled")]).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif mode == "formdata":
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        data = {f["key"]: f.get("value", "") for f in body.get("formdata") or [] if not f.get("disabled")
                and f.get("type") != "file"}
        files = {f["key"]: ("file.bin", b"sample") for f in body.get("formdata") or [] if f.get("type") == "file"}
    target = base.rstrip("/") + "/" + path.lstrip("/")
    try:
        response = await client.request(request["method"], target, params=query, headers=headers, content=content,
                                        data=data, files=files or None)
    except httpx.HTTPError:
        return 0
    return response.status_code


async def _postman_validity(spec: Path, converter: str, tmp: str) -> tuple[int, int]:
    import asyncio

    import httpx

    target = Path(tmp) / f"{spec.stem}.postman.json"
    proc = await asyncio.to_thread(subprocess.run, [converter, "-s", str(spec), "-o", str(target)],
                                   capture_output=True, timeout=300)
    if proc.returncode != 0 or not target.exists():
        return 0, 0
    requests = _postman_requests(json.loads(target.read_text()))
    peer = await asyncio.to_thread(peers.start_prism, spec)
    ok = 0
    try:
        async with httpx.AsyncClient(timeout=30, trust_env=False) as client:
            for request in requests:
                status = await _send_postman(request, peer.url, client)
                ok += 200 <= status < 300
                if status == 0 and peer.process.poll() is not None:
                    peer.stop()
                    peer = await asyncio.to_thread(peers.start_prism, spec)
    finally:
        peer.stop()
    return ok, len(requests)


def validity() -> None:
    import asyncio

    sys.path.insert(0, str(ROOT / "tests" / "core" / "openapi"))
    from test_prism_acceptance import (  # the test's own harness for our side
        Target,
        run_spec,
        shared_targets,
    )

    converter = peers.node_bin("openapi2postmanv2")

    async def both(target: Target, tmp: str) -> tuple[Path, tuple[int, int], tuple[int, int]]:
        ours = await run_spec(target)
        theirs = await _postman_validity(target.prism_spec, converter, tmp)
        return target.source, (ours.ok, ours.sent), theirs

    async def run_all(targets: list[Target], tmp: str) -> list[tuple[Path, tuple[int, int], tuple[int, int]]]:
        results = []
        for i in range(0, len(targets), 4):  # four Prism mocks at a time on two cores
            results += await asyncio.gather(*(both(t, tmp) for t in targets[i:i + 4]))
        return results

    with tempfile.TemporaryDirectory() as tmp:
        targets = shared_targets(SHARED.parent, Path(tmp))
        results = asyncio.run(run_all(targets, tmp))
    print(f"\n{'spec (Prism 2xx / sent)':40} {'workbench':>14} {'openapi2postmanv2':>20}")
    totals = [0, 0, 0, 0]
    for spec, (ok, sent), (pok, psent) in results:
        totals = [totals[0] + ok, totals[1] + sent, totals[2] + pok, totals[3] + psent]
        print(f"{spec.name:40} {ok:6}/{sent:<7} {pok:10}/{psent:<9}")
    print(f"{'TOTAL':40} {totals[0]:6}/{totals[1]:<7} {totals[2]:10}/{totals[3]:<9}")
    print(f"{'pass rate':40} {totals[0] / max(totals[1], 1):13.1%} {totals[2] / max(totals[3], 1):19.1%}")


def main() -> int:
    args = sys.argv[1:]
    mode = {"--speed": "speed", "--validity": "validity"}.get(args[0], "both") if args else "both"
    args = [a for a in args if not a.startswith("--")]
    failed = speed(args) if mode in ("speed", "both") else False
    if mode in ("validity", "both"):
        validity()
    return 1 if failed else 0


def speed(args: list[str]) -> bool:
    specs = [Path(a) for a in args] or [SHARED / "stripe-spec3.json", SHARED / "kubernetes-swagger.json"]
    failed = False
    print(f"{'spec':28} {'tool':22} {'wall s':>8} {'in-proc s':>10} {'peak MB':>8}  result")
    for spec in specs:
        if not spec.exists():
            print(f"{spec.name:28} (missing, skipped)")
            continue
        table = bench_spec(spec)
        for label, wall, inside, rss, result in table:
            inside_text = f"{inside:10.3f}" if inside == inside else f"{'':>10}"
            print(f"{spec.name:28} {label:22} {wall:8.2f} {inside_text} {rss:8d}  {result}")
        ours = table[0]
        theirs = table[2]
        speed = theirs[1] / ours[1]
        memory = theirs[3] / max(ours[3], 1)
        ok = speed >= 5 and ours[3] < theirs[3]
        failed |= not ok
        print(f"{spec.name:28} {'ratio (postman/core)':22} {speed:7.1f}× {'':>10} {memory:7.1f}×  "
              f"{'PASS' if ok else 'FAIL'} (target: ≥ 5× faster, lower peak memory)")
    return failed


if __name__ == "__main__":
    sys.exit(main())
