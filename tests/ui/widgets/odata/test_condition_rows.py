"""The `$filter` rows on their own: a parsed filter shown as rows and composed back, typed values checked."""

from __future__ import annotations

import pytest

from workbench.core.odata.parser import parse_filter
from workbench.core.odata.serializer import expr_text
from workbench.ui.widgets.odata.condition_rows import (
    ConditionGroup,
    ConditionRow,
    FieldInfo,
)

FIELDS = [FieldInfo("Title", "Edm.String"), FieldInfo("Price", "Edm.Decimal"), FieldInfo("Urgent", "Edm.Boolean"),
          FieldInfo("Color", "Shop.Color", ("Red", "Blue"))]


@pytest.fixture
def group(qtbot) -> ConditionGroup:  # type: ignore[no-untyped-def]
    widget = ConditionGroup(FIELDS, "4.0")
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("text", [
    "Price gt 10.5 and (contains(Title,'a, b') or Title in ('x','y, z'))",
    "Urgent eq true or Title eq null",
    "Color has Shop.Color'Blue'",
])
def test_filter_shown_as_rows_composes_back(group: ConditionGroup, text: str) -> None:
    assert group.load(parse_filter(text))
    expr = group.expression()
    assert expr is not None and expr_text(expr) == expr_text(parse_filter(text))


def test_shapes_rows_cannot_show_are_refused(group: ConditionGroup) -> None:
    """`not`, lambdas and arithmetic stay in the panel's Expression field."""
    assert not group.load(parse_filter("not (Price gt 3)"))


def test_a_bad_value_is_left_out_and_explained(group: ConditionGroup) -> None:
    row = group.add_row()
    assert isinstance(row, ConditionRow)
    row.set_condition("Price", "gt", "ten")
    assert row.value.toolTip() and "border" in row.value.styleSheet()
    assert group.expression() is None
    row.set_condition("Price", "gt", "10")
    assert expr_text(group.expression()) == "Price gt 10"  # type: ignore[arg-type]
