"""`workbench odata parse URL [--json | --canonical]` and `workbench odata check URL --metadata SOURCE`.

`parse` shows how the workbench reads a URL (an outline, the AST as JSON, or the canonical
URL written back from the AST: the same request, in the one spelling servers accept).
`check` validates the URL against the service's `$metadata` and prints each problem with a
caret under the character it starts at. Exit codes: 0 fine, 1 problems found (or the metadata
download failed: no answer, a refused token, an HTTP error status), 2 the URL does not parse
or the metadata is a missing file or a malformed document.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from workbench.commands._saved import (
    add_collection_flag,
    add_variable_flags,
    download_context,
    masked,
)
from workbench.core.errors import (
    AuthError,
    CsdlError,
    ODataQueryError,
    SendError,
    WorkbenchError,
    answered_status,
)
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="{parse,check}")
    sub.required = True
    p = sub.add_parser("parse", help="parse an OData URL and print it (outline, --json AST or --canonical URL)")
    p.add_argument("url", metavar="URL", help="an OData request URL, raw or percent-encoded (quote it for the shell)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the parsed query (AST) as one JSON object")
    mode.add_argument("--canonical", action="store_true",
                      help="print the URL serialised back from the AST (canonical option order and encoding)")
    p.add_argument("--service-root", metavar="URL", help="where the resource path starts (default: guessed)")
    c = sub.add_parser("check", help="check an OData URL against the service's $metadata")
    c.add_argument("url", metavar="URL", help="an OData request URL")
    c.add_argument("--metadata", metavar="SOURCE", required=True,
                   help="a $metadata file (CSDL XML or JSON) or the service's URL")
    c.add_argument("--max-top", metavar="N", type=int,
                   help="the largest $top the service documents (e.g. 1000 for Jitterbit App Builder; "
                        "default: the limit the --collection's connection template records)")
    add_collection_flag(c, "the $metadata download")
    add_variable_flags(c)


def run(args: argparse.Namespace) -> int:
    # A long `$filter` (5,000 `or` terms) is a tree taller than Python's default stack allows:
    # the walkers run on a deep-stack thread (core/odata/deep.py); the parser bounds the height.
    from workbench.core.odata.deep import run_deep

    if args.action == "parse":
        return run_deep(lambda: _parse(args))
    return run_deep(lambda: _check(args))


def _parse(args: argparse.Namespace) -> int:
    from workbench.core.odata.parser import parse_url
    from workbench.core.odata.query import json_text, to_json
    from workbench.core.odata.serializer import canonical

    try:
        url = parse_url(args.url, args.service_root)
    except ODataQueryError as exc:
        _caret(args.url, exc.position, sys.stderr)
        return fail(_where(exc), EXIT_BAD_INPUT)
    if args.json:
        print(json_text(to_json(url)))
    elif args.canonical:
        print(canonical(url))
    else:
        from workbench.core.odata.serializer import outline

        print(outline(url))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from workbench.core.odata.validate import check_url, load_model

    template = context = None
    try:
        template, context = download_context(args)
        model = load_model(args.metadata, template, context)
    except (SendError, AuthError) as exc:  # no answer, or the token was refused: the thing asked failed
        return fail(masked(f"cannot load the metadata {args.metadata}: {exc.message}", template, context),
                    EXIT_FAILED)
    except (CsdlError, WorkbenchError) as exc:
        # An error page (404, 500) is a failure of the thing asked; a malformed document, bad input.
        code = EXIT_FAILED if answered_status(exc) is not None else EXIT_BAD_INPUT
        return fail(masked(f"cannot load the metadata {args.metadata}: {exc.message}", template, context), code)
    max_top = args.max_top
    if max_top is None and context is not None:  # a platform fact the collection's template recorded
        from workbench.core.templates import fact

        limit = fact(context.collection, "odata_max_top")
        max_top = int(limit) if limit.isdigit() else None
    try:
        problems = check_url(args.url, model, max_top=max_top)
    except ODataQueryError as exc:
        _caret(args.url, exc.position, sys.stderr)
        return fail(_where(exc), EXIT_BAD_INPUT)
    if not problems:
        print("no problems found")
        return EXIT_OK
    for problem in problems:
        print(f"position {problem.position}: {problem.message}")
        _caret(args.url, problem.position, sys.stdout)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
    return EXIT_FAILED


def _where(exc: ODataQueryError) -> str:
    return f"{exc.message} (at position {exc.position})" if exc.position is not None else exc.message


def _caret(url: str, position: int | None, out: TextIO) -> None:
    """The URL and a `^` under `position`; long URLs are cut to a window around it."""
    if position is None or position < 0:
        return
    start = max(0, position - 60)
    line = url[start:start + 120]
    prefix = "…" if start else ""
    out.write(f"  {prefix}{line}\n  {' ' * (len(prefix) + position - start)}^\n")
