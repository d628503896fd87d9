"""URL → query model, with error positions in the URL as typed (OData v4.01 Part 2 §5)."""

from __future__ import annotations

import re

import pytest

from workbench.core.errors import ODataQueryError
from workbench.core.odata.parser import decode_with_offsets, parse_filter, parse_url
from workbench.core.odata.query import (
    BinaryOp,
    Call,
    ExpandItem,
    KeyValue,
    Lambda,
    ListExpr,
    Literal,
    MemberPath,
    OrderItem,
    QueryOptions,
    Segment,
    SelectItem,
    UnaryOp,
    prop,
)

ROOT = "http://localhost/svc"


def f(text: str):  # noqa: ANN201 - test shorthand
    return parse_filter(text)


def test_service_root_and_entity_set() -> None:
    url = parse_url(f"{ROOT}/People?$top=2")
    assert url.service_root == ROOT
    assert url.segments == (Segment("People"),)
    assert url.options.top == 2


def test_service_root_heuristics() -> None:
    assert parse_url("http://h/Northwind/Northwind.svc/Orders(1)/Customer").service_root == "http://h/Northwind/Northwind.svc"
    assert parse_url("http://h/odata/v4/cases/Cases/$count").segments == (Segment("Cases"), Segment("$count"))
    url = parse_url("http://h/odata/v4/cases/Users(1)/cases")
    assert url.service_root == "http://h/odata/v4/cases"
    assert [s.name for s in url.segments] == ["Users", "cases"]
    # With metadata names the split is exact even without parentheses.
    url = parse_url("http://h/api/Me/Friends", resource_names={"Me"})
    assert url.service_root == "http://h/api" and [s.name for s in url.segments] == ["Me", "Friends"]
    # An explicit service root wins.
    url = parse_url("http://h/a/b/c", service_root="http://h/a")
    assert [s.name for s in url.segments] == ["b", "c"]


def test_leading_workbench_variable_acts_as_the_service_root() -> None:
    url = parse_url("{{serviceRoot}}/People('x')/Trips?$top=1")
    assert url.service_root == "{{serviceRoot}}" and [s.name for s in url.segments] == ["People", "Trips"]
    assert parse_url("{{host}}/odata/v4/cases/Cases").service_root == "{{host}}/odata/v4/cases"


def test_relative_url_as_in_batch_parts() -> None:
    url = parse_url("Customers?$top=1&$select=name")
    assert url.service_root == "" and url.segments == (Segment("Customers"),)
    assert url.options.select == (SelectItem(("name",)),)


def test_keys_single_named_composite_and_guid() -> None:
    assert parse_url(f"{ROOT}/Orders(1)").segments[0].key == (KeyValue("", Literal("int", "1")),)
    assert parse_url(f"{ROOT}/People('russell')").segments[0].key == (KeyValue("", Literal("string", "russell")),)
    seg = parse_url(f"{ROOT}/Labels(caseNo=1001,code='bug-0')").segments[0]
    assert seg.key == (KeyValue("caseNo", Literal("int", "1001")), KeyValue("code", Literal("string", "bug-0")))
    seg = parse_url(f"{ROOT}/Cases(ID=6513270e-269e-4d37-b2a7-4de452e6b438)").segments[0]
    assert seg.key == (KeyValue("ID", Literal("guid", "6513270e-269e-4d37-b2a7-4de452e6b438")),)


def test_key_string_with_slash_and_quote_does_not_split_the_path() -> None:
    url = parse_url(f"{ROOT}/Files('a/b''c')/$value")
    assert url.segments == (Segment("Files", key=(KeyValue("", Literal("string", "a/b'c")),)), Segment("$value"))


def test_function_call_segments_and_navigation() -> None:
    url = parse_url(f"{ROOT}/People('x')/Ns.GetFavoriteAirline()")
    assert url.segments[1] == Segment("Ns.GetFavoriteAirline", arguments=())
    url = parse_url(f"{ROOT}/GetNearestAirport(lat=33,lon=-118)", resource_names={"GetNearestAirport"})
    assert url.segments[0].key == (KeyValue("lat", Literal("int", "33")), KeyValue("lon", Literal("int", "-118")))


def test_composite_key_needs_names() -> None:
    with pytest.raises(ODataQueryError, match="composite key"):
        parse_url(f"{ROOT}/Labels(1,'x')")


