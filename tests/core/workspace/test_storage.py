"""Workspace YAML on disk: round trips, atomic writes, corrupt files, names, external edits, small diffs."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    Environment,
    Folder,
    FormPart,
    KeyValue,
    Request,
    Settings,
)
from workbench.core.errors import StorageError
from workbench.core.workspace import storage


def _full_request() -> Request:
    return Request(
        name="Create case", method="POST", url="{{baseUrl}}/Cases",
        params=(KeyValue("$select", "ID,title"), KeyValue("debug", "1", False, "optional")),
        headers=(KeyValue("Accept", "application/json"),),
        body=Body("raw", "application/json", '{\n  "title": "Hello"\n}\n'),
        auth=Auth("bearer", {"token": "{{token}}"}),
        docs="Creates a case.\n\nSee *docs*.", meta={"operationId": "createCase"},
    )


def test_round_trip_load_edit_save_reload(tmp_path: Path) -> None:
    """Everything a user can set on a collection, folder, request and environment survives a reload."""
    ws = storage.init_workspace(tmp_path / "ws", "Demo")
    coll = storage.save_collection(ws.root, Collection(
        "Cases API", requests=(_full_request(),),
        folders=(Folder("Admin", requests=(Request("Delete", "DELETE", "{{baseUrl}}/Cases(1)"),),
                        headers=(KeyValue("x-tenant-id", "t1"),), auth=Auth("basic", {"username": "u", "password": "pw"})),),
        variables=(KeyValue("baseUrl", "http://127.0.0.1:1/odata"),), headers=(KeyValue("x-client-id", "c1"),),
        docs="The cases API",
    ))
    storage.save_environment(ws.root, Environment("Dev", (KeyValue("token", "s3cr3t"),), frozenset({"token"})))
    first = storage.load_workspace(ws.root)
    assert first.problems == ()
    loaded = first.collection(coll.path)
    assert loaded is not None and loaded.name == "Cases API" and loaded.docs == "The cases API"
    request = loaded.find_request("Create case.yaml")
    assert request is not None
    assert replace(request, path="") == _full_request()
    assert loaded.folders[0].auth == Auth("basic", {"username": "u", "password": "pw"})
    assert first.environment("Dev").as_dict() == {"token": "s3cr3t"}
    # Edit -> save -> reload equals the edited value.
    edited = replace(request, method="PATCH", params=request.params + (KeyValue("new", "v"),),
                     body=Body("form", form=(KeyValue("a", "1"), KeyValue("b", "", False))))
    storage.save_request(ws.root, coll.path, edited)
    again = storage.load_workspace(ws.root).collection(coll.path).find_request("Create case.yaml")
    assert again == edited


def test_secrets_are_not_written_in_clear_text(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    storage.save_collection(ws.root, Collection("C", requests=(Request("R", auth=Auth("basic", {"username": "u", "password": "hunter2"})),)))
    storage.save_environment(ws.root, Environment("E", (KeyValue("apiKey", "k-123"),), frozenset({"apiKey"})))
    text = "".join(p.read_text() for p in Path(ws.root).rglob("*.yaml"))
    assert "hunter2" not in text and "k-123" not in text and "secret:" in text
    again = storage.load_workspace(ws.root)
    assert again.collections[0].requests[0].auth.get("password") == "hunter2"


def test_multipart_and_binary_bodies_round_trip(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection_settings(ws.root, Collection("C"))
    multi = Request("Upload", "POST", "http://h/u", body=Body("multipart", parts=(
        FormPart("file", file="spec.json", content_type="application/json"), FormPart("note", "hi"),
        FormPart("off", "x", enabled=False))))
    binary = Request("Put", "PUT", "http://h/b", body=Body("binary", "application/zip", file="/tmp/a.zip"))
    for r in (multi, binary):
        saved = storage.save_request(ws.root, coll.path, r)
        assert storage.load_workspace(ws.root).collection(coll.path).find_request(saved.path) == saved


def test_atomic_write_leaves_no_temp_files_and_never_half_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.yaml"
    storage.write_atomic(target, "old: content\n")
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]

    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        real_fsync(fd)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(StorageError, match="cannot write"):
        storage.write_yaml(target, {"new": "x" * 100000})
    monkeypatch.undo()
    assert target.read_text() == "old: content\n"  # the old content, whole
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]  # the temp file was removed


def test_corrupt_yaml_is_reported_with_position_and_not_overwritten(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection(ws.root, Collection("C", requests=(Request("Good", url="http://h/"),)))
    broken = Path(ws.root) / coll.path / "Broken.yaml"
    text = "name: Broken\nmethod: GET\nurl: [http://h/\nheaders: {\n"
    broken.write_text(text)
    loaded = storage.load_workspace(ws.root)
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert "Broken.yaml" in problem and "line" in problem and "column" in problem
    assert [r.name for r in loaded.collections[0].requests] == ["Good"]  # the rest still loads
    with pytest.raises(StorageError, match="line"):
        storage.save_request(ws.root, coll.path, Request("Broken", url="http://h/x", path="Broken.yaml"))
    assert broken.read_text() == text


def test_corrupt_collection_yaml_is_reported(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection_settings(ws.root, Collection("C"))
    (Path(ws.root) / coll.path / "collection.yaml").write_text("name: : :\n  - x")
    loaded = storage.load_workspace(ws.root)
    assert loaded.collections == () and "collection.yaml" in loaded.problems[0]
    with pytest.raises(StorageError):
        storage.save_collection_settings(ws.root, replace(coll, name="New"))


@pytest.mark.parametrize("name, expected", [
    ("Get pet by ID", "Get pet by ID"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
    ("  ..hidden.. ", "hidden"),
    ("CON", "untitled"),
    ("", "untitled"),
    ("x" * 200, "x" * 80),
    ("tab\tand\nnewline", "tab-and-newline"),
])
def test_names_are_sanitised(name: str, expected: str) -> None:
    assert storage.sanitize_name(name) == expected


def test_a_request_name_with_slashes_stays_inside_its_collection(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection_settings(ws.root, Collection("C"))
    saved = storage.save_request(ws.root, coll.path, Request("../../etc/passwd", url="http://h/"))
    assert "/" not in saved.path and (Path(ws.root) / coll.path / saved.path).is_file()
    again = storage.save_request(ws.root, coll.path, Request("../../etc/passwd", url="http://h/"))
    assert again.path != saved.path  # a second request of the same name gets its own file


def test_external_edit_is_picked_up_on_reload(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection(ws.root, Collection("C", requests=(Request("R", url="http://h/a"),)))
    (Path(ws.root) / coll.path / "R.yaml").write_text("name: R\nmethod: PUT\nurl: http://h/changed\n")
    (Path(ws.root) / coll.path / "New.yaml").write_text("name: New\nurl: http://h/new\n")
    loaded = storage.load_workspace(ws.root).collection(coll.path)
    assert loaded.find_request("R.yaml").method == "PUT" and loaded.find_request("R.yaml").url == "http://h/changed"
    assert loaded.find_request("New.yaml") is not None


def test_stable_key_order_and_small_diffs(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection_settings(ws.root, Collection("C"))
    saved = storage.save_request(ws.root, coll.path, _full_request())
    path = Path(ws.root) / coll.path / saved.path
    before = path.read_text()
    keys = [line.split(":")[0] for line in before.splitlines() if line and not line.startswith((" ", "-"))]
    assert keys == ["name", "method", "url", "params", "headers", "body", "auth", "docs", "meta"]
    assert "text: |" in before  # multi-line bodies as blocks: line-by-line diffs
    storage.save_request(ws.root, coll.path, saved)
    assert path.read_text() == before  # saving unchanged content changes nothing
    storage.save_request(ws.root, coll.path, replace(saved, method="PUT"))
    changed = [(a, b) for a, b in zip(before.splitlines(), path.read_text().splitlines()) if a != b]
    assert changed == [("method: POST", "method: PUT")]


def test_defaults_are_left_out(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection_settings(ws.root, Collection("C"))
    saved = storage.save_request(ws.root, coll.path, Request("Plain", url="http://h/"))
    assert (Path(ws.root) / coll.path / saved.path).read_text() == "name: Plain\nmethod: GET\nurl: http://h/\n"


def test_tree_edits_move_rename_duplicate_delete(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection(ws.root, Collection("C", requests=(Request("R", url="http://h/"),)))
    folder = storage.create_folder(ws.root, coll.path, "", "Sub/Folder")
    assert folder == "Sub-Folder"
    assert storage.load_workspace(ws.root).collection(coll.path).folders[0].name == "Sub/Folder"
    new = storage.move_item(ws.root, f"{coll.path}/R.yaml", f"{coll.path}/{folder}")
    assert new == f"{coll.path}/{folder}/R.yaml"
    with pytest.raises(StorageError, match="into itself"):
        storage.move_item(ws.root, f"{coll.path}/{folder}", f"{coll.path}/{folder}")
    loaded = storage.load_workspace(ws.root).collection(coll.path)
    moved = loaded.find_request(f"{folder}/R.yaml")
    renamed = storage.rename_request(ws.root, coll.path, moved, "Renamed")
    copy = storage.duplicate_request(ws.root, coll.path, renamed)
    names = sorted(r.name for r in storage.load_workspace(ws.root).collection(coll.path).all_requests())
    assert names == ["Renamed", "Renamed copy"] and copy.path == f"{folder}/Renamed copy.yaml"
    storage.delete_item(ws.root, f"{coll.path}/{folder}")
    assert storage.load_workspace(ws.root).collection(coll.path).all_requests() == []
    with pytest.raises(StorageError, match="outside"):
        storage.delete_item(ws.root, "../elsewhere")


def test_settings_round_trip(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    s = Settings(5.5, 2.0, False, False, "http://proxy:3128", 64)
    storage.save_workspace_settings(replace(ws, settings=s, active_environment="Dev"))
    again = storage.load_workspace(ws.root)
    # The active environment is user state (core/context/selection.py), never a diff in git.
    assert again.settings == s and again.active_environment == ""
    assert "environment" not in (Path(ws.root) / "workspace.yaml").read_text()


def test_locate_finds_workspace_and_collection(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = storage.save_collection(ws.root, Collection("C", folders=(Folder("F", requests=(Request("R", url="u"),)),)))
    root, coll_path, rel = storage.locate(Path(ws.root) / coll.path / "F" / "R.yaml")
    assert root == Path(ws.root).resolve() and coll_path == coll.path and rel == "F/R.yaml"


# --------------------------------------------------------------------------- parse cache


def _cache_ws(tmp_path: Path) -> Path:
    from workbench.core.collections import Collection, Request

    ws = tmp_path / "cached"
    storage.init_workspace(ws)
    storage.save_collection(ws, Collection("C", requests=(Request("one", "GET", "http://a/1"),)))
    return ws


def test_unchanged_workspace_loads_without_the_yaml_parser(tmp_path: Path) -> None:
    """Start-up speed: the second load of an unchanged workspace comes from .workbench/ and never imports yaml."""
    import subprocess
    import sys

    ws = _cache_ws(tmp_path)
    first = storage.load_workspace(ws)
    assert (ws / ".workbench" / storage.PARSE_CACHE_FILE).exists()
    code = ("import sys; from workbench.core.workspace import storage; w = storage.load_workspace(sys.argv[1]);"
            "print('yaml' in sys.modules, [r.name for c in w.collections for r in c.all_requests()])")
    out = subprocess.run([sys.executable, "-c", code, str(ws)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False ['one']"
    assert storage.load_workspace(ws) == first


def test_values_only_the_json_module_writes_load_the_same_from_the_cache(tmp_path: Path) -> None:
    """An integer beyond 64 bits (orjson refuses it: the json module's path), dates (text either way):
    the cached load equals the parsed one."""
    ws = _cache_ws(tmp_path)
    (ws / "C" / "one.yaml").write_text(
        'name: one\nmethod: GET\nurl: http://a/1\ndocs: "é ✓"\n'
        "meta: {big: 123456789012345678901234567890, when: 2024-01-02, at: 2024-01-02 10:00:00}\n")
    parsed = storage.load_workspace(ws)
    (request,) = parsed.collections[0].all_requests()
    assert request.docs == "é ✓"
    assert dict(request.meta) == {"big": "123456789012345678901234567890", "when": "2024-01-02",
                                  "at": "2024-01-02 10:00:00"}
    assert (ws / ".workbench" / storage.PARSE_CACHE_FILE).exists()
    assert storage.load_workspace(ws) == parsed


def test_cache_never_hides_an_external_edit_or_a_broken_file(tmp_path: Path) -> None:
    ws = _cache_ws(tmp_path)
    storage.load_workspace(ws)
    request_file = ws / "C" / "one.yaml"
    request_file.write_text("name: renamed outside\nmethod: POST\nurl: http://a/2\n")
    loaded = storage.load_workspace(ws)
    (request,) = loaded.collections[0].all_requests()
    assert (request.name, request.method, request.url) == ("renamed outside", "POST", "http://a/2")
    request_file.write_text("name: [unclosed\n")
    for _ in range(2):  # reported on every load, not only the first
        broken = storage.load_workspace(ws)
        assert broken.collections[0].all_requests() == []
        assert any("invalid YAML" in p for p in broken.problems)


def test_duplicate_folder_copies_the_subtree_and_keeps_secrets_out_of_files(tmp_path: Path) -> None:
    from workbench.core.collections import Auth, Collection, Folder, Request

    ws = tmp_path / "dup"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection("C", folders=(Folder(
        "Orders", requests=(Request("list", "GET", "http://a/o"),),
        folders=(Folder("Deep", requests=(Request("one", "GET", "http://a/o/1",
                                                  auth=Auth("basic", {"username": "u", "password": "pw-XYZ"})),)),),
        auth=Auth("bearer", {"token": "tok-XYZ"})),)))
    new_rel = storage.duplicate_folder(ws, coll.path, "Orders")
    assert new_rel == "Orders copy"
    loaded = storage.load_workspace(ws).collections[0]
    (copy,) = [f for f in loaded.folders if f.path == "Orders copy"]
    assert copy.name == "Orders copy" and copy.auth == Auth("bearer", {"token": "tok-XYZ"})
    assert [r.name for r in copy.requests] == ["list"]
    assert copy.folders[0].requests[0].auth.get("password") == "pw-XYZ"
    every_file = "".join(p.read_text() for p in ws.rglob("*.yaml"))
    assert "XYZ" not in every_file


def test_files_that_are_not_requests_are_skipped_with_a_reason(tmp_path: Path) -> None:
    """Issue 12: a spec kept next to the requests showed up as "GET petstore-v3.0" and failed in `run`."""
    ws = storage.init_workspace(tmp_path)
    coll = Path(ws.root) / "Api"
    coll.mkdir()
    (coll / "collection.yaml").write_text("name: Api\n")
    (coll / "petstore-v3.0.yaml").write_text("openapi: 3.0.0\ninfo: {title: P, version: '1'}\npaths: {}\n")
    (coll / "notes.yaml").write_text("- one\n- two\n")
    (coll / "Get.yaml").write_text("name: Get\nmethod: GET\nurl: http://x\n")
    loaded = storage.load_workspace(ws.root)
    api = loaded.collection("Api")
    assert api is not None and [r.name for r in api.all_requests()] == ["Get"]
    assert any("petstore-v3.0.yaml: skipped, not a request: it looks like an OpenAPI descriptor" in p
               for p in loaded.problems)
    assert any("notes.yaml: skipped, not a request" in p for p in loaded.problems)


def test_a_secret_typed_into_an_environment_moves_to_the_store_on_load(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    env_file = Path(ws.root) / "environments" / "Prod.yaml"
    env_file.parent.mkdir()
    env_file.write_text("name: Prod\nvariables:\n- {name: clientSecret, value: s3cr3t-typed, secret: true}\n"
                        "- {name: baseUrl, value: 'http://x'}\n")
    loaded = storage.load_workspace(ws.root)
    assert loaded.environments[0].as_dict()["clientSecret"] == "s3cr3t-typed"
    assert "s3cr3t-typed" not in env_file.read_text() and "secret:" in env_file.read_text()
    assert any("moved the value of clientSecret to the secret store" in p for p in loaded.problems)
    assert storage.load_workspace(ws.root).environments[0].as_dict()["clientSecret"] == "s3cr3t-typed"
    state = Path(ws.root) / ".workbench"
    assert all("s3cr3t-typed" not in f.read_text(errors="replace") for f in state.rglob("*") if f.is_file())


def test_the_parse_cache_never_holds_a_secret_typed_in_clear(tmp_path: Path) -> None:
    ws = storage.init_workspace(tmp_path)
    coll = Path(ws.root) / "Api"
    coll.mkdir()
    (coll / "collection.yaml").write_text("name: Api\nauth: {type: basic, username: u, password: hunter2-typed}\n")
    (coll / "Get.yaml").write_text("name: Get\nmethod: GET\nurl: http://x\nauth: {type: bearer, token: tok-typed}\n")
    (coll / "Plain.yaml").write_text("name: Plain\nmethod: GET\nurl: http://x\n")
    for _ in range(2):  # the second load reads through the cache
        loaded = storage.load_workspace(ws.root)
        api = loaded.collection("Api")
        assert api is not None and api.auth.get("password") == "hunter2-typed"
    cache = (Path(ws.root) / ".workbench" / "parse-cache.json").read_text()
    assert "hunter2-typed" not in cache and "tok-typed" not in cache
    assert "Api/Plain.yaml" in cache  # other files are still cached


def test_an_api_titled_environments_is_not_written_into_environments(tmp_path: Path) -> None:
    """`environments/` holds the shared environments (and a collection's own): a collection or a
    top folder of that name goes to `environments 2`, loads as what it is, and no environment appears."""
    from workbench.core.openapi.importer import import_into_workspace

    spec = tmp_path / "env.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: environments, version: '1'}\npaths:\n"
                    "  /x: {get: {tags: [Environments], responses: {'200': {description: ok}}}}\n", encoding="utf-8")
    summary = import_into_workspace(spec, tmp_path / "ws")
    assert summary.collection_path == "environments 2"
    ws = storage.load_workspace(tmp_path / "ws")
    (collection,) = ws.collections
    assert collection.name == "environments" and len(collection.all_requests()) == 1
    assert all(e.name != "environments" for e in ws.environments)
    storage.save_collection(tmp_path / "ws2", Collection("C", folders=(Folder("Environments"),)))
    (saved,) = storage.load_workspace(tmp_path / "ws2").collections
    assert [f.path for f in saved.folders] == ["Environments 2"] and saved.environments == ()
