"""Hypothesis against the OData parser and validator (issue 18): any text ends in a result or
ODataQueryError, never another exception. A fixed small budget keeps the suite fast."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_corpus import _csdl_json

from workbench.core.csdl.json_reader import parse_json
from workbench.core.errors import ODataQueryError
from workbench.core.odata.parser import parse_url
from workbench.core.odata.validate import check_url

MODEL = parse_json(_csdl_json(', "Name": {"$Type": "Edm.String", "$Nullable": true}'))
ATOMS = ["ID", "Name", "1", "-2.5", "'x'", "null", "true", "(", ")", " eq ", " and ", " or ", "not ", "-",
         ",", "/", "any(d:d eq 1)", "contains(Name,'a')", "$it", "@p", "{{", "}}", "%20", "%", "'", "$expand=",
         "$filter=", "&", ";", "=", "People", "Peple", "(1)", "$count", "$ref", "[", "]", "2024-01-01", " in "]
QUERY = st.lists(st.sampled_from(ATOMS), max_size=40).map("".join)
BUDGET = settings(max_examples=150, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])


@BUDGET
@given(path=st.sampled_from(["People", "Peple", "People(1)", "People/$count", "{{", ""]), query=QUERY)
def test_parse_and_check_end_in_a_result_or_a_query_error(path: str, query: str) -> None:
    url = f"http://h/svc/{path}?$filter={query}"
    for action in (lambda: parse_url(url), lambda: check_url(url, MODEL)):
        try:
            action()
        except ODataQueryError:
            pass


@BUDGET
@given(text=st.text(max_size=80))
def test_arbitrary_text_is_parsed_or_refused(text: str) -> None:
    for url in (text, f"http://h/svc/People?{text}", f"http://h/svc/{text}"):
        try:
            check_url(url, MODEL)
        except ODataQueryError:
            pass
