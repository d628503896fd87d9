"""Calling code for a saved request: curl, Python (httpx), JavaScript (fetch) and C# (HttpClient).

Users of the Workflow Server expect its admin page's "generate JavaScript and C#" feature
(see /work/shared/PLATFORMS.md); the others are what integrators paste into scripts and CI.

Generated code must never hold a secret in clear text (it ends up in chats, tickets and git):
secret variables (an environment's secret ones, and names that look like credentials), the
secret fields of the request's auth (password, token, API key value, client secret) and the
values of credential headers (Authorization, X-API-Key, Cookie…) become reads of environment
variables (`os.environ["TOKEN"]`, `process.env.TOKEN`, `$TOKEN`, `Environment.GetEnvironmentVariable`).
Unknown `{{variables}}` stay as `{{placeholders}}` for the user to fill in.

Inside the pipeline a secret travels as the marker `__WBSECRET_<NAME>__` (only letters, digits
and underscores, so URL encoding leaves it intact); each language turns markers into reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Callable, Literal, Mapping

from workbench.core.collections import Body, Collection, Environment, Request
from workbench.core.errors import CodegenError
from workbench.core.sending.prepare import prepare
from workbench.core.sending.send import SendContext
from workbench.core.variables import VARIABLE, Resolver
from workbench.core.workspace.secrets import SECRET_PARAMS, is_reference

Language = Literal["curl", "python", "javascript", "csharp"]
LANGUAGES: tuple[Language, ...] = ("curl", "python", "javascript", "csharp")
LANGUAGE_LABELS: dict[str, str] = {"curl": "curl (bash)", "python": "Python (httpx)",
                                   "javascript": "JavaScript (fetch, Node 18+)", "csharp": "C# (HttpClient, .NET 6+)"}

_MARK = re.compile(r"__WBSECRET_([A-Z0-9]+(?:_[A-Z0-9]+)*)__")
# Dynamic variables are computed by the generated code at run time, as the workbench does per send.
_DYNAMIC = {"$guid": "GUID", "$randomUUID": "GUID", "$timestamp": "TIMESTAMP", "$isoTimestamp": "ISOTIMESTAMP",
            "$randomInt": "RANDOMINT"}
_ANY_MARK = re.compile(r"__WB(SECRET|DYN)_([A-Z0-9]+(?:_[A-Z0-9]+)*)__")
_DYN_MARK = re.compile(r"__WBDYN_([A-Z]+)__")
_SECRETISH = re.compile(r"(secret|passw|pwd|token|api_?key|apikey|credential|private)", re.I)
_CREDENTIAL_HEADERS = re.compile(r"^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|"
                                 r"x-auth-token|token|x-access-token)$", re.I)
_AUTH_ENV_NAMES = {"password": "PASSWORD", "token": "TOKEN", "value": "API_KEY", "client_secret": "CLIENT_SECRET",
                   "access_token": "ACCESS_TOKEN", "api_key": "API_KEY", "key_value": "API_KEY",
                   "refresh_token": "REFRESH_TOKEN", "id_token": "ID_TOKEN"}


def env_name(name: str) -> str:
    """An environment-variable name for a workbench variable (`api.key`, `apiKey` → `API_KEY`)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)  # accessToken -> access_Token
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").upper()
    cleaned = re.sub(r"_+", "_", cleaned) or "SECRET"
    return f"V_{cleaned}" if cleaned[0].isdigit() else cleaned


def marker(name: str) -> str:
    return f"__WBSECRET_{env_name(name)}__"


