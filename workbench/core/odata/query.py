"""The OData query model: a resource path plus system query options, as frozen values.

A URL is parsed into this tree (`odata_parser.parse_url`), edited by the query builder, and
written back (`odata_serializer.serialize_url`). Keeping the tree free of text means the
builder never concatenates strings, and the serializer is the one place that knows about
quoting and percent-encoding (OData v4.01 Part 2: URL Conventions §4, §5).

Every node records `pos`, the character offset in the URL it was parsed from (-1 when built
in code). `pos` is excluded from equality, so `parse(serialize(q)) == q` compares meaning,
and validation can still point at the exact character a problem starts at.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any, Union
from typing import Literal as TLiteral

LiteralKind = TLiteral[
    "string", "int", "decimal", "double", "bool", "null", "guid", "date", "datetimeoffset",
    "datetime", "timeofday", "time", "duration", "enum", "binary", "geo",
]

#: Binary operators of the common expression syntax (URL Conventions §5.1.1.1–§5.1.1.2).
COMPARISON_OPS = ("eq", "ne", "gt", "ge", "lt", "le", "has", "in")
LOGICAL_OPS = ("and", "or")
ARITHMETIC_OPS = ("add", "sub", "mul", "div", "divby", "mod")
BINARY_OPS = COMPARISON_OPS + LOGICAL_OPS + ARITHMETIC_OPS

#: Higher binds tighter (URL Conventions §5.1.1.16 "Operator Precedence").
PRECEDENCE: dict[str, int] = {
    "or": 1, "and": 2, "eq": 3, "ne": 3, "gt": 4, "ge": 4, "lt": 4, "le": 4, "has": 4, "in": 4,
    "add": 5, "sub": 5, "mul": 6, "div": 6, "divby": 6, "mod": 6,
}
UNARY_PRECEDENCE = 7

#: Canonical functions (§5.1.1.5–§5.1.1.11) with their arity range, plus OData v2's
#: `substringof` and a few geo functions; used by the parser (to tell a call from a path)
#: and by validation/completion.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "contains": (2, 2), "startswith": (2, 2), "endswith": (2, 2), "length": (1, 1),
    "indexof": (2, 2), "substring": (2, 3), "tolower": (1, 1), "toupper": (1, 1), "trim": (1, 1),
    "concat": (2, 2), "matchesPattern": (2, 2), "substringof": (2, 2),
    "year": (1, 1), "month": (1, 1), "day": (1, 1), "hour": (1, 1), "minute": (1, 1),
    "second": (1, 1), "fractionalseconds": (1, 1), "date": (1, 1), "time": (1, 1),
    "totaloffsetminutes": (1, 1), "totalseconds": (1, 1), "now": (0, 0), "maxdatetime": (0, 0),
    "mindatetime": (0, 0), "round": (1, 1), "floor": (1, 1), "ceiling": (1, 1),
    "cast": (1, 2), "isof": (1, 2), "geo.distance": (2, 2), "geo.intersects": (2, 2),
    "geo.length": (1, 1), "hassubset": (2, 2), "hassubsequence": (2, 2), "case": (1, 99),
}


def _pos() -> Any:
    return field(default=-1, compare=False, repr=False)


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Literal:
    """A primitive literal. `text` is the value's lexical form without quotes or prefix.

    For strings `text` is the unescaped value (`O'Neil`, written `'O''Neil'`). `prefix` keeps a
    typed form as written (`guid'…'`, `datetime'…'`, `X'…'`, `duration'…'`); `suffix` a numeric
    suffix of OData v2 (`M` decimal, `L` int64, `d` double, `f` single); `type_name` the enum
    type of `Ns.Color'Red'`.
    """

    kind: LiteralKind
    text: str
    prefix: str = ""
    suffix: str = ""
    type_name: str = ""
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class MemberPath:
    """A property path such as `owner/city`, `$it/Name`, `tasks/$count` or a lambda variable."""

    segments: tuple[str, ...]
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class Alias:
    """A parameter alias `@p` whose value is a separate query option (§5.1.1.13.2)."""

    name: str
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class Call:
    """A function call `name(args)`: canonical (`contains`), or a qualified custom function."""

    name: str
    args: tuple["Expr", ...] = ()
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class Lambda:
    """`path/any(v: predicate)` or `path/all(v: predicate)`; `any()` has no variable (§5.1.1.13.4)."""

    path: MemberPath
    operator: TLiteral["any", "all"]
    variable: str = ""
    predicate: "Expr | None" = None
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """`left op right`; `in` has a `ListExpr` on the right."""

    op: str
    left: "Expr"
    right: "Expr"
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class UnaryOp:
    """`not x` or `-x` (negation of a non-literal)."""

    op: TLiteral["not", "-"]
    operand: "Expr"
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class ListExpr:
    """A parenthesised list, the right side of `in`: `('a','b')`."""

    items: tuple["Expr", ...]
    pos: int = _pos()


Expr = Union[Literal, MemberPath, Alias, Call, Lambda, BinaryOp, UnaryOp, ListExpr]


# --------------------------------------------------------------------------- query options


@dataclass(frozen=True, slots=True)
class SelectItem:
    """One `$select` entry: a property path, `*`, `Ns.*` or a qualified action name."""

    path: tuple[str, ...]
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One `$orderby` key: an expression (`Name`, `length(Name)`) and its direction."""

    expr: Expr
    descending: bool = False
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class ExpandItem:
    """One `$expand` entry: a navigation path, `*`, with `/$ref` or `/$count`, and nested options."""

    path: tuple[str, ...]
    options: "QueryOptions" = field(default_factory=lambda: QueryOptions())
    suffix: TLiteral["", "$ref", "$count"] = ""
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """System query options of a request, or of one `$expand` level (§5.1.2, §5.1.3).

    `None`/empty means "not given". `search`, `apply`, `format`, `skiptoken` and `others`
    (any other `$option`) are kept verbatim (decoded), because their grammar is either free
    text or out of scope for building; `custom` keeps custom options and parameter aliases in
    their original order.
    """

    select: tuple[SelectItem, ...] = ()
    filter: Expr | None = None
    expand: tuple[ExpandItem, ...] = ()
    orderby: tuple[OrderItem, ...] = ()
    top: int | None = None
    skip: int | None = None
    count: bool | None = None
    search: str | None = None
    levels: int | TLiteral["max"] | None = None
    format: str | None = None
    skiptoken: str | None = None
    apply: str | None = None
    others: tuple[tuple[str, str], ...] = ()
    custom: tuple[tuple[str, str], ...] = ()
    #: (lower-case option name, position of its value in the URL) for messages; not compared.
    spans: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def is_empty(self) -> bool:
        return self == QueryOptions()

    def position_of(self, option: str) -> int:
        """Where the value of `option` (e.g. "$top") starts in the parsed URL, -1 if unknown."""
        return next((pos for name, pos in self.spans if name == option.lower()), -1)