def test_comparison_operators() -> None:
    for op in ("eq", "ne", "gt", "ge", "lt", "le"):
        assert f(f"Price {op} 5") == BinaryOp(op, prop("Price"), Literal("int", "5"))
    assert f("Style has Ns.Color'Red'") == BinaryOp("has", prop("Style"), Literal("enum", "Red", type_name="Ns.Color"))
    assert f("City in ('Oslo','Rome')") == BinaryOp("in", prop("City"), ListExpr(
        (Literal("string", "Oslo"), Literal("string", "Rome"))))


def test_precedence_and_over_or_and_arithmetic() -> None:
    # a or b and c  ==  a or (b and c)
    e = f("A eq 1 or B eq 2 and C eq 3")
    assert isinstance(e, BinaryOp) and e.op == "or" and e.right.op == "and"  # type: ignore[union-attr]
    # mul binds tighter than add, add tighter than gt
    e = f("Price add 2 mul 3 gt 10")
    assert e == BinaryOp("gt", BinaryOp("add", prop("Price"), BinaryOp("mul", Literal("int", "2"), Literal("int", "3"))),
                         Literal("int", "10"))
    # parentheses override
    e = f("(A eq 1 or B eq 2) and C eq 3")
    assert e.op == "and" and e.left.op == "or"  # type: ignore[union-attr]
    for op in ("sub", "div", "divby", "mod"):
        assert f(f"X {op} 2 eq 1").left.op == op  # type: ignore[union-attr]


def test_not_and_negation() -> None:
    assert f("not contains(Name,'x')") == UnaryOp("not", Call("contains", (prop("Name"), Literal("string", "x"))))
    assert f("not (A eq 1)") == UnaryOp("not", BinaryOp("eq", prop("A"), Literal("int", "1")))
    assert f("-Price lt -5") == BinaryOp("lt", UnaryOp("-", prop("Price")), Literal("int", "-5"))


def test_typed_literals_v4() -> None:
    assert f("D eq 2025-01-31").right == Literal("date", "2025-01-31")  # type: ignore[union-attr]
    assert f("T ge 2025-02-02T01:15:00Z").right == Literal("datetimeoffset", "2025-02-02T01:15:00Z")  # type: ignore[union-attr]
    assert f("T ge 2025-02-02T01:15:00.123+01:00").right.text == "2025-02-02T01:15:00.123+01:00"  # type: ignore[union-attr]
    assert f("S gt 12:30:00").right == Literal("timeofday", "12:30:00")  # type: ignore[union-attr]
    assert f("G eq 6513270e-269e-4d37-b2a7-4de452e6b438").right.kind == "guid"  # type: ignore[union-attr]
    assert f("D eq duration'P1DT2H'").right == Literal("duration", "P1DT2H", prefix="duration")  # type: ignore[union-attr]
    assert f("X eq 1.5").right == Literal("decimal", "1.5")  # type: ignore[union-attr]
    assert f("X eq 1.5e3").right == Literal("double", "1.5e3")  # type: ignore[union-attr]
    assert f("X eq INF or X eq -INF or X eq NaN").right.right == Literal("double", "NaN")  # type: ignore[union-attr]
    assert f("B eq true and N eq null").right.right == Literal("null", "null")  # type: ignore[union-attr]
    assert f("B eq binary'aGk'").right == Literal("binary", "aGk", prefix="binary")  # type: ignore[union-attr]


def test_v2_typed_literals() -> None:
    e = f("OrderDate gt datetime'1997-01-01T00:00:00' and ID eq guid'6513270e-269e-4d37-b2a7-4de452e6b438'")
    assert e.left.right == Literal("datetime", "1997-01-01T00:00:00", prefix="datetime")  # type: ignore[union-attr]
    assert e.right.right == Literal("guid", "6513270e-269e-4d37-b2a7-4de452e6b438", prefix="guid")  # type: ignore[union-attr]
    assert f("Freight gt 10.5M").right == Literal("decimal", "10.5", suffix="M")  # type: ignore[union-attr]
    assert f("Big eq 5L").right == Literal("int", "5", suffix="L")  # type: ignore[union-attr]
    assert f("W eq 1.5d").right == Literal("double", "1.5", suffix="d")  # type: ignore[union-attr]
    assert f("T eq time'PT13H20M'").right == Literal("time", "PT13H20M", prefix="time")  # type: ignore[union-attr]
    assert f("substringof('a',ShipName)") == Call("substringof", (Literal("string", "a"), prop("ShipName")))


