"""Typed literals from metadata types, v4 and v2 forms (URL Conventions §5.1.1.6; OData v2 §2.2.2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

import pytest

from workbench.core.errors import ODataQueryError
from workbench.core.odata.literals import literal_fits, literal_for, literal_type
from workbench.core.odata.query import Literal
from workbench.core.odata.serializer import literal_text

GUID = "6513270e-269e-4d37-b2a7-4de452e6b438"


@pytest.mark.parametrize("value, edm, v4, v2", [
    ("O'Neil", "Edm.String", "'O''Neil'", "'O''Neil'"),
    (GUID, "Edm.Guid", GUID, f"guid'{GUID}'"),
    (uuid.UUID(GUID), "Edm.Guid", GUID, f"guid'{GUID}'"),
    ("{" + GUID.upper() + "}", "Edm.Guid", GUID, f"guid'{GUID}'"),
    ("2025-01-31", "Edm.Date", "2025-01-31", "datetime'2025-01-31T00:00:00'"),
    (date(2025, 1, 31), "Edm.Date", "2025-01-31", "datetime'2025-01-31T00:00:00'"),
    ("2025-01-31T12:00:00Z", "Edm.DateTimeOffset", "2025-01-31T12:00:00Z", "datetimeoffset'2025-01-31T12:00:00Z'"),
    ("2025-01-31T12:00:00", "Edm.DateTimeOffset", "2025-01-31T12:00:00Z", "datetimeoffset'2025-01-31T12:00:00Z'"),
    (datetime(2025, 1, 31, 12, tzinfo=timezone.utc), "Edm.DateTimeOffset", "2025-01-31T12:00:00Z",
     "datetimeoffset'2025-01-31T12:00:00Z'"),
    (datetime(2025, 1, 2, 3, 4, 5), "Edm.DateTime", "datetime'2025-01-02T03:04:05'", "datetime'2025-01-02T03:04:05'"),
    ("13:20", "Edm.TimeOfDay", "13:20:00", "time'PT13H20M'"),
    (time(8, 0, 30), "Edm.TimeOfDay", "08:00:30", "time'PT8H30S'"),
    ("PT13H20M", "Edm.Time", "time'PT13H20M'", "time'PT13H20M'"),
    (timedelta(days=1, hours=2), "Edm.Duration", "duration'P1DT2H'", "duration'P1DT2H'"),
    ("12.50", "Edm.Decimal", "12.50", "12.50M"),
    (7, "Edm.Decimal", "7", "7M"),
    ("1.5", "Edm.Double", "1.5", "1.5d"),
    ("1.5", "Edm.Single", "1.5", "1.5f"),
    ("1e10", "Edm.Double", "1e10", "1e10d"),
    (float("inf"), "Edm.Double", "INF", "INF"),
    ("-inf", "Edm.Double", "-INF", "-INF"),
    ("nan", "Edm.Double", "NaN", "NaN"),
    ("42", "Edm.Int32", "42", "42"),
    (5, "Edm.Int64", "5", "5L"),
    ("255", "Edm.Byte", "255", "255"),
    ("TRUE", "Edm.Boolean", "true", "true"),
    (False, "Edm.Boolean", "false", "false"),
    (b"hi", "Edm.Binary", "binary'aGk'", "X'6869'"),
    (None, "Edm.String", "null", "null"),
    ("null", "Edm.Int32", "null", "null"),
])
def test_literal_forms(value: object, edm: str, v4: str, v2: str) -> None:
    assert literal_text(literal_for(value, edm)) == v4
    assert literal_text(literal_for(value, edm, version="2.0")) == v2


def test_the_string_null_stays_a_string() -> None:
    assert literal_text(literal_for("null", "Edm.String")) == "'null'"


def test_enums_checked_against_members() -> None:
    members = ("Male", "Female", "Unknown")
    lit = literal_for("Female", "Ns.PersonGender", enum_members=members)
    assert literal_text(lit) == "Ns.PersonGender'Female'"
    assert literal_text(literal_for("Red, Blue", "Ns.Color", enum_members=("Red", "Blue"), is_flags=True)) == \
        "Ns.Color'Red,Blue'"
    with pytest.raises(ODataQueryError, match="not a member"):
        literal_for("Femal", "Ns.PersonGender", enum_members=members)
    with pytest.raises(ODataQueryError, match="not a flags enum"):
        literal_for("Male,Female", "Ns.PersonGender", enum_members=members)


@pytest.mark.parametrize("value, edm, hint", [
    ("abc", "Edm.Int32", "whole number"),
    ("3000000000", "Edm.Int32", "out of range"),
    ("256", "Edm.Byte", "out of range"),
    ("x", "Edm.Decimal", "number"),
    ("1,5", "Edm.Double", "number"),
    ("maybe", "Edm.Boolean", "true or false"),
    ("not-a-guid", "Edm.Guid", "8-4-4-4-12"),
    ("31.01.2025", "Edm.Date", "YYYY-MM-DD"),
    ("2025-02-30", "Edm.Date", "day is out of range"),
    ("25:00", "Edm.TimeOfDay", "hours"),
    ("1 day", "Edm.Duration", "ISO 8601"),
    ("yesterday", "Edm.DateTimeOffset", "2025-01-31T12:00:00Z"),
])
def test_bad_values_are_explained(value: str, edm: str, hint: str) -> None:
    with pytest.raises(ODataQueryError, match=hint):
        literal_for(value, edm)


def test_literal_fits_numeric_promotion_and_ranges() -> None:
    assert literal_fits(Literal("int", "5"), "Edm.Decimal")
    assert literal_fits(Literal("decimal", "5.5"), "Edm.Double")
    assert not literal_fits(Literal("decimal", "5.5"), "Edm.Int32")
    assert not literal_fits(Literal("int", "300"), "Edm.Byte")
    assert not literal_fits(Literal("string", "5"), "Edm.Int32")
    assert literal_fits(Literal("null", "null"), "Edm.Guid")
    assert literal_fits(Literal("datetime", "2025-01-01T00:00:00", prefix="datetime"), "Edm.DateTime")
    assert literal_fits(Literal("enum", "A", type_name="Ns.E"), "Ns.E")
    assert literal_type(Literal("guid", GUID)) == "Edm.Guid"


def test_v2_serialisation_typed_from_the_shared_northwind_metadata(shared_data) -> None:  # type: ignore[no-untyped-def]
    """Literals typed from a real v2 $metadata come out in v2 forms, and the URL validates."""
    from workbench.core.odata.parser import parse_url
    from workbench.core.odata.query import (
        BinaryOp,
        Call,
        ODataUrl,
        QueryOptions,
        Segment,
        and_all,
        prop,
    )
    from workbench.core.odata.serializer import canonical, serialize_url
    from workbench.core.odata.validate import load_model, validate

    model = load_model(str(shared_data / "csdl" / "Northwind-V2-service.edmx"))
    orders = model.entity_type_of_set("Orders")
    details = model.entity_type_of_set("Order_Details")
    assert orders is not None and details is not None

    def typed(entity, name, value):  # type: ignore[no-untyped-def]
        return literal_for(value, model.property(entity, name).type, version=model.version)  # type: ignore[union-attr]

    expr = and_all([
        BinaryOp("gt", prop("OrderDate"), typed(orders, "OrderDate", datetime(1997, 1, 1))),
        BinaryOp("ge", prop("Freight"), typed(orders, "Freight", "10.5")),
        Call("substringof", (typed(orders, "ShipName", "Alfreds"), prop("ShipName"))),
    ])
    url = ODataUrl("http://h/V2/Northwind/Northwind.svc", (Segment("Orders"),), QueryOptions(filter=expr, top=3),
                   version=model.version)
    assert serialize_url(url, encode=False) == (
        "http://h/V2/Northwind/Northwind.svc/Orders?$filter=OrderDate gt datetime'1997-01-01T00:00:00' "
        "and Freight ge 10.5M and substringof('Alfreds',ShipName)&$top=3")
    assert validate(parse_url(canonical(url), version=model.version), model) == []
    assert parse_url(canonical(url)).options == url.options
    assert literal_text(typed(details, "Discount", "0.25")) == "0.25f"
    assert literal_text(literal_for(GUID, "Edm.Guid", version=model.version)) == f"guid'{GUID}'"
