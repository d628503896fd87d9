"""Small stand-ins for the REST parts of the platforms in ../shared/PLATFORMS.md (stdlib http.server, 127.0.0.1).

The real servers (CAP, oidc-provider) play the OData and OIDC parts; these play what no real
server here can:

- `BizagiOData`: a Bizagi project at `/<project>/`: the client-credentials token endpoint at
  `/<project>/oauth2/server/token` (client authentication only as a Basic header, scope `api`
  required; the checks are `strict_token.StrictTokenServer.token`'s, so §2.3.1 encoding is
  enforced) and OData-shaped JSON under `/<project>/odata/data/` that wants a token it issued.
  `descriptor_zip()` builds the OpenAPI ZIP the platform hands out: a root document whose paths
  and schemas live in other files of the archive.
- `Datasets`: a Bizagi dataset's REST URL per environment, each with its own Basic key pair;
  one JSON object per POST, arrays refused (400), wrong keys 401.
- `WorkflowApi`: Workflow Server's `POST /workflowapi/createinstance/<guid>`; the bearer must be
  an RS256 JWT signed by the OIDC provider's key (JWKS), issued to `workflowapi`, unexpired, or,
  in token-field mode, the `token` query field must equal the API token.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import yaml
from strict_token import Client, StrictTokenServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Base:
    """A thread-served handler that records every hit and routes to `self.handle`."""

    url: str = ""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._httpd: ThreadingHTTPServer | None = None

    def handle(self, hit: Hit) -> tuple[int, Any, dict[str, str]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def start(self) -> Any:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hit = Hit(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                          self.rfile.read(length) if length else b"")
                owner.hits.append(hit)
                status, body, headers = owner.handle(hit)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _any  # noqa: N815

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


# ---------------------------------------------------------------------------------------------- Bizagi OData

BIZAGI_CLIENT = ("bizagi app", "k3y:2+/=")  # access keys with characters §2.3.1 wants encoded


class BizagiOData(_Base):
    def __init__(self, project: str = "Claims") -> None:
        super().__init__()
        self.project = project
        self.tokens = StrictTokenServer(clients={BIZAGI_CLIENT[0]: Client(BIZAGI_CLIENT[1], "basic")},
                                        scopes=frozenset({"api"}))

    def token_hits(self) -> list[Hit]:
        return [h for h in self.hits if h.path.endswith("/oauth2/server/token")]

    def handle(self, hit: Hit) -> tuple[int, Any, dict[str, str]]:
        path = urlsplit(hit.path).path
        prefix = f"/{self.project}"
        if hit.method == "POST" and path == f"{prefix}/oauth2/server/token":
            form = dict(parse_qsl(hit.body.decode(), keep_blank_values=True))
            if form.get("scope") != "api":
                return 400, {"error": "invalid_scope", "error_description": "scope api is required"}, {}
            if "client_secret" in form:
                return 401, {"error": "invalid_client", "error_description": "Basic client authentication only"}, {}
            status, payload = self.tokens.token(form, hit.headers.get("authorization", ""))
            return status, payload, {}
        token = hit.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens.valid_tokens:
            return 401, {"error": {"code": "401", "message": "invalid token"}}, {}
        base = f"{prefix}/odata/data"
        if path == f"{base}/me/pendingCases":
            return 200, {"@odata.context": "$metadata#Cases", "value": [
                {"id": 101, "caseNumber": "CLM-101", "process": "Claims"},
                {"id": 102, "caseNumber": "CLM-102", "process": "Claims"}]}, {}
        if path == f"{base}/processes":
            return 200, {"@odata.context": "$metadata#processes", "value": [
                {"id": "p1", "name": "Claims", "displayName": "Claims handling"}]}, {}
        return 404, {"error": {"code": "404", "message": "no such resource"}}, {}


def descriptor_zip(server_url: str = "https://bizagi.example.com/Claims/odata/data") -> bytes:
    """The OpenAPI ZIP a Bizagi project hands out: one root, paths and schemas in other files."""
    root = {"openapi": "3.0.1", "info": {"title": "Bizagi OData Claims", "version": "1.0"},
            "servers": [{"url": server_url}],
            "paths": {"/me/pendingCases": {"$ref": "paths/cases.yaml#/pendingCases"},
                      "/processes": {"$ref": "paths/processes.yaml#/processes"},
                      "/processes('{processId}')/cases": {"$ref": "paths/processes.yaml#/processCases"}}}
    cases = {"pendingCases": {"get": {"operationId": "getPendingCases", "summary": "My pending cases",
                                      "parameters": [{"$ref": "../components/parameters.yaml#/top"}],
                                      "responses": {"200": {"description": "Cases", "content": {"application/json": {
                                          "schema": {"$ref": "../components/schemas.yaml#/CaseList"}}}}}}}}
    processes = {
        "processes": {"get": {"operationId": "getProcesses", "summary": "Processes",
                              "responses": {"200": {"description": "Processes"}}}},
        "processCases": {"post": {"operationId": "startCase", "summary": "Start a case",
                                  "parameters": [{"name": "processId", "in": "path", "required": True,
                                                  "schema": {"type": "string"}}],
                                  "requestBody": {"content": {"application/json": {"schema": {
                                      "$ref": "../components/schemas.yaml#/NewCase"}}}},
                                  "responses": {"201": {"description": "Created"}}}}}
    schemas = {"Case": {"type": "object", "properties": {"id": {"type": "integer"}, "caseNumber": {"type": "string"},
                                                          "process": {"type": "string"}}},
               "CaseList": {"type": "object", "properties": {"value": {"type": "array", "items": {"$ref": "#/Case"}}}},
               "NewCase": {"type": "object", "properties": {"startParameters": {"type": "array", "items": {}}}}}
    parameters = {"top": {"name": "$top", "in": "query", "schema": {"type": "integer"}}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Claims/openapi.yaml", yaml.safe_dump(root, sort_keys=False))
        archive.writestr("Claims/paths/cases.yaml", yaml.safe_dump(cases, sort_keys=False))
        archive.writestr("Claims/paths/processes.yaml", yaml.safe_dump(processes, sort_keys=False))
        archive.writestr("Claims/components/schemas.yaml", yaml.safe_dump(schemas, sort_keys=False))
        archive.writestr("Claims/components/parameters.yaml", yaml.safe_dump(parameters, sort_keys=False))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- Bizagi Datasets

DATASET_KEYS = {"Development": ("dev-key-1", "dev-key-2"), "Testing": ("test-key-1", "test-key-2"),
                "Production": ("prod-key-1", "prod-key-2")}


class Datasets(_Base):
    """`POST /<environment>/api/datasets/42`: one record per POST, with that environment's keys."""

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, list[dict[str, Any]]] = {name: [] for name in DATASET_KEYS}

    def rest_url(self, environment: str) -> str:
        return f"{self.url}/{environment.lower()}/api/datasets/42"

    def handle(self, hit: Hit) -> tuple[int, Any, dict[str, str]]:
        env = next((n for n in DATASET_KEYS if urlsplit(hit.path).path == f"/{n.lower()}/api/datasets/42"), None)
        if env is None or hit.method != "POST":
            return 404, {"message": "no such dataset"}, {}
        user, password = DATASET_KEYS[env]
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if hit.headers.get("authorization") != expected:
            return 401, {"message": "invalid access keys"}, {"WWW-Authenticate": 'Basic realm="dataset"'}
        try:
            record = json.loads(hit.body)
        except ValueError:
            return 400, {"message": "the body is not JSON"}, {}
        if not isinstance(record, dict):
            return 400, {"message": "send one record per request: collections are not accepted"}, {}
        self.records[env].append(record)
        return 201, {"status": "accepted"}, {}


