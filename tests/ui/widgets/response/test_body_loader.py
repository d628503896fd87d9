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


def test_long_lines_are_broken_in_slices_exactly_as_one_pass_would() -> None:
    """Issue 17: the line breaking runs in slices (a worker must not hold the GIL for 0.3 s), same result."""
    import random
    import re

    from workbench.ui.widgets.response import body_loader as bl

    one_pass = re.compile(r"([^\n]{%d})(?=[^\n])" % bl.LONG_LINE)
    slice_ = bl._SLICE
    rnd = random.Random(17)
    cases = ["a" * n for n in (0, 2047, 2048, 2049, 4097, slice_ - 1, slice_, slice_ + 1, 2 * slice_, 3 * slice_ + 5)]
    cases += ["a" * slice_ + "\n" + "b" * 10, "x" * slice_ + "\n" + "y" * slice_, "\n" * 3000]
    for _ in range(60):
        lengths = [rnd.choice([0, 1, 2047, 2048, 2049, slice_ - 3, slice_, slice_ + 7, 2 * slice_]) for _ in range(6)]
        cases.append("\n".join(rnd.choice("ab") * n for n in lengths) + rnd.choice(["", "\n"]))
    for text in cases:
        expected = one_pass.subn("\\1\n", text) if len(text) > bl.LONG_LINE else (text, 0)
        assert bl.break_long_lines(text) == expected
    prepared = bl.prepare_text("z" * (3 * slice_))
    assert "".join(prepared.chunks) == one_pass.sub("\\1\n", "z" * (3 * slice_)) and prepared.pieces == 3 * slice_ // bl.LONG_LINE - 1


def test_a_body_read_in_pieces_is_the_document_and_text_a_whole_parse_gives(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: values are parsed and printed piece by piece (short GIL holds), with the same result;
    what pieces cannot reproduce (an invalid body, duplicate keys) is left to the whole parse."""
    import threading

    from workbench.core.response import pretty
    from workbench.ui.widgets.response import body_loader as bl

    monkeypatch.setattr(bl, "PIECE_BYTES", 64)
    rows = [{"ID": i, "name": f"Zürich \"{i}\"\n", "n": [1.5, None, True, 10**30 if i == 3 else i], "e": {}, "l": []}
            for i in range(30)]
    body = json.dumps({"@odata.context": "$metadata#X", "value": rows, "empty": []}).encode()
    read = bl.parse_and_print(body, threading.Event())
    assert read is not None
    document, text, index = read
    assert document == pretty.parse_full(body) and text == pretty.pretty_text(pretty.parse_full(body))
    assert index.complete
    assert bl.parse_and_print(b'{"a": [1, 2, {"b": tru}]}' + b" " * 100, threading.Event()) is None
    assert bl.parse_and_print(b'{"a": 1, "b": [' + b"0," * 50 + b'0], "a": 2}', threading.Event()) is None
    assert bl.parse_and_print(b"[1, 2, 3]" + b"x" * 100, threading.Event()) is None


def test_a_big_parsed_body_is_kept_out_of_the_collector_until_the_next_response(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: one young-generation collection on the UI thread walked a fresh 7.5 MB document
    (50–70 ms); the pieces are frozen as they are parsed, and given back on reset."""
    import gc

    from workbench.ui.widgets.response import body_loader as bl

    monkeypatch.setattr(bl, "PIECE_BYTES", 256)
    loader = _loader(qtbot)
    body = json.dumps({"value": [{"ID": i, "tags": [i, str(i)]} for i in range(200)]}).encode()
    response = _json(body)
    gc.unfreeze()
    try:
        loader.begin(response)
        with qtbot.waitSignal(loader.loading_finished, timeout=10000):
            loader.load_json(response, len(body), 1024 * 1024, 1024)
        assert loader.document == json.loads(body)
        assert gc.get_freeze_count() > 0  # the document (and what was alive with it) sits out of the GC's walks
        loader.reset()
        assert gc.get_freeze_count() == 0  # back to the oldest generation: frozen cyclic garbage is still collected
    finally:
        gc.unfreeze()
