"""`workbench metadata SOURCE [--json]`: the CLI contract of issue 6."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "csdl"
KEYS = ["actions", "complex_types", "entity_sets", "entity_types", "enum_types", "functions", "singletons"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", "metadata", *args], capture_output=True, text=True,
                          timeout=120)


def test_json_counts_trippin(shared_data: Path) -> None:
    result = _cli(str(shared_data / "csdl" / "TripPin.xml"), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["version"] == "4.0"
    assert sorted(doc["counts"]) == KEYS
    assert doc["counts"] == {"entity_sets": 4, "singletons": 1, "entity_types": 9, "complex_types": 4,
                             "enum_types": 1, "functions": 4, "actions": 2}
    schema = doc["model"]["schemas"][0]
    assert schema["namespace"] == "Microsoft.OData.SampleService.Models.TripPin"
    person = next(t for t in schema["entity_types"] if t["name"] == "Person")
    assert person["key"] == ["UserName"]


def test_overloads_count_one_each() -> None:
    result = _cli(str(DATA / "constructs-v4.xml"), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["counts"]["functions"] == 3  # TopCustomers + 2 overloads of Total


def test_readable_summary_v2() -> None:
    result = _cli(str(DATA / "sap-v2.xml"))
    assert result.returncode == 0
    assert "OData 2.0 metadata" in result.stdout
    assert "CustomerSet" in result.stdout and "key (CustomerId)" in result.stdout
    assert "ReleaseOrder()  action" in result.stdout


@pytest.mark.parametrize("content, message", [
    (b"<edmx:Edmx Version='4.0'", "Malformed XML"),
    (b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>', "Refused"),
    (b"<html/>", "Not a CSDL document"),
    (b'{"value": 1}', "Not a CSDL JSON document"),
])
def test_bad_documents_exit_2_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    doc = tmp_path / "bad.xml"
    doc.write_bytes(content)
    result = _cli(str(doc))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = _cli(str(tmp_path / "nope.xml"))
    assert result.returncode == 2 and "no such file" in result.stderr


@pytest.mark.peers
def test_service_url(odata_server) -> None:  # type: ignore[no-untyped-def]
    result = _cli(odata_server.url, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["entity_sets"] >= 3


@pytest.mark.peers
def test_service_error_exit_1(odata_server) -> None:  # type: ignore[no-untyped-def]
    result = _cli(odata_server.url + "/nope/")
    assert result.returncode == 1 and "answered 404" in result.stderr
