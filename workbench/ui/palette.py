"""The colours of the window, named for what they mean: one `Palette`, a light and a dark instance.

Every colour the UI draws comes from `current()`, read when a widget is built or painted, so a
dark theme is one more instance of the same names rather than a second set of widgets. The
values follow GitHub's Primer light and dark palettes (the look Postman and Insomnia users
already read without effort); in dark, foregrounds are the lighter Primer shades so text on
`base` keeps WCAG AA contrast. 4xx and 5xx badges differ in hue (amber vs red), so a client
error never reads as a server failure at a glance.
"""

from collections.abc import Iterator, Mapping
from typing import Literal, NamedTuple

ThemeName = Literal["light", "dark"]


class Palette(NamedTuple):
    """Named colours (`#rrggbb`) of one theme.

    A NamedTuple, not a frozen dataclass: it is defined before the first paint, and a dataclass
    of ~80 fields compiles its generated methods there (~4 ms); a NamedTuple compiles one. For
    the same reason this module has no `from __future__ import annotations`: NamedTuple would
    compile each of its ~80 string annotations.
    """

    name: ThemeName
    window: str          # window and dialog background
    base: str            # inputs, tables, editors
    alt_base: str        # gutters, header sections, quiet panels
    raised: str          # buttons
    hover: str           # a button under the mouse
    disabled_bg: str     # a disabled button's surface
    text: str            # body text
    muted: str           # secondary text (labels, hints)
    faint: str           # disabled and placeholder text
    border: str
    border_muted: str    # separators, disabled borders
    splitter: str
    accent: str          # focus, links, selection
    accent_text: str     # text on accent
    primary: str         # the Send button
    primary_hover: str
    primary_disabled: str
    tab_marker: str      # underline of the selected tab
    success: str
    info: str
    warning: str
    danger: str
    purple: str
    orange: str
    # banners: (background, text, border)
    info_bg: str
    warning_bg: str
    warning_text: str
    warning_border: str
    danger_bg: str
    danger_text: str
    danger_border: str
    info_text: str
    info_border: str
    # syntax highlighting (request bodies, response JSON/XML)
    syntax_key: str
    syntax_string: str
    syntax_number: str
    syntax_literal: str
    syntax_punct: str
    syntax_tag: str
    syntax_attr: str
    syntax_comment: str
    json_key: str        # keys in the response JSON viewer (orange in Primer)
    var_known: str
    var_known_bg: str
    var_unknown: str
    var_unknown_bg: str
    # method badges
    method_get: str
    method_post: str
    method_put: str
    method_patch: str
    method_delete: str
    method_other: str
    # status badges (text is `badge_text` on these)
    status_2xx: str
    status_3xx: str
    status_4xx: str
    status_5xx: str
    status_none: str
    badge_text: str
    # diagram
    node: str
    node_central: str
    node_border: str
    # icon recolouring: light source colour -> this theme's colour (SVGs are drawn for light)
    icon_colors: tuple[tuple[str, str], ...] = ()

    def method(self, method: str) -> str:
        """The colour of an HTTP method's badge."""
        return {
            "GET": self.method_get, "POST": self.method_post, "PUT": self.method_put,
            "PATCH": self.method_patch, "DELETE": self.method_delete,
        }.get(method.strip().upper(), self.method_other)

    def status(self, status: int) -> str:
        """Badge colour of a status code: green 2xx, blue 3xx, amber 4xx, red 5xx."""
        if status < 100:
            return self.status_none
        if status < 300:
            return self.status_2xx
        if status < 400:
            return self.status_3xx
        if status < 500:
            return self.status_4xx
        return self.status_5xx

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"


