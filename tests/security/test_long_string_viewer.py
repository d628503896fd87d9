"""A body that is one 50 MB JSON string: a short preview with a note, in seconds and MB (issue 18).

It took 47 s and 2.4 GB: the streamed pretty printer re-read the string from its start on every
64 KB read and handed the text view one 50 MB line. Now the Pretty view shows its first 16 KB
ending in "…" and says so; the Tree view's value column shows 200 characters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workbench.core.response import pretty
from workbench.core.sending.transport import Response
from workbench.ui.widgets.response.body_loader import BodyLoader, BodyViews
from workbench.ui.widgets.response.json_text_view import JsonTextView
from workbench.ui.widgets.response.json_tree_view import JsonTreeView
from workbench.ui.widgets.response.xml_view import XmlView

ROOT = Path(__file__).resolve().parents[2]
SIZE = 50 * 1024 * 1024


def _string_file(path: Path) -> Path:
    with open(path, "wb") as fh:
        fh.write(b'"')
        for _ in range(SIZE // (1024 * 1024)):
            fh.write(b"a" * 1024 * 1024)
        fh.write(b'"')
    return path


def test_the_viewer_shows_a_long_string_cut_short_with_a_note(qtbot) -> None:  # type: ignore[no-untyped-def]
    views = BodyViews(JsonTextView(), JsonTreeView(), XmlView(), JsonTextView(highlight=False))
    for view in (views.pretty, views.tree, views.xml, views.raw):
        qtbot.addWidget(view)
    loader = BodyLoader(views)
    body = b'{"blob": "' + b"a" * (20 * 1024 * 1024) + b'"}'  # above FULL_PARSE_BYTES: the streamed path
    response = Response(200, "OK", "HTTP/1.1", (("content-type", "application/json"),), len(body), 1.0, body=body)
    loader.begin(response)
    with qtbot.waitSignal(loader.loading_finished, timeout=60000):
        loader.load_json(response, len(body), 2 * 1024 * 1024, 1024 * 1024)
    shown = views.pretty.text()
    assert len(shown) < pretty.LONG_STRING_BYTES + 1000 and pretty.CUT_MARK + '"' in shown
    assert "A string longer than 16 KB is shown cut short" in views.pretty.banner.text()
    index = loader.json_index
    assert index is not None and index.preview(index.children(index.root)[0]).endswith("…")


def test_view_of_a_50_mb_string_takes_seconds_and_megabytes(tmp_path: Path) -> None:
    path = _string_file(tmp_path / "string.json")
    result = subprocess.run([sys.executable, "-m", "workbench", "view", str(path), "--timings"], cwd=ROOT,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["peak_rss_mb"] < 600 and figures["first_view_ms"] < 15000, figures  # was 2,470 MB, 20 s
