"""The metadata tree: a lazy QAbstractItemModel over a `csdl.Model`.

Schemas → categories (entity sets, singletons, operation imports, entity/complex/enum types,
type definitions, functions, actions) → elements → members (properties, navigation
properties, enum members, parameters). Nodes are created only when a view asks for a row's
children, so Microsoft Graph's ~5,000 elements and ~12,000 members cost nothing until
expanded and the tree appears at once.

Search does not go through a QSortFilterProxyModel (its recursive filtering would visit every
lazy row from Python on each keystroke): `SearchIndex` is a flat list of lower-cased names
built once (in a worker thread, it is Qt-free), and `set_filter` rebuilds just the matching
part of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from workbench.core.csdl import model as csdl
from workbench.core.csdl.model import (
    Action,
    ActionImport,
    ComplexType,
    EntitySet,
    EntityType,
    EnumMember,
    EnumType,
    Function,
    FunctionImport,
    Model,
    NavigationProperty,
    Parameter,
    Property,
    Schema,
    Singleton,
    TypeDefinition,
)
from workbench.ui.palette import Palette, current

_Index = QModelIndex | QPersistentModelIndex
ObjectRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
QualifiedNameRole = Qt.ItemDataRole.UserRole + 3

#: (category id, label, element kind) in display order.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("entity_sets", "Entity sets", "entity_set"),
    ("singletons", "Singletons", "singleton"),
    ("function_imports", "Function imports", "function_import"),
    ("action_imports", "Action imports", "action_import"),
    ("entity_types", "Entity types", "entity_type"),
    ("complex_types", "Complex types", "complex_type"),
    ("enum_types", "Enum types", "enum_type"),
    ("type_definitions", "Type definitions", "type_definition"),
    ("functions", "Functions", "function"),
    ("actions", "Actions", "action"),
)
_CATEGORY_LABEL = {cid: label for cid, label, _ in CATEGORIES}
_CATEGORY_KIND = {cid: kind for cid, _, kind in CATEGORIES}
_BADGES = {  # kind → (letter, palette colour name)
    "schema": ("S", "muted"), "category": ("", "muted"),
    "entity_set": ("ES", "syntax_key"), "singleton": ("1", "syntax_key"),
    "function_import": ("fi", "success"), "action_import": ("ai", "warning"),
    "entity_type": ("E", "purple"), "complex_type": ("C", "orange"), "enum_type": ("#", "success"),
    "type_definition": ("T", "muted"), "function": ("f", "success"), "action": ("a", "warning"),
    "property": ("p", "faint"), "key": ("K", "warning"), "navigation": ("→", "accent"),
    "member": ("=", "faint"), "parameter": ("(", "faint"),
}


def schema_elements(model: Model, schema: Schema, category: str) -> list[Any]:
    """The elements of one category of a schema, sorted by name (case-insensitive)."""
    container = schema.entity_container
    items: Iterable[Any]
    if category in ("entity_sets", "singletons", "function_imports", "action_imports"):
        items = getattr(container, category) if container is not None else ()
    else:
        items = getattr(schema, category)
    return sorted(items, key=lambda e: e.name.lower())


@dataclass(frozen=True, slots=True)
class SearchEntry:
    haystack: str  # lower-cased element name (qualified for types)
    schema: int
    category: str
    element: Any
    members: str = ""  # lower-cased member names, "\n"-joined


class SearchIndex:
    """Every element's name (and its members' names) in flat lists, for substring search.

    Built once per model (about 10 ms for Microsoft Graph), so a keystroke is one pass over
    a list of strings, not a walk of the tree.
    """

    def __init__(self, model: Model) -> None:
        self.entries: list[SearchEntry] = []
        for index, schema in enumerate(model.schemas):
            for category, _, _ in CATEGORIES:
                for element in schema_elements(model, schema, category):
                    members = ""
                    if isinstance(element, (EntityType, ComplexType)):
                        names = [p.name for p in element.properties] + [n.name for n in element.navigation_properties]
                        members = "\n".join(names).lower()
                    elif isinstance(element, EnumType):
                        members = "\n".join(m.name for m in element.members).lower()
                    name = getattr(element, "qualified_name", element.name)
                    self.entries.append(SearchEntry(name.lower(), index, category, element, members))

    def search(self, text: str, members: bool = False) -> list[SearchEntry]:
        """Entries whose name (or, with `members`, one of whose members' names) contains `text`."""
        needle = text.strip().lower()
        if not needle:
            return list(self.entries)
        if members:
            return [e for e in self.entries if needle in e.haystack or needle in e.members]
        if "." in needle:
            return [e for e in self.entries if needle in e.haystack]
        return [e for e in self.entries if needle in e.haystack.rpartition(".")[2]]


class CsdlNode:
    """One row; children are made on first access (`None` until then)."""

    __slots__ = ("kind", "obj", "parent", "row", "label", "detail", "schema_index", "_children", "elements",
                 "is_key")

    def __init__(self, kind: str, obj: Any, parent: "CsdlNode | None", row: int, label: str, detail: str = "",
                 schema_index: int = -1) -> None:
        self.kind = kind
        self.obj = obj
        self.parent = parent
        self.row = row
        self.label = label
        self.detail = detail
        self.schema_index = schema_index
        self._children: list[CsdlNode] | None = None
        self.elements: list[Any] | None = None  # categories: their (possibly filtered) elements
        self.is_key = False


class CsdlTreeModel(QAbstractItemModel):
    """Two columns: name, and type (or signature) of each schema element and member."""

    HEADERS = ("Name", "Type")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._model: Model | None = None
        self._index: SearchIndex | None = None
        self._root = CsdlNode("root", None, None, 0, "")
        self._root._children = []
        self._filter = ""
        self._filter_members = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._match_count = 0

    # -- content -------------------------------------------------------------------------
    @property
    def csdl_model(self) -> Model | None:
        return self._model

    def set_csdl_model(self, model: Model | None, index: SearchIndex | None = None) -> None:
        """Show `model` (`index` may be pre-built off the UI thread); clears the filter."""
        self.beginResetModel()
        self._model = model
        self._index = index
        self._filter = ""
        self._root = self._build_root(None)
        self.endResetModel()

    def search_index(self) -> SearchIndex | None:
        if self._index is None and self._model is not None:
            self._index = SearchIndex(self._model)
        return self._index

    def set_filter(self, text: str, members: bool = False) -> int:
        """Show only elements whose name contains `text` (members' names too if asked); returns matches."""
        text = text.strip()
        if text == self._filter and members == self._filter_members:
            return self._match_count
        self.beginResetModel()
        self._filter = text
        self._filter_members = members
        if not text or self._model is None:
            self._root = self._build_root(None)
            self._match_count = 0
        else:
            index = self.search_index()
            matches = index.search(text, members) if index is not None else []
            self._match_count = len(matches)
            grouped: dict[int, dict[str, list[Any]]] = {}
            for entry in matches:
                grouped.setdefault(entry.schema, {}).setdefault(entry.category, []).append(entry.element)
            self._root = self._build_root(grouped)
        self.endResetModel()
        return self._match_count

    @property
    def filter_text(self) -> str:
        return self._filter

    def _build_root(self, grouped: dict[int, dict[str, list[Any]]] | None) -> CsdlNode:
        root = CsdlNode("root", None, None, 0, "")
        root._children = []
        if self._model is None:
            return root
        for index, schema in enumerate(self._model.schemas):
            if grouped is not None and index not in grouped:
                continue
            label = schema.namespace + (f" ({schema.alias})" if schema.alias else "")
            node = CsdlNode("schema", schema, root, len(root._children), label, "schema", index)
            node._children = []
            for category, text, _ in CATEGORIES:
                if grouped is None:
                    elements = schema_elements(self._model, schema, category)
                else:
                    elements = grouped[index].get(category, [])
                if not elements:
                    continue
                cat = CsdlNode("category", category, node, len(node._children), f"{text} ({len(elements)})", "",
                               index)
                cat.elements = elements
                node._children.append(cat)
            root._children.append(node)
        return root

    # -- node access ---------------------------------------------------------------------
    def node(self, index: _Index) -> CsdlNode:
        if index.isValid():
            node = index.internalPointer()
            if isinstance(node, CsdlNode):
                return node
        return self._root

    def _children(self, node: CsdlNode) -> list[CsdlNode]:
        if node._children is None:
            node._children = self._make_children(node)
        return node._children

    def _make_children(self, node: CsdlNode) -> list[CsdlNode]:
        model = self._model
        out: list[CsdlNode] = []
        if model is None:
            return out
        if node.kind == "category" and node.elements is not None:
            kind = _CATEGORY_KIND[node.obj]
            for row, element in enumerate(node.elements):
                out.append(CsdlNode(kind, element, node, row, element.name, _element_detail(element),
                                    node.schema_index))
            return out
        obj = node.obj
        if isinstance(obj, (EntityType, ComplexType)):
            keys = set(model.key_of(obj)) if isinstance(obj, EntityType) else set()
            for prop in model.all_properties(obj):
                child = CsdlNode("property", prop, node, len(out), prop.name, _type_text(prop))
                child.is_key = prop.name in keys
                out.append(child)
            for nav in model.all_navigation_properties(obj):
                target = f"Collection({_short(nav.type)})" if nav.collection else _short(nav.type)
                out.append(CsdlNode("navigation", nav, node, len(out), nav.name, f"{target} [{nav.multiplicity}]"))
        elif isinstance(obj, EnumType):
            for member in obj.members:
                out.append(CsdlNode("member", member, node, len(out), member.name, str(member.value)))
        elif isinstance(obj, (Function, Action)):
            for param in obj.parameters:
                out.append(CsdlNode("parameter", param, node, len(out), param.name, _type_text(param)))
        return out

    # -- QAbstractItemModel --------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children(self.node(parent))
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self.node(parent)
        if node.kind in ("property", "navigation", "member", "parameter"):
            return 0
        return len(self._children(node))

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        if node.kind in ("root", "schema"):
            return bool(self._children(node))
        if node.kind == "category":
            return bool(node.elements)
        obj = node.obj
        if isinstance(obj, (EntityType, ComplexType)):
            return bool(obj.properties or obj.navigation_properties or obj.base_type)
        if isinstance(obj, EnumType):
            return bool(obj.members)
        if isinstance(obj, (Function, Action)):
            return bool(obj.parameters)
        return False

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 2:
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label if column == 0 else node.detail
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if node.kind == "category":
                return None
            return kind_icon("key" if node.is_key else node.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(node)
        if role == Qt.ItemDataRole.FontRole and column == 0 and (node.kind in ("schema", "category") or node.is_key):
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(current().muted)
        if role == ObjectRole:
            return node.obj
        if role == KindRole:
            return node.kind
        if role == QualifiedNameRole:
            return getattr(node.obj, "qualified_name", getattr(node.obj, "name", ""))
        return None

    # -- finding -------------------------------------------------------------------------
    def index_of_element(self, element: Any) -> QModelIndex:
        """The index of a schema element (type, set, operation, …) in the current (filtered) tree."""
        for schema_node in self._children(self._root):
            for cat in self._children(schema_node):
                if cat.elements is None:
                    continue
                for row, candidate in enumerate(cat.elements):
                    if candidate is element:
                        child = self._children(cat)[row]
                        return self.createIndex(child.row, 0, child)
        return QModelIndex()

    def index_of_type(self, qualified: str) -> QModelIndex:
        if self._model is None:
            return QModelIndex()
        found = self._model.find_type(qualified)
        return self.index_of_element(found) if found is not None else QModelIndex()

    def index_of_entity_set(self, name: str) -> QModelIndex:
        if self._model is None:
            return QModelIndex()
        found = self._model.entity_set(name) or self._model.singleton(name)
        return self.index_of_element(found) if found is not None else QModelIndex()


def _short(type_name: str) -> str:
    """`Microsoft.OData.SampleService.Models.TripPin.Person` → `Person` (Edm types keep `Edm.`)."""
    if type_name.startswith("Edm."):
        return type_name
    return type_name.rpartition(".")[2]


def _type_text(item: Property | Parameter) -> str:
    text = f"Collection({_short(item.type)})" if item.collection else _short(item.type)
    facets = []
    if isinstance(item.max_length, int):
        facets.append(str(item.max_length))
    if item.precision is not None:
        facets.append(str(item.precision) + (f",{item.scale}" if item.scale is not None else ""))
    if facets:
        text += f"({','.join(facets)})"
    if not item.nullable:
        text += " not null"
    return text


def _element_detail(element: Any) -> str:
    if isinstance(element, EntitySet):
        return f"Collection({_short(element.entity_type)})"
    if isinstance(element, Singleton):
        return _short(element.type)
    if isinstance(element, FunctionImport):
        return _short(element.function)
    if isinstance(element, ActionImport):
        return _short(element.action)
    if isinstance(element, (Function, Action)):
        params = ", ".join(f"{p.name}: {_type_text(p)}" for p in element.parameters)
        ret = ""
        if element.return_type is not None:
            rt = element.return_type
            ret = f" → {'Collection(' + _short(rt.type) + ')' if rt.collection else _short(rt.type)}"
        return f"({params}){ret}"
    if isinstance(element, EnumType):
        return ("flags of " if element.is_flags else "") + element.underlying_type
    if isinstance(element, TypeDefinition):
        return element.underlying_type
    if isinstance(element, (EntityType, ComplexType)):
        extra = []
        if element.abstract:
            extra.append("abstract")
        if element.open_type:
            extra.append("open")
        base = f": {_short(element.base_type)}" if element.base_type else ""
        return base + (f" [{', '.join(extra)}]" if extra else "")
    return ""


def _tooltip(node: CsdlNode) -> str | None:
    obj = node.obj
    description = getattr(obj, "description", "") if obj is not None else ""
    if isinstance(obj, EnumMember):
        description = csdl.annotation(obj.annotations, "Core.Description") or ""
    if isinstance(obj, NavigationProperty):
        return f"{obj.type_name}, multiplicity {obj.multiplicity}" + (f"\n{description}" if description else "")
    if isinstance(obj, (Property, Parameter)):
        return obj.type_name + (f"\n{description}" if description else "")
    return description or None


def key_pixmap(size: int = 32) -> QPixmap:
    """A painted key (emoji fonts are not everywhere): ring, shaft and two bits, in amber."""
    return _key_pixmap(size, current().warning)


@lru_cache(maxsize=None)
def _key_pixmap(size: int, colour: str) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 32
    pen = QPen(QColor(colour), 3.5 * unit)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(3 * unit, 9 * unit, 13 * unit, 13 * unit))
    painter.drawLine(QPointF(16 * unit, 15.5 * unit), QPointF(29 * unit, 15.5 * unit))
    painter.drawLine(QPointF(25 * unit, 15.5 * unit), QPointF(25 * unit, 21 * unit))
    painter.drawLine(QPointF(21 * unit, 15.5 * unit), QPointF(21 * unit, 20 * unit))
    painter.end()
    return pixmap


def kind_icon(kind: str) -> QIcon:
    """A small painted badge per element kind (letters in the kind's colour; a key for keys)."""
    return _kind_icon(kind, current())


@lru_cache(maxsize=None)
def _kind_icon(kind: str, palette: Palette) -> QIcon:
    if kind == "key":
        return QIcon(key_pixmap())
    text, name = _BADGES.get(kind, ("?", "muted"))
    color = getattr(palette, name)
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    if text:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(color))
        painter.setBrush(QColor(color).darker(300) if palette.is_dark else QColor(color).lighter(185))
        painter.drawRoundedRect(QRectF(1, 1, 30, 30), 7, 7)
        font = QFont()
        font.setPixelSize(20 if len(text) == 1 else 15)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, 32, 32), int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()
    return QIcon(pixmap)
