"""Running a whole collection or folder, request after request (like newman or `bru run`).

Sequential on purpose: requests in a collection often depend on each other's side effects
(create, then read), and platform APIs rate-limit. Each result is reported as it arrives so a
long run shows progress, and a cancel stops between or inside requests.

A request passes when a response arrived and every check passed (no checks: any HTTP response
passes, as in newman). Save steps put values from a response into variables for the requests
that follow. Per iteration, the variables a request sees are its context's, with one more layer
on top of `--var`: the data file's row, then what earlier requests saved (the latest wins).
That layer goes through `SendContext.overrides`, so the variables are still resolved in one
place (`core/context/`).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, replace
from typing import Callable, Mapping

from workbench.core.checks.evaluate import CheckResult, run_checks, saved_values
from workbench.core.collections import Collection, Folder, Request
from workbench.core.errors import StorageError, WorkbenchError
from workbench.core.sending.send import SendContext, send
from workbench.core.sending.transport import Exchange


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run: `iterations` (default: one, or one per `data` row), a delay between requests, bail."""

    iterations: int | None = None
    data: tuple[Mapping[str, str], ...] = ()
    delay_ms: int = 0
    bail: bool = False
    keep_exchanges: bool = False  # the window opens a result's response; the CLI keeps none
    # Called with each exchange and the context it went out in, before its body is dropped:
    # `workbench run` records history here (with the secrets of that context masked).
    on_exchange: Callable[[Request, Exchange, SendContext], None] | None = None

    def count(self) -> int:
        if self.iterations is not None:
            return self.iterations
        return len(self.data) or 1


@dataclass(frozen=True, slots=True)
class RunResult:
    """One request of a run: its response status, its checks, or the error that stopped it."""

    request: Request
    status: int | None
    elapsed_ms: float
    size: int = 0
    error: str = ""
    iteration: int = 0
    checks: tuple[CheckResult, ...] = ()
    exchange: Exchange | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and not self.error and all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def reason(self) -> str:
        """Why it failed, in one line ("" when it passed)."""
        if self.error:
            return self.error
        return "; ".join(f"{c.name}: {c.message}" if c.message else c.name for c in self.failures)


@dataclass(frozen=True, slots=True)
class RunReport:
    results: tuple[RunResult, ...]
    elapsed_ms: float
    iterations: int = 1
    planned: int = 0

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)

    @property
    def checks(self) -> int:
        return sum(len(r.checks) for r in self.results)

    @property
    def checks_failed(self) -> int:
        return sum(len(r.failures) for r in self.results)

    @property
    def deletes(self) -> tuple[RunResult, ...]:
        """The DELETE requests that went out (the summary says so: a run may delete data)."""
        return tuple(r for r in self.results if r.request.method.upper() == "DELETE" and r.status is not None)


def requests_under(collection: Collection, folder_path: str = "") -> list[Request]:
    """The requests of the collection, or of one folder (by its path), in tree order."""
    if not folder_path:
        return collection.all_requests()

    def find(folders: tuple[Folder, ...]) -> Folder | None:
        for folder in folders:
            if folder.path == folder_path:
                return folder
            hit = find(folder.folders)
            if hit is not None:
                return hit
        return None

    folder = find(collection.folders)
    if folder is None:
        raise StorageError(f"no folder {folder_path!r} in collection {collection.name!r}")
    sub = Collection(collection.name, folder.requests, folder.folders)
    return sub.all_requests()


def deletes_in(requests: list[Request]) -> list[Request]:
    """The DELETE requests of a selection (the window asks before running them)."""
    return [r for r in requests if r.method.upper() == "DELETE"]


async def _one(request: Request, ctx: SendContext, iteration: int, keep: bool,
               on_exchange: Callable[[Request, Exchange, SendContext], None] | None = None,
               ) -> tuple[RunResult, dict[str, str]]:
    started = time.perf_counter()
    try:
        exchange = await send(request, ctx)
    except WorkbenchError as exc:
        return RunResult(request, None, (time.perf_counter() - started) * 1000, error=exc.message,
                         iteration=iteration), {}
    response = exchange.response
    try:
        if on_exchange is not None:
            on_exchange(request, exchange, ctx)
        checks = run_checks(request.checks, response, ctx.resolver(request), ctx.base_dir,
                            str(request.meta.get("openapi_operation") or ""))
        saved, problems = saved_values(request.save, response)
    finally:
        if response.body_file and not keep:
            try:
                os.unlink(response.body_file)
            except OSError:
                pass
    return RunResult(request, response.status, response.elapsed_ms, response.size, iteration=iteration,
                     checks=checks + problems, exchange=exchange if keep else None), saved


async def run(requests: list[Request], ctx: SendContext, on_result: Callable[[RunResult], None] | None = None,
              bail: bool = False, options: RunOptions | None = None) -> RunReport:
    """Send each request in turn, once per iteration; `bail` stops at the first failed request."""
    options = options or RunOptions(bail=bail)
    bail = bail or options.bail
    t0 = time.perf_counter()
    results: list[RunResult] = []
    saved: dict[str, str] = {}
    count = options.count()
    first = True
    for iteration in range(count):
        row = options.data[iteration % len(options.data)] if options.data else {}
        for request in requests:
            if options.delay_ms and not first:
                await asyncio.sleep(options.delay_ms / 1000)
            first = False
            layer = {**ctx.overrides, **row, **saved}
            result, values = await _one(request, replace(ctx, overrides=layer), iteration, options.keep_exchanges,
                                        options.on_exchange)
            saved.update(values)
            results.append(result)
            if on_result is not None:
                on_result(result)
            if bail and not result.ok:
                return RunReport(tuple(results), (time.perf_counter() - t0) * 1000, count, count * len(requests))
    return RunReport(tuple(results), (time.perf_counter() - t0) * 1000, count, count * len(requests))
