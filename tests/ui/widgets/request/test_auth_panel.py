"""The Auth panel clicked through with qtbot; token work runs on the qasync loop."""

from __future__ import annotations

import socket

import peers
import pytest
from PySide6.QtCore import Qt

from workbench.core.auth import oauth2
from workbench.core.collections import Auth
from workbench.ui.widgets.request.auth_panel import AuthPanel


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    oauth2.cache.clear_memory()


@pytest.fixture
def panel(qtbot) -> AuthPanel:  # type: ignore[no-untyped-def]
    widget = AuthPanel()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def _click(qtbot, panel: AuthPanel, button) -> None:  # type: ignore[no-untyped-def]
    """Click like a user: scroll the button into view first (Qt 6 delivers test clicks by position)."""
    panel.scroll_area.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(combo, data: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


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
    assert panel.token_box.isHidden()


def test_edits_emit_changed_and_fields_follow_grant(panel: AuthPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.set_auth(Auth("basic", {"username": "a"}))
    with qtbot.waitSignal(panel.changed, timeout=1000):
        qtbot.keyClicks(panel.basic_user, "b")
    assert panel.to_model().params["username"] == "ab"
    _choose(panel.type_combo, "oauth2")
    _choose(panel.grant_combo, "password")
    assert panel.oauth_username.isVisible() and not panel.auth_url.isVisible()
    _choose(panel.grant_combo, "authorization_code")
    assert panel.auth_url.isVisible() and panel.redirect_port.isVisible() and not panel.oauth_username.isVisible()
    labels = [panel.client_auth.itemText(i) for i in range(panel.client_auth.count())]
    assert labels == ["Send as Basic Auth header", "Send client credentials in body",
                      "Basic header, unencoded (servers that ignore RFC 6749 §2.3.1)"]
    assert panel.client_auth.currentData() == "basic"  # the default


def test_secret_store_label_is_visible(panel: AuthPanel) -> None:
    assert panel.store_label.isVisible() and "memory only" in panel.store_label.text()


def test_client_credentials_click_through(panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                          oidc_server: peers.Peer) -> None:
    _choose(panel.type_combo, "oauth2")
    _choose(panel.grant_combo, "client_credentials")
    qtbot.keyClicks(panel.discovery_url, oidc_server.url)
    _click(qtbot, panel, panel.discover_button)
    qtbot.waitUntil(lambda: bool(panel.token_url.text()) or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None, panel.last_error()
    assert panel.token_url.text() == f"{oidc_server.url}/token"
    assert "client_secret_basic" in panel.discovery_info.text()
    qtbot.keyClicks(panel.client_id, "basic-client")
    qtbot.keyClicks(panel.client_secret, "basic-secret")
    qtbot.keyClicks(panel.scope, "api")
    _click(qtbot, panel, panel.get_token_button)
    assert panel.is_busy() and not panel.get_token_button.isEnabled()
    with qtbot.waitSignal(panel.token_obtained, timeout=15000):
        pass
    assert panel.last_error() is None, panel.last_error()
    status = panel.status_label.text()
    assert "Token type: Bearer" in status and "Scopes: api" in status and "Expires in" in status
    assert panel.jwt_text.isVisible() and "signature not verified" in panel.jwt_text.toPlainText()
    assert '"client_id": "basic-client"' in panel.jwt_text.toPlainText()
    assert panel.get_token_button.isEnabled() and panel.copy_button.isEnabled()
    # The token is cached for this auth: a send through the same settings reuses it.
    assert oauth2.cached_token(panel.to_model()) == panel.current_token()
    model = panel.to_model()
    assert model.params["client_auth"] == "basic" and model.params["discovery_url"] == oidc_server.url


def test_body_client_auth_and_error_details(panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                            oidc_server: peers.Peer) -> None:
    panel.set_auth(Auth("oauth2", {"token_url": f"{oidc_server.url}/token", "client_id": "post-client",
                                   "client_secret": "wrong", "client_auth": "body"}))
    _click(qtbot, panel, panel.get_token_button)
    qtbot.waitUntil(lambda: panel.last_error() is not None, timeout=15000)
    assert panel.error_label.isVisible() and "invalid_client" in panel.error_label.text()
    assert "client authentication failed" in panel.error_label.text()
    assert panel.details_button.isVisible() and not panel.details_text.isVisible()
    _click(qtbot, panel, panel.details_button)
    assert panel.details_text.isVisible()
    assert "HTTP status 401" in panel.details_text.toPlainText()
    assert '"error":"invalid_client"' in panel.details_text.toPlainText()
    panel.client_secret.clear()
    qtbot.keyClicks(panel.client_secret, "post-secret")
    _click(qtbot, panel, panel.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None, timeout=15000)
    assert not panel.error_label.isVisible()


def test_cancel_a_hanging_token_request(panel: AuthPanel, qtbot, qasync_loop) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]
        panel.set_auth(Auth("oauth2", {"token_url": f"http://127.0.0.1:{port}/token", "client_id": "a",
                                       "client_secret": "b"}))
        _click(qtbot, panel, panel.get_token_button)
        qtbot.waitUntil(lambda: "Requesting" in panel.status_label.text(), timeout=15000)
        assert panel.cancel_button.isEnabled()
        first = panel._task
        _click(qtbot, panel, panel.cancel_button)
        assert "Cancelled" in panel.status_label.text()
        qtbot.waitUntil(lambda: first is not None and first.done(), timeout=5000)
        assert first is not None and first.cancelled()
        assert not panel.is_busy() and panel.get_token_button.isEnabled() and panel.current_token() is None
        assert panel.last_error() is None
        # Closing the panel cancels a running request too.
        _click(qtbot, panel, panel.get_token_button)
        second = panel._task
        assert panel.is_busy()
        panel.close()
        qtbot.waitUntil(lambda: second is not None and second.done(), timeout=5000)
        assert second is not None and second.cancelled()


def test_inherited_oauth2_gets_token_from_panel(panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                oauth_mock: peers.Peer) -> None:
    inherited = Auth("oauth2", {"grant_type": "password", "discovery_url": oauth_mock.url, "client_id": "app",
                                "username": "{{user}}", "password": "pw"})
    panel.set_resolver(lambda text: text.replace("{{user}}", "alice"))
    panel.set_auth(Auth("inherit"), inherited, "folder Orders")
    assert not panel.token_box.isHidden()
    _click(qtbot, panel, panel.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None
    assert '"sub": "alice"' in panel.jwt_text.toPlainText() and "Refresh token: yes" in panel.status_label.text()


def test_authorization_code_with_pkce_from_panel(panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                 oauth_mock: peers.Peer) -> None:
    """The 'browser' (set through the opener callback) follows the mock's redirect to our loopback listener."""
    import httpx

    opened: list[str] = []

    async def browser(url: str) -> None:
        opened.append(url)
        async with httpx.AsyncClient(follow_redirects=True) as client:
            await client.get(url)

    panel.set_browser_opener(browser)
    panel.set_auth(Auth("oauth2", {"grant_type": "authorization_code", "discovery_url": oauth_mock.url,
                                   "client_id": "desktop", "scope": "openid"}))
    _click(qtbot, panel, panel.get_token_button)
    assert "sign in" in panel.status_label.text()
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None, panel.last_error()
    assert opened and opened[0].startswith(f"{oauth_mock.url}/authorize?response_type=code")
    assert "code_challenge=" in opened[0]
    assert '"sub": "johndoe"' in panel.jwt_text.toPlainText() and "— ID token —" in panel.jwt_text.toPlainText()
