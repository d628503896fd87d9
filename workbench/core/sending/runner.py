"""Running a whole collection or folder, request after request (like newman or `bru run`).

Sequential on purpose: requests in a collection often depend on each other's side effects
(create, then read), and platform APIs rate-limit. Each result is reported as it arrives so a
long run shows progress, and a cancel stops between or inside requests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable

from workbench.core.collections import Collection, Folder, Request
from workbench.core.errors import StorageError, WorkbenchError
from workbench.core.sending.send import SendContext, send


@dataclass(frozen=True, slots=True)
class RunResult:
    """One request of a run: its response status, or the error that stopped it."""

    request: Request
    status: int | None
    elapsed_ms: float
    size: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


@dataclass(frozen=True, slots=True)
class RunReport:
    results: tuple[RunResult, ...]
    elapsed_ms: float

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)


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


async def run(requests: list[Request], ctx: SendContext, on_result: Callable[[RunResult], None] | None = None,
              bail: bool = False) -> RunReport:
    """Send each request in turn; `bail` stops at the first failure (error or status ≥ 400)."""
    t0 = time.perf_counter()
    results: list[RunResult] = []
    for request in requests:
        started = time.perf_counter()
        try:
            exchange = await send(request, replace(ctx))
            result = RunResult(request, exchange.response.status, exchange.response.elapsed_ms, exchange.response.size)
        except WorkbenchError as exc:
            result = RunResult(request, None, (time.perf_counter() - started) * 1000, error=exc.message)
        results.append(result)
        if on_result is not None:
            on_result(result)
        if bail and not result.ok:
            break
    return RunReport(tuple(results), (time.perf_counter() - t0) * 1000)
