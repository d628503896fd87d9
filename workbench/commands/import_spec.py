"""`workbench import SOURCE --into WORKSPACE [--json] [--group-by tag|path] [--root FILE]`.

SOURCE is an OpenAPI/Swagger file (JSON or YAML), a folder, a ZIP or an http(s) URL — or an OData
`$metadata` document (EDMX/CSDL file or `…/$metadata` URL), which becomes a collection with
requests for every entity set and operation import. A second
import of the same API into the same workspace merges and keeps the user's edits. Exit 2 with
one line on bad input (not a descriptor, syntax error, unsafe ZIP, unresolvable `$ref`, a bad
URL); exit 1 when a URL's server cannot be reached (refused, DNS, timeout, TLS) or a token for
the download is refused: the input may be fine, the download failed.

A local file may also hold a curl command (its requests join "Imported from curl", or
`--target-collection`), a Postman collection (v2.0/v2.1) or environment (shared, or the
`--target-collection`'s own), or an Insomnia export (v4, JSON or YAML): `core/interchange/detect`
recognises the format, in that order, and says in one line when the file is none of them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from workbench.commands._saved import (
    add_collection_flag,
    add_variable_flags,
    download_context,
    masked,
)
from workbench.core.errors import (
    AuthError,
    SendError,
    SpecImportError,
    StorageError,
    UnresolvedVariableError,
)
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="descriptor file, folder, ZIP or http(s) URL")
    parser.add_argument("--into", metavar="WORKSPACE", required=True, help="workspace folder (created when absent)")
    parser.add_argument("--json", action="store_true",
                        help='print {"collection", "folders", "requests", "environments", "warnings"} as JSON')
    parser.add_argument("--group-by", choices=("tag", "path"), default="tag",
                        help="folders by the operations' first tag (default) or by path segments")
    parser.add_argument("--root", metavar="FILE", help="the root descriptor when a ZIP or folder holds several")
    parser.add_argument("--service-root", metavar="URL",
                        help="for an OData $metadata document: the service root its requests use")
    parser.add_argument("--name", metavar="NAME",
                        help="for an OData $metadata document, a Postman collection or an Insomnia export: "
                             "the new collection's name")
    parser.add_argument("--target-collection", metavar="NAME",
                        help="the workspace's collection (name or folder) that receives the requests of a curl "
                             "command (default: \"Imported from curl\") or a Postman environment (default: shared)")
    add_collection_flag(parser, "the download of a URL source")
    add_variable_flags(parser)


def _is_local(source: str) -> bool:
    """A file or folder on this machine (the format is then detected); URLs go their own way."""
    return not re.match(r"^(https?://|\{\{)", source, re.I) and Path(source).exists()


def _unreachable(exc: BaseException) -> bool:
    """The import failed for want of a document (refused, DNS, timeout, TLS, an HTTP error status), not because of its input.

    The importers wrap the transport failure (an httpx error, or a `SendError` for `$metadata`)
    and a 404/500 answer (`HttpStatus`), so the chain of causes tells; a malformed URL, an
    unknown scheme or a downloaded document that is itself malformed stays bad input.
    """
    import ssl

    import httpx

    from workbench.core.errors import answered_status

    if answered_status(exc) is not None:
        return True

    seen: set[int] = set()
    cause: BaseException | None = exc.__cause__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, httpx.UnsupportedProtocol):
            return False
        if isinstance(cause, (httpx.TransportError, ssl.SSLError)):
            return True
        cause = cause.__cause__
    return False


def run(args: argparse.Namespace) -> int:
    # Each branch imports what it needs: a local OpenAPI file loads neither the CSDL model nor the URL importer.
    template = context = None
    try:
        template, context = download_context(args)
        if _is_local(args.source):
            from workbench.core.interchange.detect import import_file

            summary = import_file(args.source, args.into, target_collection=args.target_collection or "",
                                  name=args.name or "", group_by=args.group_by, root=args.root,
                                  service_root=args.service_root or "")
        else:
            from workbench.core.csdl.to_collection import (
                import_metadata_into_workspace,
                looks_like_csdl,
            )
            from workbench.core.openapi.importer import import_into_workspace

            if looks_like_csdl(args.source):
                summary = import_metadata_into_workspace(args.source, args.into,
                                                         service_root=args.service_root or "",
                                                         name=args.name or "", template=template, context=context)
            else:
                summary = import_into_workspace(args.source, args.into, group_by=args.group_by, root=args.root,
                                                template=template, context=context)
    except (SpecImportError, StorageError, UnresolvedVariableError) as exc:
        return fail(masked(exc.message, template, context), EXIT_FAILED if _unreachable(exc) else EXIT_BAD_INPUT)
    except (SendError, AuthError) as exc:
        return fail(masked(exc.message, template, context), EXIT_FAILED)
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
        return EXIT_OK
    out = sys.stdout
    counts = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in (
        (summary.requests, "request"), (summary.folders, "folder"), (summary.environments, "environment")))
    if summary.collection:
        out.write(f"Imported {summary.collection!r} into {args.into}/{summary.collection_path}: {counts}\n")
    else:
        out.write(f"Imported into {args.into} (shared): {counts}\n")
    if summary.changes is not None:
        for line in summary.changes.lines():
            out.write(f"  {line}\n")
    for warning in summary.warnings:
        out.write(f"warning: {warning}\n")
    return EXIT_OK
