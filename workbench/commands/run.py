"""`workbench run COLLECTION_OR_FOLDER [--env NAME] [--var NAME=VALUE]... [--folder PATH] [--data FILE]
[--iterations N] [--delay-ms N] [--reporter cli,json,junit] [--out FILE] [--bail] [--json]`.

Exit 0 when every request passed its checks (a request without checks passes when any response
arrived), 1 otherwise, 2 on bad input: bad flags, a bad data file, or a collection whose
request files could not all be read (a CI run that silently skips a broken request would pass).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from workbench.commands._saved import add_variable_flags, collection_in_context
from workbench.core.errors import StorageError, WorkbenchError
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail

if TYPE_CHECKING:
    from workbench.core.collections import Request
    from workbench.core.sending.send import SendContext
    from workbench.core.sending.transport import Exchange

REPORTERS = ("cli", "json", "junit")
_FILE_NAMES = {"json": "report.json", "junit": "junit.xml"}
# Problems the loader reports that do not drop a request: notes and specs kept beside requests.
_HARMLESS = (": skipped, not a request", ": moved the value of ")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="COLLECTION_OR_FOLDER", help="a collection folder, or a folder inside one")
    add_variable_flags(parser)
    parser.add_argument("--folder", metavar="PATH", help="run only this folder of the collection (its path or name)")
    parser.add_argument("--data", metavar="FILE",
                        help="CSV or JSON array of objects: one iteration per row, its fields as variables")
    parser.add_argument("--iterations", metavar="N", type=int,
                        help="how many times to run the selection (default: 1, or one per data row)")
    parser.add_argument("--delay-ms", metavar="N", type=int, default=0, help="pause between requests")
    parser.add_argument("--reporter", metavar="cli,json,junit", default="",
                        help="comma-separated report formats (default: cli)")
    parser.add_argument("--out", metavar="FILE",
                        help="write the json/junit report here (a folder when several reporters are given)")
    parser.add_argument("--bail", action="store_true", help="stop at the first failed request")
    parser.add_argument("--json", action="store_true", help="same as --reporter json")
    parser.add_argument("--no-history", action="store_true", help="do not record the run's sends in the workspace history")


def _reporters(args: argparse.Namespace) -> list[str]:
    names = [n.strip().lower() for n in (args.reporter or "").split(",") if n.strip()]
    if args.json and "json" not in names:
        names.append("json")
    names = names or ["cli"]
    unknown = [n for n in names if n not in REPORTERS]
    if unknown:
        raise StorageError(f"unknown reporter {unknown[0]!r} (known: {', '.join(REPORTERS)})")
    if not args.out and len(names) > 1 and any(n != "cli" for n in names):
        raise StorageError(f"--reporter {','.join(names)} writes several reports: give --out FOLDER")
    return list(dict.fromkeys(names))


def _folder(collection: object, base: str, wanted: str) -> str:
    """`--folder` as a path inside the target (or the collection), or a folder name that is unique."""
    from workbench.core.collections import Collection, Folder

    assert isinstance(collection, Collection)
    wanted = wanted.strip("/")
    found: list[Folder] = []

    def walk(folders: tuple[Folder, ...]) -> None:
        for f in folders:
            found.append(f)
            walk(f.folders)

    walk(collection.folders)
    for path in (f"{base}/{wanted}" if base else wanted, wanted):
        if any(f.path == path for f in found):
            return path
    named = [f for f in found if f.name == wanted and (not base or f.path.startswith(base + "/"))]
    if len(named) == 1:
        return named[0].path
    if named:
        raise StorageError(f"--folder {wanted!r} is ambiguous: {', '.join(f.path for f in named)}")
    raise StorageError(f"no folder {wanted!r} in collection {collection.name!r}")


def _collection_problems(problems: tuple[str, ...], collection_dir: Path | None,
                         root: Path | None = None) -> list[str]:
    """The collection's own broken files, and the workspace files every collection inherits from
    (`workspace.yaml`, the shared environments); another collection's are none of the run's business."""
    if collection_dir is None:
        return []
    prefix = f"{collection_dir}{os.sep}"
    mine = [p for p in problems if p.startswith(prefix)]
    if root is not None:
        from workbench.core.workspace.problems import bearing_on

        mine += [p for p in bearing_on(problems, root, None) if p not in mine]
    return mine


def _recorder(root: Path, collection_path: str) -> Callable[[Request, Exchange, SendContext], None]:
    """Each send of the run goes to the workspace history, as `send` and the window's runner do, secrets masked."""
    from workbench.core.workspace import history

    def record(request: Request, exchange: Exchange, ctx: SendContext) -> None:
        try:
            history.record(root, exchange, request.path, collection_path,
                           secrets=history.context_secrets(ctx, request))
        except OSError:
            pass

    return record


