"""Checking a parsed OData URL against the service's metadata, before the server does.

A server answers a wrong query with a 400 and, at best, a message without a position. Here
every problem carries the character offset in the URL as typed, so the URL box can underline
it and `workbench odata check` can put a caret under it. Checked: unknown entity sets,
properties and navigation properties (with a "did you mean"), key shape and key types, literal
vs property type (URL Conventions §5.1.1.1 numeric promotion allowed), canonical functions on
the wrong type (§5.1.1.5–§5.1.1.11), lambda operators on a non-collection (§5.1.1.13.4),
`$expand` on a non-navigation, and the restrictions a service publishes with the Capabilities
vocabulary (Org.OData.Capabilities.V1: FilterRestrictions, SortRestrictions, ExpandRestrictions,
CountRestrictions, TopSupported, SkipSupported) plus a documented maximum `$top`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.csdl.model import (
    Capabilities,
    ComplexType,
    EntityType,
    EnumType,
    Model,
    NavigationProperty,
    Property,
    StructuredType,
    TypeDefinition,
)
from workbench.core.errors import ODataQueryError
from workbench.core.odata.literals import (
    INT_RANGES,
    NUMERIC_TYPES,
    literal_fits,
    literal_type,
)
from workbench.core.odata.parser import parse_url
from workbench.core.odata.query import (
    ARITHMETIC_OPS,
    FUNCTIONS,
    Alias,
    BinaryOp,
    Call,
    ExpandItem,
    Expr,
    Lambda,
    ListExpr,
    Literal,
    MemberPath,
    ODataUrl,
    QueryOptions,
    UnaryOp,
)
from workbench.core.odata.serializer import literal_text

if TYPE_CHECKING:
    from workbench.core.collections import Request
    from workbench.core.sending.send import SendContext


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a URL, at `position` (offset in the URL as typed, -1 unknown)."""

    message: str
    position: int = -1


@dataclass(frozen=True, slots=True)
class _Type:
    """What an expression evaluates to: an Edm primitive or a qualified structured type."""

    name: str
    collection: bool = False


_BOOL = _Type("Edm.Boolean")
_STRING = _Type("Edm.String")
_INT = _Type("Edm.Int32")
_DATE_TYPES = ("Edm.Date", "Edm.DateTimeOffset", "Edm.DateTime")
_TIME_TYPES = ("Edm.TimeOfDay", "Edm.DateTimeOffset", "Edm.DateTime", "Edm.Time")
_STRING_FUNCS = {"contains": _BOOL, "startswith": _BOOL, "endswith": _BOOL, "length": _INT, "indexof": _INT,
                 "substring": _STRING, "tolower": _STRING, "toupper": _STRING, "trim": _STRING,
                 "concat": _STRING, "matchesPattern": _BOOL, "substringof": _BOOL}
_DATE_FUNCS = {"year": _INT, "month": _INT, "day": _INT, "date": _Type("Edm.Date")}
_TIME_FUNCS = {"hour": _INT, "minute": _INT, "second": _INT, "fractionalseconds": _Type("Edm.Decimal"),
               "time": _Type("Edm.TimeOfDay")}
_MATH_FUNCS = ("round", "floor", "ceiling")


def load_model(source: str, template: Request | None = None, context: SendContext | None = None) -> Model:
    """Load `$metadata` from a file (CSDL XML or JSON) or a service URL.

    Adapter over `core/csdl/source.py` (file or `GET {service}/$metadata` with `template`'s auth
    in `context`), so `workbench odata check --metadata` takes whatever a user has at hand. Not
    for use inside a running event loop (the UI awaits `load_metadata` itself).
    """
    from workbench.core.csdl.source import load_metadata_sync

    return load_metadata_sync(source, template, context)


def resource_names(model: Model) -> set[str]:
    """Names that may start a resource path: entity sets, singletons, function/action imports."""
    names = {es.name for es in model.entity_sets()} | {s.name for s in model.singletons()}
    names |= {f.name for f in model.function_imports()} | {a.name for a in model.action_imports()}
    names |= {"$metadata", "$batch", "$all", "$crossjoin"}
    return names


