"""值班到岗率 from per-day counts, and the record a count short of its goal shows, without a database."""

from __future__ import annotations

import datetime as dt

from responsibility.models import Campaign
from responsibility.season.checkins import DayCount
from responsibility.targets.catalogue import TargetSpec
from responsibility.targets.measures import RECORDS_SHOWN, Measurement, RecordRef, Window, duty_shares
from responsibility.targets.scorecard import _value

D = dt.date


def test_the_duty_rate_counts_person_shifts_and_each_short_day_is_a_record() -> None:
    days = {
        (7, D(2025, 1, 28)): DayCount(3, 1),
        (7, D(2025, 1, 27)): DayCount(3, 3),
        (7, D(2025, 1, 29)): DayCount(2, 5),  # a check-in on a row since edited away: never above 100 %
        (8, D(2025, 1, 27)): DayCount(0, 1),  # nothing rostered: nothing to measure
    }
    out = duty_shares(days)
    assert set(out) == {7}
    m = out[7]
    assert (m.numerator, m.denominator) == (3 + 1 + 2, 3 + 3 + 2)
    assert m.records == [RecordRef("roster", "2025-01-28", "2")] and m.records_total == 1


def test_the_records_stop_at_the_shown_limit_but_the_total_counts_every_day() -> None:
    first = D(2024, 12, 1)
    days = {(1, first + dt.timedelta(days=n)): DayCount(2, 0) for n in range(RECORDS_SHOWN + 5)}
    m = duty_shares(days)[1]
    assert len(m.records) == RECORDS_SHOWN and m.records_total == RECORDS_SHOWN + 5
    assert m.records[0].key == "2024-12-01"  # in day order


def _drills(count: int, goal: str = "1") -> tuple[str, tuple[RecordRef, ...]]:
    spec = TargetSpec("drills", "全员疏散演练", "Evacuation drills", "count_min", "drills", manifest="x", per="season")
    window = Window(Campaign(term_start=D(2024, 11, 15), term_end=D(2025, 4, 30)), D(2025, 1, 31), [1])
    m = Measurement(count=count, short=RecordRef("sessions", "drill", str(count)))
    value = _value(spec, goal, m, window)
    return value.status, value.records


def test_a_count_behind_its_goal_shows_its_sessions_and_a_met_one_shows_nothing() -> None:
    assert _drills(0) == ("behind", (RecordRef("sessions", "drill", "0"),))
    assert _drills(1, goal="2") == ("behind", (RecordRef("sessions", "drill", "1"),))
    assert _drills(1) == ("met", ())
