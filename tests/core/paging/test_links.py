"""Where the next page is: OData v4/v2 next links, RFC 8288 `Link`, and bodies that name it."""

from __future__ import annotations

from workbench.core.paging.links import (
    NextLink,
    body_next,
    header_next,
    parse_link_header,
)

BASE = "http://h/api/items?page=1"


def test_odata_v4_relative_to_the_service_root_and_v2() -> None:
    root = "http://h/odata/v4/cases"
    payload = {"@odata.nextLink": "PagedTasks?%24skiptoken=10", "value": [1, 2]}
    got = body_next(payload, f"{root}/Users(1)/tasks", root)
    assert got == NextLink(f"{root}/PagedTasks?%24skiptoken=10", "@odata.nextLink")  # never re-encoded
    v2 = {"d": {"results": [], "__next": "http://h/V2/Orders?$skiptoken=10248"}}
    assert body_next(v2, "http://h/V2/Orders") == NextLink("http://h/V2/Orders?$skiptoken=10248", "d.__next")
    # An OData page without a next link is the last one.
    assert body_next({"@odata.context": "$metadata#X", "value": []}, BASE) == NextLink("", "@odata.nextLink")


def test_bodies_that_name_their_next_page() -> None:
    frends = {"data": [], "paging": {"currentPage": 1, "nextPage": "http://h/api?PageNumber=2&PageSize=30"}}
    assert body_next(frends, BASE) == NextLink("http://h/api?PageNumber=2&PageSize=30", "paging.nextPage")
    assert body_next({"data": [], "paging": {"nextPage": None}}, BASE) == NextLink("", "paging.nextPage")
    assert body_next({"results": [], "next": "?page=2"}, BASE).url == "http://h/api/items?page=2"  # type: ignore[union-attr]
    assert body_next({"results": [], "next": None}, BASE) == NextLink("", "next")
    assert body_next({"links": {"next": "/api/items?page[number]=2"}}, BASE).url == \
        "http://h/api/items?page[number]=2"  # type: ignore[union-attr]
    assert body_next({"links": {"next": {"href": "http://h/x?p=2"}}}, BASE).url == "http://h/x?p=2"  # type: ignore[union-attr]
    assert body_next({"_links": {"next": {"href": "/hal?page=2"}}}, BASE).url == "http://h/hal?page=2"  # type: ignore[union-attr]


def test_what_is_not_a_next_link() -> None:
    assert body_next({"next": "b64cursor=="}, BASE) is None  # an opaque cursor, not a URL
    assert body_next({"next": True}, BASE) is None
    assert body_next({"data": [1]}, BASE) is None
    assert body_next([{"a": 1}], BASE) is None
    assert body_next({"next": "http://h/" + "x" * 20000}, BASE) is None


def test_rfc8288_link_header() -> None:
    value = ('<https://api.github.com/repos/a/b/issues?page=2>; rel="next", '
             '<https://api.github.com/repos/a/b/issues?page=5,6>; rel="last first", <x>;rel=prev')
    assert parse_link_header(value) == [
        ("https://api.github.com/repos/a/b/issues?page=2", frozenset({"next"})),
        ("https://api.github.com/repos/a/b/issues?page=5,6", frozenset({"last", "first"})),
        ("x", frozenset({"prev"})),
    ]
    headers = (("Content-Type", "application/json"), ("link", '</items?page=3>; title="a, b"; rel="next"'))
    assert header_next(headers, BASE) == NextLink("http://h/items?page=3", "Link header")
    assert header_next((("Link", '<http://h/?page=1>; rel="prev"'),), BASE) is None
