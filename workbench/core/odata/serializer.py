"""Writing the query model back to a URL: the one place that quotes and percent-encodes.

Parentheses are re-derived from operator precedence (URL Conventions §5.1.1.16), so a tree
built in code needs none, and a parsed tree prints with only the parentheses its meaning
needs. Options come out in one fixed order (`canonical`), which makes two URLs that mean
the same thing compare equal as text.

Percent-encoding follows what OData servers (CAP, ASP.NET OData, SAP Gateway, Olingo) accept:
the OData punctuation `$ ( ) ' , ; = : / @ *` stays readable, a space becomes `%20` (never
`+`, which some servers keep literally in `$filter`), and `& # + % ?`, quotes, brackets and
non-ASCII are encoded (RFC 3986 §2.1, URL Conventions §2).
"""

from __future__ import annotations

from urllib.parse import quote

from workbench.core.odata.query import (
    PRECEDENCE,
    UNARY_PRECEDENCE,
    Alias,
    BinaryOp,
    Call,
    ExpandItem,
    Expr,
    KeyValue,
    Lambda,
    ListExpr,
    Literal,
    MemberPath,
    ODataUrl,
    OrderItem,
    QueryOptions,
    Segment,
    SelectItem,
    UnaryOp,
)

_QUERY_SAFE = "$()',;=:/@*!.-_~"
_PATH_SAFE = "$()',;=:@*!.-_~"  # `/` inside a key value must be %2F, or it splits the path


def encode_query_value(text: str) -> str:
    """Percent-encode a decoded option name or value for the query string."""
    return quote(text, safe=_QUERY_SAFE)


def encode_path_segment(text: str) -> str:
    return quote(text, safe=_PATH_SAFE)


# --------------------------------------------------------------------------- literals


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_DEFAULT_PREFIX = {"datetime": "datetime", "time": "time", "duration": "duration", "binary": "binary",
                   "geo": "geography"}


def literal_text(lit: Literal) -> str:
    """The literal as it appears in a URL (before percent-encoding)."""
    if lit.kind == "string":
        return _quoted(lit.text)
    if lit.kind == "enum":
        return f"{lit.type_name}{_quoted(lit.text)}"
    prefix = lit.prefix or _DEFAULT_PREFIX.get(lit.kind, "")
    if prefix:
        return f"{prefix}{_quoted(lit.text)}"
    return lit.text + lit.suffix


# --------------------------------------------------------------------------- expressions


def precedence(expr: Expr) -> int:
    """How tightly `expr` binds (99: an operand that never needs parentheses)."""
    if isinstance(expr, BinaryOp):
        return PRECEDENCE[expr.op]
    if isinstance(expr, UnaryOp):
        return UNARY_PRECEDENCE
    return 99


def expr_text(expr: Expr) -> str:
    """An expression in URL syntax (decoded), with the parentheses its structure needs."""
    if isinstance(expr, Literal):
        return literal_text(expr)
    if isinstance(expr, MemberPath):
        return "/".join(expr.segments)
    if isinstance(expr, Alias):
        return f"@{expr.name}"
    if isinstance(expr, Call):
        return f"{expr.name}({','.join(expr_text(a) for a in expr.args)})"
    if isinstance(expr, Lambda):
        head = f"{expr_text(expr.path)}/{expr.operator}("
        if not expr.variable:
            return head + ")"
        body = expr_text(expr.predicate) if expr.predicate is not None else ""
        return f"{head}{expr.variable}:{body})"
    if isinstance(expr, ListExpr):
        return "(" + ",".join(expr_text(i) for i in expr.items) + ")"
    if isinstance(expr, UnaryOp):
        inner = expr_text(expr.operand)
        needs = precedence(expr.operand) < UNARY_PRECEDENCE
        if expr.op == "-":
            # `-1` would read back as the literal -1, `--x` as nonsense: keep the grouping.
            needs = needs or isinstance(expr.operand, (Literal, UnaryOp))
            return f"-({inner})" if needs else f"-{inner}"
        return f"not ({inner})" if needs else f"not {inner}"
    if isinstance(expr, BinaryOp):
        prec = PRECEDENCE[expr.op]
        left = expr_text(expr.left)
        if precedence(expr.left) < prec:
            left = f"({left})"
        if expr.op == "in":
            right = expr_text(expr.right)
            if not isinstance(expr.right, ListExpr):
                right = f"({right})"
        else:
            right = expr_text(expr.right)
            if precedence(expr.right) <= prec:
                right = f"({right})"
        return f"{left} {expr.op} {right}"
    raise TypeError(f"not an expression: {expr!r}")


