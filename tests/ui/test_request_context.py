"""Issue 12 in the window: one request context for every button, environments per collection.

Each test clicks through a real main window (pytest-qt, offscreen) against real peers: the CAP
service behind an OAuth 2.0 gate with required headers, oidc-provider, httpbin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from workbench.core.collections import Auth, Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage


def _gate_collection(root: Path, token_url: str, service: str) -> None:
    """A Jitterbit-like collection: password grant in the body, client headers, a request on the service."""
    auth = Auth("oauth2", {"grant_type": "password", "token_url": "{{tokenUrl}}", "client_id": "body-only",
                           "client_secret": "{{clientSecret}}", "client_auth": "body", "username": "alice",
                           "password": "{{password}}"})
    coll = storage.save_collection(root, Collection("App Builder", auth=auth, headers=(
        KeyValue("x-client-id", "{{clientId}}"), KeyValue("x-tenant-id", "t1")),
        requests=(Request("Users", "GET", "{{root}}/Users", params=(KeyValue("$top", "3"),),
                          auth=Auth("inherit")),)))
    storage.save_environment(root, Environment("Production", (
        KeyValue("root", service), KeyValue("tokenUrl", token_url), KeyValue("clientId", "jb-client"),
        KeyValue("clientSecret", "body-secret"), KeyValue("password", "wonder land:+/%")),
        frozenset({"clientSecret", "password"})), coll.path)


@pytest.mark.peers
def test_query_builder_and_metadata_browser_read_metadata_behind_the_gate(  # type: ignore[no-untyped-def]
        main_window, qtbot, gate, strict_token) -> None:
    server, service = gate
    root = Path(main_window.workspace_root)
    _gate_collection(root, f"{strict_token.url}/token", service)
    main_window.reload_workspace()
    editor = main_window.open_request("App Builder", "Users.yaml")
    assert editor is not None
    # The query builder: its $metadata GET carries the collection's token and headers.
    dock = main_window.query_builder
    dock.action.trigger()
    qtbot.waitUntil(lambda: dock.builder.model is not None, timeout=20000)
    assert dock.builder.entity_set.currentText() == "Users" and dock.builder.top.value() == 3
    assert server.seen and server.seen[-1]["x-client-id"] == "jb-client"
    # Send: the same context.
    main_window.send_current()
    qtbot.waitUntil(lambda: not main_window.is_sending(), timeout=20000)
    assert main_window.response.exchange is not None and main_window.response.exchange.response.status == 200


@pytest.mark.peers
def test_the_picker_speaks_for_the_current_collection(main_window, qtbot, httpbin) -> None:  # type: ignore[no-untyped-def]
    """Two APIs, each with its own environments: choosing for one leaves the other where it was."""
    root = Path(main_window.workspace_root)
    for name, path in (("Alpha", "/anything/alpha"), ("Beta", "/anything/beta")):
        coll = storage.save_collection(root, Collection(name, requests=(Request("Call", "GET", "{{baseUrl}}"),)))
        for env_name in ("Production", "Staging"):
            storage.save_environment(root, Environment(env_name, (KeyValue("baseUrl", f"{httpbin.url}{path}/{env_name}"),)),
                                     coll.path)
    main_window.reload_workspace()
    main_window.open_request("Alpha", "Call.yaml")
    combo = main_window.env_combo
    assert [combo.itemText(i) for i in range(combo.count())][1:] == ["Production", "Staging"]
    assert combo.currentText() == "Production"  # the collection's first, without the user doing anything
    combo.setCurrentText("Staging")
    main_window.open_request("Beta", "Call.yaml")
    assert combo.currentText() == "Production"  # Beta kept its own
    main_window.send_current()
    qtbot.waitUntil(lambda: not main_window.is_sending(), timeout=15000)
    assert "/anything/beta/Production" in main_window.response.exchange.response.text()
    main_window.tabs.setCurrentIndex(0)
    assert combo.currentText() == "Staging"
    assert "environment" not in (root / "workspace.yaml").read_text()  # user state, not a diff


def test_an_unresolved_variable_is_refused_with_its_name(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = main_window.open_unsaved(Request("Typo", "GET", "{{baseUrll}}/get"), "Getting started")
    assert editor.url.resolved_tooltip(3).endswith("is not defined in the collection or the active environment")
    main_window.send_current()
    qtbot.waitUntil(lambda: not main_window.is_sending(), timeout=10000)
    shown = " ".join(label.text() for label in main_window.response.findChildren(QLabel) if label.isVisible())
    assert "{{baseUrll}} is not defined, so the request was not sent" in shown
    assert "DNS" not in shown


@pytest.mark.peers
def test_collection_settings_token_button_resolves_variables(main_window, qtbot, oidc_server) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: the token server saw a Basic header decoding to `%7B%7BclientId%7D%7D:…`."""
    from workbench.core.auth import jwt
    from workbench.ui.widgets.workspace.collection_settings import (
        CollectionSettingsDialog,
    )

    root = Path(main_window.workspace_root)
    auth = Auth("oauth2", {"grant_type": "client_credentials", "discovery_url": "{{identityUrl}}",
                           "client_id": "{{clientId}}", "client_secret": "{{clientSecret}}", "scope": "api"})
    coll = storage.save_collection(root, Collection("Bizagi", auth=auth))
    storage.save_environment(root, Environment("Dev", (
        KeyValue("identityUrl", oidc_server.url), KeyValue("clientId", "basic-client"),
        KeyValue("clientSecret", "basic-secret")), frozenset({"clientSecret"})), coll.path)
    main_window.reload_workspace()
    loaded = main_window.collection_of(coll.path)
    dialog = CollectionSettingsDialog(loaded, None, main_window, main_window.send_context(coll.path))
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.auth.oauth2
    form.discover_button.click()
    qtbot.waitUntil(lambda: form.token_url.text() != "" or form.last_error() is not None, timeout=15000)
    assert form.last_error() is None and form.token_url.text().startswith(oidc_server.url)
    form.get_token_button.click()
    qtbot.waitUntil(lambda: form.current_token() is not None or form.last_error() is not None, timeout=15000)
    assert form.last_error() is None
    token = form.current_token()
    assert token is not None and jwt.decode(token.access_token).claims["client_id"] == "basic-client"
    dialog.close()