def has_marker(text: str) -> bool:
    return bool(_MARK.search(text))


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """What the code must send; string values may hold secret markers."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body_kind: str = "none"
    text: str = ""
    form: tuple[tuple[str, str], ...] = ()
    parts: tuple[tuple[str, str, str, str], ...] = ()  # (name, value, file path, content type)
    file: str = ""
    basic: tuple[str, str] | None = None  # (username, password) when auth is basic
    query_auth: tuple[str, str] | None = None  # (name, value) of an API key sent in the query
    env_vars: tuple[str, ...] = ()
    dynamics: tuple[str, ...] = ()  # GUID, TIMESTAMP, ISOTIMESTAMP, RANDOMINT used by the request
    note: str = ""


def build(request: Request, collection: Collection | None = None, env: Environment | None = None,
          overrides: Mapping[str, str] | None = None, *, context: SendContext | None = None) -> CodeRequest:
    """Resolve `request` as it would be sent, with every secret replaced by a marker.

    `context` (from `core/context/`) gives the variables the request really sees: globals,
    shared and collection environments, folders. Without it, `collection`/`env`/`overrides`
    stand for a two-layer context.
    """
    if context is None:
        context = SendContext(collection=collection, environment=env, overrides=dict(overrides or {}))
    collection = context.collection
    values = context.variables_for(request)
    secret_vars = set(context.secret_names(request))
    secret_vars |= {n for n in values if _SECRETISH.search(n)}
    secret_vars |= {n for n, v in values.items() if is_reference(v)}
    masked = {n: marker(n) for n in secret_vars}
    masked.update({name: f"__WBDYN_{kind}__" for name, kind in _DYNAMIC.items() if name not in values})
    body = request.body
    # Files are referenced by path in the code, not read now: prepare sees no file body.
    prepared = prepare(replace(request, body=body if body.kind in ("none", "raw", "form") else Body()),
                       collection, variables={**values, **masked})
    resolve = Resolver({**values, **masked})
    headers: list[tuple[str, str]] = []
    for name, value in prepared.headers:
        if _CREDENTIAL_HEADERS.match(name) and not _only_markers_and_words(value):
            value = _keep_scheme(value, marker(name))
        headers.append((name, value))

    auth = prepared.auth
    params = {k: v for k, v in auth.params.items()}
    for key, value in params.items():
        if key in SECRET_PARAMS and value and not has_marker(value):
            # An undefined `{{accessToken}}` names its own variable; a literal gets a default name.
            placeholder = VARIABLE.fullmatch(value.strip())
            params[key] = marker(placeholder.group(1) if placeholder else _AUTH_ENV_NAMES.get(key, key))
    basic = None
    query_auth = None
    note = ""
    if auth.type == "basic":
        basic = (params.get("username", ""), params.get("password", ""))
    elif auth.type == "bearer":
        prefix = params.get("prefix", "Bearer")
        headers = _set_header(headers, "Authorization", f"{prefix} {params.get('token', '')}".strip())
    elif auth.type == "apikey":
        name = params.get("name") or "Authorization"
        value = params.get("value", "")
        where = params.get("in", "header")
        if where == "query":
            query_auth = (name, value)
        elif where == "cookie":
            headers = _set_header(headers, "Cookie", f"{name}={value}")
        else:
            headers = _set_header(headers, name, value)
    elif auth.type == "oauth2":
        prefix = params.get("header_prefix", "Bearer")
        headers = _set_header(headers, "Authorization", f"{prefix} {marker('ACCESS_TOKEN')}")
        note = ("OAuth 2.0: set ACCESS_TOKEN to a valid access token first "
                "(e.g. from `workbench token`).")

    text = ""
    form: tuple[tuple[str, str], ...] = ()
    if body.kind == "raw":
        text = prepared.body.decode("utf-8", errors="replace")
    elif body.kind == "form":
        form = tuple((resolve(r.name), resolve(r.value)) for r in body.form if r.enabled and r.name)
    parts = tuple((resolve(p.name), "" if p.file else resolve(p.value), resolve(p.file), p.content_type)
                  for p in body.parts if p.enabled and p.name) if body.kind == "multipart" else ()
    if body.kind == "multipart":
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
    file = resolve(body.file) if body.kind == "binary" else ""
    if body.kind == "binary" and not any(k.lower() == "content-type" for k, _ in headers):
        import mimetypes

        headers.append(("Content-Type", body.content_type or mimetypes.guess_type(file)[0] or "application/octet-stream"))
    if body.kind == "form":
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]

    all_text = " ".join([prepared.url, *(v for _, v in headers), text, *(v for _, v in form),
                         *(p[1] for p in parts), *(basic or ()), *(query_auth or ())])
    env_vars = tuple(dict.fromkeys(_MARK.findall(all_text)))
    dynamics = tuple(dict.fromkeys(_DYN_MARK.findall(all_text)))
    return CodeRequest(prepared.method, prepared.url, tuple(headers), body.kind, text, form, parts, file,
                       basic, query_auth, env_vars, dynamics, note)


def _only_markers_and_words(value: str) -> bool:
    """`Bearer __WBSECRET_TOKEN__` is safe; `Bearer eyJhbGci…` is not."""
    if not has_marker(value):
        return False
    rest = _MARK.sub("", value).strip()
    return rest.lower() in ("", "bearer", "basic", "token", "apikey")


def _keep_scheme(value: str, secret: str) -> str:
    scheme, sep, _ = value.partition(" ")
    if sep and scheme.lower() in ("bearer", "basic", "token", "digest"):
        return f"{scheme} {secret}"
    return secret


def _set_header(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]


# --------------------------------------------------------------------------- string rendering


def _pieces(text: str) -> list[tuple[str, str]]:
    """Split into ("text" | "SECRET" | "DYN", value) pieces."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _ANY_MARK.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        out.append((m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(("text", text[pos:]))
    return out