def check_url(text: str, model: Model, *, max_top: int | None = None) -> list[Problem]:
    """Parse `text` (raising `ODataQueryError` if it does not parse) and validate it."""
    url = parse_url(text, version=model.version, resource_names=resource_names(model))
    return validate(url, model, max_top=max_top)


def validate(url: ODataUrl, model: Model, *, max_top: int | None = None) -> list[Problem]:
    """All problems of `url` against `model`, in URL order."""
    checker = _Checker(model, max_top)
    checker.check(url)
    return sorted(checker.problems, key=lambda p: p.position)


@dataclass
class _Scope:
    """What names in an expression refer to: the current type, `$it`, lambda variables."""

    current: StructuredType | None
    it: StructuredType | None
    variables: dict[str, StructuredType | _Type] = field(default_factory=dict)
    caps: Capabilities | None = None
    prefix: str = ""  # navigation path from the request's entity set (for capability paths)


class _Checker:
    def __init__(self, model: Model, max_top: int | None) -> None:
        self.model = model
        self.max_top = max_top
        self.problems: list[Problem] = []
        self.v2 = model.version.startswith(("1.", "2.", "3."))

    def add(self, message: str, pos: int) -> None:
        self.problems.append(Problem(message, pos))

    # -- resource path
    def check(self, url: ODataUrl) -> None:
        model = self.model
        if not url.segments:
            return
        first = url.segments[0]
        current: StructuredType | None = None
        collection = False
        caps: Capabilities | None = None
        primitive: str | None = None
        es = model.entity_set(first.name)
        sg = model.singleton(first.name) if es is None else None
        if first.name.startswith("$"):
            return
        if es is not None:
            current, collection, caps = model.entity_type(es.entity_type), True, es.capabilities
        elif sg is not None:
            current, caps = model.entity_type(sg.type), sg.capabilities
        else:
            fi = model.function_import(first.name) or None
            if fi is not None:
                ops = model.operations(fi.function)
                ret = ops[0].return_type if ops else None
                if ret is not None:
                    current = model.structured_type(ret.type)
                    collection = ret.collection
                    if fi.entity_set and model.entity_set(fi.entity_set):
                        caps = model.entity_set(fi.entity_set).capabilities  # type: ignore[union-attr]
            elif model.action_import(first.name) is None:
                names = sorted(resource_names(model) - {"$metadata", "$batch", "$all", "$crossjoin"})
                self.add(f"Unknown entity set {first.name!r}{_suggest(first.name, names)}", first.pos)
                return
        if first.key is not None:
            if current is None or not isinstance(current, EntityType) or not collection:
                self.add(f"{first.name} is not an entity set: it takes no key", first.pos)
            else:
                self.check_key(first, current)
                collection = False
        for seg in url.segments[1:]:
            if seg.name in ("$count", "$value", "$ref"):
                if seg.name == "$count" and not collection:
                    self.add("$count needs a collection", seg.pos)
                continue
            if current is None:
                if primitive is not None:
                    self.add(f"{seg.name!r}: a primitive value has no members", seg.pos)
                return
            if "." in seg.name:
                derived = model.structured_type(seg.name)
                if derived is not None:
                    current = derived
                    continue
                if model.operations(seg.name):
                    op = model.operations(seg.name)[0]
                    ret = op.return_type
                    current = model.structured_type(ret.type) if ret else None
                    collection = bool(ret and ret.collection)
                    primitive = ret.type if ret and current is None else None
                    caps = None
                    continue
                self.add(f"Unknown type or operation {seg.name!r}", seg.pos)
                return
            nav = model.navigation_property(current, seg.name)
            if nav is not None:
                if collection:
                    self.add(f"{seg.name!r}: select one entity with a key before navigating", seg.pos)
                current, collection = model.navigation_target(nav), nav.collection
                caps = None
                if seg.key is not None:
                    if not collection or current is None:
                        self.add(f"{seg.name} is single-valued: it takes no key", seg.pos)
                    else:
                        self.check_key(seg, current)
                        collection = False
                continue
            prop = model.property(current, seg.name)
            if prop is not None:
                structured = model.structured_type(prop.type)
                current, collection, caps = structured, prop.collection, None
                primitive = None if structured is not None else prop.type
                continue
            self.add(f"{current.name} has no property or navigation {seg.name!r}"
                     f"{_suggest(seg.name, self.member_names(current))}", seg.pos)
            return
        if current is not None:
            scope = _Scope(current, current, caps=caps)
            self.check_options(url.options, scope, top_level=True, collection=collection)

    def check_key(self, seg: object, entity: EntityType) -> None:
        key_names = self.model.key_of(entity)
        values = seg.key or ()  # type: ignore[attr-defined]
        pos = seg.pos  # type: ignore[attr-defined]
        if len(values) != len(key_names):
            self.add(f"{entity.name} has a key of {len(key_names)} part{'s' if len(key_names) != 1 else ''} "
                     f"({', '.join(key_names)}), the URL gives {len(values)}", pos)
            return
        for index, kv in enumerate(values):
            name = kv.name or key_names[index]
            if name not in key_names:
                self.add(f"{name!r} is not a key property of {entity.name} (key: {', '.join(key_names)})", kv.pos)
                continue
            prop = self.model.property(entity, name)
            if prop is not None and isinstance(kv.value, Literal):
                self.check_literal(kv.value, prop, name)

    def member_names(self, structured: StructuredType) -> list[str]:
        return [p.name for p in self.model.all_properties(structured)] + \
            [n.name for n in self.model.all_navigation_properties(structured)]

    # -- options
    def check_options(self, options: QueryOptions, scope: _Scope, *, top_level: bool, collection: bool) -> None:
        caps = scope.caps or Capabilities()
        entity = scope.current
        for item in options.select:
            self.check_select(item.path, item.pos, entity)
        if options.filter is not None:
            if not caps.filterable:
                self.add("This entity set does not support $filter (Capabilities.FilterRestrictions)",
                         options.position_of("$filter"))
            self.check_filter(options.filter, scope)
        if caps.filter_required and top_level and collection and options.filter is None:
            self.add("This entity set requires a $filter (Capabilities.FilterRestrictions/RequiresFilter)", -1)
        if caps.required_filter_properties and options.filter is not None:
            used = {"/".join(n.segments) for n in _members(options.filter)}
            for required in caps.required_filter_properties:
                if required not in used:
                    self.add(f"$filter must use {required} (Capabilities.FilterRestrictions/RequiredProperties)",
                             options.position_of("$filter"))
        for order in options.orderby:
            if not caps.sortable:
                self.add("This entity set does not support $orderby (Capabilities.SortRestrictions)", order.pos)
                break
            self.infer(order.expr, scope, filtering=False)
            if isinstance(order.expr, MemberPath):
                path = "/".join(order.expr.segments)
                if path in caps.non_sortable_properties:
                    self.add(f"{path} cannot be used in $orderby (Capabilities.SortRestrictions)", order.expr.pos)
                if order.descending and path in caps.ascending_only_properties:
                    self.add(f"{path} can only be sorted ascending (Capabilities.SortRestrictions)", order.pos)
                if not order.descending and path in caps.descending_only_properties:
                    self.add(f"{path} can only be sorted descending (Capabilities.SortRestrictions)", order.pos)
        for expand in options.expand:
            self.check_expand(expand, scope, caps)
        if options.top is not None:
            if not caps.top_supported:
                self.add("This entity set does not support $top (Capabilities.TopSupported)", options.position_of("$top"))
            if self.max_top is not None and options.top > self.max_top:
                self.add(f"$top={options.top} is above the service's documented maximum of {self.max_top}",
                         options.position_of("$top"))
        if options.skip is not None and not caps.skip_supported:
            self.add("This entity set does not support $skip (Capabilities.SkipSupported)", options.position_of("$skip"))
        if options.count is not None:
            if self.v2:
                self.add("OData v2 has no $count=true; use $inlinecount=allpages", options.position_of("$count"))
            elif not caps.countable:
                self.add("This entity set cannot be counted (Capabilities.CountRestrictions)",
                         options.position_of("$count"))
        if options.search is not None and not caps.searchable:
            self.add("This entity set does not support $search (Capabilities.SearchRestrictions)",
                     options.position_of("$search"))
        if (options.top is not None or options.skip is not None or options.orderby) and top_level and not collection:
            self.add("$top, $skip and $orderby apply to collections, not to a single entity",
                     options.position_of("$top") if options.top is not None else options.position_of("$skip"))

    def check_select(self, path: tuple[str, ...], pos: int, structured: StructuredType | None) -> None:
        current = structured
        offset = pos
        for segment in path:
            if current is None or segment == "*" or segment.endswith(".*"):
                return
            if "." in segment:
                derived = self.model.structured_type(segment)
                if derived is not None:
                    current = derived
                elif not self.model.operations(segment):
                    self.add(f"Unknown type or operation {segment!r} in $select", offset)
                    return
            else:
                prop = self.model.property(current, segment)
                nav = self.model.navigation_property(current, segment) if prop is None else None
                if prop is None and nav is None:
                    self.add(f"{current.name} has no property {segment!r}"
                             f"{_suggest(segment, self.member_names(current))}", offset)
                    return
                current = self.model.structured_type(prop.type) if prop is not None else None
            offset += len(segment) + 1

    def check_expand(self, item: ExpandItem, scope: _Scope, caps: Capabilities) -> None:
        if item.path == ("*",):
            return
        current = scope.current
        offset = item.pos
        target: StructuredType | None = None
        nav: NavigationProperty | None = None
        for segment in item.path:
            if current is None:
                return
            if "." in segment:
                derived = self.model.structured_type(segment)
                if derived is None:
                    self.add(f"Unknown type {segment!r} in $expand", offset)
                    return
                current = derived
            else:
                nav = self.model.navigation_property(current, segment)
                if nav is None:
                    prop = self.model.property(current, segment)
                    if prop is not None and self.model.structured_type(prop.type) is not None:
                        current = self.model.structured_type(prop.type)  # complex property on the way
                    else:
                        what = "is a property, not a navigation property" if prop is not None else \
                            f"is not a navigation property of {current.name}"
                        names = [n.name for n in self.model.all_navigation_properties(current)]
                        self.add(f"{segment!r} {what}{_suggest(segment, names) if prop is None else ''}", offset)
                        return
                else:
                    current = self.model.navigation_target(nav)
            offset += len(segment) + 1
        target = current
        path = "/".join(item.path)
        if path in caps.non_expandable_properties or not caps.expandable:
            self.add(f"{path} cannot be expanded (Capabilities.ExpandRestrictions)", item.pos)
        if target is not None and nav is not None:
            nested = _Scope(target, target)
            self.check_options(item.options, nested, top_level=False, collection=nav.collection)
            if not nav.collection and (item.options.top is not None or item.options.orderby):
                self.add(f"{path} is single-valued: $top/$orderby do not apply", item.pos)

    # -- expressions
    def check_filter(self, expr: Expr, scope: _Scope) -> None:
        kind = self.infer(expr, scope, filtering=True)
        if kind is not None and kind.name != "Edm.Boolean" and not kind.collection:
            self.add(f"$filter must be a condition (true/false), but this is {kind.name}", _start(expr))

    def check_literal(self, lit: Literal, prop: Property, name: str) -> None:
        edm = self._primitive(prop.type)
        if edm is None:
            return
        if not literal_fits(lit, edm):
            self.add(f"Type mismatch: {name} is {prop.type} but {literal_text(lit)} is "
                     f"{_article(literal_type(lit))}{self._hint(lit, edm)}", lit.pos)
            return
        enum = self.model.find_type(prop.type)
        if isinstance(enum, EnumType) and lit.kind in ("enum", "string"):
            members = [m.name for m in enum.members]
            for member in lit.text.split(","):
                if member not in members and not member.lstrip("-").isdigit():
                    self.add(f"{member!r} is not a member of {enum.name} ({', '.join(members)})", lit.pos)
            if lit.kind == "enum" and self.model.resolve(lit.type_name) != enum.qualified_name:
                self.add(f"{lit.type_name} is not the type of {name} ({enum.qualified_name})", lit.pos)

    def _hint(self, lit: Literal, edm: str) -> str:
        if lit.kind == "string" and edm in NUMERIC_TYPES:
            return " (remove the quotes)"
        if lit.kind == "string" and edm == "Edm.Guid":
            return " (write the GUID without quotes in OData v4, guid'…' in v2)" if not self.v2 else " (write guid'…')"
        if lit.kind == "string" and edm in ("Edm.Date", "Edm.DateTimeOffset", "Edm.DateTime"):
            return " (write dates without quotes, e.g. 2025-01-31)" if not self.v2 else " (write datetime'…')"
        if lit.kind == "int" and edm in INT_RANGES:
            return f" out of range for {edm}"
        return ""

    def _primitive(self, type_name: str) -> str | None:
        """The Edm primitive behind `type_name` (type definitions unwrapped), the enum's name, or None."""
        if type_name.startswith("Edm."):
            return type_name
        found = self.model.find_type(type_name)
        if isinstance(found, TypeDefinition):
            return found.underlying_type
        if isinstance(found, EnumType):
            return found.qualified_name
        return None

    def infer(self, expr: Expr, scope: _Scope, *, filtering: bool) -> _Type | None:
        """The type of `expr` (None when unknown), recording problems on the way."""
        if isinstance(expr, Literal):
            if expr.kind == "null":
                return None
            if expr.kind == "enum":
                return _Type(self.model.resolve(expr.type_name))
            return _Type(literal_type(expr))
        if isinstance(expr, Alias):
            return None
        if isinstance(expr, MemberPath):
            return self.member(expr, scope, filtering=filtering)
        if isinstance(expr, UnaryOp):
            inner = self.infer(expr.operand, scope, filtering=filtering)
            if expr.op == "not":
                if inner is not None and inner.name != "Edm.Boolean":
                    self.add(f"'not' needs a condition, but this is {inner.name}", _start(expr.operand))
                return _BOOL
            if inner is not None and inner.name not in NUMERIC_TYPES and inner.name != "Edm.Duration":
                self.add(f"Negation needs a number, but this is {inner.name}", _start(expr.operand))
            return inner
        if isinstance(expr, ListExpr):
            for item in expr.items:
                self.infer(item, scope, filtering=filtering)
            return None
        if isinstance(expr, Lambda):
            return self.lambda_(expr, scope, filtering=filtering)
        if isinstance(expr, Call):
            return self.call(expr, scope, filtering=filtering)
        if isinstance(expr, BinaryOp):
            return self.binary(expr, scope, filtering=filtering)
        return None

    def member(self, expr: MemberPath, scope: _Scope, *, filtering: bool) -> _Type | None:
        segments = list(expr.segments)
        offset = expr.pos
        current: StructuredType | None = scope.current
        result: _Type | None = None
        if segments[0] in scope.variables:
            bound = scope.variables[segments[0]]
            offset += len(segments[0]) + 1
            segments = segments[1:]
            if isinstance(bound, _Type):
                return bound if not segments else None
            current = bound
            if not segments:
                return _Type(bound.qualified_name)
        elif segments[0] == "$it":
            current = scope.it
            offset += 4
            segments = segments[1:]
        elif segments[0] == "$root":
            return None
        collection = False
        for index, segment in enumerate(segments):
            if current is None:
                return None
            if segment == "$count":
                if not collection:
                    self.add("$count needs a collection", offset)
                return _Type("Edm.Int64")
            if "." in segment:
                derived = self.model.structured_type(segment)
                if derived is None:
                    self.add(f"Unknown type {segment!r}", offset)
                    return None
                current = derived
            else:
                prop = self.model.property(current, segment)
                if prop is not None:
                    structured = self.model.structured_type(prop.type)
                    if structured is None:
                        if index != len(segments) - 1:
                            self.add(f"{segment} is {prop.type}: it has no member {segments[index + 1]!r}",
                                     offset + len(segment) + 1)
                            return None
                        edm = self._primitive(prop.type) or prop.type
                        result = _Type(edm, prop.collection)
                        if filtering and scope.caps is not None and scope.prefix == "" and \
                                "/".join(expr.segments) in scope.caps.non_filterable_properties:
                            self.add(f"{'/'.join(expr.segments)} cannot be used in $filter "
                                     "(Capabilities.FilterRestrictions)", expr.pos)
                        return result
                    current, collection = structured, prop.collection
                else:
                    nav = self.model.navigation_property(current, segment)
                    if nav is None:
                        self.add(f"{current.name} has no property {segment!r}"
                                 f"{_suggest(segment, self.member_names(current))}", offset)
                        return None
                    current, collection = self.model.navigation_target(nav), nav.collection
            offset += len(segment) + 1
        if current is None:
            return None
        if filtering and scope.caps is not None and "/".join(expr.segments) in scope.caps.non_filterable_properties:
            self.add(f"{'/'.join(expr.segments)} cannot be used in $filter (Capabilities.FilterRestrictions)", expr.pos)
        return _Type(current.qualified_name, collection)

    def lambda_(self, expr: Lambda, scope: _Scope, *, filtering: bool) -> _Type:
        target = self.member(expr.path, scope, filtering=False)
        if target is not None and not target.collection:
            self.add(f"{expr.operator}() needs a collection, but {'/'.join(expr.path.segments)} is single-valued",
                     expr.pos)
            return _BOOL
        if expr.predicate is None:
            return _BOOL
        element: StructuredType | _Type | None = None
        if target is not None:
            element = self.model.structured_type(target.name) or _Type(target.name)
        variables = dict(scope.variables)
        if element is not None:
            variables[expr.variable] = element
        inner = _Scope(scope.current, scope.it, variables, scope.caps, prefix="lambda")
        if element is None:
            # Unknown element type: accept the variable without checking its members.
            inner.variables[expr.variable] = _Type("?")
        kind = self.infer(expr.predicate, inner, filtering=filtering)
        if kind is not None and kind.name not in ("Edm.Boolean", "?"):
            self.add(f"The {expr.operator}() condition must be true/false, but this is {kind.name}",
                     _start(expr.predicate))
        return _BOOL

    def call(self, expr: Call, scope: _Scope, *, filtering: bool) -> _Type | None:
        name = expr.name
        args = [self.infer(a, scope, filtering=filtering) for a in expr.args]
        if name not in FUNCTIONS:
            if not self.model.operations(name):
                self.add(f"Unknown function {name!r}", expr.pos)
            return None
        if self.v2 and name in ("contains", "matchesPattern"):
            self.add(f"OData v2 has no {name}(); use substringof('text',Property)", expr.pos)
        if not self.v2 and name == "substringof":
            self.add("substringof() is OData v2; OData v4 uses contains(Property,'text')", expr.pos)
        if name in _STRING_FUNCS:
            for arg, node in zip(args, expr.args):
                if name == "substring" and node is not expr.args[0]:
                    if arg is not None and arg.name not in INT_RANGES:
                        self.add(f"substring() position and length must be integers, not {arg.name}", _start(node))
                    continue
                if arg is not None and arg.name != "Edm.String" and not arg.collection:
                    self.add(f"{name}() works on text, but {_describe(node)} is {arg.name}", _start(node))
            return _STRING_FUNCS[name]
        if name in _DATE_FUNCS or name in _TIME_FUNCS:
            allowed = _DATE_TYPES if name in _DATE_FUNCS else _TIME_TYPES
            arg = args[0] if args else None
            if arg is not None and arg.name not in allowed:
                self.add(f"{name}() works on {' or '.join(allowed)}, but {_describe(expr.args[0])} is {arg.name}",
                         _start(expr.args[0]))
            return _DATE_FUNCS.get(name) or _TIME_FUNCS[name]
        if name in _MATH_FUNCS:
            arg = args[0] if args else None
            if arg is not None and arg.name not in ("Edm.Decimal", "Edm.Double", "Edm.Single", *INT_RANGES):
                self.add(f"{name}() works on numbers, but {_describe(expr.args[0])} is {arg.name}", _start(expr.args[0]))
                return None  # one problem is enough: do not also report the comparison
            return arg
        if name in ("now", "maxdatetime", "mindatetime"):
            return _Type("Edm.DateTimeOffset")
        if name in ("isof", "geo.intersects", "hassubset", "hassubsequence"):
            return _BOOL
        if name in ("totaloffsetminutes",):
            return _INT
        if name == "cast" and expr.args and isinstance(expr.args[-1], MemberPath):
            return _Type(expr.args[-1].segments[0])
        if name in ("geo.distance", "geo.length", "totalseconds"):
            return _Type("Edm.Double")
        return None

    def binary(self, expr: BinaryOp, scope: _Scope, *, filtering: bool) -> _Type | None:
        op = expr.op
        if op in ("and", "or"):
            for side in (expr.left, expr.right):
                kind = self.infer(side, scope, filtering=filtering)
                if kind is not None and kind.name not in ("Edm.Boolean", "?"):
                    self.add(f"'{op}' joins conditions, but {_describe(side)} is {kind.name}", _start(side))
            return _BOOL
        left = self.infer(expr.left, scope, filtering=filtering)
        right = self.infer(expr.right, scope, filtering=filtering)
        if op in ARITHMETIC_OPS:
            for kind, node in ((left, expr.left), (right, expr.right)):
                if kind is not None and kind.name not in NUMERIC_TYPES and kind.name not in (
                        "Edm.Duration", "Edm.Date", "Edm.DateTimeOffset", "Edm.DateTime", "?"):
                    self.add(f"'{op}' needs numbers, but {_describe(node)} is {kind.name}", _start(node))
            if left is not None and right is not None and left.name in NUMERIC_TYPES and right.name in NUMERIC_TYPES:
                order = ["Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Decimal",
                         "Edm.Single", "Edm.Double"]
                return max(left, right, key=lambda t: order.index(t.name))
            return left or right
        if op == "has":
            if left is not None and not isinstance(self.model.find_type(left.name), EnumType) and left.name != "?":
                self.add(f"'has' needs an enum flags property, but {_describe(expr.left)} is {left.name}",
                         _start(expr.left))
                return _BOOL
        # comparison, has, in: check a literal against the property it is compared with
        self.compare(expr.left, left, expr.right, right)
        return _BOOL

    def compare(self, left_node: Expr, left: _Type | None, right_node: Expr, right: _Type | None) -> None:
        for prop_node, prop_type, other in ((left_node, left, right_node), (right_node, right, left_node)):
            if prop_type is None or prop_type.name == "?" or isinstance(prop_node, (Literal, ListExpr)):
                continue
            literals = [other] if isinstance(other, Literal) else (
                [i for i in other.items if isinstance(i, Literal)] if isinstance(other, ListExpr) else [])
            if not literals:
                continue
            name = _describe(prop_node)
            for lit in literals:
                if prop_type.name.startswith("Edm.") or isinstance(self.model.find_type(prop_type.name), EnumType):
                    self.check_literal(lit, Property(name, prop_type.name), name)
                elif lit.kind != "null":
                    self.add(f"Type mismatch: {name} is the structured type {prop_type.name}; compare one of its "
                             f"properties instead", lit.pos)
            return


