"""The rule table is data checked whole; parts match the county's scheme by name; grades."""

from __future__ import annotations

from pathlib import Path

import pytest

from responsibility.assessment import grade_of, load_rules
from responsibility.assessment.errors import RuleTableError, SchemeError
from responsibility.assessment.rules import match_parts

LEVELS = [{"level": "优秀", "min": 90}, {"level": "合格", "min": 70}, {"level": "不合格", "min": 0}]
SCHEME = {"parts": [{"part": "责任落实（党政同责）", "points": 20}, {"part": "隐患排查治理", "points": 25},
                    {"part": "消防安全", "points": 20}, {"part": "专项安全", "points": 20},
                    {"part": "值班值守、信息报送", "points": 15}]}  # fmt: skip


def test_the_shipped_table_loads_and_fits_the_demo_scheme() -> None:
    table = load_rules()
    assert {r.part for r in table.rules} <= set(table.parts) and table.vetoes
    assert [p.key for p in match_parts(table, SCHEME)] == ["responsibility", "hazards", "fire", "special", "duty"]


def test_a_scheme_that_does_not_fit_lists_every_problem() -> None:
    table = load_rules()
    with pytest.raises(SchemeError) as caught:
        match_parts(table, {"parts": [{"part": "责任落实", "points": 50}, {"part": "其他", "points": 50}]})
    problems = "\n".join(caught.value.problems)
    assert "'其他': matches no rule part" in problems and "'hazards'" in problems and "'duty'" in problems
    with pytest.raises(SchemeError):
        match_parts(table, None)


def test_a_broken_table_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "b1.toml").write_text(
        'version = "b1"\n[[parts]]\nkey = "a"\nmatch = "甲"\n'
        '[[rules]]\nid = "x"\npart = "zz"\ntext = ""\nsource = "rumour"\npoints = 0\nmax = 1\n'
        '[[rules]]\nid = "G01"\npart = "a"\ntext = "t"\nsource = "gap"\ncheck = "Z9"\npoints = 1\nmax = 2\n'
        '[[vetoes]]\nid = "G01"\ntext = "v"\nsource = "major_overdue_uncontrolled"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleTableError) as caught:
        load_rules("b1", tmp_path)
    problems = "\n".join(caught.value.problems)
    for expected in (
        "id 'x'",
        "part 'zz'",
        "text missing",
        "source 'rumour'",
        "points must be",
        "check 'Z9'",
        "id 'G01' twice",
    ):
        assert expected in problems, expected


@pytest.mark.parametrize(("total", "vetoed", "grade"), [(95, False, "优秀"), (90, False, "优秀"), (89.5, False, "合格"),
                                                         (10, False, "不合格"), (100, True, "不合格")])  # fmt: skip
def test_grades_follow_the_levels_and_a_veto_wins(total: float, vetoed: bool, grade: str) -> None:
    assert grade_of(total, vetoed, LEVELS) == grade
