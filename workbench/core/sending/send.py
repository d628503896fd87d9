"""The one entry point for "send this saved request": prepare, authenticate, send.

The UI and `workbench send` both call `send()`, so what a user clicks and what a script runs
behave the same. OAuth2 tokens come from `token_provider`, which retries once with a fresh
token on a 401 (expired or revoked token). A request with an unresolved `{{variable}}` is
refused before anything goes out. The `SendContext` is made in one place,
`core/context/resolve.py`; every button and sub-command asks it for variables and settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

from workbench.core.auth import schemes as auth_mod
from workbench.core.collections import (
    Auth,
    Collection,
    Environment,
    KeyValue,
    Request,
    Settings,
)
from workbench.core.errors import SendTimeout, UnresolvedVariableError
from workbench.core.sending.prepare import PreparedRequest, prepare
from workbench.core.sending.transport import Exchange, ProgressCallback, send_prepared
from workbench.core.variables import Resolver, VariableLayer, merge_layers


@dataclass
class SendContext:
    """What a send needs besides the request: where it lives, its variables, its settings, its tokens.

    `layers` are the collection-wide variable layers, lowest precedence first (workspace
    globals, collection variables, shared environment, the collection's environment);
    `variables_for(request)` adds the request's folders and the `--var` overrides on top.
    `settings` are the workspace's; `settings_for(request)` applies the collection's, the
    folders' and the request's own on top (the nearest wins). A context built by hand with only
    `environment` still works: it stands for the two layers collection variables < environment.
    """

    collection: Collection | None = None
    environment: Environment | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    base_dir: str | Path = "."
    token_provider: auth_mod.TokenProvider | None = None
    token_invalidator: Callable[[Auth], None] | None = None
    layers: tuple[VariableLayer, ...] | None = None
    environment_names: tuple[str, ...] = ()
    settings_origin: str = "the workspace settings"

    def variable_layers(self, request: Request | None = None) -> list[VariableLayer]:
        """Every layer that applies to `request` (or to the collection), lowest precedence first."""
        coll = self.collection
        if self.layers is not None:
            layers = list(self.layers)
        else:
            layers = []
            if coll is not None:
                layers.append(VariableLayer(f"the variables of collection “{coll.name}”", _enabled(coll.variables)))
            if self.environment is not None:
                env = self.environment
                layers.append(VariableLayer(f"environment “{env.name}”", env.as_dict(), env.secret_names))
        if coll is not None and request is not None and request.path:
            for folder in coll.chain(request.path):
                if folder.variables:
                    layers.append(VariableLayer(f"folder “{folder.name}”", _enabled(folder.variables)))
        if self.overrides:
            layers.append(VariableLayer("--var", dict(self.overrides)))
        return layers

    def variables_for(self, request: Request | None = None) -> dict[str, str]:
        """The variables `request` sees, precedence applied."""
        return merge_layers(self.variable_layers(request))

    def resolver(self, request: Request | None = None) -> Resolver:
        """Substitution of `{{name}}` with the variables `request` sees."""
        return Resolver(self.variables_for(request))

    def secret_names(self, request: Request | None = None) -> frozenset[str]:
        """Variables whose values are secrets (masked in hovers, history and messages)."""
        names: set[str] = set()
        for layer in self.variable_layers(request):
            names |= layer.secret_names
        return frozenset(names)

    def settings_for(self, request: Request | None = None) -> Settings:
        """The send settings for `request`: workspace < collection < folders < request."""
        from workbench.core.workspace.settings import apply

        layers = [self.collection.settings] if self.collection is not None else []
        if self.collection is not None and request is not None and request.path:
            layers.extend(f.settings for f in self.collection.chain(request.path))
        if request is not None:
            layers.append(request.settings)
        return apply(self.settings, *layers)

    def setting_origin(self, key: str, request: Request | None = None) -> str:
        """Where the value of setting `key` for `request` is set (for "change it there" hints)."""
        if request is not None and key in request.settings:
            return f"the settings of request “{request.name}”"
        coll = self.collection
        if coll is not None and request is not None and request.path:
            for folder in reversed(coll.chain(request.path)):
                if key in folder.settings:
                    return f"the settings of folder “{folder.name}”"
        if coll is not None and key in coll.settings:
            return f"the settings of collection “{coll.name}”"
        return self.settings_origin

    def explain_missing(self, names: Iterable[str], what: str = "the request") -> str:
        """One line naming each undefined variable and where it could be defined."""
        missing = sorted(set(names))
        shown = ", ".join("{{" + n + "}}" for n in missing)
        coll = self.collection
        if self.environment is not None:
            env_hint = f"the active environment “{self.environment.name}”"
        elif self.environment_names:
            env_hint = f"an environment (none is active; there are {', '.join(self.environment_names)})"
        else:
            env_hint = "an environment (there is none yet)"
        where = f"{env_hint}, the variables of collection “{coll.name}”" if coll else env_hint
        verb = "is" if len(missing) == 1 else "are"
        return (f"{shown} {verb} not defined, so {what} was not sent: define it in {where}, "
                f"or pass --var {missing[0]}=VALUE")


def _enabled(rows: tuple[KeyValue, ...]) -> dict[str, str]:
    return {v.name: v.value for v in rows if v.enabled}


def prepare_in(request: Request, ctx: SendContext) -> PreparedRequest:
    """`prepare` with the context's variables for this request (its folders and overrides included)."""
    return prepare(request, ctx.collection, base_dir=ctx.base_dir, variables=ctx.variables_for(request))


def check_resolved(prepared: PreparedRequest, ctx: SendContext, what: str = "the request") -> None:
    """Refuse a request that still holds `{{variables}}` (UnresolvedVariableError names them)."""
    if prepared.missing_variables:
        raise UnresolvedVariableError(ctx.explain_missing(prepared.missing_variables, what),
                                      tuple(sorted(prepared.missing_variables)))


async def send(request: Request, ctx: SendContext | None = None,
               on_progress: ProgressCallback | None = None, *, url: str = "") -> Exchange:
    """Prepare, authenticate and send `request`; `url` sends it to that address instead.

    `url` is for a next page the server named (`core/paging/`): it goes out exactly as the
    server wrote it, neither `{{variable}}`-substituted nor re-encoded, with the request's
    headers, auth and settings.
    """
    ctx = ctx or SendContext()
    prepared = prepare_in(request, ctx)
    check_resolved(prepared, ctx)
    if url:
        prepared = replace(prepared, url=url)
    settings = ctx.settings_for(request)
    ready = await auth_mod.apply(prepared, ctx.token_provider)
    exchange = await _send_prepared(ready, settings, on_progress, ctx, request)
    if (exchange.response.status == 401 and prepared.auth.type == "oauth2"
            and ctx.token_invalidator is not None and ctx.token_provider is not None):
        ctx.token_invalidator(prepared.auth)
        ready = await auth_mod.apply(prepared, ctx.token_provider)
        exchange = await _send_prepared(ready, settings, on_progress, ctx, request)
    return exchange


async def _send_prepared(ready: PreparedRequest, settings: Settings, on_progress: ProgressCallback | None,
                         ctx: SendContext, request: Request) -> Exchange:
    """Send, and on a timeout say which setting timed out and where to change it."""
    try:
        return await send_prepared(ready, settings, on_progress)
    except SendTimeout as exc:
        key = exc.setting
        value = getattr(settings, key)
        # The transport's sentence may already say "after 30 s": then name the setting, not the number twice.
        said = f"after {value:g} s" in exc.message
        setting = key if said else f"{key} = {value:g} s"
        raise SendTimeout(f"{exc.message} ({setting}, set in {ctx.setting_origin(key, request)}; "
                          f"raise it there or in the request's own settings)", exc.detail, key) from exc
