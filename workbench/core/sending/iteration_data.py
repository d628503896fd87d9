"""A run's data file (newman's `-d`): CSV or a JSON array of objects, one iteration per row.

Each row's fields become variables for that iteration, so one POST goes out per record of a
file (a Bizagi Datasets user sending every row of an export). The file may be big or written
by anyone: its size and row count are bounded, and a malformed one is one StorageError (bad
input) naming the file and the row, before anything is sent.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from workbench.core.errors import StorageError

MAX_DATA_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def read_data_file(path: str | Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV (header line = variable names) or JSON (array of objects) file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_DATA_BYTES:
            raise StorageError(f"{p}: the data file is larger than {MAX_DATA_BYTES // (1024 * 1024)} MB")
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise StorageError(f"{p}: no such data file") from exc
    except OSError as exc:
        raise StorageError(f"{p}: cannot read the data file ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StorageError(f"{p}: the data file is not UTF-8 text") from exc
    looks_json = p.suffix.lower() == ".json" or (p.suffix.lower() != ".csv" and text.lstrip().startswith("["))
    rows = _json_rows(text, p) if looks_json else _csv_rows(text, p)
    if len(rows) > MAX_ROWS:
        raise StorageError(f"{p}: more than {MAX_ROWS} rows")
    if not rows:
        raise StorageError(f"{p}: the data file has no rows")
    return rows


def _json_rows(text: str, p: Path) -> tuple[dict[str, str], ...]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise StorageError(f"{p}: not valid JSON ({str(exc)[:120]})") from exc
    if not isinstance(data, list):
        raise StorageError(f"{p}: a JSON data file must be an array of objects, one per iteration")
    rows = []
    for index, item in enumerate(data[:MAX_ROWS + 1]):
        if not isinstance(item, dict):
            raise StorageError(f"{p}: item {index + 1} is not an object (each item is one iteration's variables)")
        rows.append({str(k): _text(v) for k, v in item.items()})
    return tuple(rows)


def _csv_rows(text: str, p: Path) -> tuple[dict[str, str], ...]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise StorageError(f"{p}: the first line of a CSV data file names the variables")
        names = [h.strip() for h in header]
        rows = []
        for line in reader:
            if not line or not any(cell.strip() for cell in line):
                continue
            if len(line) > len(names):
                raise StorageError(f"{p}: line {reader.line_num} has {len(line)} values for {len(names)} columns")
            rows.append({n: v for n, v in zip(names, line) if n})
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise StorageError(f"{p}: line {reader.line_num}: {exc}") from exc
    return tuple(rows)
