"""Every parameter style in every location, imported and sent unchanged to Prism (issue 17).

The spec below has one operation per (location, style, explode, type): a required parameter
whose schema a wrong serialization breaks (integers with a minimum, arrays with `minItems`,
objects with required integer properties), so Prism answers 422 when we get a style wrong.
Each request goes out as imported through `send` (the loop is `test_prism_acceptance.run_spec`).

Prism 5.14's own limits, found by reading its deserializers (`prism-http/dist/validator/
deserializers`) and by these runs; such cases are listed in `PRISM_CANNOT` and asserted to be
what the spec's table says instead of being sent:
- a path value holding `,` kills Prism (uri-template-lite's `match` makes it an array, then
  `simple.js` calls `.split` on it): every non-exploded array/object and simple-style ones;
- `spaceDelimited` arrays are split on the text `%20` after the query was decoded: never match;
- it reads an absent `explode` as false for every style, so a `form` object left to the default
  (exploded: `r=5&g=6`, OAS §4.8.12.2) is looked for as `q=r,5,g,6`; our cases set `explode`;
- `label` + explode objects are split on `,` (it wants `.r=5,g=6`; the table says `.r=5.g=6`);
- `spaceDelimited`/`pipeDelimited` objects throw "only applicable to array parameter" (a crash);
- cookies are not validated at all (no cookie deserializer): accepted whatever we send, so
  those cases only prove the request is well-formed enough for Prism to answer.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.core.openapi.importer import import_openapi
from workbench.core.openapi.styles import serialize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_prism_acceptance import Target, run_spec  # noqa: E402  - the shared send-to-Prism loop

pytestmark = pytest.mark.peers

INTEGER = {"type": "integer", "minimum": 5}
ARRAY = {"type": "array", "items": {"type": "integer", "minimum": 5}, "minItems": 2}
OBJECT = {"type": "object", "required": ["r", "g"],
          "properties": {"r": {"type": "integer", "minimum": 5}, "g": {"type": "integer", "minimum": 5}}}
TYPES = {"primitive": INTEGER, "array": ARRAY, "object": OBJECT}
NAMES = {"path": "p", "query": "q", "header": "x-h", "cookie": "c"}  # lower case: Prism lowercases names

CASES: list[tuple[str, str, bool, str]] = (
    [("path", s, e, t) for s in ("simple", "label", "matrix") for e in (False, True) for t in TYPES]
    + [("query", "form", e, t) for e in (False, True) for t in TYPES]
    + [("query", s, e, t) for s in ("spaceDelimited", "pipeDelimited") for e in (False, True)
       for t in ("array", "object") if not (e and t == "object")]
    + [("query", "deepObject", True, "object")]
    + [("header", "simple", e, t) for e in (False, True) for t in TYPES]
    + [("cookie", "form", e, t) for e in (False, True) for t in TYPES]
)
_COMMA = "crashes Prism: a path value with `,` (uri-template-lite splits it, simple.js calls .split on an array)"
#: Cases Prism 5.14 cannot validate, and why; their serialization is asserted against the spec's table instead.
PRISM_CANNOT: dict[tuple[str, str, bool, str], str] = {
    **{("path", s, e, t): _COMMA for s, e, t in (
        ("simple", False, "array"), ("simple", False, "object"), ("simple", True, "array"),
        ("simple", True, "object"), ("label", False, "array"), ("label", False, "object"),
        ("matrix", False, "array"), ("matrix", False, "object"))},
    ("path", "label", True, "object"): "Prism splits label+explode objects on `,`, the table says `.r=5.g=6`",
    ("query", "spaceDelimited", False, "array"): "Prism splits the decoded value on the text `%20`: never matches",
    ("query", "spaceDelimited", False, "object"): "crashes Prism: 'only applicable to array parameter'",
    ("query", "pipeDelimited", False, "object"): "crashes Prism: 'only applicable to array parameter'",
}


def case_id(case: tuple[str, str, bool, str]) -> str:
    location, style, explode, kind = case
    return f"{location}-{style}-{'explode' if explode else 'plain'}-{kind}"


def styles_spec(version: str = "3.0.3", *, everything: bool = False) -> dict[str, Any]:
    """One GET per case (those Prism can validate unless `everything`); the path names the case."""
    paths: dict[str, Any] = {}
    for case in CASES:
        if case in PRISM_CANNOT and not everything:
            continue
        location, style, explode, kind = case
        name = NAMES[location]
        path = f"/{case_id(case)}" + ("/{p}" if location == "path" else "")
        paths[path] = {"get": {
            "operationId": case_id(case),
            "parameters": [{"name": name, "in": location, "required": True, "style": style, "explode": explode,
                            "schema": TYPES[kind]}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}, "example": {"ok": True}}}}}}}
    return {"openapi": version, "info": {"title": "styles", "version": "1"},
            "servers": [{"url": "http://localhost"}], "paths": paths}


SPEC_TABLE = {  # OAS §4.8.12.4's table, with r=5, g=6 and [5, 6]
    ("path", "simple", False, "array"): "5,6", ("path", "simple", False, "object"): "r,5,g,6",
    ("path", "simple", True, "array"): "5,6", ("path", "simple", True, "object"): "r=5,g=6",
    ("path", "label", False, "array"): ".5,6", ("path", "label", False, "object"): ".r,5,g,6",
    ("path", "label", True, "object"): ".r=5.g=6",
    ("path", "matrix", False, "array"): ";p=5,6", ("path", "matrix", False, "object"): ";p=r,5,g,6",
    ("query", "spaceDelimited", False, "array"): "q=5 6", ("query", "spaceDelimited", False, "object"): "q=r 5 g 6",
    ("query", "pipeDelimited", False, "object"): "q=r|5|g|6",
}


@pytest.mark.parametrize("case", list(PRISM_CANNOT), ids=case_id)
def test_cases_prism_cannot_validate_follow_the_spec_table(case: tuple[str, str, bool, str]) -> None:
    """What Prism 5.14 cannot take (see PRISM_CANNOT) is still serialized as OAS §4.8.12.4's table says."""
    location, style, explode, kind = case
    value = {"primitive": 5, "array": [5, 6], "object": {"r": 5, "g": 6}}[kind]
    pairs = serialize(NAMES[location], value, location, style, explode)  # type: ignore[arg-type]
    wire = pairs[0][1] if location == "path" else "&".join(f"{n}={v}" for n, v in pairs)
    assert wire == SPEC_TABLE[case]


