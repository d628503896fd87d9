"""The `$filter` rows of the query builder: one condition per row, rows grouped with and/or.

Apart from the panel because they are a form of their own: a row maps to one core
expression and back (`expression`, `set_condition`), a group to an and/or of them
(`expression`, `load`). Typed literals come from core `literal_for`, so a row marks a bad
value red with core's message instead of guessing at OData syntax here. A `$filter` shape
no row can show (`load` returns False) is left to the panel's "Expression" field.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ODataQueryError
from workbench.core.odata.literals import literal_for
from workbench.core.odata.query import (
    BinaryOp,
    Call,
    Expr,
    ListExpr,
    Literal,
    MemberPath,
    and_all,
    or_all,
)

COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
STRING_FUNCS = ("contains", "startswith", "endswith")
OPERATORS = COMPARISONS + STRING_FUNCS + ("in", "has", "is null", "is not null")
OPERATOR_LABELS = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
PLACEHOLDERS = {
    "Edm.Guid": "8-4-4-4-12 GUID", "Edm.Date": "YYYY-MM-DD", "Edm.DateTimeOffset": "2025-01-31T12:00:00Z",
    "Edm.DateTime": "2025-01-31T12:00:00", "Edm.TimeOfDay": "HH:MM:SS", "Edm.Duration": "P1DT2H",
    "Edm.Decimal": "12.50", "Edm.Double": "1.5", "Edm.String": "text",
}
ERROR_STYLE = "border: 1px solid #cf222e;"
#: More conditions than this stay in the "Expression" field: a form of 5,000 rows (a generated
#: key list) would take seconds to build and help nobody edit it.
MAX_ROWS = 40


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A filterable/sortable path of the current entity type and its Edm (or enum) type."""

    path: str
    type: str
    enum_members: tuple[str, ...] = ()
    is_flags: bool = False


