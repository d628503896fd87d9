"""`workbench odata parse|check URL`: the parsed query, the canonical URL, problems at their position."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
