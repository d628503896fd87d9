"""The OData query builder panel: compose `$select/$filter/$expand/$orderby/$top/$skip/$count`
from the service's metadata, and read a hand-edited URL back into the form.

Thin by design: the form only maps to and from the core query model (`core/odata/query.py`);
parsing, typed literals, serialising and validation are core calls (`odata_parser`,
`odata_literals`, `odata_serializer`, `odata_validate`). The URL box and the form are two
views of one `ODataUrl`: editing either updates the other, and `url_changed(str)` tells the
request editor. A `$filter` the rows cannot show (lambdas, arithmetic, `not`) stays as text
in the "Expression" field, so nothing a user typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QSpinBox, QSplitter, QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from workbench.core.csdl.model import EntityType, EnumType, Model, StructuredType
from workbench.core.errors import ODataQueryError
from workbench.core.odata.query import (
    FUNCTIONS,
    BinaryOp,
    Call,
    ExpandItem,
    Expr,
    ListExpr,
    Literal,
    MemberPath,
    ODataUrl,
    OrderItem,
    QueryOptions,
    Segment,
    SelectItem,
    and_all,
    or_all,
)
from workbench.core.odata.literals import literal_for
from workbench.core.odata.parser import parse_filter, parse_orderby, parse_select, parse_url
from workbench.core.odata.serializer import expr_text, orderby_text, select_text, serialize_url
from workbench.core.odata.validate import Problem, resource_names, validate

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


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A filterable/sortable path of the current entity type and its Edm (or enum) type."""

    path: str
    type: str
    enum_members: tuple[str, ...] = ()
    is_flags: bool = False


# --------------------------------------------------------------------------- filter rows


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
        head.addWidget(self.add_row_button)
        head.addWidget(self.add_group_button)
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
        """Show `expr` as rows; False when it has a shape rows cannot show."""
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
    if isinstance(expr, BinaryOp) and expr.op == op:
        return _flatten(expr.left, op) + _flatten(expr.right, op)
    return [expr]


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


# --------------------------------------------------------------------------- the panel


