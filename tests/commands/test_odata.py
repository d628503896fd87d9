"""`workbench odata parse|check URL`: the parsed query, the canonical URL, problems at their position."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import cli

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", "odata", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_cli_check_exit_codes(shared_data: Path, tmp_path: Path) -> None:
    trip = str(shared_data / "csdl" / "TripPin.xml")
    url = "http://localhost/svc/People?$filter=Nope eq 1"
    result = _cli("check", url, "--metadata", trip)
    assert result.returncode == 1
    assert f"position {url.index('Nope')}: Person has no property 'Nope'" in result.stdout
    lines = result.stdout.splitlines()
    caret_line = lines[lines.index("  " + url) + 1]
    assert caret_line.index("^") - 2 == url.index("Nope")
    assert _cli("check", "http://localhost/svc/People?$filter=FirstName eq 'x'", "--metadata", trip).returncode == 0
    bad = _cli("check", "http://localhost/svc/People?$filter=FirstName eq 'x", "--metadata", trip)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "Unterminated" in bad.stderr
    missing = _cli("check", url, "--metadata", str(tmp_path / "nope.xml"))
    assert missing.returncode == 2 and "cannot load the metadata" in missing.stderr
    assert _cli("check", "http://h/svc/People?$top=5000", "--metadata", trip, "--max-top", "1000").returncode == 1


def test_cli_parse_modes() -> None:
    url = "http://localhost/svc/People?$filter=FirstName eq 'Scott'&$expand=Trips($top=1)"
    as_json = _cli("parse", url, "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["node"] == "ODataUrl"
    canon = _cli("parse", url, "--canonical")
    assert canon.stdout.strip().splitlines()[-1] == \
        "http://localhost/svc/People?$expand=Trips($top=1)&$filter=FirstName%20eq%20'Scott'"
    default = _cli("parse", url)
    assert "$filter: FirstName eq 'Scott'" in default.stdout
    bad = _cli("parse", "http://h/svc/People?$top=x")
    assert bad.returncode == 2 and "non-negative integer" in bad.stderr and "Traceback" not in bad.stderr
    both = _cli("parse", url, "--json", "--canonical")
    assert both.returncode == 2


def _in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["odata", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_a_5000_term_or_filter_is_quick_in_every_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`parse --json` of a 5,000-term key list took a minute (577 MB of indentation); each mode
    is now linear: bounded output per term, and a time bound generous for a loaded CI machine."""
    url = "http://h/svc/People?$filter=" + " or ".join(f"ID eq {i}" for i in range(5000))
    meta = tmp_path / "meta.json"
    meta.write_text('{"$Version": "4.0", "$EntityContainer": "S.C", "S": {"P": {"$Kind": "EntityType", '
                    '"$Key": ["ID"], "ID": {"$Type": "Edm.Int32"}}, "C": {"$Kind": "EntityContainer", '
                    '"People": {"$Collection": true, "$Type": "S.P"}}}}', encoding="utf-8")
    for args, most_chars in ((("parse", url, "--json"), 2_000 * 5000), (("parse", url), 400 * 5000),
                             (("parse", url, "--canonical"), 30 * 5000),
                             (("check", url, "--metadata", str(meta)), 100)):
        start = time.perf_counter()
        code, out, err = _in_process(capsys, *args)
        assert code == 0 and not err, (args[0], args[2:], err[-300:])
        assert len(out) < most_chars and time.perf_counter() - start < 5, args[2:]
    small = "http://h/svc/People?$filter=" + " or ".join(f"ID eq {i}" for i in range(3))
    assert json.loads(_in_process(capsys, "parse", small, "--json")[1])["options"]["filter"]["right"]["right"] == \
        {"node": "Literal", "kind": "int", "text": "2", "pos": 56}


@pytest.mark.parametrize("query", ["$filter=" + "not " * 5000 + "true", "$filter=ID eq " + "-" * 5000 + "1",
                                   "$filter=" + "(" * 900 + "ID eq 1" + ")" * 900,
                                   "$expand=" + "a($expand=" * 600 + "b" + ")" * 600])
def test_cli_nesting_beyond_the_limit_is_exit_2_with_the_position(query: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://h/svc/People?" + query
    code, _, err = _in_process(capsys, "parse", url, "--json")
    assert code == 2 and "Traceback" not in err
    assert "nested more than 150 levels deep (at position" in err.splitlines()[-1]
    assert len(err) < 1000  # the caret line shows a window of the URL, not all of it
