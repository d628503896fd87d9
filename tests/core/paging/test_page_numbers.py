"""Page-number paging: the number is incremented in the URL as sent, until the server runs out."""

from __future__ import annotations

from workbench.core.paging.page_numbers import next_page_url, with_param


def test_with_param_changes_one_value_and_nothing_else() -> None:
    url = "http://h/a?%24filter=x%20eq%201&PageNumber=2&PageSize=30#frag"
    assert with_param(url, "PageNumber", "3") == "http://h/a?%24filter=x%20eq%201&PageNumber=3&PageSize=30#frag"
    assert with_param("http://h/a", "page", "2") == "http://h/a?page=2"


def test_frends_style_numbers_stop_at_a_short_page_or_the_last_page() -> None:
    url = "http://h/api?PageNumber=1&PageSize=2"
    got = next_page_url(url, [{"a": 1}, {"a": 2}], 2)
    assert got is not None and got.url == "http://h/api?PageNumber=2&PageSize=2" and got.same_request
    assert next_page_url(url, [{"a": 1}], 1).url == ""  # type: ignore[union-attr]  # short page
    assert next_page_url(url, [], 0).url == ""  # type: ignore[union-attr]
    # Frends' lastPage is a URL: its PageNumber is the last page.
    last = {"data": [{}, {}], "paging": {"lastPage": "http://h/api?PageNumber=1&PageSize=2"}}
    assert next_page_url(url, last, 2).url == ""  # type: ignore[union-attr]
    assert next_page_url(url, {"data": [{}, {}], "paging": {"totalCount": 2}}, 2).url == ""  # type: ignore[union-attr]
    assert next_page_url(url, {"data": [{}, {}], "hasMore": False}, 2).url == ""  # type: ignore[union-attr]


def test_page_and_per_page_from_the_body_and_the_first_page_length() -> None:
    body = {"page": 2, "per_page": 6, "total": 57, "total_pages": 10, "data": [{}] * 6}
    assert next_page_url("http://h/users?page=2", body, 6).url == "http://h/users?page=3"  # type: ignore[union-attr]
    # No page parameter in the URL: the body's `page` with a page total says how it pages.
    assert next_page_url("http://h/users", body, 6).url == "http://h/users?page=3"  # type: ignore[union-attr]
    assert next_page_url("http://h/users?page=10", {**body, "page": 10}, 6).url == ""  # type: ignore[union-attr]
    # No size in the URL: a page shorter than the first one is the last.
    assert next_page_url("http://h/x?page=4", [{}] * 3, 3, page_size_hint=5).url == ""  # type: ignore[union-attr]
    assert next_page_url("http://h/x", [{}] * 3, 3) is None  # not paged by number
    assert next_page_url("http://h/x?page=abc", [{}], 1) is None