def _concat(text: str, literal: Callable[[str], str], read: Callable[[str], str], dynamic: Mapping[str, str]) -> str:
    parts = []
    for kind, value in _pieces(text):
        parts.append(literal(value) if kind == "text" else read(value) if kind == "SECRET" else dynamic[value])
    return " + ".join(parts)


_PY_DYNAMIC = {"GUID": "str(uuid.uuid4())", "TIMESTAMP": "str(int(time.time()))",
               "ISOTIMESTAMP": 'datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")',
               "RANDOMINT": "str(random.randint(0, 1000))"}
_PY_IMPORTS = {"GUID": "import uuid", "TIMESTAMP": "import time", "ISOTIMESTAMP": "from datetime import datetime, timezone",
               "RANDOMINT": "import random"}
_JS_DYNAMIC = {"GUID": "crypto.randomUUID()", "TIMESTAMP": "String(Math.floor(Date.now() / 1000))",
               "ISOTIMESTAMP": "new Date().toISOString()", "RANDOMINT": "String(Math.floor(Math.random() * 1001))"}
_CS_DYNAMIC = {"GUID": "Guid.NewGuid().ToString()", "TIMESTAMP": "DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()",
               "ISOTIMESTAMP": "DateTime.UtcNow.ToString(\"yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'\")",
               "RANDOMINT": "Random.Shared.Next(0, 1001).ToString()"}
_SH_DYNAMIC = {"GUID": "$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)", "TIMESTAMP": "$(date +%s)",
               "ISOTIMESTAMP": "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)", "RANDOMINT": "$((RANDOM % 1001))"}


def _py(text: str) -> str:
    return _concat(text, json.dumps, lambda n: f'os.environ["{n}"]', _PY_DYNAMIC)


def _js(text: str) -> str:
    return _concat(text, json.dumps, lambda n: f'process.env.{n}', _JS_DYNAMIC)


def _cs(text: str) -> str:
    return _concat(text, _cs_literal, lambda n: f'Environment.GetEnvironmentVariable("{n}")', _CS_DYNAMIC)


def _cs_literal(text: str) -> str:
    # C# regular string literals accept the same escapes JSON produces (\" \\ \n \uXXXX).
    return json.dumps(text)


def _sh(text: str) -> str:
    """A bash word: single quotes for literal text, "${NAME}" for secrets."""
    out = []
    for kind, t in _pieces(text):
        if kind == "SECRET":
            out.append(f'"${{{t}}}"')
        elif kind == "DYN":
            out.append(f'"{_SH_DYNAMIC[t]}"')
        elif t:
            out.append("'" + t.replace("'", "'\\''") + "'")
    return "".join(out) or "''"


# --------------------------------------------------------------------------- languages


def _env_comment(spec: CodeRequest, prefix: str) -> list[str]:
    lines = []
    if spec.env_vars:
        lines.append(f"{prefix} Secrets are read from environment variables: {', '.join(spec.env_vars)}")
    if spec.note:
        lines.append(f"{prefix} {spec.note}")
    return lines


def _curl(spec: CodeRequest) -> str:
    lines = ["#!/usr/bin/env bash", *_env_comment(spec, "#")]
    url = spec.url
    if spec.query_auth:
        url += ("&" if "?" in url else "?") + f"{spec.query_auth[0]}={spec.query_auth[1]}"
    args = [f"curl --silent --show-error --request {spec.method} {_sh(url)}"]
    for name, value in spec.headers:
        args.append(f"--header {_sh(f'{name}: {value}')}")
    if spec.basic:
        args.append(f"--user {_sh(f'{spec.basic[0]}:{spec.basic[1]}')}")
    if spec.body_kind == "raw" and spec.text:
        args.append(f"--data-raw {_sh(spec.text)}")
    elif spec.body_kind == "form":
        args.extend(f"--data-urlencode {_sh(f'{k}={v}')}" for k, v in spec.form)
    elif spec.body_kind == "multipart":
        for name, value, file, ctype in spec.parts:
            ct = f";type={ctype}" if ctype else ""
            args.append(f"--form {_sh(f'{name}=@{file}{ct}')}" if file else f"--form-string {_sh(f'{name}={value}')}")
    elif spec.body_kind == "binary":
        args.append(f"--data-binary {_sh('@' + spec.file)}")
    return "\n".join(lines) + "\n" + " \\\n  ".join(args) + "\n"


