"""`workbench template list` and `workbench template apply NAME --into WORKSPACE [--set KEY=VALUE]...`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "unexpected error" not in err
    return code, out, err


def test_list_and_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "template", "list", "--json")
    assert code == 0 and "frends" in {t["id"] for t in json.loads(out)}
    ws = tmp_path / "ws"
    code, out, err = _run(capsys, "template", "apply", "frends", "--into", str(ws), "--set", "baseUrl=http://h",
                          "--set", "apiKey=k", "--json")
    assert code == 0, err
    assert json.loads(out) == {"collection": "Frends", "collection_path": "Frends", "environments": ["Production"]}
    request = (ws / "Frends" / "Import a specification.yaml").read_text()
    assert "timeout_s: 300" in request  # the slow import has its own timeout


@pytest.mark.parametrize("args, message", [
    (["nope"], "no connection template 'nope'"),
    (["frends", "--set", "baseUrl=http://h"], "needs: API key"),
    (["frends", "--set", "color=red"], "has no field 'color'"),
    (["frends", "--set", "novalue"], "expects KEY=VALUE"),
])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                      message: str) -> None:
    code, _, err = _run(capsys, "template", "apply", *args[:1], "--into", str(tmp_path / "ws"), *args[1:])
    assert code == 2 and message in err and err.count("\n") == 1
