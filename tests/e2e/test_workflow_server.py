"""Workflow Server: OIDC discovery (client `workflowapi`, the API token as secret, credentials in the body)
against oidc-provider, `POST /workflowapi/createinstance/{guid}`, JavaScript and C# from the Code view
(the JavaScript run with node gets its own token), and the plain `token` field mode.

The stand-in is tests/servers/platform_standins.py `WorkflowApi` (checks the JWT against the provider's JWKS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from journey_steps import send_and_wait
from platform_standins import WorkflowApi
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from workbench.ui.widgets.request.code_dialog import CodeDialog


def _template(window, qtbot, template_id: str, base_url: str, token: str) -> str:  # type: ignore[no-untyped-def]
    connection = window.new_connection(template_id)
    connection.target.setCurrentIndex(0)  # a new collection
    connection.edits["baseUrl"].setText(base_url)
    connection.edits["apiToken"].setText(token)
    with qtbot.waitSignal(connection.applied, timeout=5000) as applied:
        connection.create_button.click()
    return str(applied.args[0])


def test_oidc_create_instance_and_code_that_gets_its_own_token(window, qtbot, tmp_path: Path, oidc_server,  # type: ignore[no-untyped-def]
                                                                workflow_api: WorkflowApi) -> None:
    # Workflow Server serves discovery and the API on one host; here oidc-provider and the API stand-in
    # are two, so the server field is the provider's and the request's URL is pointed at the API.
    path = _template(window, qtbot, "workflow-server-oidc", oidc_server.url, workflow_api.api_token)
    request = window.collection_of(path).all_requests()[0]
    editor = window.open_request(path, request.path)
    editor.url.setText(editor.url.text().replace("{{baseUrl}}", workflow_api.url))
    editor.url.textEdited.emit(editor.url.text())
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 200, exchange.response.read_body()
    assert workflow_api.created[-1]["schemeCode"] == "SimpleWF"
    assert len(workflow_api.created[-1]["processId"]) == 36  # {{$guid}}

    # Code view: JavaScript and C#, copied; the JavaScript run with node fetches its own token.
    window.show_code()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CodeDialog) and w.isVisible())
    codes = {}
    for lang in ("csharp", "javascript"):
        dialog.language.setCurrentIndex(dialog.language.findData(lang))
        dialog.copy()
        codes[lang] = QGuiApplication.clipboard().text()
    dialog.close()
    assert "createinstance" in codes["csharp"] and "client_credentials" in codes["csharp"]
    assert workflow_api.api_token not in codes["javascript"] + codes["csharp"]
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    script = tmp_path / "call.mjs"
    script.write_text(codes["javascript"], encoding="utf-8")
    before = len(workflow_api.created)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    result = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60,
                            env={**env, "apiToken": workflow_api.api_token})
    assert result.returncode == 0, result.stderr + result.stdout
    assert len(workflow_api.created) == before + 1


def test_plain_token_field_mode(window, qtbot, workflow_api: WorkflowApi) -> None:  # type: ignore[no-untyped-def]
    path = _template(window, qtbot, "workflow-server-token", workflow_api.url, workflow_api.api_token)
    editor = window.open_request(path, window.collection_of(path).all_requests()[0].path)
    exchange = send_and_wait(qtbot, window, editor)
    assert exchange.response.status == 200
    assert "token=" in workflow_api.hits[-1].path
