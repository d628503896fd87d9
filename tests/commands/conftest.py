"""Fixtures shared by the sub-command tests: the CLI as a subprocess, and a small saved collection.

A subprocess is what scripts run, so the tests see the same exit codes, stdout and stderr
(and the same lazy imports) as a user's shell does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable

import peers
import pytest

from workbench.core.collections import Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli() -> Cli:
    """`workbench ARGS...` in a fresh interpreter, output captured as text."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=60)

    return run


@pytest.fixture
def echo_collection(tmp_path: Path, httpbin: peers.Peer) -> Path:
    """Folder of a saved collection with one 200 and one 418 request against httpbin, plus a `local` environment."""
    ws = tmp_path / "ws"
    storage.init_workspace(ws)
    coll = storage.save_collection(ws, Collection("Echo", requests=(
        Request("get", "GET", "{{baseUrl}}/get"), Request("teapot", "GET", "{{baseUrl}}/status/418"))))
    storage.save_environment(ws, Environment("local", (KeyValue("baseUrl", httpbin.url),)))
    return ws / coll.path
