"""`$ref` resolution and bundling: many files in, one self-contained document out.

OpenAPI reuses parts by JSON Reference (`{"$ref": "uri#/json/pointer"}`, RFC 6901 for the
pointer, RFC 3986 §5.2 for resolving the URI against the referring document). References may
point inside the same document, to a relative file beside it, or to another entry of a ZIP.

`bundle()` turns a multi-document descriptor into one document in which every `$ref` is
internal (`#/...`): external targets are inlined, and an external target that refers back to
itself (directly or through others) is stored once under `components/schemas` (3.x) or
`definitions` (2.0) and referenced from there, so circular schemas stay finite. Single-file
descriptors with only internal references are returned as they are, without a copy (a 4 MB
descriptor is not duplicated in memory).

`LocalRefs` then follows internal references in the bundled document; circular chains are
reported instead of looping.
"""

from __future__ import annotations

import re
from typing import Any, Mapping
from urllib.parse import unquote

import orjson

from workbench.core.errors import SpecImportError
from workbench.core.openapi.sources import (
    DocumentStore,
    display_name,
    join_uri,
    urldefrag,
)

BUNDLE_MAX_NODES = 5_000_000  # values in the bundled document (~100 MB of JSON); real ones stay far below
MAX_NESTING = 300  # levels of nesting, `$ref`s counted; real descriptors stay below ~40


