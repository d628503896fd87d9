"""`workbench send REQUEST.yaml [--env NAME] [--var NAME=VALUE]... [--json]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from workbench.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail
from workbench.core import storage
from workbench.core.errors import AuthError, SendError, StorageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", metavar="REQUEST.yaml", help="a saved request file inside a workspace")
    parser.add_argument("--env", metavar="NAME", help="environment to use (default: the workspace's active one)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable for this send (repeatable; wins over the environment)")
    parser.add_argument("--json", action="store_true", help="print one JSON object: status, headers, elapsed_ms, body")
    parser.add_argument("--no-history", action="store_true", help="do not record this send in the workspace history")


def run(args: argparse.Namespace) -> int:
    from workbench.core.send import SendContext, send

    overrides = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name:
            return fail(f"--var expects NAME=VALUE, got {item!r}")
        overrides[name] = value
    path = Path(args.request)
    if not path.is_file():
        return fail(f"{path}: no such request file")
    try:
        request = storage.request_from_yaml(storage.read_yaml(path), path.name, str(path))
        root, coll_path, rel = storage.locate(path)
        workspace = storage.load_workspace(root) if root is not None else None
        collection = workspace.collection(coll_path) if workspace and coll_path else None
        if collection is not None:
            request = collection.find_request(rel) or request
        env = None
        if workspace is not None:
            wanted = args.env or workspace.active_environment
            env = workspace.environment(wanted) if wanted else None
            if args.env and env is None:
                names = ", ".join(e.name for e in workspace.environments) or "none"
                return fail(f"no environment named {args.env!r} (have: {names})")
        elif args.env:
            return fail(f"{path} is not inside a workspace, so --env {args.env!r} cannot be found")
        ctx = SendContext(collection=collection, environment=env, overrides=overrides,
                          settings=workspace.settings if workspace else storage.Settings(),
                          base_dir=path.parent)
        _attach_oauth2(ctx, root)
        exchange = asyncio.run(send(request, ctx))
    except StorageError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    except (SendError, AuthError) as exc:
        return fail(exc.message, EXIT_FAILED)
    if root is not None and not args.no_history:
        from workbench.core import history

        try:
            history.record(root, exchange, rel, coll_path)
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
    return EXIT_OK


def _merged(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    merged: dict[str, str] = {}
    for name, value in headers:
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return list(merged.items())


def _attach_oauth2(ctx: object, workspace_root: Path | None) -> None:
    """Give the send a token provider when the oauth2 module is available (see core/oauth2.py)."""
    try:
        from workbench.core import oauth2
    except ImportError:
        return
    attach = getattr(oauth2, "attach_to_context", None)
    if attach is not None:
        attach(ctx, workspace_root)
