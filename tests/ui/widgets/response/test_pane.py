"""The response pane against real responses (httpbin, CAP, a tiny stdlib server) and generated bodies."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from exchanges import fetch  # noqa: E402
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from workbench.core.collections import Request
from workbench.core.sending.prepare import PreparedRequest
from workbench.core.sending.transport import Exchange, Response, send_prepared
from workbench.ui.widgets.response.pane import ResponsePane

PROBLEM = {"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.",
           "status": 403, "detail": "Your current balance is 30, but that costs 50.",
           "instance": "/account/12345/msgs/abc", "balance": 30,
           "errors": [{"pointer": "#/amount", "detail": "must not exceed the balance"}]}


class _Handler(BaseHTTPRequestHandler):
    """Bodies httpbin cannot send: problem+json and broken JSON with a JSON content type."""

    routes = {
        "/problem": (403, "application/problem+json", json.dumps(PROBLEM).encode()),
        "/broken": (200, "application/json", b'{"items": [1, 2, 3,, 4], "ok": true}'),
        "/empty": (204, "application/json", b""),
    }

    def do_GET(self) -> None:  # noqa: N802
        status, ctype, body = self.routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()






def show(qtbot, pane: ResponsePane, exchange: Exchange, request: Request | None = None) -> None:  # type: ignore[no-untyped-def]
    pane.show_exchange(exchange, request)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=15000)


def top_keys(pane: ResponsePane) -> list[str]:
    model = pane.tree_view.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_json_from_httpbin_pretty_tree_expand_collapse(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{httpbin.url}/json"))
    assert pane.status.text() == "200 OK"
    assert pane.tab_visible("pretty") and pane.tab_visible("tree") and not pane.tab_visible("table")
    assert '"slideshow": {' in pane.pretty_view.text()
    assert pane.pretty_view.text() == json.dumps(json.loads(pane.response.read_body()), indent=2, ensure_ascii=False) + "\n"
    tree = pane.tree_view.tree
    model = pane.tree_view.model
    assert top_keys(pane) == ["slideshow"]
    pane.tabs.setCurrentWidget(pane.tree_view)  # the Tree lays its rows out once shown (issue 17)
    slideshow = model.index(0, 0)
    assert tree.isExpanded(slideshow)  # the first level opens when the Tree is first shown
    tree.expand(slideshow)
    assert tree.isExpanded(slideshow)
    keys = [model.data(model.index(r, 0, slideshow)) for r in range(model.rowCount(slideshow))]
    assert sorted(keys) == ["author", "date", "slides", "title"]
    slides = model.index(keys.index("slides"), 0, slideshow)
    tree.expand(slides)
    assert model.rowCount(slides) == 2 and model.data(slides.siblingAtColumn(3)) == "2"
    tree.collapse(slideshow)
    assert not tree.isExpanded(slideshow)
    assert pane.set_tab_title is not None and "Headers (" in pane.tabs.tabText(pane.tabs.indexOf(pane.headers_table))


def _records_exchange(count: int = 200) -> Exchange:
    doc = {"@odata.context": "$metadata#Cases", "@odata.count": count, "value": [
        {"ID": i, "title": f"case {i}" + (" needle" if i in (17, 120) else ""), "status": "open" if i % 4 == 0 else "closed",
         "owner": {"name": f"user{i % 5}", "needleKey": i} if i in (33, 150) else {"name": f"user{i % 5}"}}
        for i in range(count)]}
    body = json.dumps(doc).encode()
    response = Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), len(body), 5.0, body=body,
                        url="http://127.0.0.1:1/odata/Cases")
    return Exchange(PreparedRequest("GET", response.url), response, time.time())


def test_search_text_next_previous_and_key(qtbot, pane: ResponsePane) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, _records_exchange())
    view = pane.tree_view
    view.search.setText("NEEDLE")

    def current() -> str:
        node = view.current_node()
        return node.path() if node else ""

    def step(action, expected: str) -> None:  # type: ignore[no-untyped-def]
        action()
        qtbot.waitUntil(lambda: not view.busy(), timeout=5000)
        assert current() == expected

    step(view.find_next, "$.value[17].title")
    assert view.tree.isExpanded(view.tree.currentIndex().parent())
    step(view.find_next, "$.value[33].owner.needleKey")  # a match in a member name
    step(view.find_next, "$.value[120].title")
    step(view.find_previous, "$.value[33].owner.needleKey")
    step(view.find_previous, "$.value[17].title")
    view.mode.setCurrentText("Key")
    view.search.setText("needleKey")
    step(view.find_next, "$.value[33].owner.needleKey")
    step(view.find_next, "$.value[150].owner.needleKey")
    step(view.find_next, "$.value[33].owner.needleKey")  # wraps around
    assert "wrapped" in view.search_status.text()
    view.search.setText("not there at all")
    view.find_next()
    qtbot.waitUntil(lambda: view.search_status.text() == "no match", timeout=5000)


def test_jsonpath_filter_shows_the_matching_sub_document(qtbot, pane: ResponsePane) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, _records_exchange(40))
    view = pane.tree_view
    view.filter.setText("$.value[?(@.status == 'open')].title")
    view.apply_filter()
    qtbot.waitUntil(lambda: "match" in view.filter_status.text(), timeout=5000)
    assert view.filter_status.text() == "10 matches"
    assert top_keys(pane)[:2] == ["$.value[0].title", "$.value[4].title"]
    model = view.model
    assert model.data(model.index(1, 2)) == "case 4"
    view.tree.setCurrentIndex(model.index(1, 0))
    view.copy_value()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "case 4"
    view.clear_filter()
    assert top_keys(pane) == ["@odata.context", "@odata.count", "value"]
    view.filter.setText("$.value[")
    view.apply_filter()
    qtbot.waitUntil(lambda: "JSONPath" in view.filter_status.text(), timeout=5000)
    assert top_keys(pane) == ["@odata.context", "@odata.count", "value"]


def test_copy_path_of_a_selected_value(qtbot, pane: ResponsePane) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, _records_exchange(5))
    view = pane.tree_view
    value = view.model.index(2, 0)
    first = view.model.ensure_row(value, 3)
    owner = view.model.ensure_row(first, 3)
    view.tree.setCurrentIndex(owner)
    view.copy_path()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "$.value[3].owner"
    view.copy_value()
    assert json.loads(QGuiApplication.clipboard().text()) == {"name": "user3"}


def test_problem_json_card_with_raw_body_one_click_away(qtbot, pane: ResponsePane, local_server: str) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{local_server}/problem"))
    assert pane.tab_visible("error") and pane.tabs.currentWidget() is pane.error_card
    card = pane.error_card
    assert card.details is not None and card.details.flavour == "problem"
    assert card.fields["Detail"] == PROBLEM["detail"]
    assert card.fields["Instance"] == "/account/12345/msgs/abc"
    assert card.fields["balance"] == "30"
    card.raw_requested.emit()
    assert pane.tabs.currentWidget() is pane.raw_view
    qtbot.waitUntil(lambda: "out-of-credit" in pane.raw_view.text(), timeout=5000)


def test_odata_error_card_from_cap(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{odata_server.url}/Users(999)"))
    assert pane.status.text().startswith("404")
    card = pane.error_card
    assert card.details is not None and card.details.flavour == "odata"
    assert card.fields["Code"] == "404"
    assert pane.tabs.currentWidget() is card


def test_invalid_json_with_json_content_type_is_shown_raw(qtbot, pane: ResponsePane, local_server: str) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{local_server}/broken"))
    assert pane.parse_error is not None
    assert "not valid JSON" in pane.banner.text() and "application/json" in pane.banner.text()
    assert pane.pretty_view.text() == '{"items": [1, 2, 3,, 4], "ok": true}'
    assert not pane.tab_visible("tree")
    assert pane.tabs.currentWidget() is pane.pretty_view


def test_empty_body(qtbot, pane: ResponsePane, local_server: str) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{local_server}/empty"))
    assert pane.status.text().startswith("204")
    assert pane.body_kind == "empty" and not pane.tab_visible("pretty")


def test_png_image_is_previewed(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{httpbin.url}/image/png"))
    assert pane.body_kind == "image" and pane.tab_visible("image")
    pixmap = pane.image_label.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 10
    assert "px" in pane.meta.text()


def test_html_shown_as_source_and_binary_offered_for_saving(qtbot, pane: ResponsePane, httpbin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{httpbin.url}/html"))
    assert pane.body_kind == "html" and pane.tabs.currentWidget() is pane.raw_view
    qtbot.waitUntil(lambda: "<h1>" in pane.raw_view.text(), timeout=5000)
    assert "shown as source" in pane.raw_view.banner.text()
    exchange = fetch(f"{httpbin.url}/bytes/3000?seed=4")
    show(qtbot, pane, exchange)
    assert pane.body_kind == "binary" and pane.tab_visible("binary")
    assert pane.hex_view.text().startswith("00000000  ")
    target = tmp_path / "body.bin"
    pane.save_body_as(str(target))
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size == 3000, timeout=5000)
    assert target.read_bytes() == exchange.response.body


def test_headers_cookies_and_timing(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    cookie = "sid=abc123; Path=/; HttpOnly; SameSite=Lax"
    from urllib.parse import quote

    exchange = fetch(f"{httpbin.url}/response-headers?Set-Cookie={quote(cookie)}&X-Extra=1")
    show(qtbot, pane, exchange)
    headers = {pane.headers_table.item(r, 0).text().lower(): pane.headers_table.item(r, 1).text()
               for r in range(pane.headers_table.rowCount())}
    assert headers["x-extra"] == "1"
    row = [pane.cookies_table.item(0, c).text() for c in range(8)]
    assert row == ["sid", "abc123", "", "/", "", "", "yes", "Lax"]
    phases = pane.timing_chart.phases()
    assert [p[0] for p in phases] == ["Connect", "TLS handshake", "Waiting (TTFB)", "Download"]
    timings = exchange.response.timings
    assert phases[0][2] == timings.connect_ms > 0
    assert phases[3][1] == pytest.approx(timings.ttfb_ms)


def test_live_byte_count_while_receiving(qtbot, pane: ResponsePane, httpbin, qasync_loop) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    original = pane.show_progress

    def spy(received: int, total: int | None) -> None:
        original(received, total)
        seen.append(pane.meta.text())

    pane.show_pending(Request("stream", "GET", f"{httpbin.url}/stream-bytes/100000"))
    assert pane.progress.isVisible() and pane.empty.title.text() == "Sending GET …"
    task = asyncio.ensure_future(send_prepared(
        PreparedRequest("GET", f"{httpbin.url}/stream-bytes/100000?chunk_size=5000&seed=2"), on_progress=spy))
    qtbot.waitUntil(task.done, timeout=15000)
    assert len(seen) > 3 and seen[0].startswith("received ") and seen[-1] == "received 97.7 KB"
    pane.show_exchange(task.result())
    assert not pane.progress.isVisible()
    pane.show_cancelled()
    assert pane.status.text() == "Cancelled." and pane.empty.state == "cancelled" and not pane.tabs.isVisible()


def test_contract_tab_lists_violations_for_an_imported_operation(qtbot, pane: ResponsePane, httpbin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = {"openapi": "3.0.0", "info": {"title": "b", "version": "1"}, "paths": {"/json": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "slideshow": {"type": "object", "properties": {"title": {"type": "integer"}, "slides": {"type": "array"}}}}}}}}}}}}}
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    pane.set_collection_dir(tmp_path)
    request = Request("json", "GET", f"{httpbin.url}/json", meta={"openapi_operation": "get /json"})
    show(qtbot, pane, fetch(f"{httpbin.url}/json"), request)
    assert pane.contract_list.topLevelItemCount() == 1
    item = pane.contract_list.topLevelItem(0)
    assert (item.text(0), item.text(1)) == ("schema", "$.slideshow.title")
    assert pane.tabs.tabText(pane.tabs.indexOf(pane.contract_view)) == "Contract (1)"
    pane._violation_activated(item)
    assert pane.tabs.currentWidget() is pane.tree_view
    assert pane.tree_view.current_node().path() == "$.slideshow.title"  # the tree opened at the violation


def test_xml_metadata_pretty_and_tree(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{odata_server.url}/$metadata"))
    assert pane.body_kind == "xml" and pane.tab_visible("xml")
    text = pane.xml_view.text_view.text()
    assert "<edmx:Edmx" in text and '\n    <Schema' in text or '\n  <edmx:DataServices>' in text
    tree = pane.xml_view.tree
    root = tree.topLevelItem(0)
    assert root.text(0) == "Edmx" and root.childCount() >= 1
    assert "OData metadata (CSDL)" in pane.xml_view.info.text()
    from workbench.ui.widgets.response.xml_view import metadata_browser_class

    assert pane.xml_view.metadata_btn.isVisibleTo(pane) == (metadata_browser_class() is not None)
    if metadata_browser_class() is not None:
        pane.xml_view.metadata_btn.click()
        browser = pane.xml_view.browser
        qtbot.addWidget(browser)
        assert browser.isVisible() and browser.windowTitle() == "Metadata browser"


def test_json_batch_parts_are_listed_and_shown(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    batch = {"requests": [{"id": "1", "method": "GET", "url": "Users?$top=2&$select=ID"},
                          {"id": "2", "method": "GET", "url": "Users(999)"}]}
    exchange = fetch(f"{odata_server.url}/$batch", "POST", json.dumps(batch).encode(),
                     (("Content-Type", "application/json"), ("Accept", "application/json")))
    show(qtbot, pane, exchange)
    qtbot.waitUntil(lambda: pane.parts_list.count() == 2, timeout=5000)
    assert pane.tabs.currentWidget() is pane.parts_view
    assert pane.parts_list.item(0).text().startswith("1 · 200")
    part = pane._part_pane
    qtbot.waitUntil(lambda: part is not None and not part.is_loading(), timeout=5000)
    assert part.tab_visible("table") and part.table_view.model.total_rows == 2
    pane.parts_list.setCurrentRow(1)
    qtbot.waitUntil(lambda: not part.is_loading(), timeout=5000)
    assert part.status.text().startswith("404") and part.error_card.details is not None


def _big_json(path: Path, target_bytes: int) -> int:
    template = ('{"ID":%d,"title":"Refund review %d for customer","status":"open","amount":%d.5,"urgent":false,'
                '"owner":{"id":%d,"name":"Anna O\'Neil","tags":["vip","eu"]},"tasks":[{"n":1,"done":true},{"n":2,"done":false}],'
                '"notes":"Line one\\nLine two with unicode \\u00e9"}')
    one = len(template % (1, 1, 1, 1))
    count = target_bytes // (one + 3)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"@odata.context":"$metadata#Cases","value":[')
        fh.write(",".join(template % (i, i, i, i % 20) for i in range(count)))
        fh.write("]}")
    return count


def test_50_mb_body_leaves_the_window_responsive(qtbot, pane: ResponsePane, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """While a 50 MB body loads, the event loop keeps turning (a 5 ms timer keeps firing)."""
    path = tmp_path / "big.json"
    count = _big_json(path, 50 * 1024 * 1024)
    size = path.stat().st_size
    response = Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), size, 900.0, body_file=str(path),
                        url="http://127.0.0.1:1/odata/v4/cases/Cases")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(30)
    started = time.perf_counter()
    pane.show_response(response)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=60000)
    timer.stop()
    during = [t for t in ticks if t >= started]
    gaps = [b - a for a, b in zip(during, during[1:])]
    assert len(during) > 50, "the event loop stopped turning while the body loaded"
    assert max(gaps) < 0.5, f"longest stall {max(gaps) * 1000:.0f} ms"
    assert "Showing the first" in pane.pretty_view.banner.text()
    model = pane.tree_view.model
    value = model.index(1, 0)
    assert model.data(value) == "value" and model.data(value.siblingAtColumn(3)) == f"{count:,}"
    assert pane.table_view.model.total_rows == count
    last = model.ensure_row(value, count - 1)
    assert model.data(last) == f"[{count - 1}]"
    assert pane.json_index is not None and pane.json_index.complete


def test_size_limit_gives_a_clear_message(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    pane.max_view_bytes = 1000
    show(qtbot, pane, fetch(f"{httpbin.url}/bytes/5000"))
    assert "above the viewer limit of 1000 B" in pane.banner.text()
    assert pane.tab_visible("binary") and not pane.tab_visible("pretty")
    assert pane.save_btn.isVisibleTo(pane) and not pane.copy_btn.isVisibleTo(pane)


def test_multipart_batch_parts(qtbot, pane: ResponsePane, odata_server) -> None:  # type: ignore[no-untyped-def]
    body = "\r\n".join([
        "--batch_1", "Content-Type: application/http", "Content-Transfer-Encoding: binary", "",
        "GET Users(1)?$select=userName HTTP/1.1", "Accept: application/json", "", "",
        "--batch_1", "Content-Type: application/http", "Content-Transfer-Encoding: binary", "",
        "GET Users(999) HTTP/1.1", "Accept: application/json", "", "",
        "--batch_1--", ""]).encode()
    exchange = fetch(f"{odata_server.url}/$batch", "POST", body, (("Content-Type", "multipart/mixed; boundary=batch_1"),))
    assert exchange.response.content_type == "multipart/mixed"
    show(qtbot, pane, exchange)
    qtbot.waitUntil(lambda: pane.parts_list.count() == 2, timeout=5000)
    part = pane._part_pane
    qtbot.waitUntil(lambda: part is not None and not part.is_loading(), timeout=5000)
    assert part.status.text().startswith("200") and '"userName": "anna"' in part.pretty_view.text()
    pane.parts_list.setCurrentRow(1)
    qtbot.waitUntil(lambda: not part.is_loading(), timeout=5000)
    assert part.status.text().startswith("404")


def test_pretty_text_folds_and_colours(qtbot, pane: ResponsePane) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, _records_exchange(3))
    edit = pane.pretty_view.edit
    doc = edit.document()
    value_line = next(i for i in range(doc.blockCount()) if doc.findBlockByNumber(i).text().startswith('  "value": ['))
    close = edit._closing_block(value_line)
    assert doc.findBlockByNumber(close).text() == "  ]"
    edit.toggle_fold(value_line)
    assert edit.is_folded(value_line)
    assert not doc.findBlockByNumber(value_line + 1).isVisible() and doc.findBlockByNumber(close).isVisible()
    edit.toggle_fold(value_line + 1)  # not an opening line once hidden? it opens "{": fold it inside
    edit.toggle_fold(value_line)  # unfold the outer one: the inner fold stays folded
    assert doc.findBlockByNumber(value_line + 1).isVisible()
    assert not doc.findBlockByNumber(value_line + 2).isVisible()
    edit.unfold_all()
    assert all(doc.findBlockByNumber(i).isVisible() for i in range(doc.blockCount()))
    spans = edit.highlighter.spans('    "title": "case 1", "n": 12, "ok": true')
    kinds = [(start, length) for start, length, _ in spans]
    assert kinds == [(4, 7), (13, 8), (23, 3), (28, 2), (32, 4), (38, 4)]
    pane.pretty_view.find_edit.setText('"ID": 2')
    assert pane.pretty_view.find_next()
    assert edit.textCursor().selectedText() == '"ID": 2'


def test_giant_lines_are_shown_in_pieces(qtbot, pane: ResponsePane) -> None:  # type: ignore[no-untyped-def]
    """A minified body or a huge string is one giant line; Qt lays a block out whole, so it is cut."""
    body = json.dumps({"blob": "x" * 100_000, "items": list(range(20000))}, separators=(",", ":")).encode()
    response = Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), len(body), 1.0, body=body)
    pane.show_response(response)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=10000)
    assert "shown in pieces" in pane.pretty_view.banner.text()
    assert max(len(line) for line in pane.pretty_view.text().splitlines()) <= 2048
    pane.tabs.setCurrentWidget(pane.raw_view)
    qtbot.waitUntil(lambda: len(pane.raw_view.text()) > len(body), timeout=10000)
    raw = pane.raw_view.text()
    assert raw.replace("\n", "") == body.decode() and "shown in pieces" in pane.raw_view.banner.text()


def test_imported_operation_is_checked_in_the_main_window(qtbot, main_window, workspace_dir: Path, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    """End to end: `workbench import` a descriptor, send its operation to Prism's mock of it,
    and the Contract tab checks the response against the imported operation."""
    import subprocess
    import sys
    from dataclasses import replace

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "servers"))
    import peers

    spec = shared_data / "openapi" / "petstore-v3.0.yaml"
    result = subprocess.run([sys.executable, "-m", "workbench", "import", str(spec), "--into", str(workspace_dir)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    main_window.reload_workspace()
    found = [(c, r) for c in main_window.workspace.collections for r in c.all_requests()
             if r.meta.get("openapi_operation") == "get /pets/{petId}"]
    assert found, "the importer marks requests with their operation"
    collection, request = found[0]
    assert (workspace_dir / collection.path / "openapi.json").is_file()
    prism = peers.start_prism(spec)
    try:
        editor = main_window.open_request(collection.path, request.path) or main_window.current_editor()
        sent = replace(request, url=f"{prism.url}/pets/7", params=())
        task = asyncio.ensure_future(main_window._send(editor, collection.path, sent))
        qtbot.waitUntil(task.done, timeout=20000)
        pane = main_window.response
        qtbot.waitUntil(lambda: not pane.is_loading(), timeout=10000)
        assert pane.response is not None and pane.response.status == 200
        assert "get /pets/{petId}" in pane.contract_summary.text() and "matches" in pane.contract_summary.text()
        assert pane.tabs.tabText(pane.tabs.indexOf(pane.contract_view)) == "Contract ✔"
    finally:
        prism.stop()


def test_big_body_with_a_bad_value_deep_inside_is_reported(qtbot, pane: ResponsePane, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Bodies above the full-parse size are indexed, then every value is checked: an error past the
    pretty text's first part still reaches the user (no silent "valid" document)."""
    from workbench.core.response import pretty

    monkeypatch.setattr(pretty, "FULL_PARSE_BYTES", 1000)
    pane.pretty_limit_chars = 300
    rows = [{"ID": i, "ok": True} for i in range(200)]
    body = json.dumps({"value": rows}).encode().replace(b'{"ID": 150, "ok": true}', b'{"ID": 150, "ok": tru}')
    response = Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), len(body), 1.0, body=body)
    pane.show_response(response)
    qtbot.waitUntil(lambda: not pane.is_loading(), timeout=10000)
    assert pane.parse_error is not None and "$.value[150].ok" in pane.parse_error.message
    assert "not valid JSON" in pane.banner.text()


