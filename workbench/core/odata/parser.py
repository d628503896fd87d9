"""Reading an OData URL, as a user typed or pasted it, into the query model (`odata.py`).

The URL may be raw (`$filter=Name eq 'O''Neil'`), percent-encoded (`%20`, `%27`), or use
`+` for a space as HTML forms do (URL Conventions §2: query values are percent-decoded before
the OData grammar applies). Every error is an `ODataQueryError` whose `position` is the
offset in the URL *as given*, so a caret can point at the character the user typed, even
when decoding shifted the text.

The grammar is OData v4.01 Part 2 §5 (common expression syntax) plus the OData v2 forms a
v2 service accepts (`datetime'…'`, `guid'…'`, `time'…'`, `X'…'`, number suffixes `M L d f`,
`substringof`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from workbench.core.errors import ODataQueryError
from workbench.core.odata.query import (
    FUNCTIONS,
    PRECEDENCE,
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

_HEX = "0123456789abcdefABCDEF"
_PLAIN = re.compile(r"[^%]+")


# --------------------------------------------------------------------------- decoding


def decode_with_offsets(raw: str, base: int = 0, plus_is_space: bool = True) -> tuple[str, list[int]]:
    """Percent-decode `raw`; `offsets[i]` is where decoded char i starts in the original URL.

    `offsets` has one extra entry (the end), so a position just past the text maps too.
    Invalid escapes (`%zz`) are kept literally rather than rejected: users paste such URLs,
    and the server would report them less clearly than a later parse error does.
    """
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(raw)

    def escape_at(k: int) -> bool:
        return k + 2 < n and raw[k] == "%" and raw[k + 1] in _HEX and raw[k + 2] in _HEX

    while i < n:
        if escape_at(i):
            # Gather a run of escapes and decode them as UTF-8 together (multi-byte characters).
            data = bytearray()
            starts: list[int] = []
            while i < n and escape_at(i):
                starts.append(i)
                data.append(int(raw[i + 1:i + 3], 16))
                i += 3
            byte_index = 0
            for char in data.decode("utf-8", errors="replace"):
                offsets.append(base + starts[min(byte_index, len(starts) - 1)])
                out.append(char)
                byte_index += len(char.encode("utf-8")) if char != "\ufffd" else 1
            continue
        plain = _PLAIN.match(raw, i)
        stop = plain.end() if plain is not None and plain.end() > i else i + 1
        run = raw[i:stop]  # a run without `%`: one slice, not a character at a time
        offsets.extend(range(base + i, base + stop))
        out.append(run.replace("+", " ") if plus_is_space else run)
        i = stop
    offsets.append(base + n)
    return "".join(out), offsets


# --------------------------------------------------------------------------- lexer


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # ident str typed guid dto date time num punct end
    value: str
    start: int  # index in decoded text
    end: int
    extra: str = ""  # prefix of a typed literal


_IDENT = re.compile(r"[A-Za-z_$@][\w]*(?:\.[A-Za-z_][\w]*)*(?:\.\*)?", re.UNICODE)
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![\w-])")
_DTO = re.compile(r"-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|z|[+ -]\d{2}:\d{2})(?![\w:])")
_DATE = re.compile(r"-?\d{4}-\d{2}-\d{2}(?![\w:-])")
_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?![\w:])")
_NUM = re.compile(r"-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?:[MmLlDdFf](?![\w]))?(?![\w.])")
_PUNCT = "(),/:;=*[]{}"


MAX_NESTING = 150  # parentheses, not/-, calls, lambdas and nested $expand, together; real URLs use < 20
MAX_OPERATORS = 20_000  # and/or/eq… in one expression: a 5,000-term `or` key list parses


class _Parser:
    """Recursive-descent parser over one decoded option value (lexed on demand)."""

    def __init__(self, text: str, offsets: list[int]) -> None:
        self.text = text
        self.offsets = offsets
        self.i = 0
        self._peeked: _Tok | None = None
        self.depth = 0  # nesting: parentheses, not/-, function calls, lambdas, nested $expand
        self.operators = 0

    def deeper(self, index: int) -> None:
        """One level of nesting more; a URL nested beyond MAX_NESTING is refused, not a crash."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"The expression is nested more than {MAX_NESTING} levels deep", index)

    # -- positions and errors
    def raw(self, index: int) -> int:
        return self.offsets[min(index, len(self.offsets) - 1)]

    def error(self, message: str, index: int) -> ODataQueryError:
        return ODataQueryError(message, position=self.raw(index))

    # -- lexing
    def _skip_ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1

    def peek(self) -> _Tok:
        if self._peeked is None:
            save = self.i
            self._peeked = self._lex()
            self._after_peek = self.i
            self.i = save
        return self._peeked

    def next(self) -> _Tok:
        tok = self.peek()
        self.i = self._after_peek
        self._peeked = None
        return tok

    def reset_to(self, index: int) -> None:
        self.i = index
        self._peeked = None

    def _lex(self) -> _Tok:
        self._skip_ws()
        text, i = self.text, self.i
        if i >= len(text):
            return _Tok("end", "", i, i)
        ch = text[i]
        if ch == "'":
            value, end = self._string_at(i)
            self.i = end
            return _Tok("str", value, i, end)
        for kind, pattern in (("guid", _GUID), ("dto", _DTO), ("date", _DATE), ("time", _TIME), ("num", _NUM)):
            if ch.isdigit() or (ch == "-" and i + 1 < len(text) and text[i + 1].isdigit()) or \
                    (kind == "guid" and ch in _HEX):
                m = pattern.match(text, i)
                if m:
                    self.i = m.end()
                    value = m.group(0)
                    if kind == "dto" and " " in value:
                        value = value.replace(" ", "+")  # a raw `+` decoded as a space
                    return _Tok(kind, value, i, m.end())
        m = _IDENT.match(text, i)
        if m:
            end = m.end()
            if end < len(text) and text[end] == "'" and not m.group(0).startswith(("$", "@")):
                value, stop = self._string_at(end)
                self.i = stop
                return _Tok("typed", value, i, stop, m.group(0))
            self.i = end
            return _Tok("ident", m.group(0), i, end)
        if ch == "-":
            self.i = i + 1
            return _Tok("punct", "-", i, i + 1)
        if ch in _PUNCT:
            self.i = i + 1
            return _Tok("punct", ch, i, i + 1)
        raise self.error(f"Unexpected character {ch!r}", i)

    def _string_at(self, i: int) -> tuple[str, int]:
        """A quoted string starting at `i`; `''` is an escaped quote (ABNF `SQUOTE-in-string`)."""
        text = self.text
        j = i + 1
        parts: list[str] = []
        while True:
            k = text.find("'", j)
            if k < 0:
                raise self.error("Unterminated string literal: a closing ' is missing", i)
            parts.append(text[j:k])
            if k + 1 < len(text) and text[k + 1] == "'":
                parts.append("'")
                j = k + 2
                continue
            return "".join(parts), k + 1

    # -- helpers
    def expect(self, value: str, what: str = "") -> _Tok:
        tok = self.next()
        if tok.kind != "punct" or tok.value != value:
            found = "the end" if tok.kind == "end" else repr(tok.value if tok.kind != "str" else f"'{tok.value}'")
            raise self.error(f"Expected {value!r}{what} but found {found}", tok.start)
        return tok

    def at_punct(self, value: str) -> bool:
        tok = self.peek()
        return tok.kind == "punct" and tok.value == value

    def at_end(self) -> bool:
        return self.peek().kind == "end"

    def finish(self, what: str) -> None:
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(f"Unexpected {tok.value or tok.kind!r} after the {what}", tok.start)

    # -- expressions (§5.1.1)
    def expression(self, min_prec: int = 0) -> Expr:
        self.deeper(self.i)
        try:
            return self._expression(min_prec)
        finally:
            self.depth -= 1

    def _expression(self, min_prec: int) -> Expr:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok.kind != "ident" or tok.value not in PRECEDENCE:
                return left
            prec = PRECEDENCE[tok.value]
            if prec < min_prec:
                return left
            self.operators += 1
            if self.operators > MAX_OPERATORS:
                raise self.error(f"The expression has more than {MAX_OPERATORS:,} operators", tok.start)
            self.next()
            if tok.value == "in":
                right: Expr = self.in_list()
            else:
                right = self.expression(prec + 1)
            left = BinaryOp(tok.value, left, right, pos=self.raw(tok.start))

    def in_list(self) -> ListExpr:
        """Right side of `in`: `(a, b, …)` (also `[…]` as in OData 4.01 JSON arrays)."""
        tok = self.next()
        closer = {"(": ")", "[": "]"}.get(tok.value) if tok.kind == "punct" else None
        if closer is None:
            if tok.kind == "ident" and tok.value.startswith("@"):
                return ListExpr((Alias(tok.value[1:], pos=self.raw(tok.start)),), pos=self.raw(tok.start))
            raise self.error("Expected a list such as ('a','b') after 'in'", tok.start)
        items: list[Expr] = []
        if not self.at_punct(closer):
            items.append(self.expression())
            while self.at_punct(","):
                self.next()
                items.append(self.expression())
        self.expect(closer, " to close the 'in' list")
        return ListExpr(tuple(items), pos=self.raw(tok.start))

    def unary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "ident" and tok.value == "not" or tok.kind == "punct" and tok.value == "-":
            self.deeper(tok.start)
            try:
                return self._unary(tok)
            finally:
                self.depth -= 1
        return self.primary()

    def _unary(self, tok: _Tok) -> Expr:
        if tok.value == "not":
            self.next()
            return UnaryOp("not", self.unary(), pos=self.raw(tok.start))
        if tok.kind == "punct" and tok.value == "-":
            self.next()
            nxt = self.peek()
            if nxt.kind == "ident" and nxt.value == "INF" and nxt.start == tok.end:
                self.next()
                return Literal("double", "-INF", pos=self.raw(tok.start))
            return UnaryOp("-", self.unary(), pos=self.raw(tok.start))
        return self.primary()

    def primary(self) -> Expr:
        tok = self.next()
        pos = self.raw(tok.start)
        if tok.kind == "punct" and tok.value == "(":
            inner = self.expression()
            self.expect(")", " to close the parenthesis")
            return inner
        if tok.kind == "str":
            return Literal("string", tok.value, pos=pos)
        if tok.kind == "typed":
            return self.typed_literal(tok)
        if tok.kind == "guid":
            return Literal("guid", tok.value, pos=pos)
        if tok.kind == "dto":
            return Literal("datetimeoffset", tok.value, pos=pos)
        if tok.kind == "date":
            return Literal("date", tok.value, pos=pos)
        if tok.kind == "time":
            return Literal("timeofday", tok.value, pos=pos)
        if tok.kind == "num":
            return _number(tok.value, pos)
        if tok.kind == "ident":
            name = tok.value
            if name in ("true", "false"):
                return Literal("bool", name, pos=pos)
            if name == "null":
                return Literal("null", "null", pos=pos)
            if name in ("INF", "NaN"):
                return Literal("double", name, pos=pos)
            if name.startswith("@"):
                return Alias(name[1:], pos=pos)
            if self.at_punct("(") and (name in FUNCTIONS or "." in name):
                return self.call(name, tok)
            return self.member(tok)
        if tok.kind == "end":
            raise self.error("The expression ends too early: a value or property is missing", tok.start)
        raise self.error(f"Unexpected {tok.value!r}: expected a value, property or function", tok.start)

    def typed_literal(self, tok: _Tok) -> Literal:
        prefix, value, pos = tok.extra, tok.value, self.raw(tok.start)
        low = prefix.lower()
        kinds = {"guid": "guid", "datetime": "datetime", "datetimeoffset": "datetimeoffset", "time": "time",
                 "duration": "duration", "binary": "binary", "x": "binary", "geography": "geo", "geometry": "geo",
                 "date": "date", "timeofday": "timeofday"}
        if low in kinds:
            return Literal(kinds[low], value, prefix=prefix, pos=pos)  # type: ignore[arg-type]
        if "." in prefix:
            return Literal("enum", value, type_name=prefix, pos=pos)
        raise self.error(f"Unknown typed literal prefix {prefix!r} (expected e.g. guid'…', datetime'…' or Namespace.EnumType'Member')",
                         tok.start)

    def call(self, name: str, tok: _Tok) -> Call:
        self.expect("(")
        args: list[Expr] = []
        if not self.at_punct(")"):
            args.append(self.expression())
            while self.at_punct(","):
                self.next()
                args.append(self.expression())
        self.expect(")", f" to close {name}(")
        low, high = FUNCTIONS.get(name, (0, 99))
        if not low <= len(args) <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise self.error(f"{name}() takes {want} argument{'s' if high != 1 else ''}, got {len(args)}", tok.start)
        return Call(name, tuple(args), pos=self.raw(tok.start))

    def member(self, first: _Tok) -> Expr:
        segments = [first.value]
        while self.at_punct("/"):
            slash = self.next()
            seg = self.next()
            if seg.kind != "ident":
                raise self.error("Expected a property name after '/'", seg.start if seg.kind != "end" else slash.end)
            if seg.value in ("any", "all") and self.at_punct("("):
                return self.lambda_(MemberPath(tuple(segments), pos=self.raw(first.start)), seg)
            segments.append(seg.value)
        if self.at_punct("("):
            raise self.error(f"Unknown function {segments[-1]!r}", self.peek().start)
        return MemberPath(tuple(segments), pos=self.raw(first.start))

    def lambda_(self, path: MemberPath, op: _Tok) -> Lambda:
        self.expect("(")
        if self.at_punct(")"):
            self.next()
            return Lambda(path, op.value, pos=self.raw(op.start))  # type: ignore[arg-type]
        var = self.next()
        if var.kind != "ident" or "." in var.value:
            raise self.error(f"Expected a lambda variable name after {op.value}(", var.start)
        self.expect(":", f" after the lambda variable {var.value!r}")
        predicate = self.expression()
        self.expect(")", f" to close {op.value}(")
        return Lambda(path, op.value, var.value, predicate, pos=self.raw(op.start))  # type: ignore[arg-type]

    # -- $select / $expand / $orderby lists (§5.1.2, §5.1.3, §5.1.5)
    def path_segments(self) -> tuple[list[str], _Tok]:
        first = self.next()
        if first.kind == "punct" and first.value == "*":
            return ["*"], first
        if first.kind != "ident":
            raise self.error("Expected a property or navigation name", first.start)
        parts = [first.value]
        while self.at_punct("/"):
            self.next()
            seg = self.next()
            if seg.kind == "punct" and seg.value == "*":
                parts.append("*")
                break
            if seg.kind != "ident":
                raise self.error("Expected a name after '/'", seg.start)
            parts.append(seg.value)
        return parts, first

    def select_list(self, stop: str = "") -> tuple[SelectItem, ...]:
        items: list[SelectItem] = []
        while True:
            parts, first = self.path_segments()
            items.append(SelectItem(tuple(parts), pos=self.raw(first.start)))
            if self.at_punct("("):
                raise self.error("Nested options inside $select are not supported; use $expand", self.peek().start)
            if not self.at_punct(","):
                return tuple(items)
            self.next()

    def orderby_list(self) -> tuple[OrderItem, ...]:
        items: list[OrderItem] = []
        while True:
            start = self.peek()
            expr = self.expression()
            desc = False
            tok = self.peek()
            if tok.kind == "ident" and tok.value.lower() in ("asc", "desc"):
                self.next()
                desc = tok.value.lower() == "desc"
            items.append(OrderItem(expr, desc, pos=self.raw(start.start)))
            if not self.at_punct(","):
                return tuple(items)
            self.next()

    def expand_list(self) -> tuple[ExpandItem, ...]:
        items: list[ExpandItem] = []
        while True:
            parts, first = self.path_segments()
            suffix = ""
            if parts[-1] in ("$ref", "$count"):
                suffix = parts.pop()
            if not parts:
                raise self.error("Expected a navigation property before /$ref or /$count", first.start)
            options = QueryOptions()
            if self.at_punct("("):
                self.deeper(self.peek().start)
                self.next()
                options = self.nested_options()
                self.expect(")", " to close the $expand options")
                self.depth -= 1
            items.append(ExpandItem(tuple(parts), options, suffix, pos=self.raw(first.start)))  # type: ignore[arg-type]
            if not self.at_punct(","):
                return tuple(items)
            self.next()

    def nested_options(self) -> QueryOptions:
        """`$select=…;$filter=…;…` inside `$expand=Nav(…)` (§5.1.3: options separated by `;`)."""
        values: dict[str, object] = {}
        others: list[tuple[str, str]] = []
        spans: list[tuple[str, int]] = []
        while not self.at_punct(")"):
            name_tok = self.next()
            if name_tok.kind != "ident" or not name_tok.value.startswith("$"):
                raise self.error("Expected a query option such as $select= inside the $expand parentheses",
                                 name_tok.start)
            name = name_tok.value.lower()
            self.expect("=", f" after {name_tok.value}")
            if any(name == n for n, _ in spans):
                raise self.error(f"{name_tok.value} is given twice", name_tok.start)
            self._skip_ws()
            spans.append((name, self.raw(self.i)))
            if name == "$select":
                values["select"] = self.select_list()
            elif name == "$filter":
                values["filter"] = self.expression()
            elif name == "$orderby":
                values["orderby"] = self.orderby_list()
            elif name == "$expand":
                values["expand"] = self.expand_list()
            elif name in ("$top", "$skip"):
                values[name[1:]] = self.integer(name_tok.value)
            elif name == "$count":
                values["count"] = self.boolean(name_tok.value)
            elif name == "$levels":
                tok = self.next()
                if tok.kind == "ident" and tok.value == "max":
                    values["levels"] = "max"
                elif tok.kind == "num" and tok.value.isdigit():
                    values["levels"] = int(tok.value)
                else:
                    raise self.error("$levels must be a positive integer or max", tok.start)
            elif name == "$search":
                values["search"] = self.verbatim()
            else:
                others.append((name_tok.value, self.verbatim()))
            if self.at_punct(";"):
                self.next()
            elif not self.at_punct(")"):
                tok = self.peek()
                raise self.error(f"Expected ';' or ')' after the {name_tok.value} value, found "
                                 f"{tok.value or 'the end'!r}", tok.start)
        return QueryOptions(others=tuple(others), spans=tuple(spans), **values)  # type: ignore[arg-type]

    def verbatim(self) -> str:
        """Free text up to the next `;` or `)` at depth 0 (nested $search, $apply …)."""
        self._peeked = None
        start = self.i
        depth = 0
        quote = ""
        j = start
        while j < len(self.text):
            ch = self.text[j]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == ";" and depth == 0:
                break
            j += 1
        self.i = j
        return self.text[start:j].strip()

    def integer(self, option: str) -> int:
        tok = self.next()
        if tok.kind != "num" or not tok.value.isdigit():
            raise self.error(f"{option} must be a non-negative integer", tok.start)
        return int(tok.value)

    def boolean(self, option: str) -> bool:
        tok = self.next()
        if tok.kind != "ident" or tok.value.lower() not in ("true", "false"):
            raise self.error(f"{option} must be true or false", tok.start)
        return tok.value.lower() == "true"


