"""A test per applicability rule of the clause catalogue (template winter_spring/2025-v1)."""

from __future__ import annotations

import pytest

from responsibility.errors import BadInput
from responsibility.pdf.clauses import applicable_clauses
from responsibility.pdf.template import load_template

ALWAYS = {"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C09", "C12", "C13", "C18", "C20", "C21", "C22", "C23"}


@pytest.fixture(scope="module")
def template():
    return load_template("winter_spring/2025-v1")


def codes(template, school_type, features=()):
    return {c.code for c in applicable_clauses(template, school_type, features)}


def test_every_school_gets_the_common_clauses(template):
    for school_type in ("kindergarten", "junior_middle", "private", "education_group", "bureau_direct"):
        assert codes(template, school_type) >= ALWAYS


def test_a_school_with_no_feature_gets_only_the_common_clauses(template):
    assert codes(template, "bureau_direct") == ALWAYS


def test_kindergartens_get_c25_and_never_c10_or_c15(template):
    got = codes(template, "kindergarten", ["kindergarten", "k12", "lab", "canteen"])
    assert "C25" in got
    assert "C10" not in got
    assert "C15" not in got


def test_a_private_kindergarten_is_recognised_by_its_feature(template):
    got = codes(template, "private", ["kindergarten", "lab"])
    assert "C25" in got
    assert not {"C10", "C15"} & got


def test_a_kindergarten_education_group_gets_c25_and_c27(template):
    got = codes(template, "education_group", ["group", "kindergarten", "canteen"])
    assert {"C25", "C27"} <= got
    assert "C10" not in got


def test_schools_get_c25_only_as_kindergartens(template):
    assert "C25" not in codes(template, "junior_middle", ["k12", "boarding"])


@pytest.mark.parametrize(
    ("feature", "clause"),
    [
        ("school_bus", "C08"),
        ("k12", "C10"),
        ("vocational", "C11"),
        ("gas_or_heating", "C14"),
        ("lab", "C15"),
        ("construction", "C16"),
        ("canteen", "C17"),
        ("special_equipment", "C19"),
        ("boarding", "C24"),
        ("central_school", "C26"),
        ("group", "C27"),
    ],
)
def test_a_feature_brings_its_clause(template, feature, clause):
    assert clause in codes(template, "bureau_direct", [feature])
    assert clause not in codes(template, "bureau_direct", [])


def test_central_schools_get_c26_by_type(template):
    assert "C26" in codes(template, "town_central_primary")
    assert "C26" not in codes(template, "junior_middle")


def test_education_groups_get_c27_by_type(template):
    assert "C27" in codes(template, "education_group")
    assert "C27" not in codes(template, "nine_year")


def test_primary_and_middle_school_types_get_c10_without_the_feature(template):
    for school_type in ("junior_middle", "nine_year", "town_central_primary"):
        assert "C10" in codes(template, school_type)


def test_clauses_come_in_code_order(template):
    got = [c.code for c in applicable_clauses(template, "junior_middle", ["lab", "boarding", "school_bus"])]
    assert got == sorted(got)


def test_unknown_school_type_and_feature_are_refused_by_name(template):
    with pytest.raises(BadInput) as err:
        applicable_clauses(template, "university", ["boarding", "swimming_pool"])
    assert "university" in str(err.value)
    assert "swimming_pool" in str(err.value)