# -- issue 14: a window a Postman user feels at home in ------------------------------------------

def _send_error(url: str):  # type: ignore[no-untyped-def]
    """The SendError core raises for `url` (a real failed exchange, on its own loop)."""
    from workbench.core.errors import SendError

    try:
        fetch(url)
    except SendError as exc:
        return exc
    raise AssertionError(f"{url} answered")


def test_pending_after_a_failure_shows_only_sending_and_cancel(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    """The bug of issue 14: after a failure, the next send still said "The request failed…" while waiting."""
    import peers

    port = peers.free_port()
    error = _send_error(f"http://127.0.0.1:{port}/x")
    pane.show_error(error.message, error.detail)
    assert pane.status.text() == "No response" and not pane.tabs.isVisible() and not pane.banner.isVisible()
    assert pane.empty.message.text() == f"Could not connect to 127.0.0.1:{port} — connection refused: is the server running?"
    # the technical detail is there, but one click away
    assert pane.empty.details_button.isVisible() and not pane.empty.detail.isVisible()
    pane.empty.details_button.click()
    assert pane.empty.detail.isVisible() and "ConnectError" in pane.empty.detail.text()

    pane.show_pending(Request("slow", "GET", f"{httpbin.url}/delay/3"))
    shown = [w.text() for w in pane.findChildren(QLabel) if w.isVisible() and w.text()]
    assert shown == ["Sending GET …", "Waiting for the response (Esc cancels)."]
    assert pane.empty.cancel_button.isVisible() and not pane.empty.details_button.isVisible()
    with qtbot.waitSignal(pane.cancel_requested, timeout=1000):
        pane.empty.cancel_button.click()

    # nor do an earlier response's tabs and counts stay while the next one is pending
    show(qtbot, pane, fetch(f"{httpbin.url}/json"))
    assert pane.tabs.isVisible() and pane.tabs.tabText(pane.tabs.indexOf(pane.headers_table)).startswith("Headers (")
    pane.show_pending(Request("again", "POST", f"{httpbin.url}/post"))
    assert not pane.tabs.isVisible() and pane.empty.title.text() == "Sending POST …" and pane.response is None
    assert not pane.copy_btn.isVisible() and not pane.save_btn.isVisible()


def test_the_window_shows_sending_and_its_cancel_stops_the_send(qtbot, main_window, httpbin) -> None:  # type: ignore[no-untyped-def]
    """Through the window: a refused send, then a slow one cancelled with the pane's own Cancel button."""
    import peers

    editor = main_window.open_request("Getting started", "Echo query parameters.yaml")
    editor.url.setText(f"http://127.0.0.1:{peers.free_port()}/x")
    main_window.send_current()
    qtbot.waitUntil(lambda: not main_window.is_sending(), timeout=10000)
    pane = main_window.response
    assert pane.empty.state == "failed" and "connection refused" in pane.empty.message.text()
    editor.url.setText(f"{httpbin.url}/delay/5")
    main_window.send_current()
    qtbot.waitUntil(lambda: pane.empty.state == "pending", timeout=5000)
    assert "connection refused" not in pane.empty.message.text() and pane.empty.cancel_button.isVisible()
    pane.empty.cancel_button.click()
    qtbot.waitUntil(lambda: pane.empty.state == "cancelled", timeout=5000)
    assert not main_window.is_sending() and pane.status.text() == "Cancelled."


def test_dns_failure_reads_in_plain_words(pane: ResponsePane) -> None:
    error = _send_error("http://no-such-host.invalid/x")
    pane.show_error(error.message, error.detail)
    assert pane.empty.message.text().startswith("DNS lookup failed for host “no-such-host.invalid”")


def test_odata_collection_opens_on_the_table_other_json_on_pretty(qtbot, pane: ResponsePane, odata_server, httpbin) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{odata_server.url}/Users?$top=3"))
    assert pane.tabs.currentWidget() is pane.table_view and pane.table_view.model.rowCount() == 3
    show(qtbot, pane, fetch(f"{httpbin.url}/json"))
    assert pane.tabs.currentWidget() is pane.pretty_view
    array = json.dumps([{"id": 1}, {"id": 2}]).encode()  # rows, but not OData: the text first, the Table beside it
    show(qtbot, pane, fetch(f"{httpbin.url}/anything", "POST", array))
    assert pane.tabs.currentWidget() is pane.pretty_view


def test_contract_tab_only_when_there_is_a_contract(qtbot, pane: ResponsePane, httpbin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, pane, fetch(f"{httpbin.url}/json"), Request("plain", "GET", f"{httpbin.url}/json"))
    assert not pane.tab_visible("contract")
    (tmp_path / "openapi.json").write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "b", "version": "1"},
                                                       "paths": {"/json": {"get": {"responses": {"200": {
                                                           "description": "ok", "content": {"application/json": {
                                                               "schema": {"type": "object"}}}}}}}}}))
    pane.set_collection_dir(tmp_path)
    imported = Request("json", "GET", f"{httpbin.url}/json", meta={"openapi_operation": "get /json"})
    show(qtbot, pane, fetch(f"{httpbin.url}/json"), imported)
    assert pane.tab_visible("contract") and pane.tabs.tabText(pane.tabs.indexOf(pane.contract_view)) == "Contract ✔"
    unknown = Request("gone", "GET", f"{httpbin.url}/json", meta={"openapi_operation": "get /gone"})
    show(qtbot, pane, fetch(f"{httpbin.url}/json"), imported)
    pane.tabs.setCurrentWidget(pane.contract_view)  # the user was reading the contract
    show(qtbot, pane, fetch(f"{httpbin.url}/json"), unknown)  # an operation the descriptor no longer has
    assert not pane.tab_visible("contract")
    # A hidden tab never stays current (an empty pane with no tab underlined), however it was chosen.
    assert pane.tabs.isTabVisible(pane.tabs.currentIndex())
    pane.tabs.setCurrentWidget(pane.error_card)  # hidden: a 200 has no error card
    assert pane.tabs.isTabVisible(pane.tabs.currentIndex()) and pane.tabs.currentWidget() is pane.pretty_view


