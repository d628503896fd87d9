"""`workbench token`: obtain (or reuse) an OAuth 2.0 access token and print a redacted summary.

Two forms (the contract of issue 5):

    workbench token COLLECTION_OR_REQUEST [--json] [--show-token] [--env NAME]
    workbench token --grant client_credentials|password (--token-url URL | --discovery URL)
                    --client-id ID [--client-auth basic|body|basic-unencoded] [--scope S]
                    [--username U] [--audience A] [--resource R] [--param K=V]... [--json|--show-token]

The client secret and the password come ONLY from the environment variables
WORKBENCH_CLIENT_SECRET and WORKBENCH_PASSWORD: arguments end up in shell history and in
`ps` output. Exit 0 with a token, 1 when the server (or the network) refuses, 2 for bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.commands._saved import add_variable_flags
from workbench.core.collections import Auth, Settings
from workbench.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, fail

if TYPE_CHECKING:  # oauth2 is imported when a token is asked for, so `--help` stays instant
    from workbench.core.auth.oauth2 import Token

SECRET_ENV = "WORKBENCH_CLIENT_SECRET"
PASSWORD_ENV = "WORKBENCH_PASSWORD"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", nargs="?", metavar="COLLECTION_OR_REQUEST",
                        help="a collection folder or a saved request file inside a workspace; its (inherited) "
                             "OAuth 2.0 auth is used")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: token_type, expires_in, scope, claims")
    parser.add_argument("--show-token", action="store_true", help="print the raw access token alone (for scripts)")
    add_variable_flags(parser)
    parser.add_argument("--new", action="store_true", help="ignore a cached token and run the grant again")
    group = parser.add_argument_group("without a collection (secret and password from the environment: "
                                      f"{SECRET_ENV}, {PASSWORD_ENV})")
    group.add_argument("--grant", choices=["client_credentials", "password"], help="grant type")
    endpoint = group.add_mutually_exclusive_group()
    endpoint.add_argument("--token-url", metavar="URL", help="the token endpoint")
    endpoint.add_argument("--discovery", metavar="URL",
                          help="issuer URL or its /.well-known/openid-configuration (finds the token endpoint)")
    group.add_argument("--client-id", metavar="ID", help="client ID")
    group.add_argument("--client-auth", choices=["basic", "body", "basic-unencoded"], default=None,
                       help="how the client authenticates: Basic header, RFC 6749 §2.3.1 (default), in the body, "
                            "or Basic without the §2.3.1 encoding")
    group.add_argument("--scope", metavar="S", help="space-separated scopes")
    group.add_argument("--username", metavar="U", help="resource owner (password grant)")
    group.add_argument("--audience", metavar="A", help="audience parameter (Auth0, some gateways)")
    group.add_argument("--resource", metavar="R", help="resource indicator (RFC 8707)")
    group.add_argument("--param", metavar="K=V", action="append", default=[], help="extra token parameter (repeatable)")


class _BadInput(Exception):
    pass


def _auth_from_flags(args: argparse.Namespace) -> Auth:
    if not args.grant:
        raise _BadInput("give a COLLECTION_OR_REQUEST, or --grant with --token-url/--discovery and --client-id")
    if not (args.token_url or args.discovery):
        raise _BadInput("--grant needs --token-url URL or --discovery URL")
    if not args.client_id:
        raise _BadInput("--grant needs --client-id")
    params: dict[str, str] = {"grant_type": args.grant, "client_id": args.client_id,
                              "client_auth": args.client_auth or "basic"}
    if args.token_url:
        params["token_url"] = args.token_url
    if args.discovery:
        params["discovery_url"] = args.discovery
    secret = os.environ.get(SECRET_ENV, "")
    if secret:
        params["client_secret"] = secret
    if args.grant == "password":
        if not args.username:
            raise _BadInput("--grant password needs --username")
        if PASSWORD_ENV not in os.environ:
            raise _BadInput(f"--grant password reads the password from the environment variable {PASSWORD_ENV}")
        params["username"] = args.username
        params["password"] = os.environ[PASSWORD_ENV]
    for name, value in (("scope", args.scope), ("audience", args.audience), ("resource", args.resource)):
        if value:
            params[name] = value
    extra = []
    from urllib.parse import quote

    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _BadInput(f"--param expects K=V, got {item!r}")
        extra.append(f"{quote(key, safe='')}={quote(value, safe='')}")
    if extra:
        params["extra"] = "&".join(extra)
    return Auth("oauth2", params)


def _auth_from_target(args: argparse.Namespace) -> tuple[Auth, Settings | None]:
    """The effective, variable-resolved auth of a collection, folder or request file, and the send
    settings (TLS verification, proxy, timeouts) for the token request: both from `core/context/`."""
    from workbench.commands._saved import target_in_context
    from workbench.core.context.resolve import auth_for
    from workbench.core.errors import StorageError, UnresolvedVariableError

    target = Path(args.target)
    if not target.exists():
        raise _BadInput(f"{target}: no such collection folder or request file")
    try:
        saved = target_in_context(target, args)
        request = saved.target.template("(collection)")
        coll = saved.target.collection
        where = f"request {request.name!r}" if saved.target.request is not None else (
            f"collection {coll.name!r}" if coll else str(target))
        auth = auth_for(saved.context, request)
    except (StorageError, UnresolvedVariableError) as exc:
        raise _BadInput(exc.message) from exc
    if auth.type != "oauth2":
        raise _BadInput(f"{where} uses {auth.type!r} auth, not OAuth 2.0: there is no token to get")
    return auth, saved.context.settings_for(request)


def _summary(token: Token, reused: bool) -> tuple[dict[str, Any], list[str]]:
    from workbench.core.auth import jwt
    from workbench.core.errors import AuthError
    from workbench.core.workspace.secrets import backend_label, redact

    try:
        decoded = jwt.decode(token.access_token)
        claims: dict[str, Any] | None = dict(decoded.claims)
    except AuthError:
        claims = None
    data = {"token_type": token.token_type, "expires_in": token.expires_in(), "scope": token.scope,
            "claims": claims}
    left = token.expires_in()
    lines = [
        f"Token type:    {token.token_type}",
        f"Access token:  {redact(token.access_token, keep=4)} ({len(token.access_token)} chars; --show-token prints it)",
        f"Scope:         {token.scope or '(none returned)'}",
        "Expires in:    " + ("not told by the server" if left is None else
                             f"{left} s (at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(token.expires_at))})"),
        f"Refresh token: {'yes' if token.refresh_token else 'no'}",
        f"Source:        {'cached token reused' if reused else 'new token from the server'}",
        f"Cached in:     {backend_label()}",
    ]
    if claims is None:
        lines.append("Claims:        (opaque token, not a JWT)")
    else:
        lines.append("Claims (JWT, signature not verified):")
        for name, value in claims.items():
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            lines.append(f"  {name}: {shown}")
        for name, when in jwt.describe_time_claims(claims).items():
            lines.append(f"  ({name} = {when})")
    return data, lines


def _open_browser(url: str) -> None:
    """Authorization-code sign-in from a terminal: say what happens, and give the URL for a headless box."""
    import webbrowser

    sys.stderr.write("Waiting for the sign-in in your browser (5 min). If no browser opened, visit:\n"
                     f"{url}\n")
    sys.stderr.flush()
    webbrowser.open(url)


def run(args: argparse.Namespace) -> int:
    from workbench.core.auth import oauth2
    from workbench.core.errors import AuthError, StorageError

    if args.target and args.grant:
        return fail("give either COLLECTION_OR_REQUEST or --grant, not both")
    if args.json and args.show_token:
        return fail("--json and --show-token cannot be combined")
    settings: Settings | None = None
    try:
        if args.target:
            auth, settings = _auth_from_target(args)
        else:
            auth = _auth_from_flags(args)
        oauth2.OAuth2Config.from_auth(auth)
    except _BadInput as exc:
        return fail(str(exc), EXIT_BAD_INPUT)
    except StorageError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    except AuthError as exc:
        return fail(exc.message, EXIT_BAD_INPUT)
    before = oauth2.cached_token(auth)
    try:
        token = asyncio.run(oauth2.obtain_token(auth, force=args.new, settings=settings, open_browser=_open_browser))
    except AuthError as exc:
        return fail(exc.message, EXIT_FAILED)
    reused = before is not None and before.access_token == token.access_token
    if args.show_token:
        sys.stdout.write(token.access_token + "\n")
        return EXIT_OK
    data, lines = _summary(token, reused)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("\n".join(lines))
    return EXIT_OK
