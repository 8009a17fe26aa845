"""The span judgement (:func:`spans_within` + :func:`judge_spans`) gives the same answers as the
rule read day by day: random ranges, rhythms, roles' validities, terms, other-role days, patrols
and todays against a reference that asks every day of every window, as the rule is written."""

from __future__ import annotations

import datetime as dt
import functools
import random

import pytest

from responsibility.patrols.periods import (
    Interval,
    Period,
    PeriodJudgement,
    judge_spans,
    spans_within,
    windows,
)

D = dt.date
BASE = D(2026, 11, 2)


def reference(
    start: dt.date, end: dt.date, every: int, owes: object, patrolled: set[dt.date], today: dt.date
) -> PeriodJudgement:
    """The rule as the module's docstring words it, one day at a time."""
    owed = done = still_open = 0
    gaps = []
    for window in windows(start, end, every):
        duty = [d for d in window.days() if start <= d <= end and owes(d)]  # type: ignore[operator]
        if not duty:
            continue
        hit = any(d in patrolled for d in window.days())
        if window.end >= today and not hit:
            still_open += 1
            continue
        owed += 1
        done += hit
        if not hit:
            gaps.append(Period(duty[0], duty[-1]))
    return PeriodJudgement(owed, done, tuple(gaps), still_open)


def some_day(rng: random.Random) -> dt.date:
    return BASE + dt.timedelta(days=rng.randrange(0, 70))


def some_interval(rng: random.Random) -> Interval:
    a, b = sorted((some_day(rng), some_day(rng)))
    return Interval(None if rng.random() < 0.2 else a, None if rng.random() < 0.2 else b)


def holds_any(intervals: list[Interval], day: dt.date) -> bool:
    return any(i.holds(day) for i in intervals)


def owes_by(day: dt.date, *, role: list[Interval], terms: list[Interval], other: list[Interval]) -> bool:
    """On duty as the queries define it: in a term (no term: any day), in the role, not in the other role."""
    in_term = not terms or holds_any(terms, day)
    return in_term and holds_any(role, day) and not holds_any(other, day)


@pytest.mark.parametrize("seed", range(40))
def test_spans_judge_as_the_day_by_day_rule(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        start = some_day(rng)
        end = start + dt.timedelta(days=rng.randrange(0, 40))
        every = rng.choice((1, 1, 2, 3, 7, 7, 14))
        role = [some_interval(rng) for _ in range(rng.randrange(1, 3))]
        terms = [some_interval(rng) for _ in range(rng.randrange(0, 3))]
        other = [some_interval(rng) for _ in range(rng.randrange(0, 2))]
        patrolled = {some_day(rng) for _ in range(rng.randrange(0, 12))}
        today = some_day(rng)

        owes = functools.partial(owes_by, role=role, terms=terms, other=other)
        spans = spans_within(start, end, role, within=terms or None, without=other)
        expected = reference(start, end, every, owes, patrolled, today)
        assert judge_spans(start, end, every, duty=spans, patrolled=patrolled, today=today) == expected
        assert [d for s in spans for d in s.days()] == [d for d in Period(start, end).days() if owes(d)]


def test_spans_are_sorted_disjoint_and_inside_the_range() -> None:
    spans = spans_within(
        D(2026, 12, 1), D(2026, 12, 31),
        [Interval(D(2026, 12, 20), None), Interval(None, D(2026, 12, 5)), Interval(D(2026, 12, 3), D(2026, 12, 8))],
        within=[Interval(D(2026, 12, 2), D(2026, 12, 25))],
        without=[Interval(D(2026, 12, 4), D(2026, 12, 6))],
    )  # fmt: skip
    assert spans == (
        Period(D(2026, 12, 2), D(2026, 12, 3)),
        Period(D(2026, 12, 6), D(2026, 12, 7)),
        Period(D(2026, 12, 20), D(2026, 12, 24)),
    )


def test_no_duty_days_owe_nothing() -> None:
    nothing = spans_within(D(2026, 12, 1), D(2026, 12, 7), [Interval(D(2027, 1, 1), None)])
    assert nothing == ()
    assert judge_spans(D(2026, 12, 1), D(2026, 12, 7), 1, duty=nothing, patrolled=set(), today=D(2027, 1, 1)) == (
        PeriodJudgement(0, 0, (), 0)
    )