def test_string_quote_escaping() -> None:
    assert f("Name eq 'O''Neil'").right == Literal("string", "O'Neil")  # type: ignore[union-attr]
    assert f("Name eq ''''").right == Literal("string", "'")  # type: ignore[union-attr]
    assert f("Name eq ''").right == Literal("string", "")  # type: ignore[union-attr]


def test_functions() -> None:
    for name in ("contains", "startswith", "endswith", "indexof", "concat"):
        assert f(f"{name}(Name,'x') eq true").left == Call(name, (prop("Name"), Literal("string", "x")))  # type: ignore[union-attr]
    for name in ("length", "tolower", "toupper", "trim", "year", "month", "day", "hour", "minute", "second",
                 "fractionalseconds", "date", "time", "round", "floor", "ceiling"):
        assert f(f"{name}(X) eq 1").left == Call(name, (prop("X"),))  # type: ignore[union-attr]
    assert f("substring(Name,1,2) eq 'ab'").left.args[2] == Literal("int", "2")  # type: ignore[union-attr]
    assert f("OpenedAt lt now()").right == Call("now")  # type: ignore[union-attr]
    assert f("cast(Price,Edm.String) eq '1'").left == Call("cast", (prop("Price"), prop("Edm.String")))  # type: ignore[union-attr]
    assert f("isof(Ns.Special)") == Call("isof", (prop("Ns.Special"),))
    assert f("geo.distance(Loc,geography'POINT(1 2)') lt 5").left.name == "geo.distance"  # type: ignore[union-attr]


def test_function_arity_is_checked() -> None:
    with pytest.raises(ODataQueryError, match="contains\\(\\) takes 2 arguments, got 1") as err:
        parse_url(f"{ROOT}/People?$filter=contains(Name)")
    assert err.value.position == len(f"{ROOT}/People?$filter=")


def test_lambda_any_all_and_nested_variables() -> None:
    e = f("tasks/any(t:t/done eq true and t/effort ge 2.5)")
    assert isinstance(e, Lambda) and e.operator == "any" and e.variable == "t"
    assert e.path == prop("tasks")
    assert e.predicate == BinaryOp("and", BinaryOp("eq", prop("t/done"), Literal("bool", "true")),
                                   BinaryOp("ge", prop("t/effort"), Literal("decimal", "2.5")))
    assert f("tasks/any()") == Lambda(prop("tasks"), "any")
    e = f("Orders/all(o: o/Items/any(i: i/Qty gt $it/Min))")
    assert isinstance(e, Lambda) and e.operator == "all"
    assert e.predicate.predicate.right == prop("$it/Min")  # type: ignore[union-attr]


def test_member_paths_count_and_alias() -> None:
    assert f("owner/city eq 'Oslo'").left == prop("owner/city")  # type: ignore[union-attr]
    assert f("tasks/$count gt 2").left == MemberPath(("tasks", "$count"))  # type: ignore[union-attr]
    url = parse_url(f"{ROOT}/People?$filter=Name eq @n&@n='x'")
    assert url.options.filter.right.name == "n"  # type: ignore[union-attr]
    assert url.options.custom == (("@n", "'x'"),)


def test_select_expand_orderby() -> None:
    url = parse_url(f"{ROOT}/Cases?$select=ID,title,owner/city&$orderby=length(title) desc,caseNo asc,priority"
                    "&$expand=tasks($select=ID,name;$filter=done eq false;$orderby=ID desc;$top=2;$skip=1;$count=true;"
                    "$expand=assignee($select=city;$levels=2)),owner/$ref")
    o = url.options
    assert o.select == (SelectItem(("ID",)), SelectItem(("title",)), SelectItem(("owner", "city")))
    assert o.orderby == (OrderItem(Call("length", (prop("title"),)), True), OrderItem(prop("caseNo")),
                         OrderItem(prop("priority")))
    tasks, owner = o.expand
    assert tasks.path == ("tasks",) and owner == ExpandItem(("owner",), suffix="$ref")
    assert tasks.options.select == (SelectItem(("ID",)), SelectItem(("name",)))
    assert tasks.options.filter == BinaryOp("eq", prop("done"), Literal("bool", "false"))
    assert (tasks.options.top, tasks.options.skip, tasks.options.count) == (2, 1, True)
    assert tasks.options.orderby == (OrderItem(prop("ID"), True),)
    assert tasks.options.expand[0].options.levels == 2


