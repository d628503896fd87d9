"""The one bounded YAML load: anchors and aliases may not multiply a document beyond a limit.

PyYAML builds an alias as a shared reference, so a "billion laughs" file parses quickly into a
few shared lists, but everything that later walks or serialises the value (the parse cache's
JSON, `$ref` bundling, `openapi.json`, sample generation) sees the full expansion: 400 bytes
become gigabytes. So the document is composed into its node graph first (libyaml's own nesting
limit applies there), the graph's expanded size is counted once per distinct node (linear in
the file, whatever the aliases do), and only a document whose aliases add at most
`max_alias_nodes` nodes is constructed. An alias that contains itself is refused outright.
"""

from __future__ import annotations

import re
from typing import Any

DEFAULT_MAX_ALIAS_NODES = 1_000_000
# An anchor property (`&name`): an `&` at the start, or after a space, a flow indicator or `:`
# (`{"a":&x 1}`), then a name.
# No anchor, no alias (an alias to an undefined anchor does not compose), so nothing to count: the
# walk below is ~40% of loading a workspace's request files, and almost none has an anchor. A `&`
# inside a quoted string may match too; that only costs the walk.
_ANCHOR = re.compile(r"(?<![^\s\[{,:?-])&[^\s\[\]{},]")


class YamlTooLarge(ValueError):
    """The document's aliases expand beyond the limit, or an alias contains itself."""


def load(text: str, loader_cls: Any, max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES) -> Any:
    """`yaml.load(text, Loader=loader_cls)`, refusing alias expansions above the limit.

    Raises YamlTooLarge (a ValueError) for an oversized expansion; yaml.YAMLError as usual for
    a syntax error.
    """
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text and _ANCHOR.search(text):  # `in` first: the pattern's look-behind is slow
            check_expansion(node, max_alias_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):
        return []
    out: list[Any] = []
    for item in value:
        if isinstance(item, tuple):
            out.extend(item)
        else:
            out.append(item)
    return out


def check_expansion(root: Any, max_alias_nodes: int) -> None:
    """Raise YamlTooLarge when expanding every alias under `root` adds more than the limit."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(child)] for child in _children(node))
            size[key] = total
            if total - len(size) > max_alias_nodes:
                _refuse(node, total, max_alias_nodes)
            continue
        if key in size:
            continue
        if key in on_path:
            mark = node.start_mark
            raise YamlTooLarge(f"line {mark.line + 1}: an alias refers to a collection that contains it "
                               "(recursive anchor); refused")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
    total = size.get(id(root), 0)
    if total - len(size) > max_alias_nodes:
        _refuse(root, total, max_alias_nodes)


def _refuse(node: Any, total: int, limit: int) -> None:
    mark = node.start_mark
    raise YamlTooLarge(f"line {mark.line + 1}: YAML anchors and aliases expand to more than {limit:,} extra values "
                       f"(at least {total:,}); refused as a possible alias bomb")
