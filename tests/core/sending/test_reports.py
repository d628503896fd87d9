"""Run reports: JUnit XML one testcase per request sent, failures and errors apart, always well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from workbench.core.checks.evaluate import CheckResult
from workbench.core.collections import Request
from workbench.core.sending.reports import report_json, report_junit
from workbench.core.sending.runner import RunReport, RunResult


def test_junit_cases_failures_errors() -> None:
    results = (
        RunResult(Request("ok", path="F/ok.yaml"), 200, 12.0, checks=(CheckResult("status is 2xx", True),)),
        RunResult(Request("bad", "POST", path="bad.yaml"), 500, 8.0,
                  checks=(CheckResult("status is 2xx", False, "status 500, expected 2xx\x07"),)),
        RunResult(Request("down"), None, 1.0, error="Connection refused by 127.0.0.1:9: is the server running?"),
        RunResult(Request("ok"), 200, 3.0, iteration=1),
    )
    report = RunReport(results, 30.0, iterations=2)
    root = ET.fromstring(report_junit(report, "Coll"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["Coll (iteration 1)", "Coll (iteration 2)"]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["GET ok", "POST bad", "GET down"] and cases[0].get("classname") == "Coll.F"
    assert cases[1].find("failure").get("message") == "status is 2xx: status 500, expected 2xx"  # type: ignore[union-attr]
    assert "refused" in cases[2].find("error").get("message", "")  # type: ignore[union-attr]
    data = report_json(report, "Coll")
    assert data["failed"] == 2 and data["checks_failed"] == 1 and data["results"][1]["passed"] is False
