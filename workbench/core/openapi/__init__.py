"""OpenAPI/Swagger import: a descriptor becomes a collection, its environments and its contracts.

Entry points (import them from their modules; this package imports nothing, so that loading
any one module stays cheap at start-up):

- `importer.import_openapi(source, group_by=..., auth=..., root=...) -> ImportResult`: read a
  file, folder, ZIP or URL and convert it.
- `importer.import_into_workspace(source, workspace_root, ...) -> ImportSummary`: the same,
  written to a workspace; a re-import keeps the user's edits.
- `merge.write_import(result, workspace_root) -> ImportSummary`: write an `ImportResult` already
  in hand (the dialog converts first, then writes).
- `contract.load_operation_contract(collection_dir, "get /pets/{petId}")`: the response schemas
  of one imported operation, as JSON Schema.
- `sources.list_roots(source)`: the candidate root documents of a folder or ZIP.

The rest are parts: `sources` (reading), `refs` (bundling `$ref`s), `convert` with `servers`,
`security`, `bodies` and `samples` (the conversion, sharing one `descriptor`), `bundle` (the
saved `openapi.json`), `results` (the data an import returns).
"""
