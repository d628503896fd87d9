"""The one entry point for "send this saved request": prepare, authenticate, send.

The UI and `workbench send` both call `send()`, so what a user clicks and what a script runs
behave the same. OAuth2 tokens come from `token_provider`, which retries once with a fresh
token on a 401 (expired or revoked token).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from workbench.core.auth import schemes as auth_mod
from workbench.core.collections import Auth, Collection, Environment, Request, Settings
from workbench.core.sending.prepare import prepare
from workbench.core.sending.transport import Exchange, ProgressCallback, send_prepared


@dataclass
class SendContext:
    """What a send needs besides the request: where it lives and the active environment."""

    collection: Collection | None = None
    environment: Environment | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    base_dir: str | Path = "."
    token_provider: auth_mod.TokenProvider | None = None
    token_invalidator: Callable[[Auth], None] | None = None


async def send(request: Request, ctx: SendContext | None = None,
               on_progress: ProgressCallback | None = None) -> Exchange:
    ctx = ctx or SendContext()
    prepared = prepare(request, ctx.collection, ctx.environment, ctx.overrides, ctx.base_dir)
    ready = await auth_mod.apply(prepared, ctx.token_provider)
    exchange = await send_prepared(ready, ctx.settings, on_progress)
    if (exchange.response.status == 401 and prepared.auth.type == "oauth2"
            and ctx.token_invalidator is not None and ctx.token_provider is not None):
        ctx.token_invalidator(prepared.auth)
        ready = await auth_mod.apply(prepared, ctx.token_provider)
        exchange = await send_prepared(ready, ctx.settings, on_progress)
    return exchange
