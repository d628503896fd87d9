"""Settings in YAML (core/workspace/settings.py): one vocabulary on every level, bad values named with their file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.collections import Settings
from workbench.core.errors import StorageError
from workbench.core.workspace import settings as settings_yaml
from workbench.core.workspace import storage


@pytest.mark.parametrize("data, message", [
    ({"timeout_s": float("nan")}, "positive number"),
    ({"timeout_s": float("inf")}, "positive number"),
    ({"timeout_s": -1}, "positive number"),
    ({"max_body_mb": "big"}, "must be a number"),
    ({"verify_tls": "yes"}, "true or false"),
    ({"proxy": "socks5://127.0.0.1:1080"}, "http:// or https://"),
    ({"proxy": "http://127.0.0.1:99999"}, "not a valid URL"),
    ({"retries": 3}, "unknown setting 'retries'"),
    (["timeout_s"], "must be a mapping"),
])
def test_bad_values_are_one_clear_problem(data: object, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        settings_yaml.overrides_from_yaml(data, "Api/collection.yaml")


def test_nearest_layer_wins_key_by_key() -> None:
    merged = settings_yaml.apply(Settings(), {"timeout_s": 60, "verify_tls": False}, {"timeout_s": 300.0})
    assert (merged.timeout_s, merged.verify_tls, merged.connect_timeout_s) == (300.0, False, 10.0)


def test_settings_round_trip_on_requests_folders_and_collections(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    (root / "Api" / "slow").mkdir(parents=True)
    (root / "Api" / "collection.yaml").write_text("name: Api\nsettings:\n  verify_tls: false\n")
    (root / "Api" / "slow" / "folder.yaml").write_text("settings: {timeout_s: 120}\nvariables:\n- {name: a, value: b}\n")
    (root / "Api" / "slow" / "Import.yaml").write_text("name: Import\nmethod: POST\nurl: x\nsettings: {timeout_s: 600}\n")
    api = storage.load_workspace(root).collection("Api")
    assert api is not None and api.settings == {"verify_tls": False}
    assert api.folders[0].settings == {"timeout_s": 120.0} and api.folders[0].variables[0].name == "a"
    request = api.all_requests()[0]
    assert request.settings == {"timeout_s": 600.0}
    storage.save_request(root, "Api", request)
    storage.save_folder_settings(root, "Api", api.folders[0])
    storage.save_collection_settings(root, api)
    again = storage.load_workspace(root).collection("Api")
    assert again == api


def test_a_broken_workspace_setting_names_the_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "workspace.yaml").write_text("name: ws\nsettings:\n  timeout_s: .nan\n")
    for _ in range(2):  # parsed, then from the parse cache: a NaN must not turn into a missing value
        workspace = storage.load_workspace(root)
        assert workspace.settings == Settings()
        assert any("workspace.yaml: settings.timeout_s must be a positive number" in p for p in workspace.problems)
