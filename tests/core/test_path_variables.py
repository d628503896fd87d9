"""Path variables (issue 14): `{name}` placeholders, their rows in the request YAML, and filling at send time."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.codegen.model import build
from workbench.core.collections import Collection, KeyValue, Request
from workbench.core.path_variables import (
    encode_path_value,
    fill_path,
    placeholder_names,
    rows_for,
)
from workbench.core.sending.prepare import prepare
from workbench.core.workspace import storage


def test_placeholders_are_single_braces_in_the_path_only() -> None:
    """`{{var}}` is a variable, `{id}` a placeholder; the query is not a template."""
    url = "{{baseUrl}}/v1/{name}:cancel/{a}.{b}/{name}?q={x}"
    assert placeholder_names(url) == ["name", "a", "b"]
    assert placeholder_names("{{a}}{b}") == ["b"]
    assert placeholder_names("http://h/{{x}}/plain") == []


def test_rows_follow_the_url_and_keep_known_values() -> None:
    """Editing the URL adds rows for new placeholders and drops rows whose placeholder is gone."""
    rows = (KeyValue("petId", "7", True, "the pet"), KeyValue("old", "x"))
    assert rows_for("/pets/{petId}/photos/{photoId}", rows) == (KeyValue("petId", "7", True, "the pet"),
                                                                 KeyValue("photoId", ""))


@pytest.mark.parametrize(("value", "wire"), [
    ("a b", "a%20b"),                 # space
    ("a/b?c#d", "a%2Fb%3Fc%23d"),     # gen-delims would change the path's shape
    (";id=5,r=1.x:y@z", ";id=5,r=1.x:y@z"),  # sub-delims are the styles' separators: kept
    ("100%", "100%25"),               # a lone % is data
    ("a%20b", "a%20b"),               # an existing %XX stays (no double encoding)
    ("ü", "%C3%BC"),
    ("{x}", "%7Bx%7D"),
])
def test_values_are_encoded_as_path_text(value: str, wire: str) -> None:
    """RFC 3986 §3.3: a path value may hold pchar; anything else is percent-encoded."""
    assert encode_path_value(value) == wire


def test_fill_resolves_variables_in_values_and_reports_unfilled() -> None:
    values = {"v": "x"}
    url, missing = fill_path("http://h/{a}/{b}/{c}", {"a": "{{v}}/1"}, lambda t: t.replace("{{v}}", values["v"]))
    assert url == "http://h/x%2F1/{b}/{c}" and missing == {"b", "c"}


def test_prepare_substitutes_encoded_values_and_resolves_variables() -> None:
    """Send time: `{{x}}` in a value resolved from the context's variables, the result encoded."""
    request = Request("R", "GET", "{{base}}/pets/{petId}/{label}", params=(KeyValue("q", "1"),),
                      path_variables=(KeyValue("petId", "{{pet}} 2"), KeyValue("label", ".a.b")))
    prepared = prepare(request, variables={"base": "http://h", "pet": "a/b"})
    assert prepared.url == "http://h/pets/a%2Fb%202/.a.b?q=1"
    assert not prepared.missing_variables


def test_placeholder_without_row_uses_a_variable_else_is_refused() -> None:
    """Older requests (and `--var petId=5`) fill `{petId}` from a variable; without one the send refuses."""
    request = Request("R", "GET", "http://h/pets/{petId}")
    assert prepare(request, variables={"petId": "5"}).url == "http://h/pets/5"
    assert prepare(request, variables={}).missing_variables == frozenset({"petId"})
    empty = Request("R", "DELETE", "http://h/pets/{petId}", path_variables=(KeyValue("petId", ""),))
    assert prepare(empty, variables={}).missing_variables == frozenset({"petId"})  # never DELETE /pets/


def test_codegen_sees_the_final_url() -> None:
    """Generated code goes through `prepare`: it calls the filled URL, not `{petId}`."""
    request = Request("R", "GET", "http://h/pets/{petId}", path_variables=(KeyValue("petId", "7"),))
    assert build(request, Collection("C")).url == "http://h/pets/7"


def test_request_yaml_round_trip_and_old_files(tmp_path: Path) -> None:
    """Rows are written after `url` (diff-friendly); a file without them still loads."""
    request = Request("R", "GET", "{{baseUrl}}/pets/{petId}",
                      path_variables=(KeyValue("petId", "{{id}}", True, "the pet"),))
    data = storage.request_to_yaml(request)
    assert list(data)[:4] == ["name", "method", "url", "path_variables"]
    assert data["path_variables"] == [{"name": "petId", "value": "{{id}}", "description": "the pet"}]
    assert storage.request_from_yaml(data).path_variables == request.path_variables
    old = storage.request_from_yaml({"name": "R", "method": "GET", "url": "{{baseUrl}}/pets/{{petId}}"})
    assert old.path_variables == () and old.url == "{{baseUrl}}/pets/{{petId}}"
