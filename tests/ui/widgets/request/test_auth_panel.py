"""The Auth panel clicked through with qtbot; token work runs on the qasync loop.

The OAuth 2.0 flows (discovery, token requests, errors, cancel) are in test_oauth2_form.py.
"""

from __future__ import annotations

import peers
import pytest

from workbench.core.collections import Auth
from workbench.core.sending.send import SendContext
from workbench.ui.widgets.request.auth_panel import AuthPanel


@pytest.mark.parametrize("auth", [
    Auth("none"),
    Auth("basic", {"username": "u", "password": "p:w"}),
    Auth("bearer", {"token": "t"}),
    Auth("bearer", {"token": "t", "prefix": "Token"}),
    Auth("apikey", {"name": "Authorization", "value": "k", "in": "header"}),
    Auth("apikey", {"name": "api_key", "value": "{{key}}", "in": "query"}),
    Auth("apikey", {"name": "sid", "value": "v", "in": "cookie"}),
    Auth("oauth2", {"grant_type": "password", "client_auth": "body", "token_url": "http://t/token",
                    "client_id": "c", "client_secret": "s", "username": "u", "password": "p", "scope": "a b",
                    "audience": "aud", "resource": "urn:r", "extra": "x=1", "header_prefix": "JWT"}),
    Auth("oauth2", {"grant_type": "authorization_code", "client_auth": "basic", "discovery_url": "http://i",
                    "client_id": "c", "redirect_port": "8765", "auth_url": "http://i/authorize"}),
    Auth("oauth2", {"grant_type": "client_credentials", "client_auth": "basic-unencoded", "token_url": "http://t",
                    "custom_from_import": "kept"}),
])
def test_round_trip(panel: AuthPanel, auth: Auth) -> None:
    panel.set_auth(auth)
    assert panel.to_model() == auth


def test_inherit_shows_what_and_from_where(panel: AuthPanel) -> None:
    panel.set_auth(Auth("inherit"), Auth("apikey", {"name": "X-Key", "value": "SECRET"}), "collection Shop")
    assert panel.to_model() == Auth("inherit")
    text = panel.inherit_label.text()
    assert "collection Shop" in text and "API key in header 'X-Key'" in text and "SECRET" not in text
    assert panel.token_bar.isHidden()


