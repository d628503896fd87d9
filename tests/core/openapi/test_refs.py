"""`$ref` resolution and bundling: local, relative-file and ZIP-internal references, cycles cut."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml

from workbench.core.errors import SpecImportError
from workbench.core.openapi.importer import import_openapi
from workbench.core.openapi.refs import (
    LocalRefs,
    bundle,
    has_external_refs,
    resolve_pointer,
)
from workbench.core.openapi.sources import open_source


def dump(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _nested(depth: int) -> dict[str, object]:
    node: dict[str, object] = {}
    for _ in range(depth):
        node = {"n": node}
    return node


def test_json_pointer_escapes() -> None:
    """RFC 6901: `~1` is `/`, `~0` is `~`; URI percent-encoding is decoded first (OAS path keys)."""
    doc = {"paths": {"/a/{id}": {"get": 1}}, "x~y": [0, {"z": 2}]}
    assert resolve_pointer(doc, "/paths/~1a~1%7Bid%7D/get") == 1
    assert resolve_pointer(doc, "/x~0y/1/z") == 2
    with pytest.raises(SpecImportError, match="unresolvable"):
        resolve_pointer(doc, "/paths/missing")


def test_single_file_without_external_refs_is_not_copied(tmp_path: Path) -> None:
    """No external `$ref`: the bundle is the parsed document itself (no copy of a 4 MB spec)."""
    path = dump(tmp_path / "a.yaml", {"openapi": "3.0.0", "info": {"title": "a", "version": "1"}, "paths": {},
                                      "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {}}}})
    store = open_source(path)
    assert bundle(store) is store.root


def test_relative_file_refs_are_inlined_parent_folders_and_fragments(tmp_path: Path) -> None:
    """`../common/x.yaml#/Frag` and `sibling.yaml` resolve against the referring file, not the root."""
    dump(tmp_path / "common" / "errors.yaml", {"Error": {"type": "object", "properties": {
        "code": {"$ref": "codes.yaml"}}}})
    dump(tmp_path / "common" / "codes.yaml", {"type": "integer", "enum": [404]})
    root = dump(tmp_path / "spec" / "api.yaml", {
        "openapi": "3.0.0", "info": {"title": "R", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"404": {"description": "no", "content": {"application/json": {
            "schema": {"$ref": "../common/errors.yaml#/Error"}}}}}}}}})
    # `$ref`s stay inside the source (issue 18): `../common` needs the folder that holds both.
    with pytest.raises(SpecImportError, match="outside the descriptor's folder"):
        bundle(open_source(root))
    doc = bundle(open_source(tmp_path, root="spec/api.yaml"))
    schema = doc["paths"]["/x"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert schema == {"type": "object", "properties": {"code": {"type": "integer", "enum": [404]}}}


def test_circular_refs_across_files_get_a_home_and_stay_finite(tmp_path: Path) -> None:
    """A cycle through external files is stored once under components/schemas; refs point there."""
    dump(tmp_path / "node.yaml", {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "node.yaml"}}}})
    root = dump(tmp_path / "api.yaml", {
        "openapi": "3.0.0", "info": {"title": "Tree", "version": "1"},
        "paths": {"/tree": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "node.yaml"}}}}, "responses": {"200": {"description": "ok"}}}}}})
    doc = bundle(open_source(root))
    text = json.dumps(doc)
    assert "node.yaml" not in text
    home = doc["components"]["schemas"]["node"]
    assert home["properties"]["children"]["items"] == {"$ref": "#/components/schemas/node"}
    assert doc["paths"]["/tree"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/node"}
    body = json.loads(import_openapi(root).collection.all_requests()[0].body.text)
    assert body["name"] == "string" and body["children"] == []  # the cycle is cut, not looped


def test_local_circular_ref_chain_is_reported() -> None:
    """A `$ref` that only refers to itself is an error, never an infinite loop."""
    refs = LocalRefs({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}})
    with pytest.raises(SpecImportError, match="circular"):
        refs.deref({"$ref": "#/a"})


def test_zip_internal_refs(tmp_path: Path) -> None:
    """Inside a ZIP, `$ref`s resolve to other entries, including `..` within the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pkg/api/root.yaml", yaml.safe_dump({
            "swagger": "2.0", "info": {"title": "Z", "version": "1"}, "host": "z.example.com",
            "paths": {"/z": {"get": {"parameters": [{"$ref": "../shared/params.yaml#/limit"}],
                                     "responses": {"200": {"description": "ok"}}}}}}))
        archive.writestr("pkg/shared/params.yaml", yaml.safe_dump({
            "limit": {"name": "limit", "in": "query", "type": "integer", "default": 5, "required": True}}))
    (tmp_path / "z.zip").write_bytes(buffer.getvalue())
    request = import_openapi(tmp_path / "z.zip").collection.all_requests()[0]
    assert [(p.name, p.value, p.enabled) for p in request.params] == [("limit", "5", True)]


def test_unresolvable_external_refs_name_the_file(tmp_path: Path) -> None:
    root = dump(tmp_path / "api.yaml", {"openapi": "3.0.0", "info": {"title": "U", "version": "1"},
                                        "paths": {"/u": {"$ref": "missing.yaml#/item"}}})
    with pytest.raises(SpecImportError, match=r"unresolvable \$ref 'missing.yaml#/item' in api.yaml.*not found"):
        import_openapi(root)
    dump(tmp_path / "other.yaml", {"something": 1})
    dump(tmp_path / "api.yaml", {"openapi": "3.0.0", "info": {"title": "U", "version": "1"},
                                 "paths": {"/u": {"$ref": "other.yaml#/item"}}})
    with pytest.raises(SpecImportError, match="nothing at '/item'"):
        import_openapi(root)


def test_refs_leaving_the_folder_over_http_are_refused(tmp_path: Path) -> None:
    """A file descriptor may not make us fetch from the network."""
    root = dump(tmp_path / "api.yaml", {"openapi": "3.0.0", "info": {"title": "N", "version": "1"},
                                        "paths": {"/n": {"$ref": "http://127.0.0.1:9/x.yaml"}}})
    with pytest.raises(SpecImportError, match="not a file beside the descriptor"):
        import_openapi(root)


@pytest.mark.parametrize(("doc", "external"), [
    ({"a": {"$ref": "#/b"}, "b": {}}, False),
    ({"a": [{"x": {"$ref": "other.yaml#/S"}}]}, True),
    ({"description": 'write {"$ref":"other.yaml"} to refer'}, False),  # inside a string: text, not a $ref
    ({"$ref": 5, "a": {"$ref": "#/x"}}, False),
    ({200: {"$ref": "common.yaml"}}, True),  # YAML's integer keys
    ({"data": b"\x00", "a": {"$ref": "common.yaml"}}, True),  # YAML !!binary: orjson refuses, the walk answers
    ({"a": {"$ref": "common.yaml"}, "deep": _nested(400)}, True),  # deeper than orjson goes
    ({"deep": _nested(400)}, False),
])
def test_external_refs_are_found_wherever_they_are(doc: dict[object, object], external: bool) -> None:
    assert has_external_refs(doc) is external