class ConditionRow(QWidget):
    """One condition: property, operator, typed value. Emits `changed`."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, fields: list[FieldInfo], version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.version = version
        self.field_combo = QComboBox(self)
        self.field_combo.setEditable(False)
        for info in fields:
            self.field_combo.addItem(info.path, info)
        self.operator = QComboBox(self)
        for op in OPERATORS:
            self.operator.addItem(OPERATOR_LABELS.get(op, op), op)
        self.value = QLineEdit(self)
        self.choice = QComboBox(self)  # Boolean and enum values
        for combo in (self.field_combo, self.operator, self.choice):
            _shrinkable(combo)
        self.value.setMinimumWidth(60)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this condition")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field_combo, 2)
        layout.addWidget(self.operator, 1)
        layout.addWidget(self.value, 2)
        layout.addWidget(self.choice, 2)
        layout.addWidget(self.remove)
        self.field_combo.currentIndexChanged.connect(self._property_changed)
        self.operator.currentIndexChanged.connect(self._operator_changed)
        self.value.textChanged.connect(self._value_changed)
        self.choice.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._property_changed()

    def info(self) -> FieldInfo | None:
        data = self.field_combo.currentData()
        return data if isinstance(data, FieldInfo) else None

    def _uses_choice(self) -> bool:
        info = self.info()
        op = self.operator.currentData()
        return info is not None and op not in ("in", "is null", "is not null") and (
            info.type == "Edm.Boolean" or bool(info.enum_members))

    @Slot()
    def _property_changed(self, *_: object) -> None:
        info = self.info()
        blocker = QSignalBlocker(self.choice)
        self.choice.clear()
        if info is not None and info.type == "Edm.Boolean":
            self.choice.addItems(["true", "false"])
        elif info is not None and info.enum_members:
            self.choice.addItems(list(info.enum_members))
        del blocker
        if info is not None:
            self.value.setPlaceholderText(PLACEHOLDERS.get(info.type, info.type.replace("Edm.", "")))
        self._operator_changed()

    @Slot()
    def _operator_changed(self, *_: object) -> None:
        op = self.operator.currentData()
        choice = self._uses_choice()
        self.choice.setVisible(choice)
        self.value.setVisible(not choice and op not in ("is null", "is not null"))
        if op == "in":
            self.value.setPlaceholderText("a, b, c")
        self._value_changed()

    @Slot()
    def _value_changed(self, *_: object) -> None:
        try:
            self.expression()
            self.value.setStyleSheet("")
            self.value.setToolTip("")
        except ODataQueryError as exc:
            self.value.setStyleSheet(ERROR_STYLE)
            self.value.setToolTip(exc.message)
        self.changed.emit()

    def _literal(self, text: str, info: FieldInfo) -> Literal:
        return literal_for(text, info.type, version=self.version, enum_members=info.enum_members,
                           is_flags=info.is_flags)

    def expression(self) -> Expr | None:
        """The condition as an expression; None while incomplete; `ODataQueryError` if invalid."""
        info = self.info()
        if info is None:
            return None
        op = self.operator.currentData()
        path = MemberPath(tuple(info.path.split("/")))
        if op in ("is null", "is not null"):
            return BinaryOp("eq" if op == "is null" else "ne", path, Literal("null", "null"))
        text = self.choice.currentText() if self._uses_choice() else self.value.text()
        if text == "" and info.type != "Edm.String":
            return None
        if op == "in":
            values = [v.strip() for v in _split_list(text) if v.strip()] if text else []
            if not values:
                return None
            return BinaryOp("in", path, ListExpr(tuple(self._literal(v, info) for v in values)))
        if op in STRING_FUNCS:
            if info.type != "Edm.String":
                raise ODataQueryError(f"{op}() works on text; {info.path} is {info.type}")
            return Call(op, (path, Literal("string", text)))
        literal = self._literal(text, info)
        return BinaryOp(op, path, literal)

    def set_condition(self, path: str, op: str, text: str) -> None:
        index = self.field_combo.findText(path)
        if index < 0:
            self.field_combo.addItem(path, FieldInfo(path, "Edm.String"))
            index = self.field_combo.count() - 1
        self.field_combo.setCurrentIndex(index)
        self.operator.setCurrentIndex(max(0, self.operator.findData(op)))
        if self._uses_choice():
            self.choice.setCurrentText(text)
        else:
            self.value.setText(text)


def _shrinkable(combo: QComboBox) -> None:
    """A combo that may be narrower than its longest entry (elided): the ✕ after it stays in a narrow dock."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(4)


def _split_list(text: str) -> list[str]:
    """`a, 'b,c', d` → items; commas inside quotes do not split."""
    out, buf, quote = [], "", False
    for ch in text:
        if ch == "'":
            quote = not quote
        if ch == "," and not quote:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return [v.strip().strip("'") if v.strip().startswith("'") else v for v in out]


