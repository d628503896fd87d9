"""The response contract of an imported operation: self-contained JSON Schema a validator can use."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import jsonschema

from workbench.core.openapi.contract import load_operation_contract, self_contained
from workbench.core.openapi.importer import import_into_workspace
from workbench.core.openapi.refs import LocalRefs


def test_operation_contract_validates_responses_with_jsonschema(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """load_operation_contract: per status and content type a self-contained JSON Schema (refs kept,
    circular ones finite), 3.0 `nullable` rewritten; jsonschema validates with it as documented."""
    spec = {"openapi": "3.0.3", "info": {"title": "C", "version": "1"}, "paths": {"/nodes/{id}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Node"}}}},
                      "404": {"description": "missing"}}}}},
        "components": {"schemas": {"Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "nullable": True},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}}
    summary = import_into_workspace(write_spec(spec), tmp_path / "ws")
    contract = load_operation_contract(tmp_path / "ws" / summary.collection_path, "get /nodes/{id}")
    assert contract is not None
    assert contract["responses"]["404"] == {}
    schema = contract["responses"]["200"]["application/json"]
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"name": None, "children": [{"name": "leaf"}]}))
    assert list(validator.iter_errors({"children": [{"name": 5}]}))
    assert load_operation_contract(tmp_path / "ws" / summary.collection_path, "post /nodes/{id}") is None


def test_self_contained_copies_referenced_parts_and_rewrites_the_30_dialect() -> None:
    """self_contained: a `$ref` is kept and its target copied in at the same pointer, so the schema
    validates alone; OpenAPI 3.0 `nullable` becomes a `"null"` type (JSON Schema 2020-12)."""
    doc: dict[str, Any] = {"openapi": "3.0.3", "components": {"schemas": {
        "Tag": {"type": "string", "nullable": True},
        "Unused": {"type": "integer"}}}}
    schema = self_contained(doc, {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                            LocalRefs(doc), dialect30=True)
    assert schema["items"] == {"$ref": "#/components/schemas/Tag"}
    assert schema["components"] == {"schemas": {"Tag": {"type": ["string", "null"]}}}
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(["a", None]))
    assert list(validator.iter_errors([1]))
