"""`dump_yaml`'s direct writer must give libyaml's bytes: fuzzed scalars and shapes, compared."""

from __future__ import annotations

import random
from typing import Any, Callable

import pytest
import yaml

from workbench.core.workspace import storage

ALPHABET = ["a", "b", "Z", "0", "1", " ", " ", " ", "\n", ":", "#", "-", "?", "'", '"', ",", "[", "{", "}", "&",
            "*", "!", "|", ">", "%", "@", "`", ".", "é", "中", "~", "=", "<"]
RARE = ["\t", "\r", "\u2028", "\ufeff", "😀", "\x85", "\x07", "\ud7ff", "\ue000", "\ufffd"]  # escapes, breaks
WORDS = ["true", "null", "1", "-1", "1.5", "0x1f", "2020-01-01", "yes", "no", "~", "=", "<<", "---", "...", "",
         "- a", "a: b", "a #b", "a:", ":a", "#a", "?", "-", "on", "1e3", ".inf", "0o7"]


def reference(data: object) -> str:
    _, _, dumper = storage._yaml_codec()
    return str(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120,
                         default_flow_style=False))


def random_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(WORDS)
    if roll < 0.4:  # long prose: folding at the line width
        return " ".join(rng.choice(["word", "a", "longerword", "x" * rng.randint(1, 30), "it's", "#tag", "a:b", " "])
                        for _ in range(rng.randint(10, 60)))
    return "".join(rng.choice(RARE if rng.random() < 0.01 else ALPHABET) for _ in range(rng.randint(0, 40)))


def random_key(rng: random.Random) -> str:
    text = random_text(rng)[:rng.choice([30, 30, 30, 40])]
    return text.replace("\n", "") if rng.random() < 0.9 else text


def random_value(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        return {random_key(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    if depth < 3 and roll < 0.3:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.35:
        return rng.choice([True, False, None, 0, -7, 10**30])
    return random_text(rng)


def test_direct_writer_matches_libyaml_on_fuzzed_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(17)
    written = storage._block_text
    direct = []

    def counted(data: Any, plain_ok: Callable[[str], bool], styles: dict[str, int]) -> str:
        text = written(data, plain_ok, styles)
        direct.append(1)
        return text

    monkeypatch.setattr(storage, "_block_text", counted)
    for _ in range(3000):
        doc = {random_key(rng): random_value(rng, 0) for _ in range(rng.randint(1, 5))}
        assert storage.dump_yaml(doc) == reference(doc), doc
    assert len(direct) > 800  # the direct writer, not only the fall-back, was compared


def test_shared_objects_and_floats_fall_back() -> None:
    shared: list[object] = []
    for doc in ({"a": shared, "b": shared}, {"a": 1.5}, {"a": "x\n\n"}, {"a": " lead\nx"}):
        assert storage.dump_yaml(doc) == reference(doc)
