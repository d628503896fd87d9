"""Exit codes and the one-line failure message: what every entry point ends with.

A leaf module (it imports nothing of ours), so the CLI, the sub-commands and the window's
start-up can all end a run the same way without importing each other (posting keeps its
`exit_codes.py` for the same reason). The codes are a contract: scripts test for them.
"""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_FAILED = 1  # the thing asked for failed: transport error, token refused, problems found
EXIT_BAD_INPUT = 2  # the input is bad: missing file, malformed document, bad arguments


def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    """Print one line on stderr and return the exit code (for `return fail(...)`)."""
    first = " ".join(str(message).split("\n")[0].split()) or "failed"
    sys.stderr.write(f"workbench: {first}\n")
    return code
