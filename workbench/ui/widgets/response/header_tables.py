"""The Headers and Cookies tabs: a response's header lines, and its Set-Cookie headers taken apart.

Cookies get a tab of their own because a Set-Cookie line packs a name, a value and up to six
attributes (RFC 6265 §4.1) into one string that is hard to read in a header table.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

__all__ = ["CookieTable", "HeaderTable", "parse_set_cookie"]

_COOKIE_COLUMNS = ["Name", "Value", "Domain", "Path", "Expires", "Secure", "HttpOnly", "SameSite"]
_COOKIE_KEYS = ["name", "value", "domain", "path", "expires", "secure", "httponly", "samesite"]


def parse_set_cookie(value: str) -> dict[str, str]:
    """One Set-Cookie header (RFC 6265 §4.1) as name, value and attributes."""
    first, *attrs = value.split(";")
    name, _, cookie_value = first.partition("=")
    out = {"name": name.strip(), "value": cookie_value.strip(), "domain": "", "path": "", "expires": "",
           "secure": "", "httponly": "", "samesite": ""}
    for attr in attrs:
        key, _, val = attr.strip().partition("=")
        low = key.lower()
        if low in ("domain", "path", "expires", "samesite"):
            out[low] = val.strip()
        elif low == "max-age":
            out["expires"] = f"max-age {val.strip()} s"
        elif low in ("secure", "httponly"):
            out[low] = "yes"
    return out


class _ReadOnlyTable(QTableWidget):
    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)


class HeaderTable(_ReadOnlyTable):
    """One row per header line, in the order received (repeated names stay separate rows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["Header", "Value"], parent)

    def show_headers(self, headers: tuple[tuple[str, str], ...]) -> None:
        self.setRowCount(len(headers))
        for row, (name, value) in enumerate(headers):
            self.setItem(row, 0, QTableWidgetItem(name))
            item = QTableWidgetItem(value)
            item.setToolTip(value[:2000])
            self.setItem(row, 1, item)
        self.resizeColumnToContents(0)


class CookieTable(_ReadOnlyTable):
    """One row per Set-Cookie header: the cookie and its attributes in columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_COOKIE_COLUMNS, parent)

    def show_cookies(self, headers: tuple[tuple[str, str], ...]) -> int:
        """Fill from the Set-Cookie lines of `headers`; returns how many there were."""
        cookies = [parse_set_cookie(v) for k, v in headers if k.lower() == "set-cookie"]
        self.setRowCount(len(cookies))
        for row, cookie in enumerate(cookies):
            for col, key in enumerate(_COOKIE_KEYS):
                self.setItem(row, col, QTableWidgetItem(cookie[key]))
        return len(cookies)
