"""The gap rule on plain dates: daily members, weekly owners (calendar weeks), term boundaries,
a person joining mid-period, periods not yet over, and the settings that set the frequency."""

from __future__ import annotations

import datetime as dt

import pytest

from responsibility.patrols.duties import MEMBER, OWNER, Duty
from responsibility.patrols.periods import Interval, Period, PeriodJudgement, judge_spans, spans_within, windows
from responsibility.settings import Settings
from responsibility.settings_work import PatrolSettings, patrol_settings

D = dt.date
ALWAYS = [Interval(None, None)]
TODAY = D(2026, 12, 31)


def judge(start: D, end: D, every: int, *, on_duty: list[Interval], patrolled: set[D], today: D) -> PeriodJudgement:
    """The production path: the duty days as spans (``spans_within``), judged by ``judge_spans``."""
    return judge_spans(start, end, every, duty=spans_within(start, end, on_duty), patrolled=patrolled, today=today)


def test_daily_member_every_missing_day_is_a_gap() -> None:
    start, end = D(2026, 12, 1), D(2026, 12, 5)
    j = judge(start, end, 1, on_duty=ALWAYS, patrolled={D(2026, 12, 1), D(2026, 12, 3)}, today=TODAY)
    assert (j.owed, j.done, j.open) == (5, 2, 0)
    assert j.gaps == (Period(D(2026, 12, 2), D(2026, 12, 2)), Period(D(2026, 12, 4), D(2026, 12, 4)),
                      Period(D(2026, 12, 5), D(2026, 12, 5)))  # fmt: skip


def test_weekly_owner_counts_calendar_weeks_from_monday() -> None:
    # 2026-12-02 is a Wednesday: the first week is Mon 11-30 .. Sun 12-06, clipped to the range.
    assert windows(D(2026, 12, 2), D(2026, 12, 20), 7)[0] == Period(D(2026, 11, 30), D(2026, 12, 6))
    j = judge(D(2026, 12, 2), D(2026, 12, 20), 7, on_duty=ALWAYS, patrolled={D(2026, 12, 9)}, today=TODAY)
    assert (j.owed, j.done) == (3, 1)
    assert j.gaps == (Period(D(2026, 12, 2), D(2026, 12, 6)), Period(D(2026, 12, 14), D(2026, 12, 20)))


def test_a_week_is_judged_whole_even_past_the_range() -> None:
    # The range ends on Tuesday; the owner patrolled on Friday of that week: no gap.
    j = judge(D(2026, 12, 7), D(2026, 12, 8), 7, on_duty=ALWAYS, patrolled={D(2026, 12, 11)}, today=TODAY)
    assert (j.owed, j.done, j.gaps) == (1, 1, ())


def test_days_outside_the_term_are_not_owed() -> None:
    term = [Interval(D(2026, 12, 3), D(2026, 12, 5))]  # term 12-03 .. 12-04 (half-open)
    daily = judge(D(2026, 12, 1), D(2026, 12, 7), 1, on_duty=term, patrolled=set(), today=TODAY)
    assert daily.owed == 2 and [g.start for g in daily.gaps] == [D(2026, 12, 3), D(2026, 12, 4)]
    weekly = judge(D(2026, 12, 1), D(2026, 12, 13), 7, on_duty=term, patrolled=set(), today=TODAY)
    assert weekly.gaps == (Period(D(2026, 12, 3), D(2026, 12, 4)),)  # the second week is outside the term


def test_a_member_joining_mid_week_owes_from_the_first_day() -> None:
    joined = [Interval(D(2026, 12, 10), None)]
    daily = judge(D(2026, 12, 7), D(2026, 12, 13), 1, on_duty=joined, patrolled={D(2026, 12, 10)}, today=TODAY)
    assert (daily.owed, daily.done) == (4, 1)
    assert daily.gaps[0] == Period(D(2026, 12, 11), D(2026, 12, 11))
    weekly = judge(D(2026, 12, 7), D(2026, 12, 13), 7, on_duty=joined, patrolled=set(), today=TODAY)
    assert weekly.gaps == (Period(D(2026, 12, 10), D(2026, 12, 13)),)


def test_a_period_not_over_is_open_not_a_gap() -> None:
    today = D(2026, 12, 9)  # Wednesday
    daily = judge(D(2026, 12, 7), D(2026, 12, 9), 1, on_duty=ALWAYS, patrolled={D(2026, 12, 7)}, today=today)
    assert (daily.owed, daily.done, daily.open) == (2, 1, 1) and daily.gaps == (Period(D(2026, 12, 8), D(2026, 12, 8)),)
    weekly = judge(D(2026, 12, 7), D(2026, 12, 9), 7, on_duty=ALWAYS, patrolled=set(), today=today)
    assert (weekly.owed, weekly.open, weekly.gaps) == (0, 1, ())


def test_an_owner_who_is_also_a_member_owes_only_the_owner_rhythm() -> None:
    owner_days = (Interval(D(2026, 12, 1), D(2026, 12, 4)),)
    member = Duty(1, 2, "P2", "x", MEMBER, (Interval(None, None),), owner_days)
    owner = Duty(1, 2, "P2", "x", OWNER, owner_days)
    assert not member.on_duty(D(2026, 12, 2)) and owner.on_duty(D(2026, 12, 2))
    assert member.on_duty(D(2026, 12, 4)) and not owner.on_duty(D(2026, 12, 4))


def test_every_days_other_than_weeks_counts_from_the_start() -> None:
    assert windows(D(2026, 12, 2), D(2026, 12, 7), 3) == [Period(D(2026, 12, 2), D(2026, 12, 4)),
                                                          Period(D(2026, 12, 5), D(2026, 12, 7))]  # fmt: skip
    with pytest.raises(ValueError):
        windows(D(2026, 12, 2), D(2026, 12, 7), 0)


def test_frequencies_are_settings() -> None:
    assert patrol_settings({}) == PatrolSettings(1, 7, 2000)
    conf = patrol_settings({"PATROL_MEMBER_EVERY_DAYS": "2", "PATROL_OWNER_EVERY_DAYS": 14, "PATROL_NOTE_MAX_CHARS": 0})
    assert (conf.member_every_days, conf.owner_every_days, conf.note_max_chars) == (2, 14, 2000)
    assert Settings.from_config({"PATROL_OWNER_EVERY_DAYS": "14"}, "/tmp/x").patrols.owner_every_days == 14