def _python(spec: CodeRequest) -> str:
    needs_os = bool(spec.env_vars) or (spec.body_kind == "multipart" and any(p[2] for p in spec.parts))
    lines = ['"""Generated by API Workbench."""', *_env_comment(spec, "#")]
    stdlib = sorted({_PY_IMPORTS[d] for d in spec.dynamics} | ({"import os"} if needs_os else set()),
                    key=lambda line: (line.startswith("from"), line))
    lines += [*stdlib, "", "import httpx", ""] if stdlib else ["import httpx", ""]
    lines.append(f"url = {_py(spec.url)}")
    if spec.headers:
        lines.append("headers = {")
        lines.extend(f"    {json.dumps(k)}: {_py(v)}," for k, v in spec.headers)
        lines.append("}")
    else:
        lines.append("headers = {}")
    kwargs = ["url", "headers=headers"]
    if spec.query_auth:
        lines.append(f"params = {{{json.dumps(spec.query_auth[0])}: {_py(spec.query_auth[1])}}}")
        kwargs.append("params=params")
    if spec.basic:
        kwargs.append(f"auth=({_py(spec.basic[0])}, {_py(spec.basic[1])})")
    if spec.body_kind == "raw" and spec.text:
        lines.append(f"content = {_py(spec.text)}")
        kwargs.append('content=content.encode("utf-8")')
    elif spec.body_kind == "form":
        lines.append("data = {")
        lines.extend(f"    {_py(k)}: {_py(v)}," for k, v in spec.form)
        lines.append("}")
        kwargs.append("data=data")
    elif spec.body_kind == "multipart":
        texts = [(n, v) for n, v, f, _ in spec.parts if not f]
        files = [(n, f, c) for n, _, f, c in spec.parts if f]
        if texts:
            lines.append("data = {" + ", ".join(f"{_py(n)}: {_py(v)}" for n, v in texts) + "}")
            kwargs.append("data=data")
        if files:
            lines.append("files = [")
            for n, f, c in files:
                ctype = f", {json.dumps(c)}" if c else ""
                lines.append(f"    ({_py(n)}, (os.path.basename({_py(f)}), open({_py(f)}, \"rb\"){ctype})),")
            lines.append("]")
            kwargs.append("files=files")
    elif spec.body_kind == "binary":
        lines.append(f"with open({_py(spec.file)}, \"rb\") as fh:")
        lines.append("    content = fh.read()")
        kwargs.append("content=content")
    lines.append("")
    lines.append(f"response = httpx.request({json.dumps(spec.method)}, {', '.join(kwargs)}, timeout=30.0)")
    lines.append("print(response.status_code, response.reason_phrase)")
    lines.append("print(response.text)")
    return "\n".join(lines) + "\n"


def _javascript(spec: CodeRequest) -> str:
    lines = ["// Generated by API Workbench. Node 18+ (global fetch); save as .mjs and run with node.",
             *_env_comment(spec, "//")]
    pre: list[str] = []
    url_expr = _js(spec.url)
    if spec.query_auth:
        pre.append(f"const url = new URL({url_expr});")
        pre.append(f"url.searchParams.append({json.dumps(spec.query_auth[0])}, {_js(spec.query_auth[1])});")
        url_expr = "url"
    headers = [f"  {json.dumps(k)}: {_js(v)}," for k, v in spec.headers]
    if spec.basic:
        headers.append(f'  "Authorization": "Basic " + Buffer.from({_js(spec.basic[0])} + ":" + '
                       f'{_js(spec.basic[1])}).toString("base64"),')
    body = ""
    if spec.body_kind == "raw" and spec.text:
        body = _js(spec.text)
    elif spec.body_kind == "form":
        pre.append("const body = new URLSearchParams();")
        pre.extend(f"body.append({_js(k)}, {_js(v)});" for k, v in spec.form)
        body = "body"
    elif spec.body_kind == "multipart":
        if any(f for _, _, f, _ in spec.parts):
            lines.append('import { readFile } from "node:fs/promises";')
            lines.append('import { basename } from "node:path";')
        pre.append("const body = new FormData();")
        for name, value, file, ctype in spec.parts:
            if file:
                type_opt = f", {{ type: {json.dumps(ctype)} }}" if ctype else ""
                pre.append(f"body.append({_js(name)}, new Blob([await readFile({_js(file)})]{type_opt}), "
                           f"basename({_js(file)}));")
            else:
                pre.append(f"body.append({_js(name)}, {_js(value)});")
        body = "body"
    elif spec.body_kind == "binary":
        lines.append('import { readFile } from "node:fs/promises";')
        body = f"await readFile({_js(spec.file)})"
    out = lines + [""] + pre
    out.append(f"const response = await fetch({url_expr}, {{")
    out.append(f"  method: {json.dumps(spec.method)},")
    if headers:
        out.append("  headers: {")
        out.extend("  " + h for h in headers)
        out.append("  },")
    if body:
        out.append(f"  body: {body},")
    out.append("});")
    out.append("console.log(response.status, response.statusText);")
    out.append("console.log(await response.text());")
    return "\n".join(out) + "\n"