def _number(text: str, pos: int) -> Literal:
    suffix = ""
    if text[-1] in "MmLlDdFf":
        suffix, text = text[-1], text[:-1]
    if suffix in ("M", "m"):
        kind = "decimal"
    elif suffix in ("D", "d", "F", "f") or "e" in text or "E" in text:
        kind = "double"
    elif "." in text:
        kind = "decimal"
    else:
        kind = "int"
    return Literal(kind, text, suffix=suffix, pos=pos)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- entry points


def parse_filter(text: str, offset: int = 0) -> Expr:
    """Parse a decoded `$filter` expression; positions are offsets into `text` (+ offset)."""
    p = _Parser(text, [offset + i for i in range(len(text) + 1)])
    if p.at_end():
        raise p.error("$filter is empty", 0)
    expr = p.expression()
    p.finish("expression")
    return expr


def parse_options(query: str, offset: int = 0) -> QueryOptions:
    """Parse a raw (possibly encoded) query string `a=1&$filter=…` into `QueryOptions`."""
    return _parse_query(query, offset)


_SYSTEM = ("$select", "$filter", "$expand", "$orderby", "$top", "$skip", "$count", "$search",
           "$format", "$skiptoken", "$apply", "$levels")


def _parse_query(query: str, offset: int) -> QueryOptions:
    values: dict[str, object] = {}
    others: list[tuple[str, str]] = []
    custom: list[tuple[str, str]] = []
    spans: list[tuple[str, int]] = []
    seen: set[str] = set()
    pos = offset
    for piece in query.split("&"):
        start = pos
        pos += len(piece) + 1
        if not piece:
            continue
        raw_name, eq, raw_value = piece.partition("=")
        name, _ = decode_with_offsets(raw_name, start)
        value_start = start + len(raw_name) + len(eq)
        text, offsets = decode_with_offsets(raw_value, value_start)
        low = name.lower()
        if not name.startswith("$"):
            custom.append((name, text))
            continue
        if low in seen and low in _SYSTEM:
            raise ODataQueryError(f"{name} is given twice; a system query option may appear only once", position=start)
        seen.add(low)
        spans.append((low, value_start))
        p = _Parser(text, offsets)
        if low in ("$select", "$filter", "$expand", "$orderby") and not text.strip():
            raise ODataQueryError(f"{name} has no value", position=value_start)
        if low == "$select":
            values["select"] = p.select_list()
            p.finish("$select list")
        elif low == "$filter":
            values["filter"] = p.expression()
            p.finish("$filter expression")
        elif low == "$expand":
            values["expand"] = p.expand_list()
            p.finish("$expand list")
        elif low == "$orderby":
            values["orderby"] = p.orderby_list()
            p.finish("$orderby list")
        elif low in ("$top", "$skip"):
            values[low[1:]] = p.integer(name)
            p.finish(name)
        elif low == "$count":
            values["count"] = p.boolean(name)
            p.finish(name)
        elif low == "$levels":
            values["levels"] = "max" if text == "max" else p.integer(name)
        elif low in ("$search", "$format", "$skiptoken", "$apply"):
            values[low[1:]] = text
        else:
            others.append((name, text))
    return QueryOptions(others=tuple(others), custom=tuple(custom), spans=tuple(spans),
                        **values)  # type: ignore[arg-type]


