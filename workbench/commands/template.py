"""`workbench template list` and `workbench template apply NAME --into WORKSPACE [--set KEY=VALUE]...`.

Applies a platform's connection template (resources/templates/): the collection, its auth and
headers, and its environments with the values given by `--set` (secrets go to the secret
store). `--collection NAME` applies the template to an existing collection instead, e.g. one
just imported from the platform's descriptor.
"""

from __future__ import annotations

import argparse
import json
import sys

from workbench.core.errors import StorageError
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="{list,apply}")
    sub.required = True
    listing = sub.add_parser("list", help="list the connection templates and the fields each asks for")
    listing.add_argument("--json", action="store_true", help="print the templates as one JSON array")
    apply = sub.add_parser("apply", help="apply a connection template to a workspace")
    apply.add_argument("name", metavar="NAME", help="the template's id or name (see `workbench template list`)")
    apply.add_argument("--into", metavar="WORKSPACE", required=True, help="workspace folder (created when absent)")
    apply.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="values",
                       help="a field's value (repeatable); ENV.KEY=VALUE sets it in environment ENV only")
    apply.add_argument("--collection", metavar="NAME",
                       help="apply to this existing collection (name or folder) instead of creating one")
    apply.add_argument("--name", metavar="NAME", dest="collection_name", help="the new collection's name")
    apply.add_argument("--json", action="store_true", help='print {"collection", "collection_path", "environments"}')


def run(args: argparse.Namespace) -> int:
    from workbench.core.templates import (
        apply_template,
        find_template,
        list_templates,
        parse_assignments,
    )

    try:
        if args.action == "list":
            templates = list_templates()
            if args.json:
                json.dump([{"id": t.id, "name": t.name, "description": t.description,
                            "environments": list(t.environments),
                            "fields": [{"name": f.name, "label": f.label, "secret": f.secret, "required": f.required}
                                       for f in t.fields]} for t in templates], sys.stdout, ensure_ascii=False)
                sys.stdout.write("\n")
                return EXIT_OK
            for t in templates:
                fields = ", ".join(f.name + ("*" if f.required else "") for f in t.fields)
                sys.stdout.write(f"{t.id:<32} {t.name}\n{'':<32} fields: {fields}\n")
            return EXIT_OK
        template = find_template(args.name)
        values, per_env = parse_assignments(args.values, template)
        applied = apply_template(template, args.into, values, per_environment=per_env,
                                 collection=args.collection or "", name=args.collection_name or "")
    except StorageError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    if args.json:
        print(json.dumps({"collection": applied.collection, "collection_path": applied.collection_path,
                          "environments": list(applied.environments)}, ensure_ascii=False))
    else:
        verb = "Created" if applied.created else "Applied to"
        print(f"{verb} {applied.collection!r} in {args.into}/{applied.collection_path}; environments: "
              f"{', '.join(applied.environments)} (chosen: {applied.environments[0]})")
    return EXIT_OK
