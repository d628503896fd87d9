"""Calling code for a saved request: curl (bash), Python (httpx), JavaScript (fetch), C# (HttpClient), PowerShell.

Users of the Workflow Server expect its admin page's "generate JavaScript and C#" feature
(see shared/PLATFORMS.md); the others are what integrators paste into scripts and CI. The code
runs on its own: it gets its OAuth 2.0 token itself, reads secrets from environment variables
named in a comment at the top (never holding one in clear text), and exits non-zero when a
secret is unset or the server answers with an HTTP error.

`model.build` resolves the request once (`marks` carries secrets through it); each language
module renders the result.
"""

from __future__ import annotations

from typing import Callable, Literal, Mapping

from workbench.core.codegen import csharp, curl, javascript, powershell, python
from workbench.core.codegen.model import CodeRequest, TokenFetch, build
from workbench.core.collections import Collection, Environment, Request
from workbench.core.errors import CodegenError
from workbench.core.sending.send import SendContext

__all__ = ["LANGUAGES", "LANGUAGE_LABELS", "CodeRequest", "Language", "TokenFetch", "build", "generate"]

Language = Literal["curl", "python", "javascript", "csharp", "powershell"]
LANGUAGES: tuple[Language, ...] = ("curl", "python", "javascript", "csharp", "powershell")
LANGUAGE_LABELS: dict[str, str] = {"curl": "curl (bash)", "python": "Python (httpx)",
                                   "javascript": "JavaScript (fetch, Node 18+)", "csharp": "C# (HttpClient, .NET 6+)",
                                   "powershell": "PowerShell 7+ (Invoke-WebRequest)"}

_RENDERERS: dict[str, Callable[[CodeRequest], str]] = {
    "curl": curl.render, "python": python.render, "javascript": javascript.render, "csharp": csharp.render,
    "powershell": powershell.render,
}


def generate(request: Request, language: str, collection: Collection | None = None, env: Environment | None = None,
             overrides: Mapping[str, str] | None = None, *, context: SendContext | None = None) -> str:
    """Source code in `language` that sends `request` as the workbench would (secrets from the environment)."""
    if language not in _RENDERERS:
        raise CodegenError(f"unknown language {language!r} (choose from {', '.join(LANGUAGES)})")
    return _RENDERERS[language](build(request, collection, env, overrides, context=context))
