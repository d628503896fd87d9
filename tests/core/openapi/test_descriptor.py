"""What the parts of the conversion share: the version check, the warning list, names for variables."""

from __future__ import annotations

import pytest

from workbench.core.errors import SpecImportError
from workbench.core.openapi.descriptor import Descriptor, check_version, var_name


@pytest.mark.parametrize("version, dialect", [
    ("2.0", "2.0"), ("3.0.0", "3.0"), ("3.0.3", "3.0"), ("3.1.0", "3.1"), ("3.2.0", "3.1"), ("3.1.1-rc1", "3.1"),
])
def test_check_version_names_the_dialect_read(version: str, dialect: str) -> None:
    """Swagger 2.0, OpenAPI 3.0 and 3.1 are read; a later 3.x is read as 3.1."""
    assert check_version(version) == dialect


def test_other_versions_are_refused_by_name() -> None:
    """An unsupported version is one line naming where it came from and what is supported."""
    with pytest.raises(SpecImportError, match=r"api\.yaml: unsupported OpenAPI version '4\.0\.0'"):
        check_version("4.0.0", "api.yaml")


def test_a_warning_met_twice_is_reported_once() -> None:
    """Many operations meeting one problem make one line for the user, in the order first met."""
    descriptor = Descriptor({"openapi": "3.0.3", "paths": {}}, "", "")
    for message in ("b", "a", "b"):
        descriptor.warn(message)
    assert descriptor.warnings == ["b", "a"]


def test_a_document_without_a_version_is_not_a_descriptor() -> None:
    with pytest.raises(SpecImportError, match="not an OpenAPI or Swagger descriptor"):
        Descriptor({"info": {}}, "", "")


def test_var_name_keeps_what_a_variable_can_hold() -> None:
    """`{{…}}` names keep letters, digits, `_ . - $`; anything else becomes `_`."""
    assert var_name("pet id/x") == "pet_id_x"
    assert var_name("api.key-$1") == "api.key-$1"
    assert var_name("") == "var"
