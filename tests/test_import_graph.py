"""The import graph of `workbench/`: no cycles, function-level imports included, and the layers point one way.

A cycle is how a "thin" layer quietly starts to depend on what depends on it (the UI taking
exit codes from the CLI, a merge taking a converter's private helper). Function-level imports
count, because they are cycles deferred, not cycles avoided. Imports under
`if TYPE_CHECKING:` do not: they are type hints only (as in httpx's `_exceptions.py`).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, modules: set[str]) -> set[str]:
    """Every `workbench` module this tree imports at run time, wherever the import stands."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in modules:
                    found.add(sub)
                elif node.module in modules:
                    found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {name: _imports(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}
            for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_detector_sees_a_function_level_cycle() -> None:
    """The check itself can fail: a back edge inside a function closes a cycle."""
    graph = {"a": {"b"}, "b": set(), "c": set()}
    assert _cycles(graph) == []
    graph["b"].add("a")
    assert _cycles(graph) == [["a", "b"]]
    tree = ast.parse("def f():\n    from workbench.ui.app import x\n")
    assert _imports(tree, {"workbench.ui.app"}) == {"workbench.ui.app"}
    hinted = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from workbench.ui.app import x\n")
    assert _imports(hinted, {"workbench.ui.app"}) == set()


def test_layers_point_one_way() -> None:
    """core imports neither ui nor commands nor cli; ui never imports the CLI.

    Of the sub-commands only `view` reaches into ui: it shows the response viewer on its own.
    """
    graph = _graph()
    for module, targets in graph.items():
        if module.startswith("workbench.core"):  # the root package holds only `__version__`
            assert not {t for t in targets if not t.startswith("workbench.core") and t != "workbench"}, module
        if module.startswith("workbench.ui"):
            assert not {t for t in targets if t.startswith(("workbench.commands", "workbench.cli"))}, module
        if module.startswith("workbench.commands") and module != "workbench.commands.view":
            assert not {t for t in targets if t.startswith("workbench.ui")}, module
