"""The Checks tab: rows in, the same frozen checks and save steps out; an edit marks the editor dirty."""

from __future__ import annotations

from workbench.core.collections import Check, Request, SaveStep
from workbench.ui.widgets.request.checks_table import ChecksTable
from workbench.ui.widgets.request.editor import RequestEditor

CHECKS = (Check("status", expected="2xx"), Check("header", "ETag", "exists"),
          Check("json", "$.id", "equals", "{{id}}", enabled=False), Check("time", op="below", expected="500"),
          Check("contract"))
SAVES = (SaveStep("id", "json", "$.id"), SaveStep("etag", "header", "ETag"))


def test_round_trip_and_dirty(qtbot) -> None:  # type: ignore[no-untyped-def]
    table = ChecksTable()
    qtbot.addWidget(table)
    table.set_steps(CHECKS, SAVES)
    assert table.checks() == CHECKS and table.saves() == SAVES
    editor = RequestEditor("", Request("r", "GET", "http://x", checks=CHECKS, save=SAVES))
    qtbot.addWidget(editor)
    assert not editor.is_dirty() and editor.to_model().checks == CHECKS
    editor.checks.add_check(Check("json", "$.name", "exists"))
    assert editor.is_dirty() and editor.to_model().checks[-1] == Check("json", "$.name", "exists")