def _split_path(text: str) -> list[tuple[str, int]]:
    """Split a decoded path on `/` outside quotes and parentheses; (segment, start index)."""
    parts: list[tuple[str, int]] = []
    depth = 0
    quote = False
    start = 0
    for j, ch in enumerate(text):
        if quote:
            if ch == "'":
                quote = False
        elif ch == "'":
            quote = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "/" and depth == 0:
            parts.append((text[start:j], start))
            start = j + 1
    parts.append((text[start:], start))
    return parts


def _root_index(parts: list[tuple[str, int]], resource_names: Collection[str] | None) -> int:
    """Index of the first resource-path segment (the rest before it is the service root).

    With metadata (`resource_names`: entity sets, singletons, function imports) this is exact;
    without, the service root ends after a `.svc` segment, else before the first segment with
    parentheses, else before a trailing `$count`/`$value`, else before the last segment.
    """
    names = [p[0].split("(", 1)[0] for p in parts]
    if resource_names:
        for idx, name in enumerate(names):
            if name in resource_names:
                return idx
    for idx, name in enumerate(names):
        if name.lower().endswith(".svc"):
            return idx + 1
    for idx, (seg, _) in enumerate(parts):
        if "(" in seg:
            return idx
    idx = len(parts) - 1
    while idx > 0 and names[idx] in ("$count", "$value", "$ref", ""):
        idx -= 1
    if names[idx] in ("$metadata", "$batch", "$all"):
        return idx
    return idx if idx > 0 else min(1, len(parts))


