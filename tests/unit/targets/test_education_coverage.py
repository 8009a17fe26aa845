"""反诈教育覆盖率 from per-class reach: classes are not counted twice, the whole school's sessions
are one more "class", reach is capped at the enrolment, and the short classes are named."""

from __future__ import annotations

from responsibility.targets.education import ClassReach, coverage


def test_the_largest_session_per_class_counts_once() -> None:
    # the aggregate query gives one row per class: max attendance, max enrolment
    result = coverage([ClassReach("一班", 40, 40), ClassReach("二班", 38, 40)])
    assert (result.reached, result.enrolled) == (78, 80)
    assert [r.class_name for r in result.short] == ["二班"]


def test_a_whole_school_session_covers_the_classes() -> None:
    result = coverage([ClassReach("", 600, 600), ClassReach("一班", 10, 40)])
    assert (result.reached, result.enrolled, result.short) == (600, 600, ())


def test_the_whole_school_enrolment_reveals_untaught_classes() -> None:
    result = coverage([ClassReach("", 300, 600), ClassReach("一班", 40, 40), ClassReach("二班", 40, 40)])
    assert (result.reached, result.enrolled) == (300, 600)
    assert [r.class_name for r in result.short] == [""]
    classes_only = coverage([ClassReach("", 50, 600), ClassReach("一班", 40, 40), ClassReach("二班", 40, 40)])
    assert (classes_only.reached, classes_only.enrolled) == (80, 600)
    assert [r.class_name for r in classes_only.short] == [""]


def test_reach_is_capped_at_the_enrolment() -> None:
    result = coverage([ClassReach("一班", 45, 40)])
    assert (result.reached, result.enrolled, result.short) == (40, 40, ())
