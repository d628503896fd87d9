"""`workbench metadata SOURCE [--json]`: summarise an OData `$metadata` (CSDL) document.

SOURCE is a file (CSDL XML v2/v3/v4 or CSDL JSON) or a service URL (its `$metadata` is
fetched). Exit 2 with one line for a malformed or unsafe document, 1 when the service cannot
be reached or refuses the request.
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TextIO

from workbench.commands._saved import (
    add_collection_flag,
    add_variable_flags,
    download_context,
    masked,
)
from workbench.core.csdl.model import Model
from workbench.core.errors import (
    AuthError,
    CsdlError,
    SendError,
    StorageError,
    UnresolvedVariableError,
    answered_status,
)
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE",
                        help="a CSDL file (XML or JSON) or a service URL (its $metadata is fetched)")
    parser.add_argument("--json", action="store_true",
                        help='print {"version", "counts", "model"} as one JSON object')
    add_collection_flag(parser, "the $metadata download (OAuth2, Basic, API keys, extra headers)")
    add_variable_flags(parser)


def run(args: argparse.Namespace) -> int:
    from workbench.core.csdl.source import load_metadata_sync

    # A short-lived process that builds ~100k values and frees them at exit: the cyclic GC
    # would only walk the growing heap again and again (~20 ms of Graph's `--json`).
    gc.disable()
    template = context = None
    try:
        template, context = download_context(args)
        model = load_metadata_sync(args.source, template, context)
    except (StorageError, UnresolvedVariableError) as exc:
        return fail(masked(exc.message, template, context), EXIT_BAD_INPUT)
    except CsdlError as exc:
        # A service that answered with an error page is a failure of the thing asked, not bad input.
        code = EXIT_FAILED if answered_status(exc) is not None else EXIT_BAD_INPUT
        return fail(masked(exc.message, template, context), code)
    except (SendError, AuthError) as exc:
        return fail(masked(exc.message, template, context), EXIT_FAILED)
    if args.json:
        from workbench.core.csdl.model import model_json

        sys.stdout.flush()
        sys.stdout.buffer.write(model_json(model) + b"\n")
    else:
        write_summary(model, sys.stdout)
    return EXIT_OK


def write_summary(model: Model, out: TextIO) -> None:
    """A readable overview: version, counts, then the entity sets and singletons with keys."""
    counts = model.counts()
    out.write(f"OData {model.version} metadata" + (f" ({model.source})" if model.source else "") + "\n")
    out.write("schemas: " + ", ".join(s.namespace + (f" (alias {s.alias})" if s.alias else "")
                                      for s in model.schemas) + "\n")
    out.write("  ".join(f"{name.replace('_', ' ')}: {value}" for name, value in counts.items()) + "\n")
    sets = list(model.entity_sets())
    if sets:
        out.write("\nentity sets:\n")
        width = max(len(es.name) for es in sets)
        for es in sets:
            entity_type = model.entity_type(es.entity_type)
            key = ", ".join(model.key_of(entity_type)) if entity_type else "?"
            out.write(f"  {es.name:<{width}}  {es.entity_type}  key ({key})\n")
    singletons = list(model.singletons())
    if singletons:
        out.write("\nsingletons:\n")
        for sg in singletons:
            out.write(f"  {sg.name}  {sg.type}\n")
    imports = [*(f"  {fi.name}()  function {fi.function}" for fi in model.function_imports()),
               *(f"  {ai.name}()  action {ai.action}" for ai in model.action_imports())]
    if imports:
        out.write("\noperation imports:\n" + "\n".join(imports) + "\n")
    if model.references:
        out.write("\nreferences:\n")
        for ref in model.references:
            names = ", ".join(i.namespace + (f" as {i.alias}" if i.alias else "") for i in ref.includes)
            out.write(f"  {ref.uri}" + (f"  ({names})" if names else "") + "\n")