LIGHT = Palette(
    name="light",
    window="#f6f8fa", base="#ffffff", alt_base="#f6f8fa", raised="#f6f8fa", hover="#eef1f4", disabled_bg="#eaeef2",
    text="#1f2328", muted="#57606a", faint="#8c959f", border="#d0d7de", border_muted="#d8dee4",
    splitter="#e5e8eb", accent="#0969da", accent_text="#ffffff",
    primary="#1f6feb", primary_hover="#1a5fd0", primary_disabled="#8fb5f5", tab_marker="#fd8c73",
    success="#1a7f37", info="#0969da", warning="#9a6700", danger="#cf222e", purple="#8250df", orange="#bc4c00",
    info_bg="#ddf4ff", info_text="#0a3069", info_border="#54aeff",
    warning_bg="#fff8c5", warning_text="#4d2d00", warning_border="#d4a72c",
    danger_bg="#ffebe9", danger_text="#82071e", danger_border="#ff8182",
    syntax_key="#0550ae", syntax_string="#0a3069", syntax_number="#953800", syntax_literal="#8250df",
    syntax_punct="#57606a", syntax_tag="#116329", syntax_attr="#953800", syntax_comment="#6e7781",
    json_key="#953800",
    var_known="#1a7f37", var_known_bg="#dafbe1", var_unknown="#cf222e", var_unknown_bg="#ffebe9",
    method_get="#1a7f37", method_post="#9a6700", method_put="#0550ae", method_patch="#8250df",
    method_delete="#cf222e", method_other="#57606a",
    status_2xx="#1a7f37", status_3xx="#0550ae", status_4xx="#bc4c00", status_5xx="#cf222e",
    status_none="#57606a", badge_text="#ffffff",
    node="#ffffff", node_central="#ddf4ff", node_border="#8c959f",
)

DARK = Palette(
    name="dark",
    window="#161b22", base="#0d1117", alt_base="#161b22", raised="#21262d", hover="#30363d", disabled_bg="#161b22",
    text="#e6edf3", muted="#9198a1", faint="#6e7681", border="#30363d", border_muted="#21262d",
    splitter="#21262d", accent="#4493f8", accent_text="#ffffff",
    primary="#1f6feb", primary_hover="#388bfd", primary_disabled="#1c3a66", tab_marker="#f78166",
    success="#3fb950", info="#4493f8", warning="#d29922", danger="#f85149", purple="#ab7df8", orange="#f0883e",
    info_bg="#0c2d6b", info_text="#cae8ff", info_border="#1f6feb",
    warning_bg="#2e2210", warning_text="#f8e3a1", warning_border="#9e6a03",
    danger_bg="#3c1618", danger_text="#ffdcd7", danger_border="#da3633",
    syntax_key="#79c0ff", syntax_string="#a5d6ff", syntax_number="#ffa657", syntax_literal="#d2a8ff",
    syntax_punct="#9198a1", syntax_tag="#7ee787", syntax_attr="#ffa657", syntax_comment="#8b949e",
    json_key="#ffa657",
    var_known="#3fb950", var_known_bg="#12261e", var_unknown="#ff7b72", var_unknown_bg="#3c1618",
    method_get="#3fb950", method_post="#d29922", method_put="#58a6ff", method_patch="#bc8cff",
    method_delete="#f85149", method_other="#9198a1",
    status_2xx="#238636", status_3xx="#1f6feb", status_4xx="#bd561d", status_5xx="#da3633",
    status_none="#6e7681", badge_text="#ffffff",
    node="#161b22", node_central="#0c2d6b", node_border="#6e7681",
    icon_colors=(
        ("#57606a", "#9198a1"), ("#afb8c1", "#484f58"), ("#ffffff", "#0d1117"), ("#ddf4ff", "#0c2d6b"),
        ("#0969da", "#4493f8"), ("#1a7f37", "#3fb950"), ("#cf222e", "#f85149"), ("#eaeef2", "#30363d"),
        ("#8250df", "#ab7df8"), ("#bf8700", "#d29922"),
    ),
)

_current: Palette = LIGHT


def current() -> Palette:
    """The palette of the running theme (light until `theme.apply_theme` chooses)."""
    return _current


def set_current(palette: Palette) -> None:
    """Make `palette` the one widgets read (called by `theme.apply_theme`)."""
    global _current
    _current = palette


class _MethodColors(Mapping[str, str]):
    """`METHOD_COLORS[method]` read from the current palette (kept for callers of the old dict)."""

    _METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")

    def __getitem__(self, key: str) -> str:
        if key.upper() not in self._METHODS:
            raise KeyError(key)
        return current().method(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._METHODS)

    def __len__(self) -> int:
        return len(self._METHODS)


METHOD_COLORS: Mapping[str, str] = _MethodColors()


def status_color(status: int) -> str:
    """Colour of a status code badge in the current theme."""
    return current().status(status)
