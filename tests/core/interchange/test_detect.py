"""Format detection: each known format is recognised in order; anything else gets one sentence, not a parser's error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import SpecImportError
from workbench.core.interchange.detect import detect_format, import_file

CASES = {
    "c.sh": "# from the docs\ncurl https://h/x\n",
    "p.json": json.dumps({"info": {"name": "P", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"
                                                          "collection.json"}, "item": []}),
    "e.json": json.dumps({"name": "E", "values": [], "_postman_variable_scope": "environment"}),
    "i.yaml": "_type: export\n__export_format: 4\nresources: []\n",
    "o.yaml": "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "m.xml": '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"/>',
}
EXPECTED = {"c.sh": "curl", "p.json": "postman", "e.json": "postman-environment", "i.yaml": "insomnia",
            "o.yaml": "openapi", "m.xml": "csdl"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_format_is_recognised(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(CASES[name])
    assert detect_format(tmp_path / name) == EXPECTED[name]


@pytest.mark.parametrize("content", ["not a spec\n", "just: yaml\n", '{"some": "json"}', "<html></html>",
                                     "a: [unclosed\n"])
def test_unsupported_is_one_sentence_not_a_parse_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(content)
    with pytest.raises(SpecImportError) as info:
        import_file(path, tmp_path / "ws")
    assert "YAML" not in info.value.message and "accepted: a curl command" in info.value.message
    assert "\n" not in info.value.message and not (tmp_path / "ws").exists()


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"info": {"name": "P",\n')
    with pytest.raises(SpecImportError, match="invalid JSON at line 2"):
        detect_format(path)


def test_curl_joins_the_same_collection(tmp_path: Path) -> None:
    (tmp_path / "a.sh").write_text("curl https://h/a\ncurl -X POST https://h/b -d x=1\n")
    first = import_file(tmp_path / "a.sh", tmp_path / "ws")
    again = import_file(tmp_path / "a.sh", tmp_path / "ws")
    assert (first.collection, first.requests, again.collection_path) == ("Imported from curl", 2, first.collection_path)
    assert len(list((tmp_path / "ws" / first.collection_path).glob("*.yaml"))) == 5  # 4 requests + collection.yaml
    other = import_file(tmp_path / "a.sh", tmp_path / "ws", target_collection="Mine")
    assert other.collection == "Mine"


def _postman_file(tmp_path: Path, requests: int = 60) -> Path:
    items = [{"name": f"r{i}", "request": {"method": "GET", "url": f"https://h/x/{i}"}} for i in range(requests)]
    path = tmp_path / "big.postman_collection.json"
    path.write_text(json.dumps({"info": {"name": "Big", "schema": "https://schema.getpostman.com/json/collection/"
                                                                   "v2.1.0/collection.json"}, "item": items}))
    return path


def test_concurrent_imports_of_one_postman_file_give_one_collection(tmp_path: Path, race) -> None:  # type: ignore[no-untyped-def]
    """Four imports of the same file into a new workspace at once queue on the workspace lock: one
    collection with each request once; the others say "already has a collection" (no `r1 2.yaml`)."""
    source, ws = _postman_file(tmp_path), tmp_path / "ws"
    outcomes = race(lambda: import_file(source, ws))
    assert outcomes.count("ok") == 1, outcomes
    assert all("already has a collection named 'Big'" in o for o in outcomes if o != "ok")
    from workbench.core.workspace import storage

    (collection,) = storage.load_workspace(ws).collections
    assert len(collection.all_requests()) == 60
    assert sorted(p.name for p in (ws / collection.path).glob("*.yaml") if p.name != "collection.yaml") == \
        sorted(f"r{i}.yaml" for i in range(60))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_metadata_document_is_imported(tmp_path: Path, encoding: str) -> None:
    """`workbench metadata` reads `$metadata` in any Unicode encoding; `import` recognises it too,
    with a BOM or without one (`<` followed by NULs)."""
    xml = (Path(__file__).resolve().parents[2] / "data" / "csdl" / "constructs-v4.xml").read_text(encoding="utf-8")
    xml = xml.replace('encoding="utf-8"', 'encoding="utf-32"' if "32" in encoding else 'encoding="utf-16"')
    (tmp_path / "m.xml").write_bytes(xml.encode(encoding))
    assert detect_format(tmp_path / "m.xml") == "csdl"
    summary = import_file(tmp_path / "m.xml", tmp_path / "ws")
    assert summary.requests == 17