def _parse_segment(seg: str, start: int, offsets: list[int]) -> Segment:
    p = _Parser(seg, offsets[start:start + len(seg) + 1])
    tok = p.next()
    if tok.kind != "ident":
        raise p.error(f"Expected a resource name, found {seg!r}", tok.start)
    name = tok.value
    pos = p.raw(tok.start)
    if p.at_end():
        return Segment(name, pos=pos)
    paren = p.expect("(", f" or '/' after {name!r}")
    items: list[KeyValue] = []
    while not p.at_punct(")"):
        first = p.peek()
        key_name = ""
        if first.kind == "ident" and not first.value.startswith("@"):
            save = p.i
            p.next()
            if p.at_punct("="):
                p.next()
                key_name = first.value
            else:
                p.reset_to(save)
        value = p.expression()
        items.append(KeyValue(key_name, value, pos=p.raw(first.start)))
        if p.at_punct(","):
            p.next()
        elif not p.at_punct(")"):
            tok = p.peek()
            raise p.error("Expected ',' or ')' in the key or parameter list", tok.start)
    p.expect(")")
    p.finish(f"segment {name!r}")
    is_call = "." in name or not items or name.startswith("$")
    if is_call:
        return Segment(name, arguments=tuple(items), pos=pos)
    if len(items) > 1 and any(not kv.name for kv in items):
        raise p.error("A composite key needs names: (A=1,B='x')", paren.start)
    return Segment(name, key=tuple(items), pos=pos)