def _csharp(spec: CodeRequest) -> str:
    lines = ["// Generated by API Workbench. .NET 6+ top-level program (dotnet new console).",
             *_env_comment(spec, "//"), "using System;", "using System.Net.Http;", "using System.Text;", ""]
    lines.append("using var client = new HttpClient();")
    url_expr = _cs(spec.url)
    if spec.query_auth:
        sep = "&" if "?" in spec.url else "?"
        url_expr = (f"{url_expr} + \"{sep}{spec.query_auth[0]}=\" + "
                    f"Uri.EscapeDataString({_cs(spec.query_auth[1])})")
    lines.append(f"using var request = new HttpRequestMessage(new HttpMethod({json.dumps(spec.method)}), {url_expr});")
    content_type = ""
    for name, value in spec.headers:
        if name.lower() == "content-type":
            content_type = value
            continue
        lines.append(f"request.Headers.TryAddWithoutValidation({json.dumps(name)}, {_cs(value)});")
    if spec.basic:
        lines.append(f"request.Headers.TryAddWithoutValidation(\"Authorization\", \"Basic \" + Convert.ToBase64String("
                     f"Encoding.UTF8.GetBytes({_cs(spec.basic[0])} + \":\" + {_cs(spec.basic[1])})));")
    ct_line = ""
    if spec.body_kind == "raw" and spec.text:
        lines.append(f"request.Content = new StringContent({_cs(spec.text)}, Encoding.UTF8);")
        ct_line = content_type
    elif spec.body_kind == "form":
        lines.append("request.Content = new FormUrlEncodedContent(new[] {")
        lines.extend(f"    new KeyValuePair<string, string>({_cs(k)}, {_cs(v)})," for k, v in spec.form)
        lines.append("});")
        lines.insert(lines.index("using System.Text;") + 1, "using System.Collections.Generic;")
    elif spec.body_kind == "multipart":
        lines.append("var form = new MultipartFormDataContent();")
        for number, (name, value, file, ctype) in enumerate(spec.parts, 1):
            if file:
                var = f"file{number}"
                lines.append(f"var {var} = new ByteArrayContent(System.IO.File.ReadAllBytes({_cs(file)}));")
                if ctype:
                    lines.append(f"{var}.Headers.TryAddWithoutValidation(\"Content-Type\", {json.dumps(ctype)});")
                lines.append(f"form.Add({var}, {_cs(name)}, System.IO.Path.GetFileName({_cs(file)}));")
            else:
                lines.append(f"form.Add(new StringContent({_cs(value)}), {_cs(name)});")
        lines.append("request.Content = form;")
    elif spec.body_kind == "binary":
        lines.append(f"request.Content = new ByteArrayContent(System.IO.File.ReadAllBytes({_cs(spec.file)}));")
        ct_line = content_type
    if ct_line:
        lines.append("request.Content.Headers.Remove(\"Content-Type\");")
        lines.append(f"request.Content.Headers.TryAddWithoutValidation(\"Content-Type\", {_cs(ct_line)});")
    lines.append("")
    lines.append("using var response = await client.SendAsync(request);")
    lines.append("Console.WriteLine($\"{(int)response.StatusCode} {response.ReasonPhrase}\");")
    lines.append("Console.WriteLine(await response.Content.ReadAsStringAsync());")
    return "\n".join(lines) + "\n"


_GENERATORS: dict[str, Callable[[CodeRequest], str]] = {
    "curl": _curl, "python": _python, "javascript": _javascript, "csharp": _csharp,
}


def generate(request: Request, language: str, collection: Collection | None = None, env: Environment | None = None,
             overrides: Mapping[str, str] | None = None, *, context: SendContext | None = None) -> str:
    """Source code in `language` that sends `request` as the workbench would (secrets from the environment)."""
    if language not in _GENERATORS:
        raise CodegenError(f"unknown language {language!r} (choose from {', '.join(LANGUAGES)})")
    return _GENERATORS[language](build(request, collection, env, overrides, context=context))