class QueryBuilder(QWidget):
    """The query-builder panel. `set_model(model, service_root)`, `set_url(url)`, `url_changed(str)`."""

    url_changed = Signal(str)
    problems_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.model: Model | None = None
        self.service_root = ""
        self._url = ODataUrl("")
        self._updating = False
        self._url_ok = False
        self._expand_options: dict[tuple[str, ...], dict[str, Any]] = {}
        self.problems: list[Problem] = []

        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("query-url")
        self.url_edit.setPlaceholderText("OData URL: edit here or with the form below")
        self.url_error = QLabel("", self)
        self.url_error.setObjectName("error")
        self.url_error.setWordWrap(True)
        self.url_error.setStyleSheet("color: #cf222e;")
        self._names = QStringListModel(self)
        self.completer = QCompleter(self._names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.url_edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated.connect(self.insert_completion)

        self.entity_set = QComboBox(self)
        self.entity_set.setToolTip("The entity set the query reads")
        self.select_list = QListWidget(self)
        self.select_list.setToolTip("Tick the columns for $select (none ticked: all columns)")

        self.filter_group = ConditionGroup([], "4.0", False, self)
        self.filter_raw = QLineEdit(self)
        self.filter_raw.setPlaceholderText("$filter expression (used when the conditions above cannot show it)")

        self.expand_tree = QTreeWidget(self)
        self.expand_tree.setHeaderLabels(["$expand"])
        self.expand_select = QLineEdit(self)
        self.expand_filter = QLineEdit(self)
        self.expand_orderby = QLineEdit(self)
        self.expand_top = _optional_spin(self)
        self.expand_count = QCheckBox("$count", self)
        expand_form = QFormLayout()
        expand_form.addRow("$select", self.expand_select)
        expand_form.addRow("$filter", self.expand_filter)
        expand_form.addRow("$orderby", self.expand_orderby)
        expand_form.addRow("$top", self.expand_top)
        expand_form.addRow("", self.expand_count)
        self.expand_options_box = QGroupBox("Options of the selected expansion", self)
        self.expand_options_box.setLayout(expand_form)
        self.expand_options_box.setEnabled(False)

        self.orderby_rows: list[tuple[QComboBox, QComboBox, QWidget]] = []
        self.orderby_box = QVBoxLayout()
        self.add_orderby_button = QPushButton("+ Sort key", self)
        self.top = _optional_spin(self)
        self.skip = _optional_spin(self)
        self.count = QCheckBox("$count=true", self)
        self.problems_label = QLabel("", self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #9a6700;")

        # -- layout
        top_row = QHBoxLayout()
        top_row.addWidget(QLabel("Entity set", self))
        top_row.addWidget(self.entity_set, 1)
        select_box = _box("$select", self.select_list, self)
        filter_widget = QWidget(self)
        filter_layout = QVBoxLayout(filter_widget)
        filter_layout.setContentsMargins(0, 0, 0, 0)
        filter_layout.addWidget(self.filter_group)
        filter_layout.addWidget(QLabel("Expression", self))
        filter_layout.addWidget(self.filter_raw)
        filter_box = _box("$filter", filter_widget, self)
        expand_widget = QWidget(self)
        expand_layout = QVBoxLayout(expand_widget)
        expand_layout.setContentsMargins(0, 0, 0, 0)
        expand_layout.addWidget(self.expand_tree, 1)
        expand_layout.addWidget(self.expand_options_box)
        expand_box = _box("$expand", expand_widget, self)
        order_widget = QWidget(self)
        order_layout = QVBoxLayout(order_widget)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.addLayout(self.orderby_box)
        order_layout.addWidget(self.add_orderby_button)
        paging = QHBoxLayout()
        paging.addWidget(QLabel("$top", self))
        paging.addWidget(self.top)
        paging.addWidget(QLabel("$skip", self))
        paging.addWidget(self.skip)
        paging.addWidget(self.count)
        paging.addStretch(1)
        order_layout.addLayout(paging)
        order_box = _box("$orderby, $top, $skip, $count", order_widget, self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        for box in (select_box, filter_box, expand_box, order_box):
            split.addWidget(box)
        self.select_list.setMinimumHeight(120)  # about six properties visible without scrolling
        self.expand_tree.setMinimumHeight(70)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.url_edit)
        layout.addWidget(self.url_error)
        layout.addLayout(top_row)
        layout.addWidget(split, 1)
        layout.addWidget(self.problems_label)
        self.url_error.hide()

        # -- wiring
        self.url_edit.textEdited.connect(self._url_typed)
        self.entity_set.currentIndexChanged.connect(self._entity_set_chosen)
        self.select_list.itemChanged.connect(lambda *_: self._form_changed())
        self.filter_group.changed.connect(self._form_changed)
        self.filter_raw.textEdited.connect(self._raw_filter_edited)
        self.expand_tree.itemChanged.connect(lambda *_: self._form_changed())
        self.expand_tree.itemExpanded.connect(self._fill_children)
        self.expand_tree.currentItemChanged.connect(self._expand_item_selected)
        for edit in (self.expand_select, self.expand_filter, self.expand_orderby):
            edit.textEdited.connect(self._expand_options_edited)
        self.expand_top.valueChanged.connect(self._expand_options_edited)
        self.expand_count.toggled.connect(self._expand_options_edited)
        self.add_orderby_button.clicked.connect(lambda: self.add_orderby())
        self.top.valueChanged.connect(self._form_changed)
        self.skip.valueChanged.connect(self._form_changed)
        self.count.toggled.connect(self._form_changed)

    # ------------------------------------------------------------------ public API
    def set_model(self, model: Model | None, service_root: str) -> None:
        """Use `model` (parsed `$metadata`) for the service at `service_root`."""
        self.model = model
        self.service_root = service_root.rstrip("/")
        self._updating = True
        try:
            self.entity_set.clear()
            if model is not None:
                for es in sorted(model.entity_sets(), key=lambda e: e.name.lower()):
                    self.entity_set.addItem(es.name)
        finally:
            self._updating = False
        self._url = ODataUrl(self.service_root, version=model.version if model else "4.0")
        if self.entity_set.count():
            # Show the first set's form, but do not announce it as the user's URL: a dock that
            # loads metadata for an open request must not overwrite that request's query.
            self._quiet = True
            try:
                self._entity_set_chosen()
            finally:
                self._quiet = False

    def set_url(self, url: str) -> None:
        """Show `url` (e.g. the request editor's URL) in the box and the form."""
        self.url_edit.setText(url)
        self._load_text(url)

    def url(self) -> str:
        """The URL as the builder composes it (readable: spaces as typed, see `serialize_url`)."""
        return self.url_edit.text()

    def query(self) -> ODataUrl:
        return self._url

    # ------------------------------------------------------------------ URL → form
    @Slot(str)
    def _url_typed(self, text: str) -> None:
        self._load_text(text)
        self._update_completions()
        if self._url_ok:
            self.url_changed.emit(text)

    def _load_text(self, text: str) -> None:
        self._url_ok = False
        try:
            names = resource_names(self.model) if self.model else None
            root = self.service_root if self.service_root and text.startswith(self.service_root) else None
            url = parse_url(text, root, version=self.model.version if self.model else "4.0", resource_names=names)
        except ODataQueryError as exc:
            where = f" (at {exc.position})" if exc.position is not None else ""
            self.url_error.setText(f"{exc.message}{where}")
            self.url_error.show()
            return
        self.url_error.hide()
        self._url_ok = True
        self._load(url)

    def _load(self, url: ODataUrl) -> None:
        self._url = url
        self._updating = True
        try:
            if url.segments and self.entity_set.findText(url.segments[0].name) >= 0:
                self.entity_set.setCurrentIndex(self.entity_set.findText(url.segments[0].name))
                self._rebuild_for_type()
            opts = url.options
            selected = {"/".join(i.path) for i in opts.select}
            for i in range(self.select_list.count()):
                item = self.select_list.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.text() in selected else Qt.CheckState.Unchecked)
            self.filter_group.clear()
            self.filter_raw.clear()
            if opts.filter is not None:
                if not self.filter_group.load(opts.filter):
                    self.filter_group.clear()
                    self.filter_raw.setText(expr_text(opts.filter))
            self._load_expand(opts.expand)
            for _combo, _direction, row in list(self.orderby_rows):
                row.setParent(None)
            self.orderby_rows.clear()
            for order in opts.orderby:
                self.add_orderby(expr_text(order.expr), order.descending)
            self.top.setValue(-1 if opts.top is None else opts.top)
            self.skip.setValue(-1 if opts.skip is None else opts.skip)
            self.count.setChecked(bool(opts.count))
        finally:
            self._updating = False
        self._validate()

    def _load_expand(self, items: tuple[ExpandItem, ...]) -> None:
        self._expand_options.clear()
        for i in range(self.expand_tree.topLevelItemCount()):
            _uncheck(self.expand_tree.topLevelItem(i))

        def apply(parent: QTreeWidgetItem | None, expand: tuple[ExpandItem, ...], prefix: tuple[str, ...]) -> None:
            for item in expand:
                path = prefix + item.path
                node = self._find_expand_node(parent, item.path[-1])
                if node is None:
                    continue
                node.setCheckState(0, Qt.CheckState.Checked)
                o = item.options
                self._expand_options[path] = {
                    "select": select_text(o.select), "filter": expr_text(o.filter) if o.filter is not None else "",
                    "orderby": orderby_text(o.orderby), "top": o.top, "count": bool(o.count),
                    # what the form has no field for ($skip, $levels, $search, /$ref …) is kept as typed
                    "base": o, "suffix": item.suffix}
                if o.expand:
                    self._fill_children(node)
                    node.setExpanded(True)
                    apply(node, o.expand, path)

        apply(None, items, ())

    def _find_expand_node(self, parent: QTreeWidgetItem | None, name: str) -> QTreeWidgetItem | None:
        count = parent.childCount() if parent is not None else self.expand_tree.topLevelItemCount()
        for i in range(count):
            node = parent.child(i) if parent is not None else self.expand_tree.topLevelItem(i)
            if node.text(0) == name:
                return node
        return None

    # ------------------------------------------------------------------ form → URL
    @Slot()
    def _entity_set_chosen(self, *_: object) -> None:
        if self._updating:
            return
        name = self.entity_set.currentText()
        self._url = ODataUrl(self.service_root, (Segment(name),) if name else (), QueryOptions(),
                             self.model.version if self.model else "4.0")
        self._updating = True
        try:
            self._rebuild_for_type()
        finally:
            self._updating = False
        self._form_changed()

    def _rebuild_for_type(self) -> None:
        """Fill the select list, condition fields, expand tree and completions for the target type."""
        etype = self._target_type()
        fields = self._fields(etype)
        self.select_list.clear()
        if etype is not None and self.model is not None:
            for p in self.model.all_properties(etype):
                item = QListWidgetItem(p.name, self.select_list)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setToolTip(p.type_name)
        version = self.model.version if self.model else "4.0"
        self.filter_group.fields = fields
        self.filter_group.version = version
        self.filter_group.clear()
        self.expand_tree.clear()
        self._expand_options.clear()
        if etype is not None:
            self._add_nav_children(None, etype)
        for _combo, _direction, row in self.orderby_rows:
            row.setParent(None)
        self.orderby_rows.clear()
        self._update_completions()

    def _target_type(self) -> StructuredType | None:
        model = self.model
        if model is None or not self._url.segments:
            return None
        current: StructuredType | None = model.entity_type_of_set(self._url.segments[0].name)
        for seg in self._url.segments[1:]:
            if current is None or seg.name.startswith("$"):
                break
            nav = model.navigation_property(current, seg.name)
            if nav is not None:
                current = model.navigation_target(nav)
            elif "." in seg.name and model.structured_type(seg.name) is not None:
                current = model.structured_type(seg.name)
            else:
                prop = model.property(current, seg.name)
                current = model.structured_type(prop.type) if prop is not None else None
        return current

    def _fields(self, etype: StructuredType | None) -> list[FieldInfo]:
        """Primitive properties, then those one single-valued navigation away (`owner/city`)."""
        model = self.model
        if model is None or etype is None:
            return []
        out: list[FieldInfo] = []

        def add(structured: StructuredType, prefix: str) -> None:
            for p in model.all_properties(structured):
                if p.collection:
                    continue
                target = model.find_type(p.type)
                if isinstance(target, EnumType):
                    out.append(FieldInfo(prefix + p.name, target.qualified_name,
                                         tuple(m.name for m in target.members), target.is_flags))
                elif p.type.startswith("Edm."):
                    out.append(FieldInfo(prefix + p.name, p.type))
                elif getattr(target, "underlying_type", None):
                    out.append(FieldInfo(prefix + p.name, target.underlying_type))  # type: ignore[union-attr]

        add(etype, "")
        for nav in model.all_navigation_properties(etype):
            target = model.navigation_target(nav)
            if not nav.collection and target is not None:
                add(target, nav.name + "/")
        return out

    def _add_nav_children(self, parent: QTreeWidgetItem | None, structured: StructuredType) -> None:
        if self.model is None:
            return
        for nav in self.model.all_navigation_properties(structured):
            node = QTreeWidgetItem([nav.name])
            node.setFlags(node.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            node.setCheckState(0, Qt.CheckState.Unchecked)
            node.setToolTip(0, nav.type_name)
            node.setData(0, Qt.ItemDataRole.UserRole, nav.type)
            node.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            if parent is None:
                self.expand_tree.addTopLevelItem(node)
            else:
                parent.addChild(node)

    @Slot(QTreeWidgetItem)
    def _fill_children(self, node: QTreeWidgetItem) -> None:
        """Children (the target's navigation properties) are added when a node is first opened."""
        if node.childCount() or self.model is None or _depth(node) >= 4:
            return
        target = self.model.entity_type(str(node.data(0, Qt.ItemDataRole.UserRole)))
        if target is not None:
            blocker = QSignalBlocker(self.expand_tree)
            self._add_nav_children(node, target)
            del blocker
        if not node.childCount():
            node.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)

    def expand_node(self, *path: str) -> QTreeWidgetItem | None:
        """The tree node for a navigation path (children are filled on the way)."""
        node: QTreeWidgetItem | None = None
        for name in path:
            if node is not None:
                self._fill_children(node)
            node = self._find_expand_node(node, name)
            if node is None:
                return None
        return node

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _expand_item_selected(self, current: QTreeWidgetItem | None, _previous: object = None) -> None:
        self.expand_options_box.setEnabled(current is not None)
        if current is None:
            return
        opts = self._expand_options.get(_node_path(current), {})
        self._updating = True
        try:
            self.expand_select.setText(opts.get("select", ""))
            self.expand_filter.setText(opts.get("filter", ""))
            self.expand_orderby.setText(opts.get("orderby", ""))
            top = opts.get("top")
            self.expand_top.setValue(-1 if top is None else int(top))
            self.expand_count.setChecked(bool(opts.get("count")))
        finally:
            self._updating = False

    @Slot()
    def _expand_options_edited(self, *_: object) -> None:
        if self._updating:
            return
        node = self.expand_tree.currentItem()
        if node is None:
            return
        top = self.expand_top.value()
        path = _node_path(node)
        kept = self._expand_options.get(path, {})
        self._expand_options[path] = {
            "select": self.expand_select.text(), "filter": self.expand_filter.text(),
            "orderby": self.expand_orderby.text(), "top": None if top < 0 else top,
            "count": self.expand_count.isChecked(),
            "base": kept.get("base", QueryOptions()), "suffix": kept.get("suffix", "")}
        if node.checkState(0) != Qt.CheckState.Checked:
            node.setCheckState(0, Qt.CheckState.Checked)  # editing options means "expand this"
        self._form_changed()

    def add_orderby(self, text: str = "", descending: bool = False) -> tuple[QComboBox, QComboBox]:
        row = QWidget(self)
        combo = QComboBox(row)
        combo.setEditable(True)
        fields = [f.path for f in self.filter_group.fields]
        combo.addItems(fields)
        combo.setCurrentText(text or (fields[0] if fields else ""))
        direction = QComboBox(row)
        direction.addItems(["asc", "desc"])
        direction.setCurrentIndex(1 if descending else 0)
        remove = QToolButton(row)
        remove.setText("✕")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(combo, 1)
        layout.addWidget(direction)
        layout.addWidget(remove)
        entry = (combo, direction, row)
        self.orderby_rows.append(entry)
        self.orderby_box.addWidget(row)
        combo.currentTextChanged.connect(lambda *_: self._form_changed())
        direction.currentIndexChanged.connect(lambda *_: self._form_changed())

        def drop() -> None:
            if entry in self.orderby_rows:
                self.orderby_rows.remove(entry)
                row.setParent(None)
                self._form_changed()

        remove.clicked.connect(drop)
        self._form_changed()
        return combo, direction

    @Slot(str)
    def _raw_filter_edited(self, _text: str) -> None:
        if self.filter_raw.text().strip():
            self.filter_group.clear()
        self._form_changed()

    def compose(self) -> ODataUrl:
        """The query the form shows now (unparsable fields are left out and marked red)."""
        opts = self._url.options
        select = tuple(SelectItem(tuple(self.select_list.item(i).text().split("/")))
                       for i in range(self.select_list.count())
                       if self.select_list.item(i).checkState() == Qt.CheckState.Checked)
        filt: Expr | None = None
        raw = self.filter_raw.text().strip()
        self.filter_raw.setStyleSheet("")
        if raw:
            try:
                filt = parse_filter(raw)
            except ODataQueryError as exc:
                self.filter_raw.setStyleSheet(ERROR_STYLE)
                self.filter_raw.setToolTip(exc.message)
                filt = opts.filter
        else:
            filt = self.filter_group.expression()
        orderby: list[OrderItem] = []
        for combo, direction, _row in self.orderby_rows:
            text = combo.currentText().strip()
            if not text:
                continue
            try:
                orderby.extend(replace(o, descending=direction.currentIndex() == 1) for o in parse_orderby(text))
                combo.setStyleSheet("")
            except ODataQueryError as exc:
                combo.setStyleSheet(ERROR_STYLE)
                combo.setToolTip(exc.message)
        expand = self._compose_expand(None, ())
        top, skip = self.top.value(), self.skip.value()
        new = replace(opts, select=select, filter=filt, expand=expand, orderby=tuple(orderby),
                      top=None if top < 0 else top, skip=None if skip < 0 else skip,
                      count=True if self.count.isChecked() else None)
        return replace(self._url, options=new)

    def _compose_expand(self, parent: QTreeWidgetItem | None, prefix: tuple[str, ...]) -> tuple[ExpandItem, ...]:
        out: list[ExpandItem] = []
        count = parent.childCount() if parent is not None else self.expand_tree.topLevelItemCount()
        for i in range(count):
            node = parent.child(i) if parent is not None else self.expand_tree.topLevelItem(i)
            path = prefix + (node.text(0),)
            children = self._compose_expand(node, path)
            if node.checkState(0) != Qt.CheckState.Checked and not children:
                continue
            raw = self._expand_options.get(path, {})
            base: QueryOptions = raw.get("base", QueryOptions())
            options = replace(base, expand=children, select=(), filter=None, orderby=())
            fields = (("select", parse_select), ("filter", parse_filter), ("orderby", parse_orderby))
            for key, parse in fields:
                text = str(raw.get(key, "")).strip()
                if not text:
                    continue
                try:
                    options = replace(options, **{key: parse(text)})
                except ODataQueryError:
                    options = replace(options, **{key: getattr(base, key)})  # keep the last valid value
            options = replace(options, top=raw.get("top"), count=True if raw.get("count") else None)
            suffix = raw.get("suffix", "")
            if suffix:
                options = QueryOptions()  # `/$ref` and `/$count` take no nested options
            out.append(ExpandItem((node.text(0),), options, suffix))
        return tuple(out)

    @Slot()
    def _form_changed(self, *_: object) -> None:
        if self._updating:
            return
        self._url = self.compose()
        text = serialize_url(self._url, encode=False)
        self.url_edit.setText(text)
        self.url_error.hide()
        self._validate()
        if not self._quiet:
            self.url_changed.emit(text)

    # ------------------------------------------------------------------ validation and completion
    def _validate(self) -> None:
        if self.model is None:
            self.problems = []
        else:
            try:
                self.problems = validate(parse_url(self.url_edit.text(), self.service_root or None,
                                                   version=self.model.version,
                                                   resource_names=resource_names(self.model)), self.model)
            except ODataQueryError as exc:
                self.problems = [Problem(exc.message, exc.position if exc.position is not None else -1)]
        self.problems_label.setText("\n".join(f"⚠ {p.message} (at {p.position})" for p in self.problems))
        self.problems_changed.emit(self.problems)

    def completion_names(self) -> list[str]:
        names: list[str] = []
        etype = self._target_type()
        if self.model is not None and etype is not None:
            names += [p.name for p in self.model.all_properties(etype)]
            names += [n.name for n in self.model.all_navigation_properties(etype)]
        if self.model is not None:
            names += [es.name for es in self.model.entity_sets()]
        names += sorted(n for n in FUNCTIONS if "." not in n)
        names += ["$select", "$filter", "$expand", "$orderby", "$top", "$skip", "$count", "$search",
                  "eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "in", "has", "asc", "desc", "any", "all"]
        return list(dict.fromkeys(names))

    def _update_completions(self) -> None:
        self._names.setStringList(self.completion_names())
        prefix = self.word_at_cursor()
        if len(prefix) >= 1 and self.url_edit.hasFocus():
            self.completer.setCompletionPrefix(prefix)
            if self.completer.completionCount():
                self.completer.complete()
                return
        self.completer.popup().hide()

    def word_at_cursor(self) -> str:
        text = self.url_edit.text()[: self.url_edit.cursorPosition()]
        m = re.search(r"[$A-Za-z_][\w.]*$", text)
        return m.group(0) if m else ""

    @Slot(str)
    def insert_completion(self, name: str) -> None:
        """Replace the word before the cursor with `name` (a property, function or option)."""
        text = self.url_edit.text()
        cursor = self.url_edit.cursorPosition()
        prefix = self.word_at_cursor()
        start = cursor - len(prefix)
        suffix = "(" if name in FUNCTIONS else ("=" if name.startswith("$") else "")
        new = text[:start] + name + suffix + text[cursor:]
        self.url_edit.setText(new)
        self.url_edit.setCursorPosition(start + len(name) + len(suffix))
        self._url_typed(new)


class UrlCompletion:
    """Completion of property, function and option names in a URL box other than the builder's.

    The request editor's URL box gets the same names as the builder's once the service's
    metadata is known: a user typing `$filter=sta` is offered `status`, `startswith`. `edit` is
    any widget with QLineEdit's text API (`text`, `setText`, `cursorPosition`,
    `setCursorPosition`, `textEdited`); `names` is asked for fresh names on each keystroke.
    """

    def __init__(self, edit: Any, names: Callable[[], list[str]]) -> None:
        self.edit = edit
        self.names = names
        self.model = QStringListModel()
        self.completer = QCompleter(self.model, edit)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(edit)
        self.completer.activated.connect(self.insert)
        edit.textEdited.connect(self.update)
        edit.completion_popup = self.completer.popup()

    def word_at_cursor(self) -> str:
        text = self.edit.text()[: self.edit.cursorPosition()]
        if "?" not in text:  # names belong to the query, not to the host or path
            return ""
        m = re.search(r"[$A-Za-z_][\w.]*$", text)
        return m.group(0) if m else ""

    def update(self, *_: object) -> None:
        prefix = self.word_at_cursor()
        names = self.names() if prefix else []
        if names and self.edit.hasFocus():
            self.model.setStringList(names)
            self.completer.setCompletionPrefix(prefix)
            if self.completer.completionCount() and self.completer.currentCompletion() != prefix:
                self.completer.complete()
                return
        self.completer.popup().hide()

    def insert(self, name: str) -> None:
        text = self.edit.text()
        cursor = self.edit.cursorPosition()
        start = cursor - len(self.word_at_cursor())
        suffix = "(" if name in FUNCTIONS else ("=" if name.startswith("$") else "")
        new = text[:start] + name + suffix + text[cursor:]
        self.edit.setText(new)
        self.edit.setCursorPosition(start + len(name) + len(suffix))
        self.edit.textEdited.emit(new)


def _optional_spin(parent: QWidget) -> QSpinBox:
    """A spin box where -1 (shown empty) means "not given"."""
    spin = QSpinBox(parent)
    spin.setRange(-1, 2_147_483_647)
    spin.setSpecialValueText(" ")
    spin.setValue(-1)
    return spin


def _box(title: str, widget: QWidget, parent: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(widget)
    return box


def _node_path(node: QTreeWidgetItem) -> tuple[str, ...]:
    parts: list[str] = []
    current: QTreeWidgetItem | None = node
    while current is not None:
        parts.append(current.text(0))
        current = current.parent()
    return tuple(reversed(parts))


def _depth(node: QTreeWidgetItem) -> int:
    return len(_node_path(node))


def _uncheck(node: QTreeWidgetItem) -> None:
    node.setCheckState(0, Qt.CheckState.Unchecked)
    for i in range(node.childCount()):
        _uncheck(node.child(i))


__all__ = ["QueryBuilder", "ConditionGroup", "ConditionRow", "FieldInfo", "EntityType"]


# --------------------------------------------------------------------------- main-window dock


class QueryBuilderDock:
    """Docks a `QueryBuilder` beside the request editor of a main window.

    It follows the current request tab: the editor's URL (variables resolved) goes into the
    builder, the service's `$metadata` is loaded once per service root (through
    `csdl_source.load_metadata`, with the request's auth, as an asyncio task), and every
    builder change is written back to the editor, keeping a leading `{{serviceRoot}}`-style
    variable as the user wrote it. Requests of a service without reachable metadata show a
    short notice instead of the form.
    """

    def __init__(self, window: Any) -> None:
        from PySide6.QtWidgets import QDockWidget

        self.window = window
        self.builder = QueryBuilder()
        self.notice = QLabel("Open a request of an OData service to build its query.", self.builder)
        self.notice.setWordWrap(True)
        from PySide6.QtWidgets import QFrame, QScrollArea

        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.builder, 1)
        scroll = QScrollArea()  # the form scrolls on a small screen instead of stretching the window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(container)
        self.dock = QDockWidget("Query builder", window)
        self.dock.setObjectName("query-builder-dock")
        self.dock.setWidget(scroll)
        self.dock.hide()
        window.add_dock(self.dock)
        self.action = self.dock.toggleViewAction()
        self.action.setText("Query builder")
        self.action.setShortcut("Ctrl+Shift+Q")
        self._models: dict[str, Model] = {}
        self._task: Any = None
        self._editor: Any = None
        self._writing = False
        self._prefix: tuple[str, str] = ("", "")  # (as written, resolved) leading variable
        window.tabs.currentChanged.connect(lambda *_: self.follow_current())
        self.dock.visibilityChanged.connect(lambda visible: visible and self.follow_current())
        self.builder.url_changed.connect(self._write_back)

    def _resolver(self, editor: Any) -> Any:
        from workbench.core.sending.prepare import variables_for
        from workbench.core.variables import Resolver

        coll = self.window.collection_of(editor.collection_path)
        return Resolver(variables_for(coll, self.window.active_environment()))

    def follow_current(self) -> None:
        """Show the current tab's request in the builder (loading its metadata if needed)."""
        if not self.dock.isVisible():
            return
        editor = self.window.current_editor()
        if editor is not self._editor:
            if self._editor is not None:
                try:
                    self._editor.url.textEdited.disconnect(self._editor_url_edited)
                except (RuntimeError, TypeError):
                    pass
            self._editor = editor
            if editor is not None:
                editor.url.textEdited.connect(self._editor_url_edited)
        if editor is None:
            self._show_notice("Open a request of an OData service to build its query.")
            return
        self._editor_url_edited(editor.url.text())

    @Slot(str)
    def _editor_url_edited(self, text: str) -> None:
        if self._writing or self._editor is None:
            return
        resolve = self._resolver(self._editor)
        m = re.match(r"\{\{[^}]+\}\}", text)
        self._prefix = (m.group(0), resolve(m.group(0))) if m else ("", "")
        resolved = resolve(text)
        root = self._service_root(self._editor, resolved)
        if not root:
            self._show_notice("This request's URL is not an OData service URL.")
            return
        model = self._models.get(root)
        if model is None:
            self._load(root, resolved)
            return
        if self.builder.model is not model:
            self.builder.set_model(model, root)
        self.notice.hide()
        self.builder.show()
        self.builder.set_url(resolved)
        self._complete_in(self._editor)

    def _complete_in(self, editor: Any) -> None:
        """Offer the service's names in the request editor's own URL box too (once per editor)."""
        if getattr(editor, "odata_completion", None) is not None:
            return

        def names() -> list[str]:
            return self.builder.completion_names() if self._editor is editor and self.builder.model else []

        editor.odata_completion = UrlCompletion(editor.url, names)

    def _service_root(self, editor: Any, resolved: str) -> str:
        coll = self.window.collection_of(editor.collection_path)
        resolve = self._resolver(editor)
        for meta in (editor.saved_request.meta, coll.meta if coll else {}):
            root = meta.get("odata_service", "") if meta else ""
            if root:
                root = resolve(root).rstrip("/")
                if resolved.startswith(root):
                    return str(root)
        try:
            return parse_url(resolved).service_root if "://" in resolved else ""
        except ODataQueryError:
            return ""

    def _load(self, root: str, resolved: str) -> None:
        """Fetch and parse `$metadata` in a worker (its own event loop), cancelling an older load.

        A worker thread rather than a task on the window's loop: the parse runs in
        `asyncio.to_thread`, which must not use the Qt loop's QThread executor (those threads
        outlive the window).
        """
        from workbench.core.csdl.source import load_metadata
        from workbench.ui.background import CoroutineJob

        self.cancel()
        editor = self._editor
        template = editor.to_model()
        ctx = self.window.send_context(editor.collection_path)  # settings and OAuth2 tokens, as a send
        self._show_notice(f"Loading {root}/$metadata …")

        def done(model: Model) -> None:
            self._models[root] = model
            if self._editor is editor:
                self._editor_url_edited(editor.url.text())

        def failed(exc: BaseException) -> None:
            self._show_notice(f"No metadata for {root}: {getattr(exc, 'message', str(exc))}")

        self._task = CoroutineJob(lambda: load_metadata(root, template, ctx), done, failed)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self.builder.hide()

    @Slot(str)
    def _write_back(self, url: str) -> None:
        editor = self._editor
        if editor is None or self._writing:
            return
        written, resolved = self._prefix
        if written and url.startswith(resolved):
            url = written + url[len(resolved):]
        self._writing = True
        try:
            editor.url.setText(url)
            editor.url.textEdited.emit(url)  # the editor syncs its Params table from the URL
        finally:
            self._writing = False

    def cancel(self) -> None:
        """Stop a metadata load that is still running."""
        if self._task is not None and not self._task.finished:
            self._task.cancel()
        self._task = None


def install_query_builder(window: Any) -> QueryBuilderDock:
    """Add the query-builder dock (View → Query builder) to a main window."""
    dock = QueryBuilderDock(window)
    window._query_builder_dock = dock  # keep it alive with the window
    return dock
