"""The `workbench` command line: opens the window, or runs one sub-command without it.

Sub-commands are a contract (scripts call them exactly as written), so each lives in its own
module under `workbench/commands/` and is imported only when called: `workbench send` never
loads Qt, and `workbench --help` stays instant. Every failure is one readable line on stderr
and a non-zero exit: 1 for a failure of the thing asked (transport error, token refused,
problems found), 2 for bad input (missing file, malformed document, bad arguments).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from typing import NoReturn, Sequence

from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail

# name -> (module under workbench.commands, one-line summary). Add, never rename.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "send": ("send", "send one saved request and print the response"),
    "import": ("import_spec", "import an OpenAPI/Swagger descriptor, $metadata, Postman or Insomnia export, or curl command"),
    "token": ("token", "obtain an OAuth2 access token and print a redacted summary"),
    "metadata": ("metadata", "summarise an OData $metadata (CSDL) document"),
    "odata": ("odata", "parse or check an OData query URL"),
    "view": ("view", "open a response file (JSON, XML, CSDL) in the response viewer"),
    "codegen": ("codegen", "generate calling code (curl, Python, JavaScript, C#) for a saved request"),
    "run": ("run", "send every request of a collection or folder in order and report the results"),
    "export": ("export", "export a collection as a Postman v2.1 collection (secrets as {{variables}})"),
    "template": ("template", "list connection templates, or apply one (auth, headers, environments) to a workspace"),
}



class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _window_parser() -> ArgumentParser:
    lines = "\n".join(f"  {name:<10} {summary}" for name, (_, summary) in SUBCOMMANDS.items())
    parser = ArgumentParser(
        prog="workbench",
        description="API Workbench: send requests to OData and OpenAPI services.\n\n"
                    "Without a sub-command, opens the window on WORKSPACE (default: your last or the sample workspace).",
        epilog=f"sub-commands (each has --help; none opens the window):\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("workspace", nargs="?", help="workspace folder to open")
    parser.add_argument("--screenshot", metavar="PNG", help="render the main window offscreen to PNG and exit")
    parser.add_argument("--size", metavar="WxH", default="1280x800",
                        help="window size for --screenshot, e.g. 1024x700 (default 1280x800)")
    parser.add_argument("--theme", choices=("light", "dark", "system"),
                        help="colour theme for this run (default: the one chosen in Settings, else the system's)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def _looks_like_unknown_command(word: str) -> bool:
    """A bare word that is no folder: a mistyped sub-command, not a request to create a workspace."""
    from pathlib import Path

    return "/" not in word and "\\" not in word and word.isidentifier() and not Path(word).exists()


def _version() -> str:
    """The installed distribution's version; `workbench.__version__` when there is none to ask.

    The metadata is the truth for a wheel (and is bundled into the one-folder build); a source
    tree run without installing, or a frozen build made without it, falls back to the constant.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("api-workbench")
    except PackageNotFoundError:
        from workbench import __version__

        return __version__


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            module_name, summary = SUBCOMMANDS[args[0]]
            module = importlib.import_module(f"workbench.commands.{module_name}")
            parser = ArgumentParser(prog=f"workbench {args[0]}", description=summary)
            module.configure(parser)
            ns = parser.parse_args(args[1:])
            return int(module.run(ns))
        if not args:
            # The plain `workbench` (the desktop launcher's command): nothing to parse, and building
            # the parser (argparse's gettext look-ups) would cost ~4 ms before the window.
            from workbench.ui.app import run_app

            return run_app()
        if args and not args[0].startswith("-") and _looks_like_unknown_command(args[0]):
            return fail(f"{args[0]!r} is neither a sub-command nor a workspace folder "
                        f"(sub-commands: {', '.join(SUBCOMMANDS)}; a new workspace needs a path such as ./{args[0]})")
        ns = _window_parser().parse_args(args)
        if ns.version:
            print(f"workbench {_version()}")
            return EXIT_OK
        from workbench.ui.app import run_app

        size = re.fullmatch(r"(\d{3,5})x(\d{3,5})", ns.size or "")
        if size is None:
            return fail(f"--size expects WIDTHxHEIGHT, e.g. 1024x700, not {ns.size!r}")
        return run_app(ns.workspace, screenshot=ns.screenshot, size=(int(size.group(1)), int(size.group(2))),
                       theme=ns.theme)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        from workbench.core.errors import WorkbenchError

        if isinstance(exc, WorkbenchError):
            return fail(exc.message)
        return fail(f"unexpected error: {exc.__class__.__name__}: {exc}", EXIT_FAILED)


if __name__ == "__main__":
    sys.exit(main())
