"""Which environment a collection uses (core/context/selection.py): user state, per collection, old layouts read as they are."""

from __future__ import annotations

from pathlib import Path

from workbench.core.context.selection import (
    choose_environment,
    chosen_environment,
    environment_names,
    read_choices,
)
from workbench.core.workspace import storage


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_old_layout_no_longer_sends_petstore_to_kubernetes(tmp_path: Path) -> None:
    """Issue 12's report: two imports into one workspace of the old layout, one active environment."""
    root = tmp_path / "ws"
    _write(root / "workspace.yaml", "name: ws\nenvironment: Kubernetes\n")
    _write(root / "environments" / "Kubernetes.yaml", "name: Kubernetes\nvariables:\n- {name: baseUrl, value: 'http://localhost'}\n")
    _write(root / "environments" / "Swagger Petstore.yaml",
           "name: Swagger Petstore\nvariables:\n- {name: baseUrl, value: 'http://petstore.swagger.io/v1'}\n")
    _write(root / "Kubernetes" / "collection.yaml", "name: Kubernetes\n")
    _write(root / "Swagger Petstore" / "collection.yaml", "name: Swagger Petstore\n")
    _write(root / "Notes" / "collection.yaml", "name: Notes\n")
    workspace = storage.load_workspace(root)
    assert chosen_environment(workspace, workspace.collection("Kubernetes")) == "Kubernetes"
    assert chosen_environment(workspace, workspace.collection("Swagger Petstore")) == "Swagger Petstore"
    # A collection that no import named keeps nothing of another API's environment.
    assert chosen_environment(workspace, workspace.collection("Notes")) == ""
    assert environment_names(workspace, workspace.collection("Notes")) == ("Kubernetes", "Swagger Petstore")


def test_a_choice_is_user_state_in_the_ignored_state_folder(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    _write(root / "Api" / "collection.yaml", "name: Api\n")
    _write(root / "Api" / "environments" / "Dev.yaml", "name: Dev\n")
    _write(root / "Api" / "environments" / "Prod.yaml", "name: Prod\n")
    workspace = storage.load_workspace(root)
    api = workspace.collection("Api")
    assert chosen_environment(workspace, api) == "Dev"
    choose_environment(root, "Api", "Prod")
    assert read_choices(root) == {"Api": "Prod"}
    assert chosen_environment(storage.load_workspace(root), api) == "Prod"
    assert (root / ".workbench" / ".gitignore").read_text() == "*\n"
    # A choice naming an environment that was deleted falls back to none, not to a stranger's.
    (root / "Api" / "environments" / "Prod.yaml").unlink()
    assert chosen_environment(storage.load_workspace(root), storage.load_workspace(root).collection("Api")) == ""


def test_own_environments_are_not_a_folder_of_requests(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    storage.init_workspace(root)
    _write(root / "Api" / "collection.yaml", "name: Api\n")
    _write(root / "Api" / "environments" / "Dev.yaml", "name: Dev\nvariables:\n- {name: baseUrl, value: x}\n")
    _write(root / "Api" / "Get.yaml", "name: Get\nmethod: GET\nurl: x\n")
    api = storage.load_workspace(root).collection("Api")
    assert api is not None
    assert [f.name for f in api.folders] == [] and [r.name for r in api.all_requests()] == ["Get"]
    assert [e.name for e in api.environments] == ["Dev"] and api.environments[0].path == "Api/environments/Dev.yaml"