# ---------------------------------------------------------------------------------------------- Workflow Server

def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class WorkflowApi(_Base):
    issuer: str = ""  # the OIDC provider; empty: token-field mode only
    api_token: str = "wf-api-token"
    created: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _Base.__init__(self)
        self._keys: dict[str, Any] = {}

    def _key(self, kid: str) -> Any:
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

        if kid not in self._keys:
            discovery = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()
            for jwk in httpx.get(discovery["jwks_uri"], timeout=10).json()["keys"]:
                numbers = RSAPublicNumbers(int.from_bytes(_b64url(jwk["e"]), "big"), int.from_bytes(_b64url(jwk["n"]), "big"))
                self._keys[jwk.get("kid", "")] = numbers.public_key()
        return self._keys.get(kid)

    def bearer_ok(self, token: str) -> bool:
        """An RS256 JWT from the issuer's key, for client `workflowapi`, not expired."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            head, body, signature = token.split(".")
            header, claims = json.loads(_b64url(head)), json.loads(_b64url(body))
            key = self._key(header.get("kid", "")) if header.get("alg") == "RS256" else None
            if key is None:
                return False
            key.verify(_b64url(signature), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature, KeyError):
            return False
        return claims.get("iss") == self.issuer and claims.get("client_id") == "workflowapi" \
            and claims.get("exp", 0) > time.time()

    def handle(self, hit: Hit) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(hit.path)
        if hit.method != "POST" or not parts.path.startswith("/workflowapi/createinstance/"):
            return 404, {"error": "not found"}, {}
        token = hit.headers.get("authorization", "").removeprefix("Bearer ")
        query = dict(parse_qsl(parts.query))
        allowed = (self.issuer and self.bearer_ok(token)) or query.get("token") == self.api_token
        if not allowed:
            return 401, {"success": False, "error": "Access denied"}, {}
        try:
            scheme = json.loads(hit.body)["schemeCode"]
        except (ValueError, KeyError, TypeError):
            return 400, {"success": False, "error": "schemeCode is required"}, {}
        guid = parts.path.rsplit("/", 1)[1]
        self.created.append({"processId": guid, "schemeCode": scheme})
        return 200, {"success": True, "data": {"processId": guid, "schemeCode": scheme}}, {}