def test_timing_words_repeat_the_chart_numbers(qtbot, pane: ResponsePane, httpbin) -> None:  # type: ignore[no-untyped-def]
    import re

    show(qtbot, pane, fetch(f"{httpbin.url}/get"))
    phases = pane.timing_chart.phases()
    words = pane.timing_view.info.text()
    for label, _, length, _ in phases:
        expected = f"{length:.1f} ms" if length > 0 else "—"
        assert f"{label} {expected}" in words
    assert "time to first byte" not in words and len(re.findall(r"TTFB\) ([\d.]+) ms", words)) == 1
    timings = pane.response.timings
    assert sum(p[2] for p in phases) == pytest.approx(timings.total_ms, abs=0.01)


@pytest.mark.parametrize("theme", ["LIGHT", "DARK"])
def test_4xx_and_5xx_badges_differ_and_read_well(qtbot, pane: ResponsePane, httpbin, theme: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    from workbench.ui import palette

    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    palette.set_current(getattr(palette, theme))
    try:
        badges = {}
        for code in (404, 503):
            show(qtbot, pane, fetch(f"{httpbin.url}/status/{code}"))
            sheet = pane.status.styleSheet()
            badges[code] = QColor(re.search(r"background: (#[0-9a-fA-F]{6})", sheet).group(1))
            text = QColor(re.search(r"color: (#[0-9a-fA-F]{6})", sheet).group(1))
            lighter, darker = sorted((luminance(text), luminance(badges[code])), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (code, sheet)  # WCAG AA
        hue_gap = abs(badges[404].hsvHue() - badges[503].hsvHue())
        assert min(hue_gap, 360 - hue_gap) >= 15, "a client error must not read as a server failure"
    finally:
        palette.set_current(palette.LIGHT)
