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
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.csdl.model import EnumType, Model, StructuredType
from workbench.core.errors import ODataQueryError
from workbench.core.odata.chains import (
    SAFE_DEPTH,
    checkable,
    filter_text,
    url_text,
)
from workbench.core.odata.parser import (
    parse_filter,
    parse_orderby,
    parse_select,
    parse_url,
)
from workbench.core.odata.query import (
    FUNCTIONS,
    ExpandItem,
    Expr,
    ODataUrl,
    OrderItem,
    QueryOptions,
    Segment,
    SelectItem,
)
from workbench.core.odata.serializer import (
    expr_text,
    orderby_text,
    select_text,
)
from workbench.core.odata.validate import Problem, resource_names, validate
from workbench.ui.palette import current
from workbench.ui.widgets.odata.condition_rows import (
    ERROR_STYLE,
    ConditionGroup,
    FieldInfo,
)

#: URLs longer than this are read after a pause in typing (TYPING_PAUSE_MS), not on every key.
LONG_TEXT = 8_000
TYPING_PAUSE_MS = 300
#: Longest URL or filter text the boxes take (Qt's default, 32,767, cut a generated 5,000-key filter).
MAX_TEXT = 1_000_000
#: Problems listed under the form; the rest are counted ("… and 4,990 more").
MAX_PROBLEMS_SHOWN = 12


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
        self._raw_parsed: tuple[str, Expr | None] = ("", None)
        self.problems: list[Problem] = []
        #: The service's documented `$top` limit (a connection template's fact), checked like `odata check --max-top`.
        self.max_top: int | None = None

        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("query-url")
        self.url_edit.setPlaceholderText("OData URL: edit here or with the form below")
        self.url_edit.setMaxLength(MAX_TEXT)
        self.url_error = QLabel("", self)
        self.url_error.setObjectName("error")
        self.url_error.setWordWrap(True)
        self.url_error.setStyleSheet(f"color: {current().danger};")
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
        self.filter_raw.setMaxLength(MAX_TEXT)

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
        self.problems_label.setStyleSheet(f"color: {current().warning};")

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
        paging = QHBoxLayout()  # two short lines rather than one wider than the dock
        paging.addWidget(QLabel("$top", self))
        paging.addWidget(self.top, 1)
        paging.addWidget(QLabel("$skip", self))
        paging.addWidget(self.skip, 1)
        order_layout.addLayout(paging)
        order_layout.addWidget(self.count)
        order_box = _box("$orderby, $top, $skip, $count", order_widget, self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        for box in (select_box, filter_box, expand_box, order_box):
            split.addWidget(box)
        self.select_list.setMinimumHeight(120)  # about six properties visible without scrolling
        self.expand_tree.setMinimumHeight(130)  # five navigation properties, not three
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
        self._typed_timer = QTimer(self)
        self._typed_timer.setSingleShot(True)
        self._typed_timer.setInterval(TYPING_PAUSE_MS)
        self._typed_timer.timeout.connect(lambda: self._read_typed())
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
        if len(text) > LONG_TEXT:
            # A long URL (a generated key list) takes a second to parse and check: once the typing
            # pauses, not on every key. A paste is one edit, so it is read after the same short pause.
            self._typed_timer.start()
            return
        self._read_typed(text)

    def _read_typed(self, text: str | None = None) -> None:
        text = self.url_edit.text() if text is None else text
        self._load_text(text)
        self._update_completions()
        if self._url_ok:
            self.url_changed.emit(text)

    def flush_typing(self) -> None:
        """Read a long URL still waiting for a pause in typing now (tests; before a send)."""
        if self._typed_timer.isActive():
            self._typed_timer.stop()
            self._read_typed()

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
        """Fill the form from a parsed URL; a filter the rows cannot show goes to "Expression"."""
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
                    try:
                        self.filter_raw.setText(filter_text(opts.filter))
                    except RecursionError:  # deep, but no and/or chain (a 5,000-term `add`): keep the URL's text
                        self.filter_raw.setText(_option_text(self.url_edit.text(), "$filter"))
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
        self._validate(url)

    def _load_expand(self, items: tuple[ExpandItem, ...]) -> None:
        self._expand_options.clear()
        for top in _nodes(self.expand_tree, None):
            _uncheck(top)

        def apply(parent: QTreeWidgetItem | None, expand: tuple[ExpandItem, ...], prefix: tuple[str, ...]) -> None:
            for item in expand:
                path = prefix + item.path
                node = self._find_expand_node(parent, item.path[-1])
                if node is None:
                    continue
                node.setCheckState(0, Qt.CheckState.Checked)
                o = item.options
                self._expand_options[path] = {
                    "select": select_text(o.select), "filter": filter_text(o.filter) if o.filter is not None else "",
                    "orderby": orderby_text(o.orderby), "top": o.top, "count": bool(o.count),
                    # what the form has no field for ($skip, $levels, $search, /$ref …) is kept as typed
                    "base": o, "suffix": item.suffix}
                if o.expand:
                    self._fill_children(node)
                    node.setExpanded(True)
                    apply(node, o.expand, path)

        apply(None, items, ())

    def _find_expand_node(self, parent: QTreeWidgetItem | None, name: str) -> QTreeWidgetItem | None:
        for node in _nodes(self.expand_tree, parent):
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
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
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
                if self._raw_parsed[0] != raw:  # a long expression is parsed once, not on every tick of the form
                    self._raw_parsed = (raw, parse_filter(raw))
                filt = self._raw_parsed[1]
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
        for node in _nodes(self.expand_tree, parent):
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
                value: Any
                try:
                    value = parse(text)
                except ODataQueryError:
                    value = getattr(base, key)  # keep the last valid value
                options = replace(options, **{key: value})
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
        try:
            text = url_text(self._url, encode=False)
        except RecursionError:
            self._say_too_deep()
            return
        self.url_edit.setText(text)
        self.url_error.hide()
        self._validate()
        if not self._quiet:
            self.url_changed.emit(text)

    # ------------------------------------------------------------------ validation and completion
    def _validate(self, parsed: ODataUrl | None = None) -> None:
        """Check the URL box against the model (`parsed` when the caller just parsed that text).

        The `$filter` goes to core `validate` balanced (`chains.checkable`): a 5,000-term
        `or` is checked, not a RecursionError. What is still too deep gets one sentence.
        """
        if self.model is None:
            self.problems = []
        else:
            try:
                url = parsed if parsed is not None else parse_url(
                    self.url_edit.text(), self.service_root or None, version=self.model.version,
                    resource_names=resource_names(self.model))
                checked, levels = checkable(url)
                if levels > SAFE_DEPTH:
                    self._say_too_deep(levels)
                    return
                self.problems = validate(checked, self.model, max_top=self.max_top)
            except ODataQueryError as exc:
                self.problems = [Problem(exc.message, exc.position if exc.position is not None else -1)]
            except RecursionError:
                self._say_too_deep()
                return
        self._show_problems()

    def _show_problems(self) -> None:
        shown = [f"⚠ {p.message} (at {p.position})" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(self.problems) - MAX_PROBLEMS_SHOWN:,} more")
        self.problems_label.setText("\n".join(shown))
        self.problems_changed.emit(self.problems)

    def _say_too_deep(self, levels: int = 0) -> None:
        """A query nested deeper than the window walks: one readable problem, the URL kept as typed."""
        how = f"{levels:,} levels" if levels else "too many levels"
        self.problems = [Problem(f"This query nests {how} deep: too deep to check here "
                                 f"(`workbench odata check` checks it)", -1)]
        self._show_problems()

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
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

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



def _option_text(url: str, name: str) -> str:
    """The raw value of query option `name` in `url` (as typed), "" when absent."""
    for pair in url.partition("?")[2].split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    return ""


def _optional_spin(parent: QWidget) -> QSpinBox:
    """A spin box where -1 (shown empty) means "not given"."""
    spin = QSpinBox(parent)
    spin.setMinimumWidth(70)  # its range (to 2^31) would otherwise make it as wide as ten digits
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


def _nodes(tree: QTreeWidget, parent: QTreeWidgetItem | None) -> list[QTreeWidgetItem]:
    """The nodes right under `parent`, or the top level of `tree` when it is None.

    One place for the two Qt APIs (`child`/`topLevelItem`), whose stubs return Optional.
    """
    if parent is not None:
        found = [parent.child(i) for i in range(parent.childCount())]
    else:
        found = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [node for node in found if node is not None]


def _uncheck(node: QTreeWidgetItem) -> None:
    node.setCheckState(0, Qt.CheckState.Unchecked)
    for i in range(node.childCount()):
        child = node.child(i)
        if child is not None:
            _uncheck(child)
