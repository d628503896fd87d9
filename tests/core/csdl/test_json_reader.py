"""CSDL JSON 4.01 → model, cross-checked against the OASIS converter (npm odata-csdl xml2json).

The converter turns the shared XML documents into CSDL JSON; parsing both must give the same
model (counts, types, properties, navigation, keys, capabilities), which checks the JSON parser
and the XML parser against an independent implementation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.csdl.json_reader import parse_json
from workbench.core.csdl.model import Model
from workbench.core.csdl.xml_reader import parse_xml
from workbench.core.errors import CsdlError

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "csdl"
sys.path.insert(0, str(ROOT / "tests" / "servers"))
import peers  # noqa: E402

SHARED_FILES = ["TripPin.xml", "Northwind-V2-service.edmx", "ODataDemo-V2-service.edmx",
                "odata-openapi-examples/containment.xml", "odata-openapi-examples/ExampleService.xml",
                "odata-openapi-examples/odata-rw-v3.xml", "odata-openapi-examples/People.xml"]


def _convert(xml: Path, out: Path) -> dict:  # type: ignore[type-arg]
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the odata-csdl cross-check needs node 20")
    peers.ensure_npm()
    result = subprocess.run(["node", str(ROOT / "bench" / "odata_csdl_xml2json.js"), str(xml), "1", str(out)],
                            capture_output=True, text=True, timeout=120,
                            env={"NODE_MODULES": str(peers.NODE_MODULES), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


def _shape(model: Model) -> dict:  # type: ignore[type-arg]
    """What both parsers must agree on (collection nullability is version-dependent, left out)."""
    out: dict = {"counts": model.counts(), "version": model.version}
    for t in model.entity_types():
        out[t.qualified_name] = (
            model.key_of(t), t.base_type, t.abstract, t.open_type,
            # Temporal precision: absent means 0 (CSDL 4.01 §7.2.3); the converter writes the 0 and
            # drops v2's MaxLength="Max" (absent = unbounded in v4), which we keep as "max".
            [(p.name, p.type, p.collection, p.nullable if not p.collection else None,
              None if p.max_length == "max" else p.max_length, p.precision or None)
             for p in t.properties],
            sorted((n.name, n.type, n.collection, n.partner, n.contains_target) for n in t.navigation_properties))
    for c in model.complex_types():
        out[c.qualified_name] = [(p.name, p.type, p.collection) for p in c.properties]
    for e in model.enum_types():
        out[e.qualified_name] = [(m.name, m.value) for m in e.members]
    for es in model.entity_sets():
        targets = sorted((b.path, getattr(model.binding_target(es, b.path), "name", b.target))
                         for b in es.navigation_bindings)
        out[f"set:{es.name}"] = (es.entity_type, targets, es.capabilities)
    for op in (*model.functions(), *model.actions()):
        out.setdefault(f"op:{op.qualified_name}", []).append(
            (op.kind, op.is_bound, [(p.name, p.type, p.collection) for p in op.parameters],
             op.return_type.type_name if op.return_type else None))
    for fi in model.function_imports():
        out[f"fi:{fi.name}"] = (fi.function, fi.entity_set)
    for ai in model.action_imports():
        out[f"ai:{ai.name}"] = (ai.action, ai.entity_set)
    return out


@pytest.mark.peers
@pytest.mark.parametrize("name", SHARED_FILES)
def test_same_model_as_odata_csdl_converter(name: str, shared_data: Path, tmp_path: Path) -> None:
    xml = shared_data / "csdl" / name
    doc = _convert(xml, tmp_path / "out.json")
    from_json = parse_json(json.dumps(doc).encode())
    from_xml = parse_xml(xml.read_bytes())
    assert _shape(from_json) == _shape(from_xml)


@pytest.mark.peers
def test_constructs_document_through_converter(tmp_path: Path) -> None:
    """Our own construct-per-feature document, incl. external annotations and enum members."""
    doc = _convert(DATA / "constructs-v4.xml", tmp_path / "out.json")
    from_json = parse_json(doc)
    from_xml = parse_xml((DATA / "constructs-v4.xml").read_bytes())
    assert _shape(from_json) == _shape(from_xml)
    customer = from_json.entity_type("shop.Customer")
    assert customer is not None and customer.description == "Someone who buys"
    assert from_json.property(customer, "Name").description == "Full name"  # type: ignore[union-attr]
    assert from_json.operations("shop.Total")[1].description == "Sum over orders"
    assert [r.includes[0].alias for r in from_json.references] == ["Core", "Capabilities"]
    color = from_json.find_type("shop.Color")
    assert color.members[0].annotations[0].value == "like a rose"  # type: ignore[union-attr]


def test_json_defaults() -> None:
    """CSDL JSON §4: $Type defaults to Edm.String and $Nullable to false; members are properties."""
    model = parse_json({
        "$Version": "4.01", "$EntityContainer": "N.C",
        "N": {"$Alias": "n",
              "T": {"$Kind": "EntityType", "$Key": ["id", {"k2": "inner/code"}], "id": {},
                    "opt": {"$Type": "Edm.Int32", "$Nullable": True, "@Core.Description": "optional"},
                    "nav": {"$Kind": "NavigationProperty", "$Type": "n.T", "$Collection": True}},
              "f": [{"$Kind": "Function", "$Parameter": [{"$Name": "x", "$Type": "Edm.Int32"}],
                     "$ReturnType": {"$Type": "n.T"}}],
              "C": {"$Kind": "EntityContainer", "Ts": {"$Collection": True, "$Type": "n.T"},
                    "One": {"$Type": "n.T"}, "F": {"$Function": "n.f"}}}})
    t = model.entity_type("N.T")
    assert t is not None and t.key == ("id", "k2") and t.key_aliases == {"k2": "inner/code"}
    ident, opt = t.properties
    assert (ident.type, ident.nullable) == ("Edm.String", False)
    assert opt.nullable and opt.description == "optional"
    assert t.navigation_properties[0].type == "N.T" and t.navigation_properties[0].collection
    assert model.entity_type_of_set("One") is t and model.function_import("F").function == "N.f"  # type: ignore[union-attr]
    assert model.entity_container is not None and model.entity_container.is_default


@pytest.mark.parametrize("raw", [b"1e999", b'"x"', b"1.5", b"true", b"[1]"])
def test_an_enum_value_that_is_no_integer_is_named(raw: bytes) -> None:
    """CSDL JSON §10.2: member values are integers; anything else is reported against the member, in words."""
    doc = b'{"$Version": "4.01", "N": {"E": {"$Kind": "EnumType", "Red": 0, "Blue": ' + raw + b"}}}"
    with pytest.raises(CsdlError) as caught:
        parse_json(doc)
    message = caught.value.message
    assert message.startswith("Malformed CSDL JSON: N.E/Blue: the value ") and message.endswith("is not an integer")
    assert "Error" not in message


def test_enum_values_written_as_strings_or_whole_floats_are_read() -> None:
    model = parse_json(b'{"$Version": "4.01", "N": {"E": {"$Kind": "EnumType", "Red": "2", "Blue": 3.0}}}')
    enum = model.find_type("N.E")
    assert [(m.name, m.value) for m in enum.members] == [("Red", 2), ("Blue", 3)]  # type: ignore[union-attr]


def test_malformed_json_documents() -> None:
    with pytest.raises(CsdlError, match="Malformed CSDL JSON"):
        parse_json(b"{not json")
    with pytest.raises(CsdlError, match="no \"\\$Version\""):
        parse_json(b'{"value": []}')
