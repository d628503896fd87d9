"""Bizagi OData: import the project's descriptor ZIP, apply the Bizagi template, get one token, send two requests.

The stand-in (tests/servers/platform_standins.py `BizagiOData`) serves the token endpoint at
`{{server}}/{{project}}/oauth2/server/token` as the template builds it: client credentials,
client authentication only as a Basic header (§2.3.1-encoded), scope `api` required.
"""

from __future__ import annotations

from pathlib import Path

from journey_steps import on_next_modal, send_and_wait
from platform_standins import BIZAGI_CLIENT, BizagiOData, descriptor_zip
from PySide6.QtCore import QTimer

from workbench.ui.widgets.workspace.collection_settings import CollectionSettingsDialog


def test_import_zip_template_one_token_two_requests(window, qtbot, tmp_path: Path, bizagi: BizagiOData) -> None:  # type: ignore[no-untyped-def]
    archive = tmp_path / "Claims-OData.zip"
    archive.write_bytes(descriptor_zip())

    # File → Import…: the ZIP, its single root found among five files.
    dialog = window.import_spec()
    dialog.set_source(str(archive))
    with qtbot.waitSignal(dialog.imported, timeout=15000) as imported:
        dialog.import_button.click()
    path = imported.args[0]
    qtbot.waitUntil(lambda: window.collection_of(path) is not None, timeout=10000)
    dialog.close()
    names = sorted(r.name for r in window.collection_of(path).all_requests())
    assert len(names) == 3, names

    # File → New connection… on the selected (imported) collection: the Bizagi template.
    window.collections.select_key(path)
    connection = window.new_connection("bizagi-odata")
    assert connection.target.currentData() == path and connection.create_button.text() == "Apply"
    for name, value in (("server", bizagi.url), ("project", bizagi.project),
                        ("clientId", BIZAGI_CLIENT[0]), ("clientSecret", BIZAGI_CLIENT[1])):
        connection.edits[name].setText(value)
    with qtbot.waitSignal(connection.applied, timeout=5000):
        connection.create_button.click()
    assert window.collection_of(path).auth.get("client_auth") == "basic"

    # The collection's settings → Auth → "Get new access token".
    got: dict[str, object] = {}

    def get_token(settings: CollectionSettingsDialog) -> None:
        assert settings.tabs.tabText(3) == "Auth"
        settings.tabs.setCurrentIndex(3)
        settings.auth.oauth2.get_token_button.click()

        def wait() -> None:
            if settings.auth.is_busy():
                QTimer.singleShot(20, wait)
                return
            got["token"], got["error"] = settings.auth.current_token(), settings.auth.last_error()
            settings.reject()

        QTimer.singleShot(20, wait)

    window.collections.select_key(path)
    on_next_modal(get_token, CollectionSettingsDialog)
    window.collections.edit_settings()
    assert got["error"] is None and got["token"] is not None, got
    hits = bizagi.token_hits()
    assert len(hits) == 1 and hits[0].headers["authorization"].startswith("Basic ")
    assert b"scope=api" in hits[0].body and b"client_secret" not in hits[0].body

    # Two different imported requests, both on that one token.
    requests = {r.name: r for r in window.collection_of(path).all_requests()}
    statuses = []
    for name in sorted(n for n in requests if requests[n].method == "GET"):
        editor = window.open_request(path, requests[name].path)
        exchange = send_and_wait(qtbot, window, editor)
        assert exchange is not None, name
        statuses.append(exchange.response.status)
    assert statuses == [200, 200]
    assert len(bizagi.token_hits()) == 1
    data_hits = [h for h in bizagi.hits if "/odata/data/" in h.path]
    assert len({h.headers["authorization"] for h in data_hits}) == 1
