"""`workbench run COLLECTION_OR_FOLDER [--env NAME] [--var NAME=VALUE]... [--bail] [--json]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from workbench.commands._saved import add_variable_flags, collection_in_context
from workbench.core.errors import WorkbenchError
from workbench.exit_codes import EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="COLLECTION_OR_FOLDER", help="a collection folder, or a folder inside one")
    add_variable_flags(parser)
    parser.add_argument("--bail", action="store_true", help="stop at the first failed request")
    parser.add_argument("--json", action="store_true", help="print one JSON object with every result")


def run(args: argparse.Namespace) -> int:
    from workbench.core.sending.runner import RunResult, requests_under
    from workbench.core.sending.runner import run as run_requests

    try:
        saved = collection_in_context(Path(args.target), args)
        assert saved.target.collection is not None
        requests = requests_under(saved.target.collection, saved.target.folder)
    except WorkbenchError as exc:
        return fail(exc.message)
    ctx = saved.context

    def show(r: RunResult) -> None:
        if args.json:
            return
        status = str(r.status) if r.status is not None else "ERR"
        detail = r.error or f"{r.elapsed_ms:.0f} ms"
        sys.stdout.write(f"{status:>4}  {r.request.method:<7} {r.request.name}  ({detail})\n")
        sys.stdout.flush()

    report = asyncio.run(run_requests(requests, ctx, show, bail=args.bail))
    if args.json:
        print(json.dumps({
            "requests": len(report.results), "failed": report.failed, "elapsed_ms": round(report.elapsed_ms, 1),
            "results": [{"name": r.request.name, "path": r.request.path, "method": r.request.method,
                         "status": r.status, "elapsed_ms": round(r.elapsed_ms, 1), "error": r.error}
                        for r in report.results],
        }, ensure_ascii=False))
    else:
        print(f"{len(report.results)} request(s), {report.failed} failed, {report.elapsed_ms / 1000:.2f} s")
    return EXIT_FAILED if report.failed else EXIT_OK
