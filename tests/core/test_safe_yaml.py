"""The bounded YAML load: alias bombs refused however the anchor is spelled, plain files loaded as usual."""

from __future__ import annotations

import pytest
import yaml

from workbench.core import safe_yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _bomb(anchor_spelling: str) -> str:
    """Ten levels of ten aliases each (10^10 values once expanded); `anchor_spelling` defines `a0`."""
    lines = [anchor_spelling]
    for level in range(1, 10):
        lines.append(f"l{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    lines.append(f"top: [{', '.join(['*a9'] * 10)}]")
    return "\n".join(lines)


@pytest.mark.parametrize("anchor", [
    "l0: &a0 [x, x, x, x, x, x, x, x, x, x]",      # block mapping value
    "l0:\t&a0 [x, x, x, x, x, x, x, x, x, x]",     # after a tab
    "l0: {k: &a0 [x, x, x, x, x, x, x, x, x, x]}",  # inside a flow mapping
    "l0: [&a0 [x, x, x, x, x, x, x, x, x, x]]",     # first in a flow sequence
    "l0: [y,&a0 [x, x, x, x, x, x, x, x, x, x]]",   # right after a flow comma
    "l0: !!seq &a0 [x, x, x, x, x, x, x, x, x, x]",  # after a tag
])
def test_every_anchor_spelling_is_counted(anchor: str) -> None:
    with pytest.raises(safe_yaml.YamlTooLarge):
        safe_yaml.load(_bomb(anchor), LOADER, max_alias_nodes=10_000)


def test_an_anchor_right_after_a_json_like_keys_colon_is_counted() -> None:
    """`{"a":&x ...}`: no space before the anchor, which YAML allows after a quoted key."""
    levels = ['"l0":&a0 [x, x, x, x, x, x, x, x, x, x]']
    levels += [f'"l{n}":&a{n} [{", ".join([f"*a{n - 1}"] * 10)}]' for n in range(1, 10)]
    text = "{" + ", ".join(levels) + "}"
    with pytest.raises(safe_yaml.YamlTooLarge):
        safe_yaml.load(text, LOADER, max_alias_nodes=10_000)


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises((safe_yaml.YamlTooLarge, yaml.YAMLError)):
        safe_yaml.load("a: &x [1, *x]", LOADER)


def test_ampersands_without_anchors_load_unchecked() -> None:
    """`&` in URLs and words is no anchor: the file loads (and is not walked)."""
    text = "url: https://h/p?a=1&b=2\nname: R&D\nnote: 'x &y'\n"
    assert safe_yaml.load(text, LOADER) == {"url": "https://h/p?a=1&b=2", "name": "R&D", "note": "x &y"}


def test_shared_values_within_the_limit_load() -> None:
    assert safe_yaml.load("base: &b {k: 1}\nuse: *b\n", LOADER) == {"base": {"k": 1}, "use": {"k": 1}}
