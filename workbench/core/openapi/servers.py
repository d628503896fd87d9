"""Servers → the `baseUrl` variable and one environment per server.

OpenAPI 3's Server Object (OAS 3.1 §4.8.5: `variables` with `enum`/`default`, relative URLs resolved
against where the descriptor came from) and Swagger 2.0's `schemes` + `host` + `basePath`.
Apart from the operations because a server is read once per descriptor (plus an operation's
own `servers`), and an environment needs only the servers and the auth variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping
from urllib.parse import urljoin, urlsplit

from workbench.core.collections import Environment, KeyValue
from workbench.core.openapi.descriptor import (
    Descriptor,
    as_map,
    one_line_join,
    var_name,
)


@dataclass(frozen=True, slots=True)
class Server:
    """One server of the descriptor, as the `baseUrl` it becomes."""

    url: str  # with {{var}} placeholders
    description: str
    variables: list[KeyValue] = field(default_factory=list)


class Servers:
    """Reads the descriptor's servers; warnings go to the descriptor."""

    def __init__(self, descriptor: Descriptor) -> None:
        self.doc = descriptor.doc
        self.v2 = descriptor.v2
        self.source_url = descriptor.source_url
        self.warn = descriptor.warn

    def read(self) -> list[Server]:
        """The servers a request can go to: declared, else where the descriptor came from, else localhost."""
        doc = self.doc
        if self.v2:
            return self._servers_v2()
        raw = doc.get("servers")
        out: list[Server] = []
        if isinstance(raw, list):
            for server in raw:
                if isinstance(server, Mapping) and isinstance(server.get("url"), str):
                    out.append(self.server(server))
        if not out:
            if self.source_url:
                out.append(self.server({"url": "/"}))
            else:
                out.append(Server("http://localhost", "", []))
                self.warn("the descriptor names no server: baseUrl is http://localhost — set it in the environment")
        return out

    def server(self, server: Mapping[str, Any]) -> Server:
        """One Server Object; an operation's own `servers` go through here too."""
        url = str(server["url"]).strip()
        variables: list[KeyValue] = []
        declared = as_map(server.get("variables"))
        for name, var in declared.items():
            if not isinstance(var, Mapping):
                continue
            default = var.get("default")
            raw_enum = var.get("enum")
            enum = [str(e) for e in raw_enum] if isinstance(raw_enum, list) else []
            value = str(default if default is not None else (enum[0] if enum else ""))
            description = str(var.get("description") or "").strip()
            if enum:
                description = (description + " " if description else "") + "Choices: " + ", ".join(enum)
            variables.append(KeyValue(var_name(name), value, True, description))
        names = {str(n) for n in declared}

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in names:
                self.warn(f"server URL {url!r} uses {{{name}}} without declaring it; it became a variable")
                variables.append(KeyValue(var_name(name), "", True, "server variable"))
            return "{{" + var_name(name) + "}}"

        templated = re.sub(r"\{([^{}]+)\}", placeholder, url)
        templated = self._absolute(templated)
        # `{scheme}://{host}/{basePath}` with an empty basePath would give `https://host//v1/...`:
        # an optional path variable carries its own leading slash instead (Iceberg's servers).
        for i, row in enumerate(variables):
            holder = "/{{" + row.name + "}}"
            if row.value == "" and templated.endswith(holder):
                templated = templated[: -len(holder)] + "{{" + row.name + "}}"
                variables[i] = replace(row, description=one_line_join(row.description,
                                                                      "(empty, or a path starting with /)"))
        return Server(templated.rstrip("/") if templated.rstrip("/") not in ("", "http:", "https:") else templated,
                      str(server.get("description") or ""), variables)

    def _absolute(self, url: str) -> str:
        """A relative server URL is relative to where the descriptor came from (OAS 3.1 §4.4)."""
        if re.match(r"^(\{\{[^}]+\}\}|[A-Za-z][A-Za-z0-9+.-]*:)", url):
            return url
        if self.source_url:
            return urljoin(self.source_url, url)
        if url.startswith("//"):
            return "https:" + url
        self.warn(f"server URL {url!r} is relative and the descriptor came from a file: "
                  "baseUrl starts with http://localhost — change it in the environment")
        return "http://localhost" + ("" if url.startswith("/") else "/") + url

    def _servers_v2(self) -> list[Server]:
        doc = self.doc
        host = str(doc.get("host") or "")
        base_path = str(doc.get("basePath") or "")
        src = urlsplit(self.source_url) if self.source_url else None
        if not host:
            if src is not None:
                host = src.netloc
            else:
                host = "localhost"
                self.warn("the descriptor has no `host`: baseUrl uses localhost — set it in the environment")
        raw_schemes = doc.get("schemes")
        declared_schemes: list[Any] = raw_schemes if isinstance(raw_schemes, list) else []
        schemes = [str(s).lower() for s in declared_schemes if str(s).lower() in ("http", "https")]
        if not schemes:
            schemes = [src.scheme if src is not None and src.scheme in ("http", "https") else
                       ("http" if host.startswith(("localhost", "127.")) else "https")]
        if schemes == ["http", "https"] or (len(schemes) == 2 and "https" in schemes):
            schemes = ["https", "http"]
        base = base_path.rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        return [Server(f"{scheme}://{host}{base}", scheme.upper(), []) for scheme in schemes]

    def environments(self, title: str, servers: list[Server], auth_vars: Mapping[str, KeyValue],
                     token_urls: Mapping[str, str]) -> tuple[Environment, ...]:
        """One environment per server, each with every auth variable (secrets left empty).

        `token_urls` are relative OAuth URLs by variable name: OpenAPI 3.1 reads them relative to
        the server, so each environment resolves them against its own.
        """
        envs: list[Environment] = []
        names: set[str] = set()
        for index, server in enumerate(servers):
            label = server.description.strip().splitlines()[0] if server.description.strip() else ""
            if not label:
                host = urlsplit(server.url).netloc if "{{" not in urlsplit(server.url).netloc else ""
                label = host or f"server {index + 1}"
            name = title if len(servers) == 1 else f"{title} – {label}"
            name = name[:100]
            base, n = name, 2
            while name in names:
                name, n = f"{base} {n}", n + 1
            names.add(name)
            rows = [KeyValue("baseUrl", server.url, True, server.description.strip() or "Base URL of the API")]
            rows.extend(server.variables)
            secret: set[str] = set()
            for var in auth_vars.values():
                rows.append(var)
                if var.name not in ("username", "clientId") and not var.name.endswith(("_username", "_clientId")):
                    secret.add(var.name)
            for url_var, relative in token_urls.items():
                rows.append(KeyValue(url_var, _join_base(server.url, relative), True,
                                     f"OAuth2 endpoint {relative} relative to this server"))
            envs.append(Environment(name, tuple(_dedupe(rows)), frozenset(secret)))
        return tuple(envs)


def _join_base(base: str, relative: str) -> str:
    """`/v1/oauth2/token` against `https://api.example.com/v2` → `https://api.example.com/v1/oauth2/token`."""
    if relative.startswith("/"):
        origin = re.match(r"^([^:/]+://[^/]+)", base)
        if origin:
            return origin.group(1) + relative
    return base.rstrip("/") + "/" + relative.lstrip("/")


def _dedupe(rows: list[KeyValue]) -> list[KeyValue]:
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.name not in seen:
            seen.add(row.name)
            out.append(row)
    return out
