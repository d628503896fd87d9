"""Bizagi Datasets: three environments with their own REST URL and key pair (secrets), one record per
POST to each, then every row of a CSV file through the runner's data file.

The stand-in is tests/servers/platform_standins.py `Datasets` (arrays refused, keys per environment).
"""

from __future__ import annotations

from pathlib import Path

from journey_steps import on_next_modal, send_and_wait
from platform_standins import DATASET_KEYS, Datasets

from workbench.core.collections import KeyValue
from workbench.ui.widgets.workspace.environment_editor import EnvironmentEditor


def test_three_environments_and_a_csv(window, qtbot, tmp_path: Path, datasets: Datasets) -> None:  # type: ignore[no-untyped-def]
    connection = window.new_connection("bizagi-datasets")
    dev = DATASET_KEYS["Development"]
    for name, value in (("restUrl", datasets.rest_url("Development")), ("accessKey1", dev[0]), ("accessKey2", dev[1])):
        connection.edits[name].setText(value)
    with qtbot.waitSignal(connection.applied, timeout=5000) as applied:
        connection.create_button.click()
    path = applied.args[0]
    assert [e.name for e in window.collection_of(path).environments] == ["Development", "Production", "Testing"] \
        or {e.name for e in window.collection_of(path).environments} == set(DATASET_KEYS)

    # Manage environments (Ctrl+E): fill Testing and Production; the second key stays a secret.
    def fill(editor: EnvironmentEditor) -> None:
        names = [editor.list.item(i).text() for i in range(editor.list.count())]
        for env in ("Testing", "Production"):
            editor.list.setCurrentRow(names.index(env))
            key1, key2 = DATASET_KEYS[env]
            editor.table.set_rows([KeyValue("restUrl", datasets.rest_url(env)), KeyValue("accessKey1", key1),
                                   KeyValue("accessKey2", key2)], frozenset({"accessKey2"}))
            assert editor.save_current()
        editor.reject()

    window.collections.select_key(path)
    on_next_modal(fill, EnvironmentEditor)
    window.window_actions.environments.trigger()
    for env in ("Testing", "Production"):
        text = (Path(window.workspace_root) / path / "environments" / f"{env}.yaml").read_text()
        assert DATASET_KEYS[env][1] not in text and DATASET_KEYS[env][0] in text

    # Switch environment, POST one record to each.
    request = window.collection_of(path).all_requests()[0]
    editor = window.open_request(path, request.path)
    for env in DATASET_KEYS:
        window.env_combo.setCurrentText(env)
        exchange = send_and_wait(qtbot, window, editor)
        assert exchange.response.status == 201, (env, exchange.response.read_body())
    assert {env: len(rows) for env, rows in datasets.records.items()} == {env: 1 for env in DATASET_KEYS}

    # Every record of a CSV, one POST each, with the runner's data file.
    editor.body_text.setPlainText('{\n  "name": "{{name}}",\n  "amount": {{amount}}\n}')
    window.save_current()
    csv = tmp_path / "records.csv"
    csv.write_text("name,amount\nalpha,1\nbeta,2\ngamma,3\n", encoding="utf-8")
    window.env_combo.setCurrentText("Testing")
    runner = window.run_collection(path, "")
    assert runner.environment.currentText() == "Testing"
    runner.data_file.setText(str(csv))
    runner.run_button.click()
    qtbot.waitUntil(lambda: runner.report is not None, timeout=15000)
    assert [r.exchange.response.status for r in runner.report.results] == [201] * 3
    assert datasets.records["Testing"][1:] == [{"name": "alpha", "amount": 1}, {"name": "beta", "amount": 2},
                                               {"name": "gamma", "amount": 3}]
