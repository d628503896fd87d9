"""`workbench export COLLECTION [--format postman] [--out FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.core.workspace import storage
from workbench.exit_codes import EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("collection", metavar="COLLECTION", help="a collection folder (holding collection.yaml)")
    parser.add_argument("--format", choices=["postman"], default="postman", help="output format (default: postman v2.1)")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    from workbench.core.interchange.postman_export import to_postman

    folder = Path(args.collection).resolve()
    if not (folder / storage.COLLECTION_FILE).is_file():
        return fail(f"{args.collection}: not a collection folder (no {storage.COLLECTION_FILE})")
    problems: list[str] = []
    collection = storage.load_collection(folder.parent, folder.name, problems)
    if collection is None:
        return fail(problems[0] if problems else f"{args.collection}: cannot be read")
    text = json.dumps(to_postman(collection), indent=2, ensure_ascii=False)
    if args.out:
        try:
            storage.write_atomic(Path(args.out), text + "\n")
        except OSError as exc:
            return fail(f"{args.out}: cannot write ({exc.strerror})")
        for problem in problems:
            sys.stderr.write(f"warning: {problem}\n")
    else:
        print(text)
    return EXIT_OK