def parse_url(url: str, service_root: str | None = None, *, version: str = "4.0",
              resource_names: Collection[str] | None = None) -> ODataUrl:
    """Parse a full or relative OData URL as typed into the URL box.

    `service_root` (if known) fixes where the resource path starts; otherwise metadata names
    (`resource_names`) or a heuristic decide. Raises `ODataQueryError` with `position`.
    """
    if not url or not url.strip():
        raise ODataQueryError("The URL is empty", position=0)
    lead = len(url) - len(url.lstrip())
    raw = url.strip()
    fragment = ""
    if "#" in raw:
        raw, fragment = raw.split("#", 1)
    path_part, _, query = raw.partition("?")
    query_offset = lead + len(path_part) + 1
    # Authority: scheme://host[:port] stays out of the path split.
    authority = ""
    # A leading `{{baseUrl}}` (a workbench variable) stands for scheme and host, like an authority.
    m = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/]*|\{\{[^}]*\}\}", path_part)
    if m:
        authority = m.group(0)
    rest = path_part[len(authority):]
    text, offsets = decode_with_offsets(rest, lead + len(authority), plus_is_space=False)
    if service_root is not None:
        root = service_root.rstrip("/")
        if not path_part.startswith(root):
            raise ODataQueryError(f"The URL does not start with the service root {root}", position=lead)
        rel_raw = path_part[len(root):].lstrip("/")
        rel_start = lead + len(path_part) - len(rel_raw)
        text, offsets = decode_with_offsets(rel_raw, rel_start, plus_is_space=False)
        parts = _split_path(text) if text else []
        resource = parts
    else:
        lstripped = text.lstrip("/")
        skip = len(text) - len(lstripped)
        parts_all = [(s, st + skip) for s, st in _split_path(lstripped)] if lstripped else []
        if parts_all and parts_all[-1][0] == "":
            parts_all.pop()
        if not authority and parts_all:
            # A relative URL (`People?$top=1`, as in $batch parts): all of it is the resource path.
            split = 0
            if resource_names:
                split = _root_index(parts_all, resource_names)
                if split >= len(parts_all) or parts_all[split][0].split("(", 1)[0] not in resource_names:
                    split = 0
        else:
            split = _root_index(parts_all, resource_names) if parts_all else 0
        resource = parts_all[split:]
        root_end = resource[0][1] if resource else len(text)
        root = (authority + _encode_back(rest, offsets, root_end)).rstrip("/")
    segments = tuple(_parse_segment(seg, start, offsets) for seg, start in resource if seg != "")
    options = _parse_query(query, query_offset) if query else QueryOptions()
    return ODataUrl(root, segments, options, version, fragment)


def _encode_back(rest: str, offsets: list[int], decoded_end: int) -> str:
    """The raw (as typed) text of the path up to decoded index `decoded_end`."""
    base = offsets[0] if offsets else 0
    return rest[: offsets[decoded_end] - base] if decoded_end < len(offsets) else rest


def _fragment(text: str, what: str) -> _Parser:
    p = _Parser(text, list(range(len(text) + 1)))
    if p.at_end():
        raise p.error(f"{what} is empty", 0)
    return p


def parse_select(text: str) -> tuple[SelectItem, ...]:
    """A decoded `$select` value (`ID,title,owner/city`), e.g. from a builder field."""
    p = _fragment(text, "$select")
    items = p.select_list()
    p.finish("$select list")
    return items


def parse_orderby(text: str) -> tuple[OrderItem, ...]:
    """A decoded `$orderby` value (`length(title) desc,caseNo`)."""
    p = _fragment(text, "$orderby")
    items = p.orderby_list()
    p.finish("$orderby list")
    return items


def parse_expand(text: str) -> tuple[ExpandItem, ...]:
    """A decoded `$expand` value with nested options."""
    p = _fragment(text, "$expand")
    items = p.expand_list()
    p.finish("$expand list")
    return items
