"""Batched writes of new files (one flush for an import) and the YAML short cut: same bytes, same crash guarantees."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from workbench.core.collections import Collection, Folder, KeyValue, Request
from workbench.core.workspace import storage

ROOT = Path(__file__).resolve().parents[3]


def _collection(n: int) -> Collection:
    requests = tuple(Request(f"Get item {i}", url=f"{{{{baseUrl}}}}/items/{i}", docs="line one\nline two\n" * 20,
                             params=(KeyValue("q", str(i)),)) for i in range(n))
    return Collection("Batch", folders=(Folder("Items", requests=requests),))


def test_new_files_are_flushed_once_not_one_fsync_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the batch: an import's new files cost one flush, not one fsync per file."""
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[-1])
    storage.init_workspace(tmp_path)
    fsyncs.clear()
    saved = storage.save_collection(tmp_path, _collection(30))
    if storage._syncfs() is not None:  # Linux: one syncfs for all of them
        assert fsyncs == []
    loaded = storage.load_workspace(tmp_path).collection(saved.path)
    assert loaded is not None and len(loaded.all_requests()) == 30
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_file_that_replaces_an_edited_one_keeps_its_own_fsync(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    storage.init_workspace(tmp_path)
    saved = storage.save_collection(tmp_path, _collection(2))
    request = saved.folders[0].requests[0]
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[-1])
    with storage.batched_writes():
        storage.save_request(tmp_path, saved.path, Request("Edited", url="http://h/", path=request.path))
        # Written in place at once (temp + fsync + rename), not held back with the batch.
        assert "Edited" in (tmp_path / saved.path / request.path).read_text()
    assert len(fsyncs) == 1


def test_names_stay_unique_while_files_wait_in_the_batch(tmp_path: Path) -> None:
    same = tuple(Request("Same name", url=f"http://h/{i}") for i in range(3))
    saved = storage.save_collection(tmp_path, Collection("C", requests=same))
    assert sorted(r.path for r in saved.requests) == ["Same name 2.yaml", "Same name 3.yaml", "Same name.yaml"]
    urls = sorted(r.url for r in storage.load_workspace(tmp_path).collections[0].requests)
    assert urls == ["http://h/0", "http://h/1", "http://h/2"]


def test_a_failed_batch_leaves_neither_files_nor_temp_files(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), storage.batched_writes():
        storage.write_atomic(tmp_path / "a.yaml", "a: 1\n")
        storage.write_atomic(tmp_path / "a.yaml", "a: 2\n")  # rewritten while pending
        assert not (tmp_path / "a.yaml").exists()
        raise RuntimeError("the import failed half-way")
    assert list(tmp_path.iterdir()) == []
    with storage.batched_writes():
        storage.write_atomic(tmp_path / "a.yaml", "a: 1\n")
        storage.write_atomic(tmp_path / "a.yaml", "a: 2\n")
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
    assert (tmp_path / "a.yaml").read_text() == "a: 2\n"


_CHILD = textwrap.dedent("""
    import os, sys, time
    from workbench.core.collections import Collection, Folder, Request
    from workbench.core.workspace import storage
    stage, root = sys.argv[1], sys.argv[2]
    real_flush, real_replace, renamed = storage._flush, os.replace, []
    def flush(files, devices):
        real_flush(files, devices)
        if stage == "flush":
            print("ready", flush=True); time.sleep(60)
    def replace(src, dst):
        real_replace(src, dst)
        renamed.append(dst)
        if stage == "rename" and len(renamed) == 20:
            print("ready", flush=True); time.sleep(60)
    storage._flush = flush
    os.replace = replace
    requests = tuple(Request(f"Get item {i}", url=f"http://h/items/{i}", docs="x" * 5000) for i in range(60))
    storage.save_collection(root, Collection("Killed", folders=(Folder("Items", requests=requests),)))
""")


@pytest.mark.parametrize("stage", ["flush", "rename"])
def test_kill_9_during_a_batch_never_leaves_a_partial_file(tmp_path: Path, stage: str) -> None:
    """SIGKILL after the flush (nothing renamed yet) or half-way through the renames."""
    root = tmp_path / "ws"
    root.mkdir()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, stage, str(root)], stdout=subprocess.PIPE, cwd=ROOT)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"ready"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    visible = [p for p in root.rglob("*.yaml") if not p.name.startswith(".")]
    if stage == "flush":
        assert visible == []  # new files appear only together with their content
    else:
        assert len(visible) == 20
    for path in visible:  # every file that exists is whole
        data = yaml.safe_load(path.read_text())
        assert data["name"] == "Killed" or (data["docs"] == "x" * 5000 and data["url"].startswith("http://h/items/"))
    temps = list(root.rglob(".*.tmp"))
    assert temps  # the rest are hidden temp files, which the next load sweeps once stale
    old = time.time() - storage.STALE_TEMP_SECONDS - 10
    for temp in temps:
        os.utime(temp, (old, old))
    storage.remove_stale_temp_files(root)
    assert not list(root.rglob(".*.tmp"))


@pytest.mark.parametrize("data", [
    {"name": "Get pet", "method": "GET", "url": "{{baseUrl}}/pets/{id}", "params": [{"name": "a", "value": ""}]},
    {"docs": "two\nlines\n", "body": {"kind": "raw", "text": "{\n  \"a\": 1\n}"}, "tab": "a\tb\nc", "n": 3,
     "yes": "yes", "null": None, "t": True, "empty": [], "nested": {"": {}}, "trail": "x \ny ",
     "unicode": "Grüße ☃ \u2028", "long": "word " * 60, "num": "0123", "colon": "a: b", "star": "*x"},
    {"float": 1.5, "list": [1, "2"]},  # floats go PyYAML's way
])
def test_yaml_short_cut_writes_what_pyyaml_writes(data: dict[str, object]) -> None:
    yaml_module, _, _ = storage._yaml_codec()

    class Reference(yaml_module.CSafeDumper):  # type: ignore[misc, name-defined]
        pass

    Reference.add_representer(str, storage._str_representer)
    expected = yaml_module.dump(data, Dumper=Reference, sort_keys=False, allow_unicode=True, width=120,
                                default_flow_style=False)
    assert storage.dump_yaml(data) == expected


def test_a_list_used_twice_still_gets_an_anchor() -> None:
    shared = [{"name": "a", "value": "1"}]
    text = storage.dump_yaml({"params": shared, "headers": shared})
    assert "&id001" in text and "*id001" in text
