"""Data files for iterations: CSV and JSON rows become variables; bad files are one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import StorageError
from workbench.core.sending.iteration_data import read_data_file


def test_csv_and_json_rows(tmp_path: Path) -> None:
    csv_file = tmp_path / "rows.csv"
    csv_file.write_bytes('\ufeffname,city\n"Zoë, Jr.",Köln\n\nbob,\n'.encode())
    assert read_data_file(csv_file) == ({"name": "Zoë, Jr.", "city": "Köln"}, {"name": "bob", "city": ""})
    json_file = tmp_path / "rows.json"
    json_file.write_text('[{"id": 1, "ok": true, "tags": ["a"], "n": null, "s": "x"}]', encoding="utf-8")
    assert read_data_file(json_file) == ({"id": "1", "ok": "true", "tags": '["a"]', "n": "", "s": "x"},)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.json", '{"a": 1}', "array of objects"), ("b.json", "[1, 2]", "item 1 is not an object"),
    ("c.json", "[{", "not valid JSON"), ("d.csv", "a\n1,2\n", "line 2 has 2 values"),
    ("e.csv", "", "names the variables"), ("f.json", "[]", "no rows")])
def test_bad_data_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StorageError, match=message):
        read_data_file(path)
    with pytest.raises(StorageError, match="no such data file"):
        read_data_file(tmp_path / "missing.csv")