class ConditionGroup(QFrame):
    """Rows joined with and/or, plus nested groups (an or inside an and, and so on)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, fields: list[FieldInfo], version: str, nested: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.version = version
        self.setFrameShape(QFrame.Shape.StyledPanel if nested else QFrame.Shape.NoFrame)
        self.combinator = QComboBox(self)
        self.combinator.addItem("all of (and)", "and")
        self.combinator.addItem("any of (or)", "or")
        self.add_row_button = QPushButton("+ Condition", self)
        self.add_group_button = QPushButton("+ Group", self)
        head = QHBoxLayout()
        head.addWidget(QLabel("Match", self))
        head.addWidget(self.combinator)
        head.addStretch(1)
        # The add buttons sit under the rows (where the next row appears), not beside "Match":
        # on one line with it they made the form wider than the dock at 1024×700 and were cut off.
        adds = QHBoxLayout()
        adds.addWidget(self.add_row_button)
        adds.addWidget(self.add_group_button)
        adds.addStretch(1)
        if nested:
            remove = QToolButton(self)
            remove.setText("✕")
            remove.setToolTip("Remove this group")
            remove.clicked.connect(lambda: self.remove_requested.emit(self))
            head.addWidget(remove)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6 if nested else 0, 4, 0, 4)
        layout.addLayout(head)
        layout.addLayout(self.body)
        layout.addLayout(adds)
        self.items: list[ConditionRow | ConditionGroup] = []
        self.combinator.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.add_row_button.clicked.connect(lambda: self.add_row())
        self.add_group_button.clicked.connect(lambda: self.add_group())

    def add_row(self) -> ConditionRow:
        row = ConditionRow(self.fields, self.version, self)
        self._add(row)
        return row

    def add_group(self) -> "ConditionGroup":
        group = ConditionGroup(self.fields, self.version, True, self)
        self._add(group)
        return group

    def _add(self, item: "ConditionRow | ConditionGroup") -> None:
        self.items.append(item)
        self.body.addWidget(item)
        item.changed.connect(self.changed)
        item.remove_requested.connect(self._remove)
        self.changed.emit()

    @Slot(object)
    def _remove(self, item: "ConditionRow | ConditionGroup") -> None:
        if item in self.items:
            self.items.remove(item)
            item.setParent(None)
            item.deleteLater()
            self.changed.emit()

    def clear(self) -> None:
        for item in list(self.items):
            item.setParent(None)
            item.deleteLater()
        self.items.clear()

    def expression(self) -> Expr | None:
        parts: list[Expr] = []
        for item in self.items:
            try:
                expr = item.expression()
            except ODataQueryError:
                continue  # shown in red on its row; left out of the URL until fixed
            if expr is not None:
                parts.append(expr)
        return and_all(parts) if self.combinator.currentData() == "and" else or_all(parts)

    def load(self, expr: Expr) -> bool:
        """Show `expr` as rows; False when it has a shape rows cannot show, or more than MAX_ROWS conditions."""
        if _condition_count(expr) > MAX_ROWS:
            return False
        op = expr.op if isinstance(expr, BinaryOp) and expr.op in ("and", "or") else "and"
        self.combinator.setCurrentIndex(self.combinator.findData(op))
        for part in _flatten(expr, op):
            if isinstance(part, BinaryOp) and part.op in ("and", "or"):
                if not self.add_group().load(part):
                    return False
                continue
            condition = _as_condition(part)
            if condition is None:
                return False
            self.add_row().set_condition(*condition)
        return True


def _flatten(expr: Expr, op: str) -> list[Expr]:
    """The operands of nested `op`s, left to right (a loop: a generated `or` list is 5,000 levels deep)."""
    out: list[Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, BinaryOp) and node.op == op:
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out


def _condition_count(expr: Expr) -> int:
    """How many rows `expr` would need: the operands under its and/or nodes, counted with a loop."""
    count = 0
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, BinaryOp) and node.op in ("and", "or"):
            stack.append(node.right)
            stack.append(node.left)
        else:
            count += 1
    return count


def _literal_text(lit: Expr) -> str | None:
    if not isinstance(lit, Literal):
        return None
    return lit.text


def _as_condition(expr: Expr) -> tuple[str, str, str] | None:
    """(path, operator, value text) for the simple shapes a row shows."""
    if isinstance(expr, BinaryOp) and isinstance(expr.left, MemberPath):
        path = "/".join(expr.left.segments)
        if expr.op in ("eq", "ne") and isinstance(expr.right, Literal) and expr.right.kind == "null":
            return path, "is null" if expr.op == "eq" else "is not null", ""
        if expr.op in COMPARISONS + ("has",):
            text = _literal_text(expr.right)
            return (path, expr.op, text) if text is not None else None
        if expr.op == "in" and isinstance(expr.right, ListExpr):
            texts = [_literal_text(i) for i in expr.right.items]
            if any(t is None for t in texts):
                return None
            return path, "in", ", ".join(f"'{t}'" if "," in (t or "") else (t or "") for t in texts)
    if isinstance(expr, Call) and expr.name in STRING_FUNCS and len(expr.args) == 2 and \
            isinstance(expr.args[0], MemberPath) and isinstance(expr.args[1], Literal):
        return "/".join(expr.args[0].segments), expr.name, expr.args[1].text
    return None
