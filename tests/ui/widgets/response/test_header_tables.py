"""The Headers and Cookies tables, and Set-Cookie parsing (RFC 6265 §4.1)."""

from __future__ import annotations

from workbench.ui.widgets.response.header_tables import (
    CookieTable,
    HeaderTable,
    parse_set_cookie,
)


def test_set_cookie_attributes_rfc_6265() -> None:
    """Attribute names are case-insensitive (§4.1.1); Max-Age is shown where Expires would be."""
    cookie = parse_set_cookie("id=a3fWa; Max-Age=2592000; domain=example.com; Secure; HTTPONLY; SameSite=Strict")
    assert cookie == {"name": "id", "value": "a3fWa", "domain": "example.com", "path": "", "expires": "max-age 2592000 s",
                      "secure": "yes", "httponly": "yes", "samesite": "Strict"}


def test_tables_show_every_header_line_and_only_set_cookie_as_cookies(qtbot) -> None:  # type: ignore[no-untyped-def]
    headers = (("Content-Type", "text/plain"), ("Set-Cookie", "a=1; Path=/"), ("set-cookie", "b=2"))
    table, cookies = HeaderTable(), CookieTable()
    qtbot.addWidget(table)
    qtbot.addWidget(cookies)
    table.show_headers(headers)
    assert table.rowCount() == 3 and table.item(2, 1).text() == "b=2"
    assert cookies.show_cookies(headers) == 2
    assert [cookies.item(r, 0).text() for r in range(2)] == ["a", "b"] and cookies.item(0, 3).text() == "/"
