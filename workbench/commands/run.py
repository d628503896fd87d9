"""`workbench run COLLECTION_OR_FOLDER [--env NAME] [--var NAME=VALUE]... [--bail] [--json]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from workbench.cli import EXIT_FAILED, EXIT_OK, fail
from workbench.core import storage
from workbench.core.errors import StorageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="COLLECTION_OR_FOLDER", help="a collection folder, or a folder inside one")
    parser.add_argument("--env", metavar="NAME", help="environment to use (default: the workspace's active one)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[], help="set a variable (repeatable)")
    parser.add_argument("--bail", action="store_true", help="stop at the first failed request")
    parser.add_argument("--json", action="store_true", help="print one JSON object with every result")


def run(args: argparse.Namespace) -> int:
    from workbench.core.runner import requests_under
    from workbench.core.runner import run as run_requests
    from workbench.core.send import SendContext

    overrides = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name:
            return fail(f"--var expects NAME=VALUE, got {item!r}")
        overrides[name] = value
    target = Path(args.target).resolve()
    if not target.is_dir():
        return fail(f"{args.target}: not a collection folder")
    collection_dir = next((p for p in [target, *target.parents] if (p / storage.COLLECTION_FILE).exists()), None)
    if collection_dir is None:
        return fail(f"{args.target}: not inside a collection (no {storage.COLLECTION_FILE} found)")
    try:
        workspace = storage.load_workspace(collection_dir.parent)
    except StorageError as exc:
        return fail(exc.message)
    collection = workspace.collection(collection_dir.name)
    if collection is None:
        problem = next((p for p in workspace.problems if collection_dir.name in p), "cannot be read")
        return fail(f"{collection_dir.name}: {problem}")
    env = None
    wanted = args.env or workspace.active_environment
    if wanted:
        env = workspace.environment(wanted)
        if env is None and args.env:
            return fail(f"no environment named {args.env!r}")
    folder = str(target.relative_to(collection_dir)) if target != collection_dir else ""
    try:
        requests = requests_under(collection, folder)
    except StorageError as exc:
        return fail(exc.message)
    ctx = SendContext(collection=collection, environment=env, overrides=overrides, settings=workspace.settings,
                      base_dir=collection_dir)
    try:
        from workbench.core import oauth2

        oauth2.attach_to_context(ctx, collection_dir.parent)
    except (ImportError, AttributeError):
        pass

    def show(result: object) -> None:
        if args.json:
            return
        r = result  # type: ignore[assignment]
        status = str(r.status) if r.status is not None else "ERR"  # type: ignore[attr-defined]
        detail = r.error or f"{r.elapsed_ms:.0f} ms"  # type: ignore[attr-defined]
        sys.stdout.write(f"{status:>4}  {r.request.method:<7} {r.request.name}  ({detail})\n")  # type: ignore[attr-defined]
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
