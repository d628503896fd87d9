"""Long `$filter` and/or chains without deep recursion: flat reading and writing, balanced regrouping (issue 18).

Why: a key-list filter (`ID eq 1 or ID eq 2 or …`, 5,000 terms, as clients generate it) parses
(explicit stack, `parser.MAX_OPERATORS`) into a left-deep tree 5,000 levels tall. The core
serializer and validator walk trees recursively; the CLI runs them on a deep-stack thread
(`core/odata/deep.py`), but that raises the process-wide recursion limit, which the window,
with its many threads, keeps at Python's default. So the window does three things here:

- `chain_parts`/`filter_text`: an and/or chain is read and written as a flat list of operands
  (a loop, not a descent); each operand is small, so core `expr_text` handles it. Right-nested
  chains only come from explicit parentheses, which the parser bounds (`MAX_NESTING`).
- `balanced`: the same filter with every and/or chain regrouped into a balanced tree (and/or
  are associative, so types and positions are unchanged): 5,000 terms become 13 levels, which
  core `validate` walks within the default limit.
- `depth`: measured with a loop, so the builder can refuse what is still too deep (say, a
  5,000-term `add` chain) with a sentence instead of a RecursionError.

Qt-free: tested without widgets.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.core.odata.query import (
    PRECEDENCE,
    BinaryOp,
    Call,
    Expr,
    Lambda,
    ListExpr,
    MemberPath,
    ODataUrl,
    QueryOptions,
    UnaryOp,
)
from workbench.core.odata.serializer import (
    expr_text,
    precedence,
    serialize_query,
    serialize_url,
)

#: Deeper than this (after `balanced`), the window does not hand a tree to core's recursive walks.
SAFE_DEPTH = 300
#: A `$filter` taller than this is written by `url_text` itself rather than by core's serializer.
_SERIALIZER_DEPTH = 100
_PLACEHOLDER = "wbLongFilter7f3a"
_CHAINS = ("and", "or")


def chain_parts(expr: Expr, op: str) -> list[Expr]:
    """The operands of a left-deep chain of `op` (`a or b or c` → [a, b, c]), left to right."""
    parts: list[Expr] = []
    node = expr
    while isinstance(node, BinaryOp) and node.op == op:
        parts.append(node.right)
        node = node.left
    parts.append(node)
    parts.reverse()
    return parts


def chain_length(expr: Expr | None) -> int:
    """How many operands the top-level and/or chain of `expr` has (1 for anything else, 0 for None)."""
    if expr is None:
        return 0
    if isinstance(expr, BinaryOp) and expr.op in _CHAINS:
        return len(chain_parts(expr, expr.op))
    return 1


def filter_text(expr: Expr) -> str:
    """`expr` in URL syntax, as core `expr_text` writes it, without recursing along and/or chains."""
    if not (isinstance(expr, BinaryOp) and expr.op in _CHAINS):
        return expr_text(expr)
    prec = PRECEDENCE[expr.op]
    texts: list[str] = []
    for i, part in enumerate(chain_parts(expr, expr.op)):
        text = filter_text(part)  # a parenthesised sub-chain: bounded by the parser's MAX_NESTING
        needs = precedence(part) < prec if i == 0 else precedence(part) <= prec
        texts.append(f"({text})" if needs else text)
    return f" {expr.op} ".join(texts)


def _kids(node: Expr) -> tuple[Expr, ...]:
    if isinstance(node, BinaryOp):
        return tuple(chain_parts(node, node.op)) if node.op in _CHAINS else (node.left, node.right)
    if isinstance(node, UnaryOp):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, ListExpr):
        return node.items
    if isinstance(node, Lambda):
        return (node.predicate,) if node.predicate is not None else ()
    return ()


def _group(op: str, parts: list[Expr], pos: int) -> Expr:
    """`parts` joined by `op` as a balanced tree (left to right order kept)."""
    level = parts
    while len(level) > 1:
        paired: list[Expr] = [BinaryOp(op, level[i], level[i + 1], pos) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _rebuild(node: Expr, kids: list[Expr]) -> Expr:
    if isinstance(node, BinaryOp):
        if node.op in _CHAINS:
            return _group(node.op, kids, node.pos)
        return replace(node, left=kids[0], right=kids[1])
    if isinstance(node, UnaryOp):
        return replace(node, operand=kids[0])
    if isinstance(node, Call):
        return replace(node, args=tuple(kids))
    if isinstance(node, ListExpr):
        return replace(node, items=tuple(kids))
    if isinstance(node, Lambda) and kids:
        return replace(node, predicate=kids[0])
    return node


def balanced(expr: Expr) -> Expr:
    """The same expression with each and/or chain regrouped as a balanced tree (post-order, explicit stack)."""
    done: dict[int, Expr] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in done:
            continue
        kids = _kids(node)
        if not ready:
            stack.append((node, True))
            stack.extend((kid, False) for kid in kids)
            continue
        done[id(node)] = _rebuild(node, [done[id(kid)] for kid in kids])
    return done[id(expr)]


def depth(expr: Expr | None) -> int:
    """How many levels the tree has (a loop; 0 for None)."""
    if expr is None:
        return 0
    deepest = 0
    stack: list[tuple[Expr, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, BinaryOp):
            stack.extend(((node.left, level + 1), (node.right, level + 1)))
        else:
            stack.extend((kid, level + 1) for kid in _kids(node))
    return deepest


def url_text(url: ODataUrl, *, encode: bool = False) -> str:
    """`serialize_url(url)`, with a long and/or `$filter` written by `filter_text` (no deep recursion).

    The filter is swapped for a one-word placeholder, core writes the URL (option order,
    escaping), and the placeholder is replaced by the filter's text escaped the same way.
    """
    expr = url.options.filter
    if expr is None or depth(expr) <= _SERIALIZER_DEPTH:
        return serialize_url(url, encode=encode)
    stand_in = replace(url, options=replace(url.options, filter=MemberPath((_PLACEHOLDER,))))
    escaped = serialize_query(QueryOptions(search=filter_text(expr)), encode=encode).partition("=")[2]
    return serialize_url(stand_in, encode=encode).replace(_PLACEHOLDER, escaped, 1)


def checkable(url: ODataUrl) -> tuple[ODataUrl, int]:
    """`url` with its `$filter` balanced for core `validate`, and the filter's depth after that."""
    expr = url.options.filter
    if expr is None:
        return url, 0
    flat = balanced(expr)
    return replace(url, options=replace(url.options, filter=flat)), depth(flat)