def test_default_explode_for_form_objects() -> None:
    """Prism reads an absent `explode` as false; the spec's default for `form` is true (OAS §4.8.12.2)."""
    assert serialize("q", {"r": 5, "g": 6}, "query") == [("r", "5"), ("g", "6")]


def test_imported_style_requests_carry_the_styles(tmp_path: Path) -> None:
    """The importer serializes by style: path variables, query rows, headers and cookies."""
    spec = tmp_path / "styles.json"
    spec.write_text(json.dumps(styles_spec(everything=True)))
    requests = {r.meta["operationId"]: r for r in import_openapi(spec).collection.all_requests()}
    matrix = requests["path-matrix-explode-object"]
    assert matrix.url == "{{baseUrl}}/path-matrix-explode-object/{p}"
    assert [(v.name, v.value) for v in matrix.path_variables] == [("p", ";r=5;g=5")]
    assert requests["path-simple-explode-object"].path_variables[0].value == "r=5,g=5"
    assert requests["path-label-explode-array"].path_variables[0].value == ".5.5"
    assert [(p.name, p.value) for p in requests["query-deepObject-explode-object"].params] == \
        [("q[r]", "5"), ("q[g]", "5")]
    assert [(p.name, p.value) for p in requests["query-pipeDelimited-plain-array"].params] == [("q", "5|5")]
    assert [(h.name, h.value) for h in requests["header-simple-explode-object"].headers
            if h.name == "x-h"] == [("x-h", "r=5,g=5")]
    assert [h.value for h in requests["cookie-form-explode-array"].headers if h.name == "Cookie"] == ["c=5; c=5"]


def test_prism_accepts_every_style_in_every_location(tmp_path: Path) -> None:
    """Issue 17: each style request, sent as imported, passes Prism's validation (OAS 3.0 and 3.1)."""
    specs = []
    for version in ("3.0.3", "3.1.0"):
        spec = tmp_path / f"styles-{version}.json"
        spec.write_text(json.dumps(styles_spec(version)))
        specs.append(spec)

    async def both() -> list[Any]:
        return list(await asyncio.gather(*(run_spec(Target(s.name, s, s)) for s in specs)))

    runs = asyncio.run(both())
    for run in runs:  # Prism's reasons for a refusal (its 422 validation messages), then any other failure
        print(f"\n{run.spec}: {run.ok}/{run.sent} accepted by Prism"
              + "".join(f"\n  {f}" for f in run.refusals + run.failures))
    for run in runs:
        assert run.sent == len(CASES) - len(PRISM_CANNOT)
        assert run.ok == run.sent, f"{run.spec}: Prism refused:\n" + "\n".join(run.refusals + run.failures)