def test_expand_star_and_nested_search() -> None:
    url = parse_url(f"{ROOT}/People?$expand=*,Trips($search=\"big trip\";$levels=max)")
    star, trips = url.options.expand
    assert star.path == ("*",)
    assert trips.options.search == '"big trip"' and trips.options.levels == "max"


def test_verbatim_and_custom_options() -> None:
    url = parse_url(f"{ROOT}/Sales?$apply=groupby((Region),aggregate(Amount with sum as Total))&$format=json"
                    "&$skiptoken=abc&$search=blue OR green&$compute=Price mul 2 as P&sap-client=100")
    o = url.options
    assert o.apply == "groupby((Region),aggregate(Amount with sum as Total))"
    assert (o.format, o.skiptoken, o.search) == ("json", "abc", "blue OR green")
    assert o.others == (("$compute", "Price mul 2 as P"),)
    assert o.custom == (("sap-client", "100"),)


def test_percent_encoding_and_plus_as_space() -> None:
    raw = parse_url(f"{ROOT}/People?$filter=Name eq 'a b'")
    assert parse_url(f"{ROOT}/People?%24filter=Name%20eq%20%27a%20b%27") == raw
    assert parse_url(f"{ROOT}/People?$filter=Name+eq+'a+b'") == raw
    # %2B is a real plus, %26 a real ampersand inside the value
    url = parse_url(f"{ROOT}/People?$filter=Name eq 'a%2Bb%26c'")
    assert url.options.filter.right.text == "a+b&c"  # type: ignore[union-attr]
    # Non-ASCII, encoded as UTF-8
    url = parse_url(f"{ROOT}/People?$filter=City eq 'M%C3%BCnchen'")
    assert url.options.filter.right.text == "München"  # type: ignore[union-attr]


def test_decode_offsets_map_back_to_the_raw_text() -> None:
    text, offsets = decode_with_offsets("a%20b%C3%BCc+", 10)
    assert text == "a büc "
    assert offsets[:6] == [10, 11, 14, 15, 21, 22]
    text, offsets = decode_with_offsets("%zz+a%4", 0, plus_is_space=False)
    assert text == "%zz+a%4" and offsets == list(range(8))


def test_datetimeoffset_plus_typed_raw_survives() -> None:
    """A raw `+01:00` offset is decoded to a space by form rules; the lexer puts it back."""
    url = parse_url(f"{ROOT}/E?$filter=T gt 2025-01-01T00:00:00+01:00")
    assert url.options.filter.right == Literal("datetimeoffset", "2025-01-01T00:00:00+01:00")  # type: ignore[union-attr]


@pytest.mark.parametrize("query, message, at", [
    ("$filter=Name eq 'Scott", "Unterminated string", "'Scott"),
    ("$filter=Name eq", "ends too early", None),
    ("$filter=(Name eq 1", "Expected ')'", None),
    ("$filter=Name eq 1 Age", "Unexpected 'Age'", "Age"),
    ("$top=abc", "non-negative integer", "abc"),
    ("$top=-1", "non-negative integer", "-1"),
    ("$count=yes", "true or false", "yes"),
    ("$filter=foo(1) eq 2", "Unknown function 'foo'", "(1)"),
    ("$filter=Name eq Ns'x'", "Unknown typed literal prefix", "Ns'x'"),
    ("$expand=Trips($top=1", "or ')' after the $top value", None),
    ("$expand=Trips($top=1;$bogus", "Expected '='", None),
    ("$filter=A eq 1&$filter=B eq 2", "given twice", "$filter=B"),
    ("$filter=tasks/any(t t/done)", "Expected ':'", "t/done"),
    ("$select=", "has no value", None),
])
def test_errors_carry_the_position_in_the_typed_url(query: str, message: str, at: str | None) -> None:
    url = f"{ROOT}/People?{query}"
    with pytest.raises(ODataQueryError, match=re.escape(message)) as err:
        parse_url(url)
    position = err.value.position
    assert position is not None and 0 <= position <= len(url)
    if at is not None:
        assert url.index(at) == position, (url, position)


def test_error_position_accounts_for_percent_encoding() -> None:
    url = f"{ROOT}/People?$filter=Name%20eq%20%27x%27%20Bad"
    with pytest.raises(ODataQueryError) as err:
        parse_url(url)
    assert err.value.position == url.index("Bad")


def test_empty_url_is_an_error() -> None:
    with pytest.raises(ODataQueryError):
        parse_url("  ")


def test_empty_options_default() -> None:
    assert parse_url(f"{ROOT}/People").options == QueryOptions()
