"""What the sub-commands that talk to a server share: the `--env`/`--var`/`--collection` flags and their context.

`send`, `run`, `codegen`, `token`, `metadata`, `import` and `odata check` all take these flags
and must mean the same by them, so they all end here, and from here in `core/context/`: the
one place a request's environment, variables, auth and settings are resolved.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import StorageError

if TYPE_CHECKING:  # loaded when used: `import FILE` and `metadata FILE` need neither httpx nor OAuth,
    # and `metadata FILE` not even the collection model (~10 ms of its start-up)
    from workbench.core.collections import Request
    from workbench.core.context.target import Target
    from workbench.core.sending.send import SendContext


@dataclass(frozen=True, slots=True)
class Saved:
    """A request or collection as found on disk, with the context a send from it uses."""

    target: Target
    context: SendContext

    @property
    def request(self) -> Request | None:
        return self.target.request


def add_variable_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", metavar="NAME",
                        help="environment to use (default: the one chosen for the collection; matched "
                             "case-insensitively when unambiguous)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable (repeatable; wins over every environment)")


def add_collection_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--collection", metavar="PATH",
                        help=f"a collection, folder or request whose auth, headers, variables and settings apply "
                             f"to {what}")


def parse_assignments(items: list[str], flag: str = "--var") -> dict[str, str]:
    """`["a=1", "b=x=y"]` → `{"a": "1", "b": "x=y"}`; a malformed item is bad input."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise StorageError(f"{flag} expects NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def _in_context(target: Target, args: argparse.Namespace, base_dir: Path | None = None) -> Saved:
    env = getattr(args, "env", None)
    overrides = parse_assignments(getattr(args, "var", None) or [])
    if target.workspace is None and env:
        raise StorageError(f"{base_dir or 'the request'} is not inside a workspace, so --env {env!r} cannot be found")
    from workbench.core.context.resolve import resolve_context

    ctx = resolve_context(target.workspace, target.collection, environment=env, overrides=overrides,
                          base_dir=base_dir)
    return Saved(target, ctx)


def request_in_context(path: Path, args: argparse.Namespace) -> Saved:
    """A saved request file and the context its send uses (files of multipart bodies relative to it)."""
    from workbench.core.context.target import open_request_file

    return _in_context(open_request_file(path), args, path.parent)


def collection_in_context(path: Path, args: argparse.Namespace) -> Saved:
    """A collection folder (or a folder inside one) and the context its requests use."""
    from workbench.core.context.target import open_collection_dir

    return _in_context(open_collection_dir(path), args)


def target_in_context(path: Path, args: argparse.Namespace) -> Saved:
    """A request file, collection or folder, whichever `path` is."""
    from workbench.core.context.target import open_target

    target = open_target(path)
    return _in_context(target, args, path.parent if target.request is not None else None)


def masked(message: str, template: Request | None, context: SendContext | None) -> str:
    """A download's failure `message` fit for stderr: the context's secrets masked by value, URLs by structure.

    The message may repeat the URL as sent, `{{apiKey}}` resolved (`GET …?api_key=… answered 404`).
    """
    from workbench.core.masking import mask_message

    if context is None:
        return mask_message(message)
    from workbench.core.collections import Request
    from workbench.core.workspace.history import context_secrets

    return mask_message(message, context_secrets(context, template or Request(name="download")))


def download_context(args: argparse.Namespace) -> tuple[Request | None, SendContext | None]:
    """For a URL download (`$metadata`, a descriptor): the template request and context of `--collection`.

    Without `--collection`, `--var` still fills `{{variables}}` in the URL.
    """
    if getattr(args, "collection", None):
        saved = target_in_context(Path(args.collection), args)
        return saved.target.template("download"), saved.context
    if getattr(args, "env", None):
        raise StorageError("--env needs --collection PATH: environments belong to a collection")
    overrides = parse_assignments(getattr(args, "var", None) or [])
    if not overrides:
        return None, None
    from workbench.core.sending.send import SendContext

    return None, SendContext(overrides=overrides)
