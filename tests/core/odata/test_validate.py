"""Validation of OData URLs against metadata, each problem at its position in the URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.csdl.model import Model
from workbench.core.errors import CsdlError, ODataQueryError
from workbench.core.odata.validate import Problem, check_url, load_model

DATA = Path(__file__).resolve().parents[2] / "data"
SHOP = "http://h/svc"


@pytest.fixture(scope="module")
def shop() -> Model:
    return load_model(str(DATA / "odata_capabilities.xml"))


@pytest.fixture(scope="module")
def trippin(shared_data: Path) -> Model:
    return load_model(str(shared_data / "csdl" / "TripPin.xml"))


@pytest.fixture(scope="module")
def northwind_v2(shared_data: Path) -> Model:
    return load_model(str(shared_data / "csdl" / "Northwind-V2-service.edmx"))


def problems(url: str, model: Model, **kw: int) -> list[tuple[str, str]]:
    """(message, the URL text at the problem's position) pairs."""
    return [(p.message, url[p.position:p.position + 12]) for p in check_url(url, model, **kw)]


def test_a_valid_query_has_no_problems(trippin: Model) -> None:
    url = ("http://h/svc/People?$filter=FirstName eq 'Scott' and Gender eq "
           "Microsoft.OData.SampleService.Models.TripPin.PersonGender'Male' and Emails/any(e:endswith(e,'.com'))"
           "&$select=UserName,FirstName&$expand=Trips($filter=Budget gt 1000;$orderby=StartsAt desc;$top=2;"
           "$expand=PlanItems($select=ConfirmationCode)),Friends&$orderby=length(LastName) desc&$top=5&$count=true")
    assert check_url(url, trippin) == []


def test_unknown_property_with_position_and_suggestion(trippin: Model) -> None:
    url = "http://localhost/svc/People?$filter=Nope eq 1"
    found = check_url(url, trippin)
    assert found == [Problem("Person has no property 'Nope'", url.index("Nope"))]
    assert problems("http://h/svc/People?$select=FirstNam", trippin) == [
        ("Person has no property 'FirstNam' (did you mean 'FirstName'?)", "FirstNam")]


def test_unknown_entity_set_and_navigation(trippin: Model) -> None:
    url = "http://h/svc/Peple('x')"
    assert problems(url, trippin) == [("Unknown entity set 'Peple' (did you mean 'People'?)", "Peple('x')")]
    url = "http://h/svc/People('russell')/Trip"
    assert problems(url, trippin)[0][0].startswith("Person has no property or navigation 'Trip'")
    url = "http://h/svc/People?$expand=FirstName,Tripz"
    assert problems(url, trippin) == [("'FirstName' is a property, not a navigation property", "FirstName,Tr"),
                                      ("'Tripz' is not a navigation property of Person (did you mean 'Trips'?)",
                                       "Tripz")]


def test_type_mismatches(trippin: Model) -> None:
    url = "http://h/svc/People?$filter=FirstName eq 1 or Concurrency eq '5'"
    assert problems(url, trippin) == [
        ("Type mismatch: FirstName is Edm.String but 1 is an integer", "1 or Concurr"),
        ("Type mismatch: Concurrency is Edm.Int64 but '5' is a string (remove the quotes)", "'5'")]
    url = "http://h/svc/People('russell')/Trips?$filter=StartsAt gt '2014-01-01'"
    assert "write dates without quotes" in problems(url, trippin)[0][0]


def test_enum_member_checked(trippin: Model) -> None:
    url = ("http://h/svc/People?$filter=Gender eq "
           "Microsoft.OData.SampleService.Models.TripPin.PersonGender'Femal'")
    assert problems(url, trippin)[0][0] == "'Femal' is not a member of PersonGender (Male, Female, Unknown)"


def test_function_on_the_wrong_type(trippin: Model) -> None:
    url = "http://h/svc/People?$filter=contains(Concurrency,'1') and year(FirstName) eq 2020 and round(LastName) eq 1"
    assert [m for m, _ in problems(url, trippin)] == [
        "contains() works on text, but Concurrency is Edm.Int64",
        "year() works on Edm.Date or Edm.DateTimeOffset or Edm.DateTime, but FirstName is Edm.String",
        "round() works on numbers, but LastName is Edm.String"]


def test_lambda_on_a_non_collection_and_variables(trippin: Model) -> None:
    url = "http://h/svc/People?$filter=FirstName/any(f:f eq 'x')"
    assert problems(url, trippin) == [("any() needs a collection, but FirstName is single-valued", "any(f:f eq '")]
    url = "http://h/svc/People?$filter=Trips/all(t:t/Nope gt 1)"
    assert problems(url, trippin) == [("Trip has no property 'Nope'", "Nope gt 1)")]
    url = "http://h/svc/People?$filter=Trips/any(t:t/Budget gt 'x')"
    assert "Budget is Edm.Single" in problems(url, trippin)[0][0]


def test_filter_must_be_boolean(trippin: Model) -> None:
    url = "http://h/svc/People?$filter=FirstName"
    assert problems(url, trippin) == [("$filter must be a condition (true/false), but this is Edm.String", "FirstName")]


def test_key_checks(shop: Model) -> None:
    assert check_url(f"{SHOP}/Products(1)", shop) == []
    assert problems(f"{SHOP}/Products('x')", shop)[0][0] == \
        "Type mismatch: ID is Edm.Int32 but 'x' is a string (remove the quotes)"
    assert problems(f"{SHOP}/Reviews(1)", shop)[0][0] == "Review has a key of 2 parts (Product, No), the URL gives 1"
    assert check_url(f"{SHOP}/Reviews(Product=1,No=2)", shop) == []
    assert problems(f"{SHOP}/Reviews(Product=1,Nr=2)", shop)[0][0].startswith("'Nr' is not a key property")
    assert problems(f"{SHOP}/Reviews(Product=1,No=99999)", shop)[0][0].endswith("out of range for Edm.Int16")


def test_capabilities_restrictions(shop: Model) -> None:
    url = f"{SHOP}/Products?$filter=Secret eq 'x'&$orderby=Secret&$expand=Reviews"
    assert problems(url, shop) == [
        ("Secret cannot be used in $filter (Capabilities.FilterRestrictions)", "Secret eq 'x"),
        ("Secret cannot be used in $orderby (Capabilities.SortRestrictions)", "Secret&$expa"),
        ("Reviews cannot be expanded (Capabilities.ExpandRestrictions)", "Reviews")]
    url = f"{SHOP}/Categories?$top=5&$count=true"
    assert [m for m, _ in problems(url, shop)] == [
        "This entity set does not support $top (Capabilities.TopSupported)",
        "This entity set cannot be counted (Capabilities.CountRestrictions)"]
    url = f"{SHOP}/Reviews?$filter=Stars gt 3"
    assert problems(url, shop) == [("This entity set does not support $filter (Capabilities.FilterRestrictions)",
                                    "Stars gt 3")]


def test_documented_top_maximum(shop: Model) -> None:
    url = f"{SHOP}/Products?$top=5000"
    assert problems(url, shop, max_top=1000) == [
        ("$top=5000 is above the service's documented maximum of 1000", "5000")]
    assert check_url(f"{SHOP}/Products?$top=1000", shop, max_top=1000) == []


def test_has_and_in(shop: Model) -> None:
    assert check_url(f"{SHOP}/Products?$filter=Colors has Shop.Color'Red' and ID in (1,2,3)", shop) == []
    assert problems(f"{SHOP}/Products?$filter=Title has Shop.Color'Red'", shop) == [
        ("'has' needs an enum flags property, but Title is Edm.String", "Title has Sh")]
    assert problems(f"{SHOP}/Products?$filter=ID in (1,'2')", shop)[0][1] == "'2')"


def test_nested_expand_options_are_checked_against_the_target(shop: Model) -> None:
    url = f"{SHOP}/Products?$expand=Category($select=Nme;$filter=Name eq 5)"
    assert [m for m, _ in problems(url, shop)] == [
        "Category has no property 'Nme' (did you mean 'Name'?)",
        "Type mismatch: Name is Edm.String but 5 is an integer"]


def test_v2_service_rules(northwind_v2: Model) -> None:
    base = "http://h/Northwind.svc"
    assert check_url(f"{base}/Orders?$filter=OrderDate gt datetime'1997-01-01T00:00:00' and "
                     "substringof('a',ShipName) and Freight gt 10.5M", northwind_v2) == []
    found = [m for m, _ in problems(f"{base}/Orders?$filter=contains(ShipName,'a')&$count=true", northwind_v2)]
    assert found == ["OData v2 has no contains(); use substringof('text',Property)",
                     "OData v2 has no $count=true; use $inlinecount=allpages"]


def test_unparsable_url_raises(trippin: Model) -> None:
    with pytest.raises(ODataQueryError):
        check_url("http://h/svc/People?$filter=Name eq 'x", trippin)


def test_load_model_errors(tmp_path: Path) -> None:
    with pytest.raises(CsdlError):
        load_model(str(tmp_path / "missing.xml"))
    bad = tmp_path / "bad.xml"
    bad.write_text("<not-edmx/>")
    with pytest.raises(CsdlError):
        load_model(str(bad))
