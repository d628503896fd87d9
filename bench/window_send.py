"""A 7.5 MB JSON response received through Send, in the main window: the longest UI stall.

Issue 17 target: the longest gap between two event-loop turns, from pressing Send until the
response is shown and every follow-up (history, contract check, table detection) is done, at
most 100 ms, as `workbench view` already manages for the same body. The server is Python's
`http.server` in its own process on 127.0.0.1 (so serving does not compete with the window for
the GIL), the window is driven offscreen on a qasync loop as in the app, and a 5 ms QTimer
records the gaps. The peer is `workbench view FILE --timings` on the same body, same run.

Figures: `shown s` is Send → the pretty view holds the body and the loader is idle;
`stall ms` the longest gap in that time plus 0.5 s after it.

The window runs with the app's UI-thread garbage collector installed (`ui/collector.py`, as
`workbench` and `workbench view` install it): without it Python collected in whichever worker
allocated, and the figure measured collections the app never runs there.

Usage: .venv/bin/python bench/window_send.py [RUNS]   (default 3)
  BENCH_STALLS=MS   every stall longer than MS: each thread's stack (faulthandler, which needs
                    no GIL) and each thread's CPU time in it
  BENCH_PROFILE=KEY cProfile of the UI thread, sorted by KEY (e.g. cumulative)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
BODY_MB = 7.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("http.server did not start")


def _window_runs(ws: Path, runs: int) -> list[tuple[float, float]]:
    import asyncio

    import qasync  # type: ignore[import-untyped]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from workbench.ui.main_window import MainWindow
    from workbench.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, "light")
    from workbench.ui import collector

    collector.install(app)  # cyclic GC on the UI thread only, as `workbench` (app.py) and `workbench view` run
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(str(ws))
    window.resize(1280, 800)
    window.show()
    results: list[tuple[float, float]] = []

    async def until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not get there in time")
            await asyncio.sleep(0.002)

    async def drive() -> None:
        await until(lambda: window.startup_finished)
        await asyncio.sleep(0.8)  # past the deferred start-up work (imports warmed after the first paint)
        window.open_request("Bench", "Big JSON.yaml")
        await asyncio.sleep(0.2)
        for run in range(runs + 1):  # the first run warms imports and the connection pool; not counted
            if os.environ.get("BENCH_STALLS"):
                print(f"##### run {run}{' (warm-up, not counted)' if run == 0 else ''}", file=sys.stderr, flush=True)
            gaps: list[float] = []
            last = [time.perf_counter()]
            on_tick, stop_watch = (_watch_stalls(float(os.environ["BENCH_STALLS"])) if os.environ.get("BENCH_STALLS")
                                   else (None, None))  # where the threads were while the UI thread was stuck

            def tick() -> None:
                now = time.perf_counter()
                gaps.append(now - last[0])
                if on_tick is not None:
                    on_tick(now - last[0], last[0])
                last[0] = now

            meter = QTimer()
            meter.setInterval(5)
            meter.timeout.connect(tick)
            meter.start()
            profile = None
            if os.environ.get("BENCH_PROFILE"):  # where the UI thread spends the time (cProfile, UI thread only)
                import cProfile

                profile = cProfile.Profile()
                profile.enable()
            t0 = last[0] = time.perf_counter()
            window.send_current()
            pane = window.response
            await until(lambda: not window.is_sending() and not pane.loader.is_loading()
                        and bool(pane.pretty_view.text()))
            shown = time.perf_counter() - t0
            await asyncio.sleep(0.5)  # follow-ups after the view: history, contract, table detection
            meter.stop()
            if stop_watch is not None:
                stop_watch()
            if profile is not None:
                import pstats

                profile.disable()
                pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)
            results.append((shown, max(gaps or [0.0])))
            await asyncio.sleep(0.3)

    with loop:
        loop.run_until_complete(drive())
    window.close()
    return results[1:]


def _watch_stalls(threshold_ms: float):  # type: ignore[no-untyped-def]
    """Stall diagnostics: returns (on_tick, stop).

    A stuck UI thread often waits for the GIL, and then no Python thread can look at it; so
    faulthandler's C watchdog (re-armed on every probe tick) dumps every thread's stack once the
    UI thread is `threshold_ms` late, and a sampler records each thread's CPU clock every 5 ms,
    so each stall is printed with the CPU every thread (and the machine) used in it: a stall in
    which nobody used the CPU waited for the machine, not for us.
    """
    import bisect
    import faulthandler
    import threading

    main_id = threading.main_thread().ident
    stop = threading.Event()
    times: list[float] = []
    clocks: list[dict[int, float]] = []
    names: dict[int, str] = {}

    def cpu_now() -> dict[int, float]:
        out = {}
        for thread in threading.enumerate():
            if thread.ident is None:
                continue
            names[thread.ident] = "UI" if thread.ident == main_id else thread.name
            try:
                out[thread.ident] = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
            except OSError:
                pass
        return out

    def sample() -> None:
        while not stop.is_set():
            clocks.append(cpu_now())
            times.append(time.perf_counter())
            time.sleep(0.005)

    def on_tick(gap: float, started: float) -> None:
        faulthandler.cancel_dump_traceback_later()
        if gap * 1000 > threshold_ms and times:
            i = max(0, bisect.bisect_right(times, started) - 1)
            now = cpu_now()
            used = ", ".join(f"{names.get(k, k)} {1000 * (v - clocks[i].get(k, v)):.0f}" for k, v in now.items()
                             if v - clocks[i].get(k, v) > 0.002)
            print(f"=== stall {gap * 1000:.0f} ms; CPU ms in it: {used}", file=sys.stderr, flush=True)
        faulthandler.dump_traceback_later(threshold_ms / 1000, file=sys.stderr)

    threading.Thread(target=sample, daemon=True, name="stall-sampler").start()

    def stop_all() -> None:
        stop.set()
        faulthandler.cancel_dump_traceback_later()

    return on_tick, stop_all


def _peer(body: Path) -> dict[str, float] | str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "workbench", "view", str(body), "--timings"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        return f"failed: {out.stderr.strip()[-200:]}"
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    # The same realistic OData-style body as bench/viewer.py.
    from viewer import generate

    from workbench.core.collections import Collection, Request
    from workbench.core.workspace import storage

    tmp = Path(tempfile.mkdtemp(prefix="wb-send-"))
    server = None
    try:
        os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "data")
        os.environ.setdefault("WORKBENCH_SECRETS", "memory")
        served = tmp / "served"
        served.mkdir()
        size = generate(served / "big.json", BODY_MB)
        server, url = _serve(served)
        ws = tmp / "ws"
        storage.init_workspace(ws)
        coll = storage.save_collection_settings(ws, Collection("Bench"))
        storage.save_request(ws, coll.path, Request("Big JSON", "GET", f"{url}/big.json"))
        ours = _window_runs(ws, runs)
        peers = [_peer(served / "big.json") for _ in range(runs)]
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    ok_peers = [p for p in peers if isinstance(p, dict)]
    print(f"{size / 1048576:.1f} MB JSON, {runs} runs each (offscreen; server: http.server on 127.0.0.1, own process)")
    print(f"{'':44}{'shown s':>9}{'stall ms median':>17}{'worst':>8}")
    print(f"{'main window, Send (pooled client)':44}{statistics.median(s for s, _ in ours):>9.2f}"
          f"{statistics.median(g for _, g in ours) * 1000:>17.0f}{max(g for _, g in ours) * 1000:>8.0f}")
    if ok_peers:
        print(f"{'peer: workbench view FILE --timings':44}"
              f"{statistics.median(p['first_view_ms'] for p in ok_peers) / 1000:>9.2f}"
              f"{statistics.median(p['max_stall_ms'] for p in ok_peers):>17.0f}"
              f"{max(p['max_stall_ms'] for p in ok_peers):>8.0f}")
    else:
        print(f"peer: {peers[0]}")
    worst = max(g for _, g in ours) * 1000
    print(f"target: longest UI stall <= 100 ms -> {'PASS' if worst <= 100 else 'MISS'} (worst {worst:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
