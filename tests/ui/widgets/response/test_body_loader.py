"""The body loader on its own: a JSON body reaches the views and the pane hears of it by signal."""

from __future__ import annotations

import json

from workbench.core.sending.transport import Response
from workbench.ui.widgets.response.body_loader import BodyLoader, BodyViews, head
from workbench.ui.widgets.response.json_text_view import JsonTextView
from workbench.ui.widgets.response.json_tree_view import JsonTreeView
from workbench.ui.widgets.response.xml_view import XmlView


def _loader(qtbot) -> BodyLoader:  # type: ignore[no-untyped-def]
    views = BodyViews(JsonTextView(), JsonTreeView(), XmlView(), JsonTextView(highlight=False))
    for view in (views.pretty, views.tree, views.xml, views.raw):
        qtbot.addWidget(view)
    return BodyLoader(views)


def _json(body: bytes) -> Response:
    return Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), len(body), 1.0, body=body)


def test_valid_json_is_pretty_printed_indexed_and_announced(qtbot) -> None:  # type: ignore[no-untyped-def]
    loader = _loader(qtbot)
    body = json.dumps({"value": [{"ID": 1}, {"ID": 2}]}).encode()
    response = _json(body)
    ready: list[object] = []
    loader.json_ready.connect(lambda index, document: ready.append(document))
    loader.begin(response)
    with qtbot.waitSignal(loader.loading_finished, timeout=10000):
        loader.load_json(response, len(body), 1024 * 1024, 1024)
    assert ready == [{"value": [{"ID": 1}, {"ID": 2}]}]
    assert loader.views.pretty.text() == json.dumps(json.loads(body), indent=2) + "\n"
    assert loader.json_index is not None and loader.parse_error is None and not loader.is_loading()


def test_invalid_json_is_shown_raw_and_reported_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    loader = _loader(qtbot)
    body = b'{"a": [1,, 2]}'
    response = _json(body)
    invalid: list[tuple[bool, bool]] = []
    banners: list[str] = []
    loader.json_invalid.connect(lambda error, shown_raw, first: invalid.append((shown_raw, first)))
    loader.banner.connect(lambda text, kind: banners.append(kind))
    loader.begin(response)
    with qtbot.waitSignal(loader.loading_finished, timeout=10000):
        loader.load_json(response, len(body), 1024 * 1024, 1024)
    assert invalid == [(True, True)] and banners == ["error"]
    assert loader.views.pretty.text() == body.decode() and loader.parse_error is not None


def test_reset_drops_the_results_of_the_old_session(qtbot) -> None:  # type: ignore[no-untyped-def]
    loader = _loader(qtbot)
    body = json.dumps(list(range(1000))).encode()
    response = _json(body)
    ready: list[object] = []
    loader.json_ready.connect(lambda index, document: ready.append(document))
    loader.begin(response)
    loader.load_json(response, len(body), 1024 * 1024, 1024)
    generation = loader.generation
    loader.reset()
    assert loader.generation == generation + 1
    qtbot.wait(200)
    assert ready == [] and loader.views.pretty.text() == ""


def test_head_reads_only_the_first_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "body.bin"
    path.write_bytes(b"x" * 10000)
    response = Response(200, "OK", "", (), 10000, 0.0, body_file=str(path))
    assert head(response, 16) == b"x" * 16