# --------------------------------------------------------------------------- options


def select_text(items: tuple[SelectItem, ...]) -> str:
    """`$select` value text (decoded)."""
    return _select_text(items)


def orderby_text(items: tuple[OrderItem, ...]) -> str:
    """`$orderby` value text (decoded)."""
    return _orderby_text(items)


def expand_text(items: tuple[ExpandItem, ...]) -> str:
    """`$expand` value text (decoded), nested options included."""
    return _expand_text(items)


def _select_text(items: tuple[SelectItem, ...]) -> str:
    return ",".join("/".join(i.path) for i in items)


def _orderby_text(items: tuple[OrderItem, ...]) -> str:
    return ",".join(expr_text(i.expr) + (" desc" if i.descending else "") for i in items)


def _expand_text(items: tuple[ExpandItem, ...]) -> str:
    out: list[str] = []
    for item in items:
        text = "/".join(item.path) + (f"/{item.suffix}" if item.suffix else "")
        nested = option_pairs(item.options)
        if nested:
            text += "(" + ";".join(f"{k}={v}" for k, v in nested) + ")"
        out.append(text)
    return ",".join(out)


def option_pairs(options: QueryOptions) -> list[tuple[str, str]]:
    """The options as decoded (name, value) pairs in canonical order.

    This is also what the query builder writes into a request's Params table (which encodes
    on send, see `urls.encode_component`).
    """
    pairs: list[tuple[str, str]] = []
    if options.select:
        pairs.append(("$select", _select_text(options.select)))
    if options.expand:
        pairs.append(("$expand", _expand_text(options.expand)))
    if options.filter is not None:
        pairs.append(("$filter", expr_text(options.filter)))
    if options.search is not None:
        pairs.append(("$search", options.search))
    if options.orderby:
        pairs.append(("$orderby", _orderby_text(options.orderby)))
    if options.top is not None:
        pairs.append(("$top", str(options.top)))
    if options.skip is not None:
        pairs.append(("$skip", str(options.skip)))
    if options.count is not None:
        pairs.append(("$count", "true" if options.count else "false"))
    if options.levels is not None:
        pairs.append(("$levels", str(options.levels)))
    if options.format is not None:
        pairs.append(("$format", options.format))
    if options.skiptoken is not None:
        pairs.append(("$skiptoken", options.skiptoken))
    if options.apply is not None:
        pairs.append(("$apply", options.apply))
    pairs.extend(options.others)
    pairs.extend(options.custom)
    return pairs


def serialize_query(options: QueryOptions, *, encode: bool = True) -> str:
    """`$select=…&$filter=…` (no leading `?`)."""
    pairs = option_pairs(options)
    if encode:
        return "&".join(f"{encode_query_value(k)}={encode_query_value(v)}" for k, v in pairs)
    return "&".join(f"{_display_escape(k)}={_display_escape(v)}" for k, v in pairs)


def _display_escape(text: str) -> str:
    """Readable form that still parses back: only `% & # +` (which change meaning) are escaped,
    and whitespace at the very end (which a URL box would trim)."""
    text = text.replace("%", "%25").replace("&", "%26").replace("#", "%23").replace("+", "%2B")
    body = text.rstrip()
    return body + quote(text[len(body):], safe="")


# --------------------------------------------------------------------------- resource path


def _key_text(values: tuple[KeyValue, ...]) -> str:
    return ",".join((f"{kv.name}=" if kv.name else "") + expr_text(kv.value) for kv in values)


def segment_text(seg: Segment) -> str:
    """One path segment, decoded: `People('russell')`, `Labels(caseNo=1,code='x')`, `Ns.Fn()`."""
    if seg.key is not None:
        return f"{seg.name}({_key_text(seg.key)})"
    if seg.arguments is not None:
        return f"{seg.name}({_key_text(seg.arguments)})"
    return seg.name


def resource_path(url: ODataUrl, *, encode: bool = True) -> str:
    pieces = [segment_text(s) for s in url.segments]
    if encode:
        pieces = [encode_path_segment(p) for p in pieces]
    else:
        pieces = [_display_escape(p).replace("?", "%3F") for p in pieces]
    return "/".join(pieces)


