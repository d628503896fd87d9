"""`resolve_context`: the one place a request's variables, environment, settings and tokens come together.

The precedence, lowest first (a later layer wins):

1. the workspace globals (`workspace.yaml` → `variables`)
2. the collection's variables (`collection.yaml` → `variables`)
3. the shared environment of the chosen name (`environments/NAME.yaml`)
4. the collection's own environment of that name (`<collection>/environments/NAME.yaml`)
5. the folders' variables, outermost first (`folder.yaml` → `variables`)
6. `--var NAME=VALUE` on the command line
plus dynamic variables (`{{$guid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}`, `{{$randomInt}}`).

Settings follow the same idea: workspace < collection < folder < request, key by key. Before
this module each entry point assembled its own context and several missed a piece (the
collection-settings Auth panel resolved no variables, `$metadata` downloads had no auth);
now the send button, the token and discovery buttons, the query builder, the metadata
browser, `$batch`, paging and every sub-command ask here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from workbench.core.auth import oauth2
from workbench.core.collections import Auth, Collection, KeyValue, Request, Workspace
from workbench.core.context.selection import (
    chosen_environment,
    environment_names,
    environments_named,
    match_environment,
)
from workbench.core.errors import UnresolvedVariableError
from workbench.core.sending.prepare import effective_auth
from workbench.core.sending.send import SendContext
from workbench.core.variables import VariableLayer


def _enabled(rows: tuple[KeyValue, ...]) -> dict[str, str]:
    return {v.name: v.value for v in rows if v.enabled}


def resolve_context(workspace: Workspace | None, collection: Collection | None, *,
                    environment: str | None = None, overrides: Mapping[str, str] | None = None,
                    base_dir: str | Path | None = None, attach_tokens: bool = True) -> SendContext:
    """The context every send from `collection` uses.

    `environment` is a name the user typed (`--env`, matched case-insensitively when that is
    unambiguous; "" means none); without it, the collection's chosen environment applies.
    """
    if workspace is None:
        ctx = SendContext(collection=collection, overrides=dict(overrides or {}),
                          base_dir=base_dir if base_dir is not None else ".")
        if attach_tokens:
            oauth2.attach_to_context(ctx, None)
        return ctx
    if environment is None:
        name = chosen_environment(workspace, collection)
    else:
        name = match_environment(workspace, collection, environment) if environment else ""
    shared, own = environments_named(workspace, collection, name)
    layers: list[VariableLayer] = []
    if workspace.variables:
        layers.append(VariableLayer("the workspace globals", _enabled(workspace.variables)))
    if collection is not None and collection.variables:
        layers.append(VariableLayer(f"the variables of collection “{collection.name}”",
                                    _enabled(collection.variables)))
    if shared is not None:
        layers.append(VariableLayer(f"shared environment “{shared.name}”", shared.as_dict(), shared.secret_names))
    if own is not None and collection is not None:
        layers.append(VariableLayer(f"environment “{own.name}” of “{collection.name}”", own.as_dict(),
                                    own.secret_names))
    root = Path(workspace.root)
    ctx = SendContext(
        collection=collection,
        environment=own or shared,
        overrides=dict(overrides or {}),
        settings=workspace.settings,
        base_dir=base_dir if base_dir is not None else (root / collection.path if collection else root),
        layers=tuple(layers),
        environment_names=environment_names(workspace, collection),
        settings_origin=f"the workspace settings ({root.name}/workspace.yaml)",
    )
    if attach_tokens:
        oauth2.attach_to_context(ctx, root)
    return ctx


def auth_for(ctx: SendContext, request: Request, what: str = "the token request") -> Auth:
    """The auth that applies to `request` (inherited as a send would), every `{{variable}}` resolved.

    The token and discovery buttons of every Auth panel (request, folder, collection) and
    `workbench token` call this, so a `{{clientId}}` there means what it means in a send; an
    undefined one stops the button with the same message a send gives, instead of a token
    server decoding `%7B%7BclientId%7D%7D` from a Basic header.
    """
    auth = effective_auth(ctx.collection, request) if request.auth.type == "inherit" else request.auth
    resolve = ctx.resolver(request)
    resolved = Auth(auth.type, {k: resolve(v) for k, v in auth.params.items()})
    if resolve.missing:
        raise UnresolvedVariableError(ctx.explain_missing(resolve.missing, what), tuple(sorted(resolve.missing)))
    return resolved


def resolve_text(ctx: SendContext, text: str, request: Request | None = None, what: str = "the request") -> str:
    """`text` (a discovery URL, a `$metadata` URL typed in a panel) with its variables resolved."""
    resolve = ctx.resolver(request)
    out = resolve(text)
    if resolve.missing:
        raise UnresolvedVariableError(ctx.explain_missing(resolve.missing, what), tuple(sorted(resolve.missing)))
    return out
