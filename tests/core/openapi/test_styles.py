"""OpenAPI 3 parameter serialization against the spec's own "Style Examples" table.

OAS 3.0.4/3.1.1 §4.8.12.4: parameter `color` holding "blue", ["blue", "black", "brown"] or
{"R": 100, "G": 200, "B": 150}. The table shows the wire text; pairs are joined with `&`
here and `%20` is shown as a space (percent-encoding is `prepare`'s, not the serializer's).
"""

from __future__ import annotations

from typing import Any

import pytest

from workbench.core.openapi.styles import serialize, style_for

STRING, ARRAY, OBJECT = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}

# (location, style, explode, value, expected) — rows of the spec's table, n/a cells left out.
TABLE: list[tuple[str, str, bool, Any, str]] = [
    ("path", "matrix", False, None, ";color"),
    ("path", "matrix", False, STRING, ";color=blue"),
    ("path", "matrix", False, ARRAY, ";color=blue,black,brown"),
    ("path", "matrix", False, OBJECT, ";color=R,100,G,200,B,150"),
    ("path", "matrix", True, None, ";color"),
    ("path", "matrix", True, STRING, ";color=blue"),
    ("path", "matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
    ("path", "matrix", True, OBJECT, ";R=100;G=200;B=150"),
    ("path", "label", False, None, "."),
    ("path", "label", False, STRING, ".blue"),
    ("path", "label", False, ARRAY, ".blue,black,brown"),
    ("path", "label", False, OBJECT, ".R,100,G,200,B,150"),
    ("path", "label", True, None, "."),
    ("path", "label", True, STRING, ".blue"),
    ("path", "label", True, ARRAY, ".blue.black.brown"),
    ("path", "label", True, OBJECT, ".R=100.G=200.B=150"),
    ("path", "simple", False, STRING, "blue"),
    ("path", "simple", False, ARRAY, "blue,black,brown"),
    ("path", "simple", False, OBJECT, "R,100,G,200,B,150"),
    ("path", "simple", True, STRING, "blue"),
    ("path", "simple", True, ARRAY, "blue,black,brown"),
    ("path", "simple", True, OBJECT, "R=100,G=200,B=150"),
    ("query", "form", False, None, "color="),
    ("query", "form", False, STRING, "color=blue"),
    ("query", "form", False, ARRAY, "color=blue,black,brown"),
    ("query", "form", False, OBJECT, "color=R,100,G,200,B,150"),
    ("query", "form", True, None, "color="),
    ("query", "form", True, STRING, "color=blue"),
    ("query", "form", True, ARRAY, "color=blue&color=black&color=brown"),
    ("query", "form", True, OBJECT, "R=100&G=200&B=150"),
    ("query", "spaceDelimited", False, ARRAY, "color=blue black brown"),
    ("query", "spaceDelimited", False, OBJECT, "color=R 100 G 200 B 150"),
    ("query", "pipeDelimited", False, ARRAY, "color=blue|black|brown"),
    ("query", "pipeDelimited", False, OBJECT, "color=R|100|G|200|B|150"),
    ("query", "deepObject", True, OBJECT, "color[R]=100&color[G]=200&color[B]=150"),
]


def _wire(location: str, pairs: list[tuple[str, str]]) -> str:
    if location in ("path", "header"):
        (_, text), = pairs
        return text
    return "&".join(f"{n}={v}" for n, v in pairs)


@pytest.mark.parametrize(("location", "style", "explode", "value", "expected"), TABLE)
def test_style_examples_table(location: str, style: str, explode: bool, value: Any, expected: str) -> None:
    """Each cell of OAS §4.8.12.4's table, serialized the way the table shows it."""
    assert _wire(location, serialize("color", value, location, style, explode)) == expected  # type: ignore[arg-type]


def test_defaults_per_location() -> None:
    """Path and header default to simple, query and cookie to form; explode defaults to true for form only."""
    assert serialize("color", OBJECT, "path") == [("color", "R,100,G,200,B,150")]
    assert serialize("color", OBJECT, "header") == [("color", "R,100,G,200,B,150")]
    assert serialize("color", OBJECT, "query") == [("R", "100"), ("G", "200"), ("B", "150")]
    assert serialize("color", ARRAY, "cookie") == [("color", "blue"), ("color", "black"), ("color", "brown")]
    assert serialize("color", ARRAY, "cookie", explode=False) == [("color", "blue,black,brown")]


def test_object_path_parameter_simple_explode_is_key_equals_value() -> None:
    """Issue 17's report: `style: simple, explode: true` objects are `k=v,k=v`, not `k,v,k,v`."""
    value = {"name": "string", "description": "string"}
    assert serialize("obj", value, "path", "simple", True) == [("obj", "name=string,description=string")]


def test_a_style_the_location_does_not_allow_falls_back_to_its_default() -> None:
    """`matrix` in a query or `form` in a path is not in the spec's table: the default applies."""
    assert style_for("query", "matrix") == "form"
    assert style_for("path", "form") == "simple"
    assert style_for("header", None) == "simple"
    assert serialize("ids", [1, 2], "query", "matrix", False) == [("ids", "1,2")]


def test_primitives_as_text() -> None:
    """Booleans as JSON spells them, whole floats without `.0` (what a validator parses back)."""
    assert serialize("flag", True, "query") == [("flag", "true")]
    assert serialize("n", 3.0, "path", "label") == [("n", ".3")]
    assert serialize("n", [True, 2.5], "header") == [("n", "true,2.5")]