# --------------------------------------------------------------------------- resource path


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One key value in `Orders(1)` (name empty) or `Orders(ID=1)`, or a function argument."""

    name: str
    value: Expr
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class Segment:
    """One resource-path segment: `People`, `People('x')`, `Labels(a=1,b='x')`, `Ns.Fn(p=1)`, `$count`.

    `key` holds key values (entity access); `arguments` is set (possibly empty) for a function
    call segment, e.g. `Ns.MostExpensive()`; both are None for a bare name.
    """

    name: str
    key: tuple[KeyValue, ...] | None = None
    arguments: tuple[KeyValue, ...] | None = None
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class ODataUrl:
    """A whole OData request URL: service root, resource path, query options.

    `service_root` is kept as typed (scheme, host, port, path without trailing slash).
    `version` is "4.0" or "2.0" and picks the literal forms the serializer writes.
    """

    service_root: str
    segments: tuple[Segment, ...] = ()
    options: QueryOptions = field(default_factory=QueryOptions)
    version: str = "4.0"
    fragment: str = ""

    @property
    def entity_set(self) -> str:
        """The first resource-path segment (an entity set, singleton or function import)."""
        return self.segments[0].name if self.segments else ""


Node = Union[Expr, SelectItem, OrderItem, ExpandItem, QueryOptions, KeyValue, Segment, ODataUrl]


# --------------------------------------------------------------------------- JSON view


def to_json(node: Any) -> Any:
    """A JSON-ready view of a node (`workbench odata parse --json`): `{"node": "BinaryOp", ...}`.

    Defaults are left out so the output reads like the query; positions are kept (`pos`).
    """
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "spans":
                continue
            if f.name == "pos":
                if value >= 0:
                    out["pos"] = value
                continue
            default = f.default if f.default is not dataclasses.MISSING else (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
            if default is not dataclasses.MISSING and value == default:
                continue
            out[f.name] = to_json(value)
        return out
    if isinstance(node, tuple):
        return [to_json(v) for v in node]
    return node


#: `json_text` indents nesting up to this many levels; deeper lines keep this indent.
JSON_INDENT_CAP = 32


def json_text(value: Any, indent_cap: int = JSON_INDENT_CAP) -> str:
    """`value` (a `to_json` view) as JSON text indented by two spaces, as `json.dumps(indent=2)`.

    Why not `json.dumps`: with `indent` it runs the pure-Python encoder, a generator per level, so
    each line of a 5,000-term `or` filter (a tree 5,000 levels tall) passes through thousands of
    generators, and its indentation alone is quadratic (577 MB of spaces, a minute). Here an
    explicit stack writes each value once, and indentation stops growing at `indent_cap` levels:
    the same JSON value, the same one-member-per-line layout, and the text is linear in the tree.
    """
    dumps = json.dumps
    quote = encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str
    out: list[str] = []
    # Frames: [member iterator, is an object, depth of its members, closing bracket, first member]
    stack: list[list[Any]] = []

    def open_value(item: Any, depth: int) -> None:
        if isinstance(item, dict) and item:
            out.append("{")
            stack.append([iter(item.items()), True, depth + 1, "}", True])
        elif isinstance(item, (list, tuple)) and item:
            out.append("[")
            stack.append([iter(item), False, depth + 1, "]", True])
        elif isinstance(item, dict):
            out.append("{}")
        elif isinstance(item, (list, tuple)):
            out.append("[]")
        elif isinstance(item, str):
            out.append(quote(item))
        elif type(item) is int:  # not bool, which json writes as true/false
            out.append(str(item))
        else:
            out.append(dumps(item, ensure_ascii=False))

    open_value(value, 0)
    while stack:
        frame = stack[-1]
        members, is_object, depth, closer, first = frame
        member: Any = next(members, _END)
        if member is _END:
            stack.pop()
            out.append("\n" + "  " * min(depth - 1, indent_cap) + closer)
            continue
        frame[4] = False
        out.append(("\n" if first else ",\n") + "  " * min(depth, indent_cap))
        if is_object:
            key: str = member[0]
            member = member[1]
            out.append(quote(key) + ": ")
        open_value(member, depth)
    return "".join(out)


_END = object()


def walk(expr: Expr | None) -> list[Expr]:
    """Every expression node below and including `expr`, parents first."""
    out: list[Expr] = []
    stack: list[Expr] = [expr] if expr is not None else []
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, BinaryOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, UnaryOp):
            stack.append(node.operand)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
        elif isinstance(node, ListExpr):
            stack.extend(reversed(node.items))
        elif isinstance(node, Lambda):
            if node.predicate is not None:
                stack.append(node.predicate)
            stack.append(node.path)
    return out


# --------------------------------------------------------------------------- builders


def prop(path: str) -> MemberPath:
    """`prop("owner/city")` → MemberPath(("owner", "city")): shorthand for the builder and tests."""
    return MemberPath(tuple(path.split("/")))


def string(value: str) -> Literal:
    return Literal("string", value)


def number(value: int | float | str) -> Literal:
    """An int, decimal or double literal chosen from the Python value (no typing from metadata)."""
    text = str(value)
    if isinstance(value, bool):
        raise TypeError("use boolean() for booleans")
    if isinstance(value, int) or (isinstance(value, str) and text.lstrip("-").isdigit()):
        return Literal("int", text)
    if "e" in text.lower() or text in ("INF", "-INF", "NaN"):
        return Literal("double", text)
    return Literal("decimal", text)


def boolean(value: bool) -> Literal:
    return Literal("bool", "true" if value else "false")


NULL = Literal("null", "null")


def and_all(parts: list[Expr]) -> Expr | None:
    """Join conditions with `and` (left-assoc), as the builder's condition rows do."""
    result: Expr | None = None
    for part in parts:
        result = part if result is None else BinaryOp("and", result, part)
    return result


def or_all(parts: list[Expr]) -> Expr | None:
    result: Expr | None = None
    for part in parts:
        result = part if result is None else BinaryOp("or", result, part)
    return result
