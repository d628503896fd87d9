"""Security schemes → Auth: for the collection, and for each operation that differs from it.

Follows the Security Scheme and Security Requirement Objects (OAS 3.1 §4.8.27, §4.8.30; Swagger
2.0 `securityDefinitions`): any one requirement satisfies, so the first we can map is used;
`security: []` removes auth for an operation. Secrets are never invented: each becomes a
`{{variable}}` that every environment holds empty. Apart from the operations because the
scheme cache and the variable names it hands out live across the whole descriptor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urljoin

from workbench.core.collections import Auth, KeyValue
from workbench.core.openapi.descriptor import (
    Descriptor,
    as_map,
    one_line_join,
    var_name,
)


@dataclass(frozen=True, slots=True)
class SchemeVars:
    """A mapped requirement: the auth, plus API keys of further schemes it also needs."""

    auth: Auth
    variables: list[KeyValue]
    headers: list[KeyValue] = field(default_factory=list)
    params: list[KeyValue] = field(default_factory=list)


class SecuritySchemes:
    """Maps security requirements to Auth, one scheme once, its secrets named once.

    `auth_vars` (the secrets' variables) and `relative_token_urls` (relative OAuth URLs by
    variable) end up in every environment; `collection_auth` is the descriptor-wide auth an
    operation inherits when its own requirement maps to the same.
    """

    def __init__(self, descriptor: Descriptor) -> None:
        self.doc = descriptor.doc
        self.v2 = descriptor.v2
        self.source_url = descriptor.source_url
        self.warn = descriptor.warn
        self.deref = descriptor.deref
        self.collection_auth = Auth("none")
        self.scheme_cache: dict[tuple[str, tuple[str, ...]], SchemeVars | None] = {}
        self.used_var_names: set[str] = set()
        self.auth_vars: dict[str, KeyValue] = {}
        self.scheme_var_names: dict[str, dict[str, str]] = {}
        self.relative_token_urls: dict[str, str] = {}

    def schemes(self) -> Mapping[str, Any]:
        if self.v2:
            found = self.doc.get("securityDefinitions")
        else:
            found = (self.doc.get("components") or {}).get("securitySchemes")
        return as_map(found)

    def operation_auth(self, op: Mapping[str, Any], global_security: Any,
                       where: str) -> tuple[Auth, SchemeVars | None]:
        if "security" not in op:
            return Auth("inherit"), None
        security = op.get("security")
        if security == global_security:
            return Auth("inherit"), None
        if isinstance(security, list) and not security:
            return Auth("none"), None
        auth, extra = self.security_auth(security, where)
        if auth == self.collection_auth and not extra:
            return Auth("inherit"), None
        return auth, extra

    def security_auth(self, security: Any, where: str) -> tuple[Auth, SchemeVars | None]:
        """The first requirement we can map (OAS: any one requirement object satisfies)."""
        if not isinstance(security, list) or not security:
            return Auth("none"), None
        if any(isinstance(r, Mapping) and not r for r in security) and len(security) == 1:
            return Auth("none"), None
        unsupported: list[str] = []
        for requirement in security:
            if not isinstance(requirement, Mapping) or not requirement:
                continue
            mapped = [(name, self.scheme_auth(str(name), tuple(map(str, scopes if isinstance(scopes, list) else ())),
                                                     where))
                      for name, scopes in requirement.items()]
            usable = [(n, m) for n, m in mapped if m is not None]
            if not usable:
                unsupported.extend(str(n) for n, _ in mapped)
                continue
            (first_name, first), *others = usable
            extra = SchemeVars(first.auth, [], [], [])
            for other_name, other in others:
                if other.auth.type == "apikey":
                    row = KeyValue(other.auth.get("name"), other.auth.get("value"), True,
                                   f"API key of security scheme {other_name}")
                    if other.auth.get("in") == "query":
                        extra.params.append(row)
                    elif other.auth.get("in") == "cookie":
                        extra.headers.append(KeyValue("Cookie", f"{row.name}={row.value}", True, row.description))
                    else:
                        extra.headers.append(row)
                else:
                    self.warn(f"{where}: security requirement also needs {other_name!r}; "
                              f"only {first_name!r} is set up as auth")
            return first.auth, extra if (extra.headers or extra.params) else None
        if unsupported:
            self.warn(f"{where}: no supported security scheme among {', '.join(sorted(set(unsupported)))}; "
                      "auth is left to you")
        return Auth("none"), None

    def auth_var(self, scheme: str, kind: str, description: str) -> str:
        """A `{{variable}}` name for one secret/setting of a scheme (`apiKey`, `bearerToken`, …)."""
        per_scheme = self.scheme_var_names.setdefault(scheme, {})
        if kind in per_scheme:
            return per_scheme[kind]
        name = kind if kind not in self.used_var_names else f"{var_name(scheme)}_{kind}"
        self.used_var_names.add(name)
        per_scheme[kind] = name
        self.auth_vars[name] = KeyValue(name, "", True, description)
        return name

    def scheme_auth(self, name: str, scopes: tuple[str, ...], where: str) -> SchemeVars | None:
        key = (name, scopes)
        if key in self.scheme_cache:
            return self.scheme_cache[key]
        result = self._scheme_auth(name, scopes, where)
        self.scheme_cache[key] = result
        return result

    def _scheme_auth(self, name: str, scopes: tuple[str, ...], where: str) -> SchemeVars | None:
        raw = self.schemes().get(name)
        if raw is None:
            self.warn(f"{where}: security scheme {name!r} is not defined; ignored")
            return None
        scheme = self.deref(raw, f"security scheme {name}")
        if not isinstance(scheme, Mapping):
            return None
        kind = str(scheme.get("type") or "")
        desc = one_line_join(scheme.get("description"))
        if kind == "apiKey":
            location = str(scheme.get("in") or "header")
            if location not in ("header", "query", "cookie"):
                self.warn(f"security scheme {name!r}: API key in {location!r} is not supported")
                return None
            header = str(scheme.get("name") or "Authorization")
            var = self.auth_var(name, "apiKey", one_line_join(f"API key ({location} {header}) for {name}", desc))
            return SchemeVars(Auth("apikey", {"name": header, "value": "{{" + var + "}}", "in": location}), [])
        if kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            user = self.auth_var(name, "username", f"user name for {name} (HTTP Basic)")
            password = self.auth_var(name, "password", f"password for {name} (HTTP Basic)")
            return SchemeVars(Auth("basic", {"username": "{{" + user + "}}", "password": "{{" + password + "}}"}), [])
        if kind == "http":
            http_scheme = str(scheme.get("scheme", "")).lower()
            if http_scheme == "bearer":
                fmt = str(scheme.get("bearerFormat") or "")
                token = self.auth_var(name, "bearerToken",
                                      one_line_join(f"bearer token for {name}" + (f" ({fmt})" if fmt else ""), desc))
                return SchemeVars(Auth("bearer", {"token": "{{" + token + "}}"}), [])
            self.warn(f"security scheme {name!r}: HTTP {http_scheme or '?'} auth is not supported; set it up by hand")
            return None
        if kind == "oauth2":
            return self.oauth2(name, scheme, scopes)
        if kind == "openIdConnect":
            url = str(scheme.get("openIdConnectUrl") or "")
            client_id = self.auth_var(name, "clientId", f"OAuth2 client id for {name}")
            secret = self.auth_var(name, "clientSecret", f"OAuth2 client secret for {name}")
            discovery = self.resolve_oauth_url(url, name, "discoveryUrl")
            params = {"grant_type": "authorization_code", "discovery_url": discovery,
                      "scope": " ".join(dict.fromkeys(("openid",) + scopes)), "client_id": "{{" + client_id + "}}",
                      "client_secret": "{{" + secret + "}}", "client_auth": "basic"}
            return SchemeVars(Auth("oauth2", params), [])
        if kind == "mutualTLS":
            self.warn(f"security scheme {name!r}: mutual TLS needs a client certificate; set it up in Settings")
            return None
        self.warn(f"security scheme {name!r} has an unknown type {kind!r}; ignored")
        return None

    def oauth2(self, name: str, scheme: Mapping[str, Any], scopes: tuple[str, ...]) -> SchemeVars | None:
        flows: Mapping[str, Any]
        if self.v2:  # Swagger 2.0: one flow per scheme, with older names
            flow_name = str(scheme.get("flow") or "")
            v2_names = {"application": "clientCredentials", "accessCode": "authorizationCode",
                        "password": "password", "implicit": "implicit"}
            flows = {v2_names.get(flow_name, flow_name): scheme}
        else:
            flows = as_map(scheme.get("flows"))
        order = ("clientCredentials", "authorizationCode", "password", "implicit")
        chosen = next((f for f in order if isinstance(flows.get(f), Mapping)), None)
        if chosen is None:
            self.warn(f"security scheme {name!r}: OAuth2 without a known flow; ignored")
            return None
        flow = flows[chosen]
        grant = {"clientCredentials": "client_credentials", "authorizationCode": "authorization_code",
                 "password": "password", "implicit": "implicit"}[chosen]
        all_scopes = list((flow.get("scopes") or {}).keys()) if isinstance(flow.get("scopes"), Mapping) else []
        client_id = self.auth_var(name, "clientId", f"OAuth2 client id for {name}")
        params = {"grant_type": grant, "client_id": "{{" + client_id + "}}"}
        if grant != "implicit":  # RFC 6749 §4.2: the implicit grant has no client authentication
            secret = self.auth_var(name, "clientSecret", f"OAuth2 client secret for {name}")
            params["client_secret"] = "{{" + secret + "}}"
            params["client_auth"] = "basic"
        params["scope"] = " ".join(scopes or all_scopes)
        token_url = flow.get("tokenUrl")
        auth_url = flow.get("authorizationUrl")
        if token_url:
            params["token_url"] = self.resolve_oauth_url(str(token_url), name, "tokenUrl")
        if auth_url:
            params["auth_url"] = self.resolve_oauth_url(str(auth_url), name, "authUrl")
        if flow.get("refreshUrl"):
            params["refresh_url"] = self.resolve_oauth_url(str(flow["refreshUrl"]), name, "refreshUrl")
        if grant == "password":
            user = self.auth_var(name, "username", f"resource owner user name for {name}")
            password = self.auth_var(name, "password", f"resource owner password for {name}")
            params["username"] = "{{" + user + "}}"
            params["password"] = "{{" + password + "}}"
        if len([f for f in order if isinstance(flows.get(f), Mapping)]) > 1:
            others = [f for f in order if isinstance(flows.get(f), Mapping) and f != chosen]
            self.warn(f"security scheme {name!r}: OAuth2 flow {chosen} chosen; also offered: {', '.join(others)}")
        return SchemeVars(Auth("oauth2", params), [])

    def resolve_oauth_url(self, url: str, scheme: str, kind: str) -> str:
        """OAS 3.1: relative OAuth URLs are relative to the server URL — per environment, so a variable."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) or not url:
            return url
        if self.source_url and not self.v2 and not self.doc.get("servers"):
            return urljoin(self.source_url, url)
        per_scheme = self.scheme_var_names.setdefault(scheme, {})
        if kind not in per_scheme:
            var = kind if kind not in self.used_var_names else f"{var_name(scheme)}_{kind}"
            self.used_var_names.add(var)
            per_scheme[kind] = var
            self.relative_token_urls[var] = url
        return "{{" + per_scheme[kind] + "}}"
