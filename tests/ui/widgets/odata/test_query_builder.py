"""The query-builder panel: form → URL, URL → form, typed value editors, completion, validation,
and a query composed in the panel answered correctly by the real CAP server."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workbench.core.collections import Request
from workbench.core.odata.parser import parse_url
from workbench.core.odata.validate import load_model
from workbench.core.sending.send import send
from workbench.ui.widgets.odata.condition_rows import ConditionRow
from workbench.ui.widgets.odata.query_builder import QueryBuilder

DATA = Path(__file__).resolve().parents[3] / "data"
SEED = Path(__file__).resolve().parents[3] / "servers" / "odata" / "db" / "data"
ROOT = "http://h/svc"
CHECKED = Qt.CheckState.Checked


@pytest.fixture
def builder(qtbot):  # type: ignore[no-untyped-def]
    panel = QueryBuilder()
    qtbot.addWidget(panel)
    panel.set_model(load_model(str(DATA / "odata_capabilities.xml")), ROOT)
    panel.entity_set.setCurrentText("Products")
    return panel


def _tick(panel: QueryBuilder, name: str) -> None:
    for i in range(panel.select_list.count()):
        if panel.select_list.item(i).text() == name:
            panel.select_list.item(i).setCheckState(CHECKED)


def test_entity_sets_and_columns_come_from_metadata(builder: QueryBuilder) -> None:
    assert [builder.entity_set.itemText(i) for i in range(builder.entity_set.count())] == [
        "Categories", "Products", "Reviews"]
    assert [builder.select_list.item(i).text() for i in range(builder.select_list.count())] == [
        "ID", "Title", "Secret", "Price", "Colors", "Tags"]
    assert builder.url() == f"{ROOT}/Products"
    fields = [f.path for f in builder.filter_group.fields]
    assert "Category/Name" in fields and "Tags" not in fields  # one navigation away; no collections


def test_form_builds_the_url_live(builder: QueryBuilder, qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    builder.url_changed.connect(seen.append)
    _tick(builder, "ID")
    _tick(builder, "Title")
    row = builder.filter_group.add_row()
    row.set_condition("Price", "gt", "10.5")
    group = builder.filter_group.add_group()
    group.combinator.setCurrentIndex(1)  # or
    group.add_row().set_condition("Title", "contains", "O'Neil")
    group.add_row().set_condition("Category/Name", "in", "Books, Games")
    builder.add_orderby("length(Title)", descending=True)
    builder.add_orderby("ID")
    builder.top.setValue(5)
    builder.skip.setValue(10)
    builder.count.setChecked(True)
    node = builder.expand_node("Category")
    node.setCheckState(0, CHECKED)
    builder.expand_tree.setCurrentItem(node)
    builder.expand_select.setText("Name")
    builder.expand_select.textEdited.emit("Name")
    want = (f"{ROOT}/Products?$select=ID,Title&$expand=Category($select=Name)"
            "&$filter=Price gt 10.5 and (contains(Title,'O''Neil') or Category/Name in ('Books','Games'))"
            "&$orderby=length(Title) desc,ID&$top=5&$skip=10&$count=true")
    assert builder.url() == want
    assert seen[-1] == want
    assert parse_url(want) == builder.query()


def test_typed_value_editors(builder: QueryBuilder) -> None:
    row = builder.filter_group.add_row()
    row.set_condition("ID", "eq", "abc")
    assert "border" in row.value.styleSheet() and "whole number" in row.value.toolTip()
    assert "$filter" not in builder.url()  # an invalid value stays out of the URL
    row.value.setText("42")
    assert row.value.styleSheet() == "" and builder.url().endswith("$filter=ID eq 42")
    row.set_condition("Colors", "has", "Blue")
    assert not row.choice.isHidden() and row.value.isHidden()  # enum members offered in a combo
    assert [row.choice.itemText(i) for i in range(row.choice.count())] == ["Red", "Blue"]
    assert builder.url().endswith("$filter=Colors has Shop.Color'Blue'")
    row.set_condition("Title", "is null", "")
    assert builder.url().endswith("$filter=Title eq null")


def test_hand_edited_url_updates_the_form(builder: QueryBuilder) -> None:
    url = (f"{ROOT}/Products?$select=Title&$filter=Price le 3 or Title eq 'x'&$orderby=Price desc&$top=2"
           "&$expand=Category($select=Name;$top=1),Reviews")
    builder.url_edit.setText(url)
    builder.url_edit.textEdited.emit(url)
    ticked = [builder.select_list.item(i).text() for i in range(builder.select_list.count())
              if builder.select_list.item(i).checkState() == CHECKED]
    assert ticked == ["Title"]
    assert builder.filter_group.combinator.currentData() == "or"
    rows = [r for r in builder.filter_group.items if isinstance(r, ConditionRow)]
    assert [(r.info().path, r.operator.currentData(), r.value.text()) for r in rows] == [  # type: ignore[union-attr]
        ("Price", "le", "3"), ("Title", "eq", "x")]
    assert builder.top.value() == 2
    assert [(c.currentText(), d.currentText()) for c, d, _ in builder.orderby_rows] == [("Price", "desc")]
    assert builder.expand_node("Category").checkState(0) == CHECKED
    assert builder.expand_node("Reviews").checkState(0) == CHECKED
    builder.expand_tree.setCurrentItem(builder.expand_node("Category"))
    assert builder.expand_select.text() == "Name" and builder.expand_top.value() == 1
    # the form and the URL agree
    assert builder.compose() == parse_url(url)


def test_expand_options_the_form_has_no_field_for_are_kept(builder: QueryBuilder) -> None:
    url = f"{ROOT}/Products?$expand=Category($select=Name;$skip=2;$levels=3),Reviews/$ref"
    builder.set_url(url)
    builder.expand_tree.setCurrentItem(builder.expand_node("Category"))
    builder.expand_top.setValue(4)  # an edit in the form rebuilds the URL
    assert builder.url() == f"{ROOT}/Products?$expand=Category($select=Name;$top=4;$skip=2;$levels=3),Reviews/$ref"
    builder.expand_select.setText("Name,")
    builder.expand_select.textEdited.emit("Name,")  # half-typed: the last valid $select stays
    assert "Category($select=Name;" in builder.url()
    # problems found by validation are listed (Reviews is not expandable there)
    assert "Reviews cannot be expanded" in builder.problems_label.text()


def test_filters_rows_cannot_show_stay_as_an_expression(builder: QueryBuilder) -> None:
    url = f"{ROOT}/Products?$filter=Reviews/any(r:r/Stars ge 4) and not (Price gt 3)"
    builder.set_url(url)
    assert builder.filter_group.items == []
    assert builder.filter_raw.text() == "Reviews/any(r:r/Stars ge 4) and not (Price gt 3)"
    builder.top.setValue(1)
    assert builder.url() == f"{ROOT}/Products?$filter=Reviews/any(r:r/Stars ge 4) and not (Price gt 3)&$top=1"


def test_bad_url_shows_the_error_and_keeps_the_form(builder: QueryBuilder) -> None:
    builder.set_url(f"{ROOT}/Products?$top=3")
    bad = f"{ROOT}/Products?$top=3&$filter=Title eq 'x"
    builder.url_edit.setText(bad)
    builder.url_edit.textEdited.emit(bad)
    assert "Unterminated" in builder.url_error.text() and f"at {bad.index(chr(39))}" in builder.url_error.text()
    assert builder.top.value() == 3


def test_completion_offers_properties_and_functions(builder: QueryBuilder, qtbot) -> None:  # type: ignore[no-untyped-def]
    names = builder.completion_names()
    assert {"Title", "Price", "Category", "contains", "startswith", "$filter"} <= set(names)
    builder.url_edit.setFocus()
    text = f"{ROOT}/Products?$filter=startswith(Ti"
    builder.url_edit.setText(text)
    builder.url_edit.setCursorPosition(len(text))
    assert builder.word_at_cursor() == "Ti"
    builder.completer.setCompletionPrefix("Ti")
    assert builder.completer.currentCompletion() == "Title"
    builder.insert_completion("Title")
    assert builder.url_edit.text() == f"{ROOT}/Products?$filter=startswith(Title"
    text = f"{ROOT}/Products?$filter=conta"
    builder.url_edit.setText(text)
    builder.url_edit.setCursorPosition(len(text))
    builder.insert_completion("contains")
    assert builder.url_edit.text() == f"{ROOT}/Products?$filter=contains("


@pytest.mark.peers
def test_query_composed_in_the_panel_against_cap(qtbot, odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    panel = QueryBuilder()
    qtbot.addWidget(panel)
    panel.set_model(load_model(root), root)
    panel.entity_set.setCurrentText("Cases")
    _tick(panel, "caseNo")
    panel.filter_group.add_row().set_condition("status", "in", "open, waiting")
    panel.filter_group.add_row().set_condition("dueDate", "ge", "2025-05-01")
    panel.filter_group.add_row().set_condition("urgent", "eq", "false")
    panel.add_orderby("caseNo", descending=True)
    panel.top.setValue(4)
    node = panel.expand_node("owner")
    node.setCheckState(0, CHECKED)
    panel.expand_tree.setCurrentItem(node)
    panel.expand_select.setText("city")
    panel.expand_select.textEdited.emit("city")
    assert panel.problems == []
    exchange = asyncio.run(send(Request("q", "GET", panel.url().replace(" ", "%20"))))
    assert exchange.response.status == 200, exchange.response.text()
    got = json.loads(exchange.response.body)["value"]
    with (SEED / "wb-Cases.csv").open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh, delimiter=";"))
    with (SEED / "wb-Users.csv").open(encoding="utf-8") as fh:
        city = {u["ID"]: u["city"] for u in csv.DictReader(fh, delimiter=";")}
    want = sorted((c for c in cases if c["status"] in ("open", "waiting") and c["dueDate"] >= "2025-05-01"
                    and c["urgent"] == "false"), key=lambda c: -int(c["caseNo"]))[:4]
    assert [(r["caseNo"], r["owner"]["city"]) for r in got] == [(int(c["caseNo"]), city[c["owner_ID"]]) for c in want]
    assert want


def _key_list(terms: int, field: str = "ID") -> str:
    return " or ".join(f"{field} eq {i}" for i in range(terms))


def test_a_5000_term_or_filter_is_checked_without_overflowing(builder: QueryBuilder, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: a generated key list, typed or pasted into the URL box, is read, checked and kept as typed."""
    import time

    seen: list[str] = []
    builder.url_changed.connect(seen.append)
    text = f"{ROOT}/Products?$filter={_key_list(5000)}"
    started = time.perf_counter()
    builder.url_edit.setText(text)
    builder.url_edit.textEdited.emit(text)  # as a paste does
    assert seen == []  # read once typing pauses, not on every key
    builder.flush_typing()
    took = time.perf_counter() - started
    assert seen == [text] and not builder.url_error.isVisible()
    assert not builder.filter_group.items  # 5,000 rows would help nobody: the expression field has it
    assert builder.filter_raw.text() == _key_list(5000)
    assert builder.problems == []
    assert took < 10, took
    # A wrong literal far down the list is found, with its position, and the label stays short.
    bad = f"{ROOT}/Products?$filter={_key_list(4999)} or ID eq 'x'"
    builder.url_edit.setText(bad)
    builder.url_edit.textEdited.emit(bad)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)  # the pause in typing, then read
    assert len(builder.problems) == 1 and builder.problems[0].position > len(bad) - 10
    # Editing the form rewrites the URL with the long filter intact (no RecursionError in the serializer).
    _tick(builder, "Title")
    assert builder.url().startswith(f"{ROOT}/Products?$select=Title&$filter=ID eq 0 or ID eq 1 or ")
    assert builder.url().endswith("or ID eq 'x'")


def test_a_filter_too_deep_to_walk_gets_a_sentence(builder: QueryBuilder) -> None:
    """Not an and/or chain (5,000 `add`s): refused with one readable problem, never a crash."""
    sums = " add ".join(["Price"] * 3000)
    text = f"{ROOT}/Products?$filter={sums} gt 1"
    builder.url_edit.setText(text)
    builder.url_edit.textEdited.emit(text)
    builder.flush_typing()
    assert len(builder.problems) == 1 and "too deep to check here" in builder.problems[0].message
    assert "too deep" in builder.problems_label.text()


def test_many_problems_are_counted_not_listed(builder: QueryBuilder) -> None:
    text = f"{ROOT}/Products?$filter=" + " or ".join(f"ID eq 'x{i}'" for i in range(30))
    builder.url_edit.setText(text)
    builder.url_edit.textEdited.emit(text)
    assert len(builder.problems) == 30
    assert builder.problems_label.text().count("⚠") == 12 and "… and 18 more" in builder.problems_label.text()
