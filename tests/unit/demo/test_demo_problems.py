"""Planted problems take their check codes from the gap report's registry, not from a copied list."""

from __future__ import annotations

import pytest

from responsibility.chain.gaps import CHECK_CODES, CHECKS
from responsibility.chain.gaps.grid_checks import check_g4
from responsibility.demo import PLANTED_PROBLEMS, PlantedProblem, code_of


def test_every_check_of_the_report_has_its_own_code() -> None:
    assert [code_of(check) for check in CHECKS.values()] == list(CHECK_CODES)


def test_a_planted_problem_names_the_check_that_must_find_it() -> None:
    problem = PlantedProblem.of(check_g4, "SCH027", "G01335", "second root")
    assert CHECKS[problem.check] is check_g4
    assert (problem.check, "SCH027", "G01335") in {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}


def test_a_function_that_is_not_a_gap_check_is_refused() -> None:
    def check_z9(ctx):  # type: ignore[no-untyped-def]
        return []

    with pytest.raises(LookupError, match="check_z9 is not a check of the gap report"):
        code_of(check_z9)


def test_the_documented_answer_is_in_report_order() -> None:
    order = [CHECK_CODES.index(p.check) for p in PLANTED_PROBLEMS]
    assert order == sorted(order)
