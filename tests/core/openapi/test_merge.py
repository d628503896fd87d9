"""Re-import of a newer descriptor: spec changes arrive, the user's edits stay, a summary says what changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from workbench.core.collections import Environment, KeyValue, Request
from workbench.core.openapi.importer import import_into_workspace
from workbench.core.openapi.merge import merge_rows
from workbench.core.workspace import storage


def spec(version: str, paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "Zoo", "version": version},
            "servers": [{"url": "https://zoo.example.com"}],
            "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
            "security": [{"key": []}], "paths": paths}


OK = {"200": {"description": "ok"}}
V1 = spec("1", {
    "/pets/{id}": {"get": {"operationId": "getPet", "summary": "Get pet", "tags": ["pets"],
                           "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                                          {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                           "responses": OK},
                   "delete": {"operationId": "deletePet", "summary": "Delete pet", "tags": ["pets"], "responses": OK}},
    "/pets": {"get": {"operationId": "listPets", "summary": "List pets", "tags": ["pets"], "responses": OK}},
    "/old": {"get": {"summary": "Old thing", "tags": ["misc"], "responses": OK}},
    "/legacy": {"get": {"summary": "Legacy thing", "tags": ["misc"], "responses": OK}},
})
V2 = spec("2", {
    "/animals/{id}": {"get": {"operationId": "getPet", "summary": "Get pet", "tags": ["pets"],
                              "parameters": [{"name": "id", "in": "path", "required": True,
                                              "schema": {"type": "integer"}},
                                             {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                                             {"name": "fields", "in": "query", "required": True,
                                              "schema": {"type": "string", "default": "all"}}],
                              "responses": OK}},
    "/pets/{id}": {"delete": {"operationId": "deletePet", "summary": "Delete pet", "tags": ["pets"], "responses": OK}},
    "/pets": {"get": {"operationId": "listPets", "summary": "List all pets", "tags": ["pets"], "responses": OK},
              "post": {"operationId": "createPet", "summary": "Create pet", "tags": ["pets"], "responses": OK}},
})


def request_named(ws: Path, name: str) -> Request:
    workspace = storage.load_workspace(ws)
    return next(r for c in workspace.collections for r in c.all_requests() if r.name == name)


def test_reimport_keeps_user_edits_and_reports_changes(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    v1 = tmp_path / "v1.yaml"
    v1.write_text(yaml.safe_dump(V1))
    first = import_into_workspace(v1, ws)
    assert first.requests == 5 and first.changes is None
    workspace = storage.load_workspace(ws)
    coll = workspace.collections[0]
    # The user's edits: enable `limit` with their value, rename a request, document another,
    # set the API key in the environment, and add a request of their own.
    get = request_named(ws, "Get pet")
    get = replace(get, params=tuple(KeyValue("limit", "5", True) if p.name == "limit" else p for p in get.params))
    storage.save_request(ws, coll.path, get)
    storage.save_request(ws, coll.path, replace(request_named(ws, "List pets"), name="My pet list"))
    storage.save_request(ws, coll.path, replace(request_named(ws, "Legacy thing"), docs="still used by billing"))
    storage.save_request(ws, coll.path, Request("Scratch", "GET", "{{baseUrl}}/scratch", path="pets/Scratch.yaml"))
    env = coll.environments[0]  # the API's own environment
    storage.save_environment(ws, replace(env, variables=tuple(
        KeyValue(v.name, "my-key", v.enabled, v.description) if v.name == "apiKey" else v for v in env.variables)))

    v2 = tmp_path / "v2.yaml"
    v2.write_text(yaml.safe_dump(V2))
    second = import_into_workspace(v2, ws)
    changes = second.changes
    assert changes is not None
    assert changes.added == ("Create pet",)
    assert changes.removed == ("Old thing",)
    assert changes.updated == ("Get pet",)  # "My pet list": only its name changed, and that edit is kept
    assert changes.kept_edits == ("Get pet: params", "My pet list: name")
    assert any("'Legacy thing' is no longer in the descriptor; kept because you edited it" in w
               for w in second.warnings)

    after = storage.load_workspace(ws)
    assert not after.problems and len(after.collections) == 1
    names = sorted(r.name for r in after.collections[0].all_requests())
    assert names == ["Create pet", "Delete pet", "Get pet", "Legacy thing", "My pet list", "Scratch"]
    get = request_named(ws, "Get pet")
    assert get.url == "{{baseUrl}}/animals/{id}"  # spec change arrives (matched by operationId)
    assert get.path == "pets/Get pet.yaml"  # same file
    assert [(p.name, p.value, p.enabled) for p in get.params] == [("limit", "5", True), ("fields", "all", True)]
    assert request_named(ws, "My pet list").meta["openapi_operation"] == "get /pets"
    assert request_named(ws, "Legacy thing").docs == "still used by billing"
    assert after.collections[0].environments[0].as_dict()["apiKey"] == "my-key"  # the user's secret survives
    assert not after.environments  # nothing spilled into the shared environments
    assert "Old thing.yaml" not in {p.name for p in (ws / coll.path).rglob("*.yaml")}


def test_reimport_of_same_descriptor_changes_nothing(tmp_path: Path, shared_data: Path) -> None:
    ws = tmp_path / "ws"
    source = shared_data / "openapi" / "swagger-petstore3-openapi.yaml"
    import_into_workspace(source, ws)
    before = {p: p.read_bytes() for p in ws.rglob("*.yaml")}
    again = import_into_workspace(source, ws)
    assert again.changes is not None
    assert (again.changes.added, again.changes.updated, again.changes.removed) == ((), (), ())
    assert again.changes.unchanged == 19
    assert {p: p.read_bytes() for p in ws.rglob("*.yaml")} == before


def test_merge_rows_three_way() -> None:
    base = (KeyValue("a", "1"), KeyValue("b", "2"), KeyValue("c", "3"))
    ours = (KeyValue("a", "mine"), KeyValue("c", "3"), KeyValue("own", "x"))  # edited a, deleted b, added own
    theirs = (KeyValue("a", "10"), KeyValue("b", "20"), KeyValue("d", "4"))  # c removed, d added
    assert merge_rows(ours, base, theirs) == (KeyValue("a", "mine"), KeyValue("d", "4"), KeyValue("own", "x"))


def test_environment_merge_keeps_values(tmp_path: Path) -> None:
    from workbench.core.openapi.merge import merge_environment

    base = Environment("E", (KeyValue("baseUrl", "https://a"), KeyValue("apiKey", "")))
    ours = Environment("E", (KeyValue("baseUrl", "http://localhost:8080"), KeyValue("apiKey", "k")))
    theirs = Environment("E", (KeyValue("baseUrl", "https://b"), KeyValue("apiKey", ""), KeyValue("region", "eu")))
    merged = merge_environment(ours, base, theirs)
    assert merged.as_dict() == {"baseUrl": "http://localhost:8080", "apiKey": "k", "region": "eu"}


def test_reimport_without_the_earlier_bundle_never_loses_edits(tmp_path: Path) -> None:
    """No openapi.json to compare with: existing requests keep their content, new operations arrive."""
    ws = tmp_path / "ws"
    v1 = tmp_path / "v1.yaml"
    v1.write_text(yaml.safe_dump(V1))
    summary = import_into_workspace(v1, ws)
    coll_dir = ws / summary.collection_path
    storage.save_request(ws, summary.collection_path, replace(request_named(ws, "Get pet"), docs="mine"))
    (coll_dir / "openapi.json").unlink()
    v2 = tmp_path / "v2.yaml"
    v2.write_text(yaml.safe_dump(V2))
    second = import_into_workspace(v2, ws)
    assert any("openapi.json (the earlier import) is missing" in w for w in second.warnings)
    get = request_named(ws, "Get pet")
    assert get.docs == "mine" and get.url == "{{baseUrl}}/pets/{id}"  # kept as it was
    assert [p.name for p in get.params] == ["limit", "fields"]  # the new parameter arrives
    assert second.changes is not None and second.changes.added == ("Create pet",)
    assert (coll_dir / "openapi.json").exists()
