"""`workbench send REQUEST.yaml [--env NAME] [--var NAME=VALUE]... [--json] [--fail] [--all-pages [--max-pages N]]`.

With `--all-pages` the request's next pages are followed (next links in the body or the `Link`
header, page numbers, OData `$top` windows: `core/paging/`) and a summary is printed instead of
the body, one line per page; `--json` prints `{"pages": N, "items": M, "status": LAST_STATUS}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from workbench.commands._saved import Saved, add_variable_flags, request_in_context
from workbench.core.errors import (
    AuthError,
    SendError,
    StorageError,
    UnresolvedVariableError,
)
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", metavar="REQUEST.yaml", help="a saved request file inside a workspace")
    add_variable_flags(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object: status, headers, elapsed_ms, body")
    parser.add_argument("--no-history", action="store_true", help="do not record this send in the workspace history")
    parser.add_argument("--fail", action="store_true",
                        help="exit 1 when the HTTP status is 400 or above (the response is still printed), as curl --fail")
    parser.add_argument("--all-pages", action="store_true",
                        help="follow the next pages (next links, Link headers, page numbers) and print a summary "
                             "per page; with --json one object: pages, items, status")
    parser.add_argument("--max-pages", type=int, metavar="N",
                        help="with --all-pages: stop after N pages (default 100)")


def run(args: argparse.Namespace) -> int:
    from workbench.core.sending.send import send

    if args.max_pages is not None and not args.all_pages:
        return fail("--max-pages only applies with --all-pages", EXIT_BAD_INPUT)
    if args.all_pages:
        return _all_pages(args)
    try:
        saved = request_in_context(Path(args.request), args)
        assert saved.request is not None
        _refuse_when_broken(saved, Path(args.request))
        exchange = asyncio.run(send(saved.request, saved.context))
    except (StorageError, UnresolvedVariableError) as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    except (SendError, AuthError) as exc:
        return fail(exc.message, EXIT_FAILED)
    root, collection_dir = saved.target.root, saved.target.collection_dir
    if root is not None and not args.no_history:
        from workbench.core.workspace import history

        try:
            rel = str(Path(args.request).resolve().relative_to(collection_dir)) if collection_dir else ""
            history.record(root, exchange, rel, collection_dir.name if collection_dir else "",
                           secrets=history.context_secrets(saved.context, saved.request))
        except OSError:
            pass
    response = exchange.response
    text = response.text()
    if args.json:
        print(json.dumps({
            "status": response.status,
            "reason": response.reason,
            "headers": dict(_merged(response.headers)),
            "elapsed_ms": round(response.elapsed_ms, 1),
            "url": response.url,
            "body": text,
        }, ensure_ascii=False))
    else:
        out = sys.stdout
        out.write(f"{response.http_version} {response.status} {response.reason}\n")
        for name, value in response.headers:
            out.write(f"{name}: {value}\n")
        out.write("\n")
        out.write(text)
        if text and not text.endswith("\n"):
            out.write("\n")
    if args.fail and response.status >= 400:
        sys.stderr.write(f"workbench: the server answered {response.status} {response.reason} (--fail)\n")
        return EXIT_FAILED
    return EXIT_OK


def _refuse_when_broken(saved: Saved, request_file: Path) -> None:
    """StorageError naming the broken file when one the request inherits from could not be read.

    Otherwise the request would go out without that file's auth, headers, settings or
    variables (`{{baseUrl}}` literally) and fail later with no word about the file.
    """
    from workbench.core.workspace.problems import bearing_on, refusal

    target = saved.target
    if target.workspace is None or target.root is None:
        return
    rel = ""
    if target.collection_dir is not None:
        try:
            rel = str(request_file.resolve().relative_to(target.collection_dir.resolve()))
        except ValueError:
            rel = ""
    broken = bearing_on(target.workspace.problems, target.root, target.collection_dir, rel)
    if broken:
        raise StorageError(refusal(broken))


def _merged(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    merged: dict[str, str] = {}
    for name, value in headers:
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return list(merged.items())


def _all_pages(args: argparse.Namespace) -> int:
    """Send the request and its next pages, each through `send()` with the request's context."""
    from workbench.core.paging.follow import (
        DEFAULT_MAX_PAGES,
        Page,
        collect,
        sender_for,
    )

    max_pages = DEFAULT_MAX_PAGES if args.max_pages is None else args.max_pages
    if max_pages < 1:
        return fail(f"--max-pages must be 1 or more, got {max_pages}", EXIT_BAD_INPUT)
    try:
        saved = request_in_context(Path(args.request), args)
        assert saved.request is not None
        _refuse_when_broken(saved, Path(args.request))
    except (StorageError, UnresolvedVariableError) as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    root, collection_dir = saved.target.root, saved.target.collection_dir
    rel = ""
    if collection_dir is not None:
        try:
            rel = str(Path(args.request).resolve().relative_to(collection_dir))
        except ValueError:
            rel = ""

    request = saved.request
    assert request is not None

    def on_page(page: Page) -> None:
        if root is not None and not args.no_history:
            from workbench.core.workspace import history

            try:
                history.record(root, page.exchange, rel, collection_dir.name if collection_dir else "",
                               secrets=history.context_secrets(saved.context, request))
            except OSError:
                pass
        if not args.json:
            response = page.exchange.response
            sys.stdout.write(f"page {page.number}: {response.status} {response.reason}, {len(page.items)} "
                             f"item{'s' if len(page.items) != 1 else ''}, {page.exchange.request.method} "
                             f"{page.url}\n")
            sys.stdout.flush()

    try:
        result = asyncio.run(collect(sender_for(saved.request, saved.context), max_pages=max_pages,
                                     on_page=on_page))
    except UnresolvedVariableError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    except (SendError, AuthError) as exc:
        return fail(exc.message, EXIT_FAILED)
    if args.json:
        print(json.dumps({"pages": result.pages, "items": len(result.items), "status": result.status}))
    else:
        total = f"{result.pages} page{'s' if result.pages != 1 else ''}, {len(result.items)} " \
                f"item{'s' if len(result.items) != 1 else ''}, last status {result.status}"
        if result.truncated:
            total += f"; stopped at {max_pages} pages, more remain"
        print(total)
    if result.truncated:
        sys.stderr.write(f"workbench: stopped after {result.pages} pages (--max-pages {max_pages}); "
                         f"the next page is {result.next_url}\n")
    if result.stopped and result.status < 400:
        return fail(result.stopped, EXIT_FAILED)
    if result.status >= 400:
        if args.fail:
            sys.stderr.write(f"workbench: page {result.pages} answered {result.status} (--fail)\n")
            return EXIT_FAILED
        sys.stderr.write(f"workbench: {result.stopped}\n")
    return EXIT_OK
