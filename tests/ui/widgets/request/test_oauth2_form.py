"""The OAuth 2.0 form clicked through with qtbot, hosted by an Auth panel as in a request tab.

Token work runs on the qasync loop against the session's OIDC peers (tests/conftest.py).
"""

from __future__ import annotations

import socket

import peers

from workbench.core.auth import oauth2
from workbench.core.collections import Auth
from workbench.ui.widgets.request.auth_panel import AuthPanel
from workbench.ui.widgets.request.oauth2_form import OAuth2Form


def test_form_alone_reads_back_what_it_shows(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Without a panel the token box works on the form's own fields; `kept` params pass through."""
    form = OAuth2Form()
    qtbot.addWidget(form)
    params = {"grant_type": "password", "client_auth": "body", "token_url": "http://t/token", "username": "u",
              "password": " p ", "header_prefix": "JWT"}
    with qtbot.assertNotEmitted(form.changed):
        form.set_params(params)
    assert form.params() == params
    assert form.params({"custom": "kept"}) == {"custom": "kept", **params}
    assert form._token_auth() == Auth("oauth2", params)


def test_client_credentials_click_through(click, choose, panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                          oidc_server: peers.Peer) -> None:
    form = panel.oauth2
    choose(panel.type_combo, "oauth2")
    choose(form.grant_combo, "client_credentials")
    qtbot.keyClicks(form.discovery_url, oidc_server.url)
    click(panel, form.discover_button)
    qtbot.waitUntil(lambda: bool(form.token_url.text()) or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None, panel.last_error()
    assert form.token_url.text() == f"{oidc_server.url}/token"
    assert "client_secret_basic" in form.discovery_info.text()
    qtbot.keyClicks(form.client_id, "basic-client")
    qtbot.keyClicks(form.client_secret, "basic-secret")
    qtbot.keyClicks(form.scope, "api")
    click(panel, form.get_token_button)
    assert panel.is_busy() and not form.get_token_button.isEnabled()
    with qtbot.waitSignal(panel.token_obtained, timeout=15000):
        pass
    assert panel.last_error() is None, panel.last_error()
    status = form.status_label.text()
    assert "Token type: Bearer" in status and "Scopes: api" in status and "Expires in" in status
    assert form.jwt_text.isVisible() and "signature not verified" in form.jwt_text.toPlainText()
    assert '"client_id": "basic-client"' in form.jwt_text.toPlainText()
    assert form.get_token_button.isEnabled() and form.copy_button.isEnabled()
    # The token is cached for this auth: a send through the same settings reuses it.
    assert oauth2.cached_token(panel.to_model()) == panel.current_token()
    model = panel.to_model()
    assert model.params["client_auth"] == "basic" and model.params["discovery_url"] == oidc_server.url


def test_body_client_auth_and_error_details(click, panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                            oidc_server: peers.Peer) -> None:
    form = panel.oauth2
    panel.set_auth(Auth("oauth2", {"token_url": f"{oidc_server.url}/token", "client_id": "post-client",
                                   "client_secret": "wrong", "client_auth": "body"}))
    click(panel, form.get_token_button)
    qtbot.waitUntil(lambda: panel.last_error() is not None, timeout=15000)
    assert form.error_label.isVisible() and "invalid_client" in form.error_label.text()
    assert "client authentication failed" in form.error_label.text()
    assert form.details_button.isVisible() and not form.details_text.isVisible()
    click(panel, form.details_button)
    assert form.details_text.isVisible()
    assert "HTTP status 401" in form.details_text.toPlainText()
    assert '"error":"invalid_client"' in form.details_text.toPlainText()
    form.client_secret.clear()
    qtbot.keyClicks(form.client_secret, "post-secret")
    click(panel, form.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None, timeout=15000)
    assert not form.error_label.isVisible()


def test_cancel_a_hanging_token_request(click, panel: AuthPanel, qtbot, qasync_loop) -> None:  # type: ignore[no-untyped-def]
    form = panel.oauth2
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]
        panel.set_auth(Auth("oauth2", {"token_url": f"http://127.0.0.1:{port}/token", "client_id": "a",
                                       "client_secret": "b"}))
        click(panel, form.get_token_button)
        qtbot.waitUntil(lambda: "Requesting" in form.status_label.text(), timeout=15000)
        assert form.cancel_button.isEnabled()
        first = form._task
        click(panel, form.cancel_button)
        assert "Cancelled" in form.status_label.text()
        qtbot.waitUntil(lambda: first is not None and first.done(), timeout=5000)
        assert first is not None and first.cancelled()
        assert not panel.is_busy() and form.get_token_button.isEnabled() and panel.current_token() is None
        assert panel.last_error() is None
        # Closing the panel cancels a running request too.
        click(panel, form.get_token_button)
        second = form._task
        assert panel.is_busy()
        panel.close()
        qtbot.waitUntil(lambda: second is not None and second.done(), timeout=5000)
        assert second is not None and second.cancelled()


def test_authorization_code_with_pkce_from_panel(click, panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                 oauth_mock: peers.Peer) -> None:
    """The 'browser' (set through the opener callback) follows the mock's redirect to our loopback listener."""
    form = panel.oauth2
    import httpx

    opened: list[str] = []

    async def browser(url: str) -> None:
        opened.append(url)
        async with httpx.AsyncClient(follow_redirects=True) as client:
            await client.get(url)

    panel.set_browser_opener(browser)
    panel.set_auth(Auth("oauth2", {"grant_type": "authorization_code", "discovery_url": oauth_mock.url,
                                   "client_id": "desktop", "scope": "openid"}))
    click(panel, form.get_token_button)
    assert "sign in" in form.status_label.text()
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None, panel.last_error()
    assert opened and opened[0].startswith(f"{oauth_mock.url}/authorize?response_type=code")
    assert "code_challenge=" in opened[0]
    assert '"sub": "johndoe"' in form.jwt_text.toPlainText() and "— ID token —" in form.jwt_text.toPlainText()



def test_jwt_time_claims_read_as_local_dates_and_from_now() -> None:
    import time

    from workbench.ui.widgets.request.oauth2_form import (
        local_time_claims,
        relative_time,
    )

    now = 1_800_000_000.0
    lines = local_time_claims({"exp": now + 3599, "iat": now - 3 * 3600 - 5, "nbf": now, "sub": "x",
                               "auth_time": True}, now)
    exp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now + 3599))
    assert lines[0].startswith(f"exp: {exp}") and lines[0].endswith("(in 59 min)")
    assert lines[1].startswith("nbf: ") and lines[1].endswith("(just now)")
    assert lines[2].startswith("iat: ") and lines[2].endswith("(3 h ago)")
    assert len(lines) == 3  # a boolean is not a date
    assert relative_time(-90) == "1 min ago" and relative_time(3 * 86400) == "in 3 days"


