"""`workbench send REQUEST.yaml [--env NAME] [--var NAME=VALUE]... [--json] [--fail]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from workbench.commands._saved import add_variable_flags, request_in_context
from workbench.core.errors import AuthError, SendError, StorageError, UnresolvedVariableError
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", metavar="REQUEST.yaml", help="a saved request file inside a workspace")
    add_variable_flags(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object: status, headers, elapsed_ms, body")
    parser.add_argument("--no-history", action="store_true", help="do not record this send in the workspace history")
    parser.add_argument("--fail", action="store_true",
                        help="exit 1 when the HTTP status is 400 or above (the response is still printed), as curl --fail")


def run(args: argparse.Namespace) -> int:
    from workbench.core.sending.send import send

    try:
        saved = request_in_context(Path(args.request), args)
        assert saved.request is not None
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
            history.record(root, exchange, rel, collection_dir.name if collection_dir else "")
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


def _merged(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    merged: dict[str, str] = {}
    for name, value in headers:
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return list(merged.items())
