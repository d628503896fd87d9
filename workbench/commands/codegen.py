"""`workbench codegen REQUEST.yaml --lang curl|python|javascript|csharp|powershell [--env NAME] [--var NAME=VALUE]...`.

Prints code that sends the saved request as `workbench send` would, runnable on its own: with
OAuth 2.0 (client credentials, password) it gets its token itself. Secrets never appear in
clear text: they are read from environment variables named in a comment at the top (the
workspace variable's name, or `WORKBENCH_<FIELD>` for a secret typed into the auth).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands._saved import add_variable_flags, request_in_context
from workbench.core.errors import WorkbenchError
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail


def configure(parser: argparse.ArgumentParser) -> None:
    from workbench.core.codegen import LANGUAGES

    parser.add_argument("request", metavar="REQUEST.yaml", help="a saved request file inside a workspace")
    parser.add_argument("--lang", required=True, choices=LANGUAGES, help="language of the generated code")
    add_variable_flags(parser)


def run(args: argparse.Namespace) -> int:
    from workbench.core.codegen import generate

    try:
        saved = request_in_context(Path(args.request), args)
        assert saved.request is not None
        code = generate(saved.request, args.lang, context=saved.context)
    except WorkbenchError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    sys.stdout.write(code)
    return EXIT_OK