def test_edits_emit_changed_and_fields_follow_grant(choose, panel: AuthPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.set_auth(Auth("basic", {"username": "a"}))
    with qtbot.waitSignal(panel.changed, timeout=1000):
        qtbot.keyClicks(panel.basic_user, "b")
    assert panel.to_model().params["username"] == "ab"
    choose(panel.type_combo, "oauth2")
    form = panel.oauth2
    choose(form.grant_combo, "password")
    assert form.oauth_username.isVisible() and not form.auth_url.isVisible()
    choose(form.grant_combo, "authorization_code")
    assert form.auth_url.isVisible() and form.redirect_port.isVisible() and not form.oauth_username.isVisible()
    labels = [form.client_auth.itemText(i) for i in range(form.client_auth.count())]
    assert labels == ["Send as Basic Auth header", "Send client credentials in body",
                      "Basic header, unencoded (servers that ignore RFC 6749 §2.3.1)"]
    assert form.client_auth.currentData() == "basic"  # the default


def test_secret_store_label_is_visible(panel: AuthPanel) -> None:
    assert panel.store_label.isVisible() and "memory only" in panel.store_label.text()


def test_inherited_oauth2_gets_token_from_panel(click, panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                oauth_mock: peers.Peer) -> None:
    inherited = Auth("oauth2", {"grant_type": "password", "discovery_url": oauth_mock.url, "client_id": "app",
                                "username": "{{user}}", "password": "pw"})
    panel.set_context(SendContext(overrides={"user": "alice"}))
    panel.set_auth(Auth("inherit"), inherited, "folder Orders")
    assert not panel.token_bar.isHidden()
    click(panel, panel.oauth2.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None
    assert '"sub": "alice"' in panel.oauth2.jwt_text.toPlainText()
    assert "Refresh token: yes" in panel.oauth2.status_label.text()


def test_an_undefined_variable_stops_the_token_button_and_clears_the_old_token(click,   # type: ignore[no-untyped-def]
        panel: AuthPanel, qtbot, qasync_loop, oauth_mock: peers.Peer) -> None:
    """Issue 12: the button names the variable instead of sending `{{user}}` to the token server."""
    inherited = Auth("oauth2", {"grant_type": "password", "discovery_url": oauth_mock.url, "client_id": "app",
                                "username": "{{user}}", "password": "pw"})
    panel.set_context(SendContext(overrides={"user": "alice"}))
    panel.set_auth(Auth("inherit"), inherited, "folder Orders")
    click(panel, panel.oauth2.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.current_token() is not None
    panel.set_context(SendContext())
    click(panel, panel.oauth2.get_token_button)
    error = panel.last_error()
    assert error is not None and "{{user}} is not defined, so the token request was not sent" in error.message
    assert panel.current_token() is None and panel.oauth2.jwt_text.toPlainText() == ""


def _oauth2_request(window) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    path = Path(window.workspace_root) / "Getting started" / "Auth" / "OAuth2.yaml"
    path.write_text("name: OAuth2\nmethod: GET\nurl: http://h/\nauth:\n  type: oauth2\n  grant_type: password\n"
                    "  token_url: http://h/token\n  client_id: app\n  username: u\n  password: p\n", encoding="utf-8")
    window.reload_workspace()


@pytest.mark.parametrize("size", [(1400, 900), (1024, 700)])
def test_token_actions_are_in_sight_without_scrolling(main_window, qtbot, size) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: "Get new access token" sits above the one scrolling area, inside the window."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QScrollArea

    main_window.resize(*size)
    _oauth2_request(main_window)
    editor = main_window.open_request("Getting started", "Auth/OAuth2.yaml")
    assert editor is not None
    editor.sections.setCurrentIndex(editor.sections.indexOf(editor._auth_page))
    qtbot.waitUntil(lambda: editor.auth.oauth2.get_token_button.isVisible(), timeout=3000)
    panel = editor.auth
    window_rect = QRect(QPoint(0, 0), main_window.size())
    for button in (panel.oauth2.get_token_button, panel.oauth2.copy_button, panel.oauth2.clear_button):
        rect = QRect(button.mapTo(main_window, QPoint(0, 0)), button.size())
        assert window_rect.contains(rect), (button.text(), rect)
        assert button.visibleRegion().boundingRect().size() == button.size(), button.text()  # not clipped
        parent, scrolls = button.parentWidget(), 0
        while parent is not None:
            scrolls += isinstance(parent, QScrollArea)
            parent = parent.parentWidget()
        assert scrolls == 0, button.text()  # not inside a scroll area at all
    # The fields below scroll in exactly one scroll area (no nested one from the request tab).
    parent, scrolls = panel.oauth2.client_id.parentWidget(), 0
    while parent is not None:
        scrolls += isinstance(parent, QScrollArea)
        parent = parent.parentWidget()
    assert scrolls == 1


def test_show_secret_toggle_has_a_visible_eye_in_both_themes(panel: AuthPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLineEdit

    from workbench.ui import icons
    from workbench.ui.palette import DARK, LIGHT

    edit = panel.basic_password
    action = edit.actions()[0]
    assert not action.icon().isNull()
    edit.setText("hunter2")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    first = action.icon().pixmap(16, 16).toImage()
    action.trigger()
    assert edit.echoMode() == QLineEdit.EchoMode.Normal and action.toolTip() == "Hide the value"
    assert action.icon().pixmap(16, 16).toImage() != first  # eye-off while shown
    action.trigger()
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    for palette in (LIGHT, DARK):
        background = QColor(palette.base).lightnessF()
        for name in ("eye", "eye-off"):
            image = icons._icon(name, palette).pixmap(16, 16).toImage()
            inked = [QColor.fromRgba(image.pixel(x, y)) for x in range(16) for y in range(16)
                     if QColor.fromRgba(image.pixel(x, y)).alpha() > 200]
            assert inked, (palette.name, name)
            # The strokes stand out from the field's background (WCAG-ish lightness gap).
            assert max(abs(c.lightnessF() - background) for c in inked) > 0.3, (palette.name, name)