def unescape(token: str) -> str:
    """One JSON-pointer token: `~1` is `/`, `~0` is `~` (RFC 6901 §4), after URI percent-decoding."""
    return unquote(token).replace("~1", "/").replace("~0", "~")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def resolve_pointer(doc: Any, pointer: str, where: str = "") -> Any:
    """The node at `pointer` (`/components/schemas/Pet`) in `doc`; SpecImportError when absent."""
    if pointer in ("", "/"):
        return doc
    node = doc
    for raw in pointer.lstrip("/").split("/"):
        token = unescape(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SpecImportError(f"unresolvable $ref {where or '#' + pointer!r}: nothing at {pointer!r}")
    return node


_EXTERNAL_REF = re.compile(rb'"\$ref":"(?!#)')


def has_external_refs(doc: Any) -> bool:
    """True when any `$ref` in `doc` points outside it.

    A walk of Kubernetes' 4 MB descriptor in Python took 0.2 s; orjson writes it in ~10 ms,
    and in its compact output a `$ref` key with a string value is exactly `"$ref":"`, while
    the same characters inside a string are escaped (`\\"$ref\\":`), so a search of the text
    cannot miss one (at worst a key such as `a"$ref` sends a document through the bundler, which
    is only slower). Documents orjson refuses (non-string keys, YAML binary, nesting beyond its
    limit) are walked.
    """
    try:
        text = orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return _walk_for_external_refs(doc)
    return _EXTERNAL_REF.search(text) is not None


def _walk_for_external_refs(doc: Any) -> bool:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


class _Bundler:
    """Inlines external `$ref` targets; cycles get a home inside the root document."""

    def __init__(self, store: DocumentStore, root: dict[str, Any]) -> None:
        self.store = store
        self.root_uri = urldefrag(store.root_uri)[0]
        self.root = root
        self.swagger2 = str(root.get("swagger", "")).startswith("2")
        self.active: list[str] = []
        self.inlined: dict[str, Any] = {}
        self.homes: dict[str, str] = {}
        self.placed: dict[str, Any] = {}
        self.sizes: dict[str, int] = {}  # values an inlined target adds each time it is reused
        self.nodes = 0
        self.used_names: set[str] = set(
            (root.get("definitions") or {}) if self.swagger2 else ((root.get("components") or {}).get("schemas") or {}))

    def home_for(self, uri: str) -> str:
        if uri not in self.homes:
            doc_uri, frag = urldefrag(uri)
            stem = re.sub(r"\.(ya?ml|json)$", "", display_name(doc_uri).rsplit("/", 1)[-1])
            last = unescape(frag.rstrip("/").rsplit("/", 1)[-1]) if frag.strip("/") else ""
            base = re.sub(r"[^A-Za-z0-9_.-]+", "_", last or stem) or "Bundled"
            name, n = base, 2
            while name in self.used_names:
                name, n = f"{base}_{n}", n + 1
            self.used_names.add(name)
            prefix = "#/definitions/" if self.swagger2 else "#/components/schemas/"
            self.homes[uri] = prefix + escape(name)
        return self.homes[uri]

    def count(self, nodes: int, base: str) -> None:
        """Add `nodes` to the bundle's size; a few tiny files must not become gigabytes."""
        self.nodes += nodes
        if self.nodes > BUNDLE_MAX_NODES:
            raise SpecImportError(f"{display_name(base)}: its $refs expand the descriptor to more than "
                                  f"{BUNDLE_MAX_NODES:,} values; refused (the same files are inlined over "
                                  "and over: a possible $ref bomb)")

    def walk(self, node: Any, base: str, depth: int = 0) -> Any:
        if depth > MAX_NESTING:
            raise SpecImportError(f"{display_name(base)}: nested more than {MAX_NESTING} levels deep "
                                  "(counting $refs); refused")
        self.count(1, base)
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self.ref(node, ref, base, depth + 1)
            out: dict[str, Any] = {}
            for k, v in node.items():
                out[k] = self.walk(v, base, depth + 1)
            return out
        if isinstance(node, list):
            items: list[Any] = []
            for v in node:
                items.append(self.walk(v, base, depth + 1))
            return items
        return node

    def ref(self, node: dict[str, Any], ref: str, base: str, depth: int) -> Any:
        if "\x00" in ref:
            raise SpecImportError(f"$ref {ref!r} in {display_name(base)} holds a NUL character; refused")
        try:
            target = join_uri(base, ref)
        except ValueError as exc:
            raise SpecImportError(f"$ref {ref!r} in {display_name(base)} is not a valid URI ({exc})") from exc
        doc_uri, frag = urldefrag(target)
        siblings = {k: self.walk(v, base, depth) for k, v in node.items() if k != "$ref"}
        if doc_uri == self.root_uri:
            return {"$ref": "#" + frag, **siblings}
        key = f"{doc_uri}#{frag}"
        if key in self.placed:
            return {"$ref": self.homes[key], **siblings}
        if key in self.active:
            return {"$ref": self.home_for(key), **siblings}
        if key in self.inlined:
            inlined = self.inlined[key]
            self.count(self.sizes[key], base)
            return {**inlined, **siblings} if siblings and isinstance(inlined, dict) else inlined
        try:
            document = self.store.document(doc_uri)
        except SpecImportError as exc:
            raise SpecImportError(f"unresolvable $ref {ref!r} in {display_name(base)}: {exc.message}",
                                  detail=exc.detail) from exc
        target_node = resolve_pointer(document, frag, f"{ref} in {display_name(base)}")
        self.active.append(key)
        before = self.nodes
        try:
            result = self.walk(target_node, doc_uri, depth)
        finally:
            self.active.pop()
        self.sizes[key] = self.nodes - before
        if key in self.homes:
            self.placed[key] = result
            self._place(self.homes[key], result)
            return {"$ref": self.homes[key], **siblings}
        self.inlined[key] = result
        return {**result, **siblings} if siblings and isinstance(result, dict) else result

    def _place(self, pointer: str, value: Any) -> None:
        parts = [unescape(p) for p in pointer.lstrip("#/").split("/")]
        node = self.out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def run(self) -> dict[str, Any]:
        self.out: dict[str, Any] = {}
        walked: dict[str, Any] = self.walk(self.root, self.root_uri)
        # Homes were placed into self.out while walking; merge them under the walked root.
        for key, value in self.out.items():
            if isinstance(value, dict) and isinstance(walked.get(key), dict):
                for sub, subval in value.items():
                    if isinstance(subval, dict) and isinstance(walked[key].get(sub), dict):
                        walked[key][sub] = {**walked[key][sub], **subval}
                    else:
                        walked[key][sub] = subval
            else:
                walked[key] = value
        return walked


def bundle(store: DocumentStore) -> dict[str, Any]:
    """The descriptor as one document with internal `$ref`s only (see the module docstring)."""
    root = store.root
    if not isinstance(root, dict):
        raise SpecImportError(f"{display_name(store.root_uri)}: not an OpenAPI descriptor "
                              "(the top level is not a mapping)")
    if not has_external_refs(root):
        return root
    try:
        return _Bundler(store, root).run()
    except RecursionError as exc:  # MAX_NESTING should come first; this is the last line of defence
        raise SpecImportError(f"{display_name(store.root_uri)}: nested too deeply to bundle; refused") from exc


class LocalRefs:
    """Follows internal `$ref`s in a bundled document, with cycle detection."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self._cache: dict[str, Any] = {}

    def target(self, ref: str) -> Any:
        if ref not in self._cache:
            if not ref.startswith("#"):
                raise SpecImportError(f"unresolvable $ref {ref!r}: external references must be bundled first")
            self._cache[ref] = resolve_pointer(self.doc, ref[1:], ref)
        return self._cache[ref]

    def deref(self, node: Any) -> Any:
        """`node` with `$ref` chains followed (siblings of a final `$ref` are dropped, as OAS 3.0 says)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):  # dict: parsed JSON/YAML; 5x
            # cheaper than an isinstance against typing's Mapping alias, run ~60k times on Kubernetes
            ref = node["$ref"]
            if ref in seen:
                raise SpecImportError(f"circular $ref {ref!r} refers only to itself")
            seen.add(ref)
            node = self.target(ref)
        return node
