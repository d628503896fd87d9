"""A finished run as JSON (for scripts) and as JUnit XML (for CI systems).

JUnit XML has no formal standard; we write the shape Jenkins, GitLab and GitHub reporters all
read (the Ant JUnit task's): `testsuites` > one `testsuite` per iteration > one `testcase` per
request sent, with a `failure` for failed checks and an `error` when no response arrived.
Messages come from servers (a header value, a body excerpt): characters XML 1.0 forbids are
dropped so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from workbench.core.sending.runner import RunReport, RunResult

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def result_json(r: RunResult) -> dict[str, Any]:
    return {"name": r.request.name, "path": r.request.path, "method": r.request.method, "iteration": r.iteration,
            "status": r.status, "elapsed_ms": round(r.elapsed_ms, 1), "passed": r.ok, "error": r.error,
            "checks": [{"name": c.name, "passed": c.passed, "message": c.message} for c in r.checks]}


def report_json(report: RunReport, collection: str = "") -> dict[str, Any]:
    """Every result of the run; the keys of the first `--json` output are kept."""
    return {
        "collection": collection, "requests": len(report.results), "failed": report.failed,
        "iterations": report.iterations, "checks": report.checks, "checks_failed": report.checks_failed,
        "elapsed_ms": round(report.elapsed_ms, 1),
        "deletes": [r.request.path or r.request.name for r in report.deletes],
        "results": [result_json(r) for r in report.results],
    }


def report_junit(report: RunReport, collection: str = "run") -> str:
    """The JUnit XML text of a run: one testcase per request sent."""
    root = ET.Element("testsuites", name=_clean(collection), tests=str(len(report.results)),
                      failures=str(sum(1 for r in report.results if r.status is not None and not r.ok)),
                      errors=str(sum(1 for r in report.results if r.status is None)),
                      time=f"{report.elapsed_ms / 1000:.3f}")
    for iteration in range(report.iterations):
        results = [r for r in report.results if r.iteration == iteration]
        if not results and iteration:
            continue
        name = collection if report.iterations == 1 else f"{collection} (iteration {iteration + 1})"
        suite = ET.SubElement(root, "testsuite", name=_clean(name), tests=str(len(results)),
                              failures=str(sum(1 for r in results if r.status is not None and not r.ok)),
                              errors=str(sum(1 for r in results if r.status is None)), skipped="0",
                              time=f"{sum(r.elapsed_ms for r in results) / 1000:.3f}")
        for r in results:
            folder = r.request.path.rsplit("/", 1)[0] if "/" in r.request.path else ""
            case = ET.SubElement(suite, "testcase", name=_clean(f"{r.request.method} {r.request.name}"),
                                 classname=_clean(".".join(p for p in (collection, folder.replace("/", ".")) if p)),
                                 time=f"{r.elapsed_ms / 1000:.3f}")
            if r.status is None:
                ET.SubElement(case, "error", message=_clean(r.error), type="transport").text = _clean(r.error)
            elif not r.ok:
                lines = [f"{c.name}: {c.message}" if c.message else c.name for c in r.failures]
                ET.SubElement(case, "failure", message=_clean(lines[0] if lines else "failed"),
                              type="check").text = _clean("\n".join(lines))
            if r.checks:
                passed = "\n".join(f"{'✔' if c.passed else '✘'} {c.name}" for c in r.checks)
                ET.SubElement(case, "system-out").text = _clean(f"status {r.status}\n{passed}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