def serialize_url(url: ODataUrl, *, encode: bool = True) -> str:
    """The whole URL: service root as typed, resource path, options in canonical order.

    `encode=False` gives the readable form shown in the query builder's URL box.
    """
    out = url.service_root.rstrip("/")
    path = resource_path(url, encode=encode)
    if path:
        out = f"{out}/{path}" if out else path
    query = serialize_query(url.options, encode=encode)
    if query:
        out += "?" + query
    if url.fragment:
        out += "#" + url.fragment
    return out


def canonical(url: ODataUrl) -> str:
    """The canonical, percent-encoded URL (`workbench odata parse --canonical`)."""
    return serialize_url(url, encode=True)


# --------------------------------------------------------------------------- outline


def outline(url: ODataUrl) -> str:
    """A readable, indented description of a parsed URL (`workbench odata parse` default)."""
    lines = [f"service root: {url.service_root or '(relative)'}"]
    if url.segments:
        lines.append("resource path:")
        for seg in url.segments:
            what = "key" if seg.key is not None else "call" if seg.arguments is not None else ""
            lines.append(f"  {segment_text(seg)}" + (f"    ({what})" if what else ""))
    lines.extend(_outline_options(url.options, "  "))
    return "\n".join(lines)


#: The outline indents an expression tree up to this many levels; deeper lines say their level.
OUTLINE_INDENT_CAP = 32


def _outline_expr(expr: Expr, indent: str) -> list[str]:
    """One line per node, children indented under their operator, parents first.

    An explicit stack and a capped indent: a 5,000-term `or` filter is a tree 5,000 levels
    tall, and growing the indent (and copying each subtree's lines into its parent's list) made
    the outline quadratic, 100 MB in 3 s. Below `OUTLINE_INDENT_CAP` levels a line keeps that
    indent and starts with its level in brackets (`[4999] eq`).
    """
    lines: list[str] = []
    stack: list[tuple[Expr, int]] = [(expr, 0)]
    while stack:
        node, depth = stack.pop()
        pad = indent + "  " * min(depth, OUTLINE_INDENT_CAP) + (f"[{depth}] " if depth > OUTLINE_INDENT_CAP else "")
        children: tuple[Expr, ...] = ()
        if isinstance(node, BinaryOp):
            lines.append(f"{pad}{node.op}")
            children = (node.left, node.right)
        elif isinstance(node, UnaryOp):
            lines.append(f"{pad}{node.op}")
            children = (node.operand,)
        elif isinstance(node, Lambda):
            lines.append(f"{pad}{expr_text(node.path)}/{node.operator}" + (f" {node.variable}:" if node.variable else ""))
            children = (node.predicate,) if node.predicate is not None else ()
        elif isinstance(node, Call):
            lines.append(f"{pad}{node.name}()")
            children = node.args
        elif isinstance(node, Literal):
            lines.append(f"{pad}{literal_text(node)}    ({node.kind})")
        elif isinstance(node, MemberPath):
            lines.append(f"{pad}{expr_text(node)}    (property)")
        else:
            lines.append(f"{pad}{expr_text(node)}")
        stack.extend((child, depth + 1) for child in reversed(children))
    return lines


def _outline_options(options: QueryOptions, indent: str) -> list[str]:
    lines: list[str] = []
    if options.select:
        lines.append(f"{indent[:-2]}$select: {_select_text(options.select)}")
    if options.filter is not None:
        lines.append(f"{indent[:-2]}$filter: {expr_text(options.filter)}")
        lines.extend(_outline_expr(options.filter, indent))
    if options.expand:
        lines.append(f"{indent[:-2]}$expand:")
        for item in options.expand:
            lines.append(f"{indent}{'/'.join(item.path)}" + (f"/{item.suffix}" if item.suffix else ""))
            lines.extend(_outline_options(item.options, indent + "    "))
    if options.orderby:
        lines.append(f"{indent[:-2]}$orderby:")
        for order in options.orderby:
            lines.append(f"{indent}{expr_text(order.expr)} {'desc' if order.descending else 'asc'}")
    for name, value in option_pairs(options):
        if name not in ("$select", "$filter", "$expand", "$orderby"):
            lines.append(f"{indent[:-2]}{name}: {value}")
    return lines
