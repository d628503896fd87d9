"""`{{variable}}` substitution and precedence (core/variables.py)."""

from __future__ import annotations

import re

from workbench.core.variables import Resolver, layered, names_in


def test_known_unknown_and_nested() -> None:
    r = Resolver({"scheme": "https", "host": "h.example", "base": "{{scheme}}://{{host}}/api"})
    assert r("{{base}}/x?{{ missing }}") == "https://h.example/api/x?{{ missing }}"
    assert r.missing == {"missing"}


def test_dynamic_variables_change_per_use() -> None:
    r = Resolver({})
    a, b = r("{{$guid}}"), r("{{$guid}}")
    assert re.fullmatch(r"[0-9a-f-]{36}", a) and a != b
    assert r("{{$timestamp}}").isdigit()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r("{{$isoTimestamp}}"))
    assert 0 <= int(r("{{$randomInt}}")) <= 1000 and not r.missing


def test_recursion_is_bounded() -> None:
    r = Resolver({"a": "{{b}}", "b": "{{a}}"})
    assert "{{" in r("{{a}}")  # a cycle stops instead of hanging


def test_layers_later_wins() -> None:
    assert layered({"a": "coll", "b": "coll"}, {"b": "env"}, None, {"c": "var"}) == {"a": "coll", "b": "env", "c": "var"}


def test_names_in() -> None:
    assert names_in("{{a}}/{{ b.c }}/{{$guid}}/{x}") == ["a", "b.c", "$guid"]
