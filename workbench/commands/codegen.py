"""`workbench codegen REQUEST.yaml --lang curl|python|javascript|csharp [--env NAME] [--var NAME=VALUE]...`.

Prints code that sends the saved request as `workbench send` would. Secrets never appear in
clear text: they are read from environment variables named in a comment at the top.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli import EXIT_BAD_INPUT, EXIT_OK, fail
from workbench.core import storage
from workbench.core.errors import WorkbenchError


def configure(parser: argparse.ArgumentParser) -> None:
    from workbench.core.codegen import LANGUAGES

    parser.add_argument("request", metavar="REQUEST.yaml", help="a saved request file inside a workspace")
    parser.add_argument("--lang", required=True, choices=LANGUAGES, help="language of the generated code")
    parser.add_argument("--env", metavar="NAME", help="environment whose variables fill {{placeholders}} "
                        "(default: the workspace's active one)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable (repeatable; wins over the environment)")


def run(args: argparse.Namespace) -> int:
    from workbench.core.codegen import generate

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
        code = generate(request, args.lang, collection, env, overrides)
    except WorkbenchError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    sys.stdout.write(code)
    return EXIT_OK
