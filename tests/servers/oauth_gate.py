"""An OAuth 2.0 gate in front of a real service (stdlib http.server in a thread, 127.0.0.1).

Platforms such as Jitterbit App Builder put their OData service behind a password grant and
want `x-client-id`/`x-tenant-id` on every call; CAP alone offers only Basic. The gate gives the
real CAP service that shape: a request passes only with a bearer token the strict token server
(`strict_token.py`) issued and still holds valid, and with every required header; it is then
forwarded unchanged to the upstream service. Anything else is 401 (no or bad token) or 400
(a header missing), as such gateways answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from strict_token import StrictTokenServer

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


@dataclass
class OAuthGate:
    upstream: str
    tokens: StrictTokenServer
    required_headers: dict[str, str] = field(default_factory=dict)
    url: str = ""
    seen: list[dict[str, str]] = field(default_factory=list)

    def start(self) -> "OAuthGate":
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _forward(self) -> None:
                gate.seen.append({k.lower(): v for k, v in self.headers.items()})
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                if not token or token not in gate.tokens.valid_tokens:
                    self._answer(401, b'{"error":"invalid_token"}',
                                 {"Content-Type": "application/json", "WWW-Authenticate": 'Bearer realm="gate"'})
                    return
                for name, value in gate.required_headers.items():
                    if self.headers.get(name) != value:
                        self._answer(400, f'{{"error":"missing or wrong {name} header"}}'.encode(),
                                     {"Content-Type": "application/json"})
                        return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                forward = {k: v for k, v in self.headers.items()
                           if k.lower() not in _HOP_BY_HOP and k.lower() != "authorization"}
                reply = httpx.request(self.command, gate.upstream.rstrip("/") + self.path, headers=forward,
                                      content=body, timeout=30)
                headers = {k: v for k, v in reply.headers.items() if k.lower() not in _HOP_BY_HOP}
                self._answer(reply.status_code, reply.content, headers)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _forward  # noqa: N815 - http.server naming

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
