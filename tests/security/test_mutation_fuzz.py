"""Structural mutation of real descriptors and of a workspace, with a fixed budget (issue 18).

Real OpenAPI specs and CSDL documents (`../shared/data`) and a small workspace written here are
parsed, mutated deterministically (a seeded `random.Random`: keys deleted, values replaced by
other types, huge integers, NaN, long strings, deep nesting, subtrees duplicated, `$ref`
targets swapped, XML element and attribute names broken) and fed through the entry points a
user reaches: `workbench import`, `workbench metadata`, `storage.load_workspace`, `workbench
send --no-history` and `workbench run` (against 127.0.0.1:9, so nothing leaves the machine).

The contract: exit 0, 1 or 2; a non-zero exit says why in one line on stderr; the catch-all
`unexpected error:` never fires; no traceback; no case runs longer than `CASE_SECONDS`.
About 300 mutants in all; each area prints its exit-code histogram (visible with `-s` or
`-rA`, and always on failure).
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from workbench import cli
from workbench.core.workspace import storage

CASE_SECONDS = 20.0  # a hang, not a slow case: the slowest real mutant takes well under a second
DEEP = "__DEEP_NESTING__"  # replaced in the serialised text: the serialisers themselves recurse
LONG = "x" * 200_000
HOSTILE: list[Any] = [None, [], {}, 2**70, -(2**70), float("nan"), float("inf"), True, 0, -1, 1.5, "", LONG,
                      "{{", "{{nope}}", "a\x00b", "é/../../etc/passwd", ["a", 1, None], {"$ref": "#"}, DEEP]
REFS = ["#", "#/", "#/components/schemas/Nope", "#/definitions/Nope", "#/paths", "missing.yaml",
        "missing.yaml#/x", "#/components/schemas/%ZZ", "#/info/title", "/etc/hostname"]

OPENAPI_FILES = ["openapi/petstore-v3.0.yaml", "openapi/petstore-v2.0.json", "openapi/tictactoe-v3.1.yaml",
                 "openapi/swagger-petstore3-openapi.yaml", "openapi/webhook-example-v3.1.yaml",
                 "csdl/odata-openapi-examples/Products.openapi3.json"]
CSDL_XML_FILES = ["csdl/TripPin.xml", "csdl/ODataDemo-V2-service.edmx", "csdl/odata-openapi-examples/People.xml",
                  "csdl/Northwind-V2-service.edmx"]
BUDGET = {"openapi": 90, "openapi-folder": 25, "csdl-xml": 80, "csdl-json": 40, "workspace": 60}
# The suite runs one fixed seed; a longer hunt: WORKBENCH_FUZZ_SEED=N WORKBENCH_FUZZ_SCALE=10 pytest this file.
SEED = int(os.environ.get("WORKBENCH_FUZZ_SEED", "1800"))
SCALE = int(os.environ.get("WORKBENCH_FUZZ_SCALE", "1"))


# --------------------------------------------------------------------------- running a case


def _run_bounded(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str, float]:
    """`cli.main(argv)` in a thread joined with a timeout: (exit code or None on a hang, stdout, stderr, seconds)."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["code"] = cli.main(argv)
        except BaseException as exc:  # noqa: BLE001 - anything escaping main is itself a finding
            result["escaped"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(CASE_SECONDS)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    if worker.is_alive():
        return None, out, err, elapsed
    if "escaped" in result:
        exc = result["escaped"]
        return -1, out, f"escaped main: {exc.__class__.__name__}: {exc}", elapsed
    return int(result["code"]), out, err, elapsed


class Tally:
    """Exit codes and findings of one area, printed as one summary line."""

    def __init__(self, area: str) -> None:
        self.area = area
        self.codes: Counter[str] = Counter()
        self.findings: list[str] = []
        self.cases = 0
        self.slowest = 0.0

    def check(self, name: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err, elapsed = _run_bounded(argv, capsys)
        self.cases += 1
        self.slowest = max(self.slowest, elapsed)
        self.codes["hang" if code is None else str(code)] += 1
        lines = [line for line in err.splitlines() if line.strip()]
        why = ""
        if code is None:
            why = f"no exit after {CASE_SECONDS:.0f} s"
        elif code not in (0, 1, 2):
            why = f"exit {code}"
        elif "unexpected error" in err or "Traceback" in err:
            why = "reached the catch-all"
        elif code == 1 and argv[0] == "run" and not lines:
            why = "" if " request(s), " in out else "exit 1 without a report or a reason"  # failures go in the report
        elif code != 0 and not lines:
            why = "non-zero exit with nothing on stderr"
        elif code != 0 and argv[0] != "run" and len(lines) != 1:
            why = f"{len(lines)} lines on stderr"
        if why:
            self.findings.append(f"{self.area}/{name} ({argv[0]}): {why}: {err.strip()[:300]}")

    def report(self, capsys: pytest.CaptureFixture[str]) -> None:
        histogram = ", ".join(f"exit {k}: {v}" for k, v in sorted(self.codes.items()))
        with capsys.disabled():
            print(f"\n[mutation fuzz] {self.area}: {self.cases} cases ({histogram}); "
                  f"slowest {self.slowest:.2f} s; findings: {len(self.findings)}")
        assert not self.findings, "\n".join(self.findings)


# --------------------------------------------------------------------------- mutating a tree


def _slots(doc: Any, limit: int = 20_000) -> list[tuple[Any, Any]]:
    """(container, key) for every value below the root, breadth first, at most `limit`."""
    out: list[tuple[Any, Any]] = []
    queue = [doc]
    while queue and len(out) < limit:
        node = queue.pop(0)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            out.append((node, key))
            if isinstance(value, (dict, list)):
                queue.append(value)
    return out


def _delete(rng: random.Random, slots: list[tuple[Any, Any]], doc: Any) -> None:
    container, key = rng.choice(slots)
    if isinstance(container, dict):
        del container[key]
    else:
        container.pop(key)


def _retype(rng: random.Random, slots: list[tuple[Any, Any]], doc: Any) -> None:
    container, key = rng.choice(slots)
    container[key] = copy.deepcopy(rng.choice(HOSTILE))


def _duplicate(rng: random.Random, slots: list[tuple[Any, Any]], doc: Any) -> None:
    (src, skey), (dst, dkey) = rng.choice(slots), rng.choice(slots)
    value = copy.deepcopy(src[skey])
    if isinstance(dst, list):
        dst.extend([value] * rng.choice((1, 2, 50)))
    elif isinstance(dst.get(dkey), dict):
        dst[dkey] = {**dst[dkey], **{f"{dkey}{i}": copy.deepcopy(value) for i in range(rng.choice((1, 2, 50)))}}
    else:
        dst[dkey] = value


def _swap_refs(rng: random.Random, slots: list[tuple[Any, Any]], doc: Any) -> None:
    refs = [(c, k) for c, k in slots if k == "$ref" and isinstance(c[k], str)]
    if not refs:
        _retype(rng, slots, doc)
        return
    (a, ka) = rng.choice(refs)
    if len(refs) > 1 and rng.random() < 0.5:
        (b, kb) = rng.choice(refs)
        a[ka], b[kb] = b[kb], a[ka]
    elif rng.random() < 0.3:
        a.clear()
        a["$ref"] = a_ref = "#/" + "/".join(str(k) for k in _path_to(doc, a))  # a schema that is itself
        a["x-self"] = a_ref
    else:
        a[ka] = rng.choice(REFS)


def _path_to(doc: Any, target: Any) -> list[Any]:
    stack: list[tuple[Any, list[Any]]] = [(doc, [])]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((v, [*path, k]) for k, v in items if isinstance(v, (dict, list)))
    return []


def _odd_keys(rng: random.Random, slots: list[tuple[Any, Any]], doc: Any) -> None:
    dicts = [c for c, _ in slots if isinstance(c, dict)] or [doc]
    target = rng.choice(dicts)
    if isinstance(target, dict):
        target[rng.choice([1, 2**70, True, None, 1.5, "", "$ref", "x" * 5000, "a/b~c"])] = rng.choice(HOSTILE)


TREE_OPS: list[Callable[[random.Random, list[tuple[Any, Any]], Any], None]] = [
    _delete, _retype, _retype, _duplicate, _swap_refs, _odd_keys]


def mutate_tree(doc: Any, rng: random.Random) -> Any:
    out = copy.deepcopy(doc)
    for _ in range(rng.choice((1, 1, 2, 3))):
        slots = _slots(out)
        if not slots:
            return rng.choice(HOSTILE)
        rng.choice(TREE_OPS)(rng, slots, out)
    return out


def _deep(text: str, rng: random.Random, flow: bool) -> str:
    depth = rng.choice((64, 1_500, 20_000))
    nested = rng.choice(("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth))
    return text.replace(f'"{DEEP}"' if flow else DEEP, nested)


def dump_tree(doc: Any, suffix: str, rng: random.Random) -> str:
    if suffix == ".json":
        return _deep(json.dumps(doc, default=str), rng, flow=True)
    return _deep(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**9), rng, flow=False)


def load_tree(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


# --------------------------------------------------------------------------- mutating XML

XML_VALUES = ["", LONG, "Edm.Nope", "Collection(", "Collection(Collection(Edm.String))", "1.5", "-1", "NaN",
              "99999999999999999999999", "ns.", ".", "{{", "Self.Nope", "true", "max", "é\u202e"]


def _xml_elements(root: ET.Element) -> list[tuple[ET.Element | None, ET.Element]]:
    out: list[tuple[ET.Element | None, ET.Element]] = [(None, root)]
    for parent in root.iter():
        out.extend((parent, child) for child in parent)
    return out


def mutate_xml(root: ET.Element, rng: random.Random) -> ET.Element:
    root = copy.deepcopy(root)
    names = sorted({el.tag for el in root.iter()})
    for _ in range(rng.choice((1, 1, 2, 3))):
        pairs = _xml_elements(root)
        parent, el = rng.choice(pairs[1:] or pairs)
        op = rng.randrange(8)
        if op == 0:  # a broken or a wrong element name
            el.tag = rng.choice([el.tag + "x", el.tag.split("}")[-1], "{urn:nope}" + el.tag.split("}")[-1],
                                 rng.choice(names)])
        elif op == 1 and el.attrib:  # drop an attribute
            del el.attrib[rng.choice(sorted(el.attrib))]
        elif op == 2 and el.attrib:  # a hostile attribute value
            el.set(rng.choice(sorted(el.attrib)), rng.choice(XML_VALUES))
        elif op == 3:  # an attribute with a wrong name
            el.set(rng.choice(["Type", "Name", "Nullable", "Key", "MaxLength", "BaseType", "Partner", "EntityType",
                               "Abstract", "IsBound", "Namespace", "Alias", "Precision"]), rng.choice(XML_VALUES))
        elif op == 4 and parent is not None:  # delete the element
            parent.remove(el)
        elif op == 5 and parent is not None:  # duplicate the subtree (duplicate names)
            for _ in range(rng.choice((1, 2, 50))):
                parent.append(copy.deepcopy(el))
        elif op == 6:  # move an element somewhere it does not belong
            _, other = rng.choice(pairs)
            if other is not el and el not in other.iter() and parent is not None:
                parent.remove(el)
                other.append(el)
        else:  # deep nesting (replaced in the text: ElementTree serialises recursively)
            el.text = DEEP
    return root


def dump_xml(root: ET.Element, rng: random.Random) -> str:
    text = ET.tostring(root, encoding="unicode")
    depth = rng.choice((64, 1_500, 20_000))
    return text.replace(DEEP, "<a>" * depth + "</a>" * depth)


# --------------------------------------------------------------------------- the documents


@pytest.fixture(scope="module")
def data_dir() -> Path:
    """`../shared/data` beside the project (tests/conftest.py's `shared_data`, at module scope)."""
    shared = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
    if not shared.is_dir():
        pytest.skip(f"shared data folder {shared} is absent: no real descriptors to mutate")
    return shared


def _present(data: Path, names: list[str]) -> list[Path]:
    paths = [data / name for name in names if (data / name).is_file()]
    if not paths:
        pytest.skip(f"none of {names} is in {data}")
    return paths


# A CSDL JSON document in the shape of OASIS's examples (the shared data holds only XML CSDL).
CSDL_JSON: dict[str, Any] = {
    "$Version": "4.01", "$EntityContainer": "Demo.Container",
    "$Reference": {"https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json":
                   {"$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]}},
    "Demo": {
        "$Alias": "self",
        "Color": {"$Kind": "EnumType", "$IsFlags": True, "Red": 1, "Green": 2, "Blue": 4},
        "Address": {"$Kind": "ComplexType", "Street": {"$Nullable": True}, "City": {},
                    "Geo": {"$Type": "Edm.GeographyPoint", "$SRID": "4326", "$Nullable": True}},
        "Person": {"$Kind": "EntityType", "$Key": ["ID"], "ID": {"$Type": "Edm.Int32"},
                   "Name": {"$MaxLength": 40, "@Core.Description": "Full name"},
                   "Price": {"$Type": "Edm.Decimal", "$Precision": 10, "$Scale": 2, "$Nullable": True},
                   "Color": {"$Type": "Demo.Color", "$DefaultValue": "Red"},
                   "Home": {"$Type": "Demo.Address", "$Nullable": True},
                   "Friends": {"$Kind": "NavigationProperty", "$Collection": True, "$Type": "Demo.Person",
                               "$Partner": "Friends"},
                   "Orders": {"$Kind": "NavigationProperty", "$Collection": True, "$Type": "Demo.Order",
                              "$ContainsTarget": True}},
        "Employee": {"$Kind": "EntityType", "$BaseType": "Demo.Person", "Salary": {"$Type": "Edm.Double"}},
        "Order": {"$Kind": "EntityType", "$Key": [{"OID": "ID"}], "ID": {"$Type": "Edm.Guid"},
                  "Owner": {"$Kind": "NavigationProperty", "$Type": "self.Person",
                            "$ReferentialConstraint": {"OwnerID": "ID"}, "$OnDelete": {"$Action": "Cascade"}},
                  "OwnerID": {"$Type": "Edm.Int32"}},
        "Promote": [{"$Kind": "Action", "$IsBound": True,
                     "$Parameter": [{"$Name": "it", "$Type": "Demo.Employee"}, {"$Name": "Level", "$Type": "Edm.Int32"}],
                     "$ReturnType": {"$Type": "Demo.Employee"}}],
        "Nearest": [{"$Kind": "Function", "$IsComposable": True,
                     "$Parameter": [{"$Name": "City", "$Nullable": True}],
                     "$ReturnType": {"$Collection": True, "$Type": "Demo.Person"}}],
        "Container": {"$Kind": "EntityContainer",
                      "People": {"$Collection": True, "$Type": "Demo.Person",
                                 "$NavigationPropertyBinding": {"Friends": "People"}},
                      "Orders": {"$Collection": True, "$Type": "Demo.Order", "$IncludeInServiceDocument": False},
                      "Me": {"$Type": "Demo.Person"},
                      "NearestPeople": {"$Function": "Demo.Nearest", "$EntitySet": "People"},
                      "Reset": {"$Action": "Demo.Promote"}},
        "$Annotations": {"Demo.Person/Name": {"@Core.Immutable": True}},
    },
}


# --------------------------------------------------------------------------- the areas


def test_mutated_openapi_specs(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED + 1)
    tally = Tally("openapi")
    docs = [(p, load_tree(p)) for p in _present(data_dir, OPENAPI_FILES)]
    for i in range(BUDGET["openapi"] * SCALE):
        source, doc = docs[i % len(docs)]
        mutant = tmp_path / f"m{i}" / f"spec{source.suffix}"
        mutant.parent.mkdir()
        mutant.write_text(dump_tree(mutate_tree(doc, rng), source.suffix, rng), encoding="utf-8")
        tally.check(f"{source.name}#{i}", ["import", str(mutant), "--into", str(tmp_path / f"ws{i}")], capsys)
    tally.report(capsys)


def test_mutated_multi_file_spec(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One file of a spec split over files (relative `$ref`s across folders) mutated at a time."""
    folder = data_dir / "openapi" / "petstore-separate"
    if not (folder / "spec" / "swagger.yaml").is_file():
        pytest.skip(f"{folder} is absent: no multi-file spec to mutate")
    rng = random.Random(SEED + 2)
    tally = Tally("openapi-folder")
    files = sorted(p.relative_to(folder) for p in folder.rglob("*.yaml"))
    for i in range(BUDGET["openapi-folder"] * SCALE):
        copy_dir = tmp_path / f"m{i}"
        shutil.copytree(folder, copy_dir)
        target = copy_dir / files[i % len(files)]
        target.chmod(0o644)
        target.write_text(dump_tree(mutate_tree(load_tree(target), rng), ".yaml", rng), encoding="utf-8")
        source = copy_dir if i % 2 else copy_dir / "spec" / "swagger.yaml"
        tally.check(f"{target.relative_to(copy_dir)}#{i}", ["import", str(source), "--into", str(tmp_path / f"ws{i}")],
                    capsys)
    tally.report(capsys)


def test_mutated_csdl_xml(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED + 3)
    tally = Tally("csdl-xml")
    docs = [(p, ET.parse(p).getroot()) for p in _present(data_dir, CSDL_XML_FILES)]
    for i in range(BUDGET["csdl-xml"] * SCALE):
        source, root = docs[i % len(docs)]
        mutant = tmp_path / f"m{i}{source.suffix}"
        mutant.write_text(dump_xml(mutate_xml(root, rng), rng), encoding="utf-8")
        argv = ["metadata", str(mutant)] if i % 2 else ["import", str(mutant), "--into", str(tmp_path / f"ws{i}")]
        tally.check(f"{source.name}#{i}", argv, capsys)
    tally.report(capsys)


def test_mutated_csdl_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED + 4)
    tally = Tally("csdl-json")
    for i in range(BUDGET["csdl-json"] * SCALE):
        mutant = tmp_path / f"m{i}.json"
        mutant.write_text(dump_tree(mutate_tree(CSDL_JSON, rng), ".json", rng), encoding="utf-8")
        argv = ["metadata", str(mutant)] if i % 2 else ["import", str(mutant), "--into", str(tmp_path / f"ws{i}")]
        tally.check(f"csdl.json#{i}", argv, capsys)
    tally.report(capsys)


DEAD = "http://127.0.0.1:9"  # the discard port: nothing listens, every send fails fast with exit 1
WORKSPACE: dict[str, Any] = {
    "workspace.yaml": {"name": "fuzz", "variables": [{"name": "g", "value": "1"}],
                       "settings": {"timeout_s": 2.0, "connect_timeout_s": 1.0, "follow_redirects": True,
                                    "verify_tls": True, "proxy": "", "max_body_mb": 5}},
    "environments/Shared.yaml": {"name": "Shared", "variables": [{"name": "host", "value": DEAD},
                                                                 {"name": "apiKey", "value": "k", "secret": False}]},
    "api/collection.yaml": {"name": "api", "variables": [{"name": "baseUrl", "value": "{{host}}/v1"},
                                                         {"name": "id", "value": "7"}],
                            "auth": {"type": "basic", "username": "u", "password": "p"},
                            "headers": [{"name": "X-Client", "value": "fuzz"}],
                            "settings": {"timeout_s": 2.0}},
    "api/environments/Local.yaml": {"name": "Local", "variables": [{"name": "host", "value": DEAD},
                                                                   {"name": "token", "value": "t"},
                                                                   {"name": "apiKey", "value": "k2"}]},
    "api/Get item.yaml": {"name": "Get item", "method": "GET", "url": "{{baseUrl}}/items/{{id}}",
                          "params": [{"name": "$select", "value": "a,b"}, {"name": "off", "value": "1", "enabled": False}],
                          "headers": [{"name": "Accept", "value": "application/json"}],
                          "checks": [{"status": "2xx"}, {"json": "$.id", "equals": 7}, {"header": "ETag"},
                                     {"time_below_ms": 500}],
                          "save": [{"variable": "etag", "header": "ETag"}, {"variable": "name", "json": "$.name"}]},
    "api/orders/folder.yaml": {"name": "orders", "auth": {"type": "bearer", "token": "{{token}}"},
                               "headers": [{"name": "X-Folder", "value": "1"}],
                               "variables": [{"name": "path", "value": "orders"}], "settings": {"verify_tls": False}},
    "api/orders/Create.yaml": {"name": "Create", "method": "POST", "url": "{{baseUrl}}/{{path}}",
                               "body": {"kind": "raw", "content_type": "application/json", "text": '{"a": 1}'},
                               "checks": [{"status": 201}, {"contract": True}]},
    "api/orders/Form.yaml": {"name": "Form", "method": "PUT", "url": "{{baseUrl}}/{{path}}/1",
                             "body": {"kind": "multipart", "parts": [{"name": "a", "value": "1"},
                                                                     {"name": "f", "value": "2", "content_type": "text/plain"}]},
                             "auth": {"type": "apikey", "key": "X-Key", "value": "{{apiKey}}", "in": "header"}},
    "api/orders/Token.yaml": {"name": "Token", "method": "DELETE", "url": "{{baseUrl}}/{{path}}/2",
                              "body": {"kind": "form", "form": [{"name": "a", "value": "b"}]},
                              "auth": {"type": "oauth2", "grant_type": "client_credentials",
                                       "token_url": f"{DEAD}/token", "client_id": "c", "client_secret": "s"}},
}


def test_mutated_workspace_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One workspace file mutated at a time, then loaded, sent and run (against the discard port)."""
    rng = random.Random(SEED + 5)
    tally = Tally("workspace")
    requests = [name for name, data in WORKSPACE.items() if "method" in data]
    for i in range(BUDGET["workspace"] * SCALE):
        ws = tmp_path / f"ws{i}"
        for name, data in WORKSPACE.items():
            path = ws / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        name = list(WORKSPACE)[i % len(WORKSPACE)]
        (ws / name).write_text(dump_tree(mutate_tree(WORKSPACE[name], rng), ".yaml", rng), encoding="utf-8")
        try:
            storage.load_workspace(ws)
        except storage.StorageError:
            pass  # a clean refusal; anything else escapes and fails the test with the case's name
        except Exception as exc:
            tally.findings.append(f"workspace/{name}#{i} (load_workspace): {exc.__class__.__name__}: {exc}")
        request = name if name in requests else rng.choice(requests)
        tally.check(f"{name}#{i}", ["send", "--no-history", "--env", "Local", str(ws / request)], capsys)
        tally.check(f"{name}#{i}", ["run", "--env", "Local", str(ws / "api")], capsys)
    tally.report(capsys)
