"""Which requests the query builder and the metadata browser treat as OData (and their service root)."""

from __future__ import annotations

import pytest

from workbench.core.odata.recognize import odata_markers, odata_service_root


@pytest.mark.parametrize("url, meta, collection_meta, expected", [
    ("http://127.0.0.1:8080/get?search=x", None, None, False),  # httpbin echo: plain REST
    ("https://api.example.com/v1/users?page=2", None, None, False),
    ("https://api.example.com/v1/users", {"odata_service": "https://api.example.com/v1"}, None, True),  # from CSDL
    ("{{baseUrl}}/Things", None, {"fact.odata_max_top": "1000"}, True),  # an OData platform's template
    ("https://h/svc/$metadata", None, None, True),
    ("https://h/svc/People?$filter=Age gt 3", None, None, True),
    ("https://h/svc/People?%24top=3", None, None, True),
    ("http://h:4004/odata/v4/catalog/Books", None, None, True),
    ("https://h/sap/opu/odata/sap/ZSALES_SRV/Orders", None, None, True),
    ("https://h/Service.svc/Products", None, None, True),
    ("{{serviceRoot}}/People", None, None, True),
    ("https://h/api/$things", None, None, False),  # a `$` in a path is not enough
])
def test_odata_markers(url: str, meta: dict[str, str] | None, collection_meta: dict[str, str] | None,
                       expected: bool) -> None:
    assert odata_markers(url, meta, collection_meta) is expected


def test_service_root_from_meta_else_from_the_url() -> None:
    def resolve(text: str) -> str:
        return text.replace("{{serviceRoot}}", "https://h/svc")

    assert odata_service_root("{{serviceRoot}}/People?$top=1", resolve, {"odata_service": "{{serviceRoot}}"}) == \
        "https://h/svc"
    assert odata_service_root("https://services.odata.org/TripPinRESTierService/$metadata", resolve) == \
        "https://services.odata.org/TripPinRESTierService"
    assert odata_service_root("http://127.0.0.1:8080/get?x=1", resolve) == ""
