"""Error bodies as one shape (core/response/error_bodies.py): RFC 9457 problem details, OData errors."""

from __future__ import annotations

from workbench.core.response.error_bodies import error_details


def test_problem_details_rfc9457() -> None:
    body = {"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.",
            "status": 403, "detail": "Your current balance is 30, but that costs 50.",
            "instance": "/account/12345/msgs/abc", "balance": 30,
            "errors": [{"pointer": "#/amount", "detail": "too much"}]}
    details = error_details("application/problem+json", body)
    assert details is not None and details.flavour == "problem"
    assert (details.status, details.title, details.instance) == (403, "You do not have enough credit.", "/account/12345/msgs/abc")
    assert details.extensions == {"balance": 30}
    assert details.errors == ({"pointer": "#/amount", "detail": "too much"},)


def test_odata_error_v4_and_v2() -> None:
    v4 = {"error": {"code": "404", "message": "Not Found", "target": "Users(999)",
                    "details": [{"code": "x", "message": "y"}], "innererror": {"trace": "abc"}}}
    details = error_details("application/json", v4)
    assert details is not None and details.flavour == "odata"
    assert (details.code, details.title, details.target) == ("404", "Not Found", "Users(999)")
    assert details.errors == ({"code": "x", "message": "y"},) and details.innererror == {"trace": "abc"}
    v2 = {"error": {"code": "SY/530", "message": {"lang": "en", "value": "Resource not found"}}}
    assert error_details("application/json", v2).title == "Resource not found"
    assert error_details("application/json", {"value": []}) is None
    assert error_details("application/json", [1, 2]) is None