def _members(expr: Expr) -> list[MemberPath]:
    from workbench.core.odata.query import walk

    return [n for n in walk(expr) if isinstance(n, MemberPath)]


def _start(expr: Expr) -> int:
    """The leftmost position of an expression (a BinaryOp's own pos is its operator)."""
    while isinstance(expr, BinaryOp):
        expr = expr.left
    if isinstance(expr, Lambda):
        return expr.path.pos
    return expr.pos


def _describe(expr: Expr) -> str:
    from workbench.core.odata.serializer import expr_text

    text = expr_text(expr)
    return text if len(text) <= 40 else text[:37] + "…"


def _article(type_name: str) -> str:
    return {"Edm.String": "a string", "Edm.Int32": "an integer", "Edm.Decimal": "a decimal", "Edm.Double": "a double",
            "Edm.Boolean": "a boolean", "Edm.Guid": "a GUID", "Edm.Date": "a date",
            "Edm.DateTimeOffset": "a date-time"}.get(type_name, type_name)


def _suggest(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close:
        lower = {c.lower(): c for c in candidates}
        if name.lower() in lower:
            close = [lower[name.lower()]]
    return f" (did you mean {close[0]!r}?)" if close else ""


__all__ = ["Problem", "check_url", "load_model", "resource_names", "validate", "ODataQueryError",
           "ComplexType"]