def test_token_shows_local_dates_and_a_failure_clears_it(click, panel: AuthPanel, qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                         oauth_mock: peers.Peer) -> None:
    """Issue 14: after a failed request the old "Expires in …" and decoded JWT do not sit beside the error."""
    form = panel.oauth2
    panel.set_auth(Auth("oauth2", {"grant_type": "password", "discovery_url": oauth_mock.url, "client_id": "app",
                                   "username": "alice", "password": "pw"}))
    click(panel, form.get_token_button)
    qtbot.waitUntil(lambda: panel.current_token() is not None or panel.last_error() is not None, timeout=15000)
    assert panel.last_error() is None, panel.last_error()
    text = form.jwt_text.toPlainText()
    import time

    from workbench.core.auth import jwt

    token = panel.current_token()
    assert token is not None
    exp = jwt.decode(token.access_token).claims["exp"]
    local = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(exp))
    assert "Dates (local time):" in text and f"exp: {local} (in 59 min)" in text
    assert form.status_label.isVisible() and "Expires in" in form.status_label.text()
    assert form.token_box.isVisible()
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    form.discovery_url.clear()
    form.token_url.setText(f"http://127.0.0.1:{port}/token")
    click(panel, form.get_token_button)
    qtbot.waitUntil(lambda: panel.last_error() is not None, timeout=15000)
    assert form.error_label.isVisible() and "Could not connect" in form.error_label.text()
    assert not form.status_label.isVisible() and "Expires" not in form.status_label.text()
    assert form.jwt_text.toPlainText() == "" and not form.jwt_text.isVisible() and not form.token_box.isVisible()
    assert panel.current_token() is None and not form.copy_button.isEnabled()


def test_token_error_shown_is_masked(click, panel: AuthPanel, qtbot, qasync_loop, strict_token) -> None:  # type: ignore[no-untyped-def]
    """The strict server echoes an unknown scope; the secret typed there never reaches the panel's text."""
    form = panel.oauth2
    secret = "basic-secret"
    panel.set_auth(Auth("oauth2", {"grant_type": "client_credentials", "token_url": f"{strict_token.url}/token",
                                   "client_id": "basic-only", "client_secret": secret, "scope": secret}))
    click(panel, form.get_token_button)
    qtbot.waitUntil(lambda: panel.last_error() is not None, timeout=15000)
    assert "unknown scope" in form.error_label.text() and secret not in form.error_label.text()
    click(panel, form.details_button)
    assert form.details_text.isVisible() and "HTTP status 400" in form.details_text.toPlainText()
    assert secret not in form.details_text.toPlainText()
