"""A REST API that pages the ways real ones do (stdlib http.server in a thread, 127.0.0.1).

Every route serves the same rows (`{"id": n, "name": "item n"}`, n = 1..ROWS) and records the
requests it received, so a test can check what went out for page 3. Routes:

- `/frends/api/v1/api-management/api-specifications`: Frends API management. `PageNumber`
  (default 1) and `PageSize` (default 30, max 200); `{"data": [...], "paging": {currentPage,
  pageSize, totalCount, firstPage, lastPage, nextPage, previousPage}}` with absolute URLs and
  `nextPage: null` on the last page. Wants `Authorization: <API key>` (the whole value, no scheme
  word); anything else is a 401 problem+json.
- `/link/items`: `page`/`per_page`, a bare JSON array, RFC 8288 `Link: <…>; rel="next"` (absolute,
  as GitHub writes it) with `rel="last"` and `rel="prev"` beside it.
- `/numbers/items`: `page`/`per_page` with no link at all: `{"page", "per_page", "total",
  "total_pages", "data"}` (reqres.in's shape). `/plain/items`: `PageNumber`/`PageSize`, a bare array,
  no facts: only a short page ends it.
- `/hal/items`: HAL, `_embedded.items` and a relative `_links.next.href`.
- `/capped/Items`: OData-like `{"@odata.context", "value"}` that silently returns at most 10 rows
  whatever `$top` asks (as Jitterbit App Builder caps at 1000), with no next link.
- `/elsewhere/items`: page 1 names a next page on another host; `/loop/items` names itself.
- `/slow/items`: as `/link/items`, but every page after the first takes `SLOW_S` seconds (Cancel).
- `POST /frends/api/v1/api-management/api-specifications/import`: Frends' import, `multipart/form-data`
  with a `file` part; it takes `IMPORT_S` seconds (a client with a short timeout gives up), then
  answers 201 with the file's name and size. No `file` part: 400 problem+json.
- `/frends/api/v1/api-management/process-templates`: a large nested JSON (flow graphs, deep).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROWS = 57
FRENDS_KEY = "frends-api-key-0123"
SLOW_S = 3.0
IMPORT_S = 2.0


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that cancelled a slow page closed its socket: not the server's problem


@dataclass
class Seen:
    path: str  # path and query as received
    authorization: str


@dataclass
class PagedApi:
    rows: int = ROWS
    url: str = ""
    requests: list[Seen] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    def rows_between(self, first: int, count: int) -> list[dict[str, Any]]:
        return [{"id": n, "name": f"item {n}"} for n in range(first + 1, min(first + count, self.rows) + 1)]

    def seen(self, path_prefix: str) -> list[Seen]:
        return [s for s in self.requests if s.path.startswith(path_prefix)]

    def start(self) -> "PagedApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                api.requests.append(Seen(self.path, self.headers.get("Authorization", "")))
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                route = {
                    "/frends/api/v1/api-management/api-specifications": self._frends,
                    "/link/items": self._link, "/numbers/items": self._numbers, "/plain/items": self._plain,
                    "/hal/items": self._hal, "/capped/Items": self._capped,
                    "/elsewhere/items": self._elsewhere, "/loop/items": self._loop, "/slow/items": self._slow,
                    "/frends/api/v1/api-management/process-templates": self._templates,
                }.get(parts.path)
                if route is None:
                    self._json(404, {"title": "Not Found", "status": 404}, "application/problem+json")
                    return
                try:
                    route(parts.path, query)
                except ValueError:
                    self._json(400, {"title": "Bad Request", "status": 400, "detail": "bad paging parameter"},
                               "application/problem+json")

            def _json(self, status: int, body: Any, content_type: str = "application/json",
                      headers: tuple[tuple[str, str], ...] = ()) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _frends(self, path: str, q: dict[str, str]) -> None:
                if self.headers.get("Authorization") != FRENDS_KEY:
                    self._json(401, {"type": "https://httpstatuses.io/401", "title": "Unauthorized", "status": 401,
                                     "detail": "The API key is missing or wrong."}, "application/problem+json")
                    return
                number, size = int(q.get("PageNumber", "1")), int(q.get("PageSize", "30"))
                if number < 1 or not 1 <= size <= 200:
                    raise ValueError
                last = max(1, -(-api.rows // size))

                def at(n: int) -> str:
                    return f"{api.url}{path}?PageNumber={n}&PageSize={size}"

                self._json(200, {"data": api.rows_between((number - 1) * size, size), "paging": {
                    "currentPage": number, "pageSize": size, "totalCount": api.rows, "firstPage": at(1),
                    "lastPage": at(last), "nextPage": at(number + 1) if number < last else None,
                    "previousPage": at(number - 1) if number > 1 else None}})

            def do_POST(self) -> None:  # noqa: N802
                api.requests.append(Seen(self.path, self.headers.get("Authorization", "")))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if urlsplit(self.path).path != "/frends/api/v1/api-management/api-specifications/import":
                    self._json(404, {"title": "Not Found", "status": 404}, "application/problem+json")
                    return
                if self.headers.get("Authorization") != FRENDS_KEY:
                    self._json(401, {"title": "Unauthorized", "status": 401}, "application/problem+json")
                    return
                import email.parser
                import email.policy

                head = f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode()
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
                files = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "file"] \
                    if message.is_multipart() else []
                if not files:
                    self._json(400, {"type": "https://frends.example/problems/no-file", "title": "No file",
                                     "status": 400, "detail": "multipart/form-data with a `file` part expected",
                                     "traceId": "00-abc-01"}, "application/problem+json")
                    return
                time.sleep(IMPORT_S)  # "can be very slow"
                content = files[0].get_payload(decode=True) or b""
                self._json(201, {"id": 7, "fileName": files[0].get_filename(), "bytes": len(content)})

            def _templates(self, path: str, q: dict[str, str]) -> None:
                def node(depth: int, n: int) -> dict[str, Any]:
                    children = [node(depth - 1, i) for i in range(4)] if depth else []
                    return {"id": f"d{depth}n{n}", "type": "task" if children else "end", "next": children,
                            "settings": {"retries": n, "label": f"step {depth}.{n}"}}

                self._json(200, {"data": [{"name": f"template {t}", "flow": node(5, t)} for t in range(3)]})

            def _link(self, path: str, q: dict[str, str]) -> None:
                number, size = int(q.get("page", "1")), int(q.get("per_page", "30"))
                last = max(1, -(-api.rows // size))
                links = [f'<{api.url}{path}?page={last}&per_page={size}>; rel="last"']
                if number < last:
                    links.insert(0, f'<{api.url}{path}?page={number + 1}&per_page={size}>; rel="next"')
                if number > 1:
                    links.append(f'<{api.url}{path}?page={number - 1}&per_page={size}>; rel="prev"')
                self._json(200, api.rows_between((number - 1) * size, size), headers=(("Link", ", ".join(links)),))

            def _slow(self, path: str, q: dict[str, str]) -> None:
                if q.get("page", "1") != "1":
                    time.sleep(SLOW_S)
                self._link(path, q)

            def _numbers(self, path: str, q: dict[str, str]) -> None:
                number, size = int(q.get("page", "1")), int(q.get("per_page", "6"))
                self._json(200, {"page": number, "per_page": size, "total": api.rows,
                                 "total_pages": -(-api.rows // size), "data": api.rows_between((number - 1) * size, size)})

            def _plain(self, path: str, q: dict[str, str]) -> None:
                number, size = int(q.get("PageNumber", "1")), int(q.get("PageSize", "30"))
                self._json(200, api.rows_between((number - 1) * size, size))

            def _hal(self, path: str, q: dict[str, str]) -> None:
                number, size = int(q.get("page", "1")), 20
                links: dict[str, Any] = {"self": {"href": f"{path}?page={number}"}}
                if number * size < api.rows:
                    links["next"] = {"href": f"{path}?page={number + 1}"}
                self._json(200, {"_embedded": {"items": api.rows_between((number - 1) * size, size)}, "_links": links},
                           "application/hal+json")

            def _capped(self, path: str, q: dict[str, str]) -> None:
                top, skip = int(q.get("$top", "1000")), int(q.get("$skip", "0"))
                self._json(200, {"@odata.context": "$metadata#Items", "value": api.rows_between(skip, min(top, 10))})

            def _elsewhere(self, path: str, q: dict[str, str]) -> None:
                port = urlsplit(api.url).port
                self._json(200, {"data": api.rows_between(0, 5),
                                 "paging": {"nextPage": f"http://localhost:{port}{path}?PageNumber=2"}})

            def _loop(self, path: str, q: dict[str, str]) -> None:
                self._json(200, {"data": api.rows_between(0, 5), "next": f"{api.url}{path}?cursor=same"})

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True, name="paged-api").start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