def run(args: argparse.Namespace) -> int:
    from workbench.core.sending.iteration_data import read_data_file
    from workbench.core.sending.reports import report_json, report_junit
    from workbench.core.sending.runner import RunOptions, RunResult, requests_under
    from workbench.core.sending.runner import run as run_requests

    try:
        reporters = _reporters(args)
        if args.iterations is not None and args.iterations < 1:
            raise StorageError("--iterations must be at least 1")
        if args.delay_ms < 0:
            raise StorageError("--delay-ms must not be negative")
        saved = collection_in_context(Path(args.target), args)
        collection = saved.target.collection
        assert collection is not None
        folder = _folder(collection, saved.target.folder, args.folder) if args.folder else saved.target.folder
        requests = requests_under(collection, folder)
        data = read_data_file(args.data) if args.data else ()
    except WorkbenchError as exc:
        return fail(exc.message)
    problems = _collection_problems(saved.target.workspace.problems if saved.target.workspace else (),
                                    saved.target.collection_dir, saved.target.root)
    for problem in problems:
        sys.stderr.write(f"workbench: {' '.join(problem.split())}\n")
    broken = [p for p in problems if not any(h in p for h in _HARMLESS)]
    if broken:
        return fail(f"{len(broken)} file(s) of collection {collection.name!r} could not be read (listed above); "
                    "fix them before running", EXIT_BAD_INPUT)
    ctx = saved.context
    show_cli = "cli" in reporters
    many = len(data) > 1 or (args.iterations or 1) > 1

    def show(r: RunResult) -> None:
        if not show_cli:
            return
        status = str(r.status) if r.status is not None else "ERR"
        mark = "✔" if r.ok else "✘"
        turn = f"[{r.iteration + 1}] " if many else ""
        detail = r.reason() or f"{r.elapsed_ms:.0f} ms" + (f", {len(r.checks)} check(s)" if r.checks else "")
        sys.stdout.write(f"{mark} {status:>4}  {turn}{r.request.method:<7} {r.request.name}  ({detail})\n")
        sys.stdout.flush()

    root = saved.target.root
    options = RunOptions(iterations=args.iterations, data=data, delay_ms=args.delay_ms, bail=args.bail,
                         on_exchange=_recorder(root, collection.path) if root is not None and not args.no_history
                         else None)
    try:
        report = asyncio.run(run_requests(requests, ctx, show, options=options))
    except KeyboardInterrupt:
        return fail("interrupted", EXIT_FAILED)
    outputs = {"json": lambda: json.dumps(report_json(report, collection.name), ensure_ascii=False),
               "junit": lambda: report_junit(report, collection.name)}
    try:
        for name in reporters:
            if name == "cli":
                continue
            text = outputs[name]()
            if not args.out:
                print(text)
                continue
            target = Path(args.out)
            if len(reporters) > 1:
                target.mkdir(parents=True, exist_ok=True)
                target = target / _FILE_NAMES[name]
            elif target.parent != Path(""):
                target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        return fail(f"{args.out}: cannot write the report ({exc.strerror or exc})", EXIT_FAILED)
    deletes = report.deletes
    note = (f"; {len(deletes)} DELETE request(s) sent: {', '.join(r.request.name for r in deletes[:5])}"
            f"{' …' if len(deletes) > 5 else ''}") if deletes else ""
    if show_cli:
        turns = f" in {report.iterations} iteration(s)" if report.iterations > 1 else ""
        print(f"{len(report.results)} request(s){turns}, {report.failed} failed, "
              f"{report.checks - report.checks_failed}/{report.checks} check(s) passed, "
              f"{report.elapsed_ms / 1000:.2f} s{note}")
    elif note:
        sys.stderr.write(f"workbench: {note[2:]}\n")
    return EXIT_FAILED if report.failed else EXIT_OK
