"""The 到岗率 arithmetic and the holiday flags of a planned day, without a database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from responsibility.cli.season import parse_local_datetime
from responsibility.errors import BadInput
from responsibility.season.checkins import Attendance
from responsibility.season.roster_days import _within

D = dt.date


def test_the_rate_is_check_ins_over_person_shifts() -> None:
    assert Attendance("SCH001", "一中", 3, 2).rate == pytest.approx(2 / 3)
    assert Attendance("SCH001", "一中", 4, 4).rate == 1.0
    assert Attendance("SCH001", "一中", 0, 0).rate is None  # nothing rostered: no rate, not 0 %
    assert Attendance("T01", "城关镇", 3, 1).as_json() == {
        "id": "T01", "name": "城关镇", "rostered": 3, "checked_in": 1, "rate": 0.3333,
    }  # fmt: skip


def test_holiday_spans_include_both_ends() -> None:
    spans = ((D(2025, 1, 15), D(2025, 2, 15)),)
    assert _within(D(2025, 1, 15), spans) and _within(D(2025, 2, 15), spans)
    assert not _within(D(2025, 1, 14), spans) and not _within(D(2025, 2, 16), spans)
    assert not _within(D(2025, 1, 20), ())


def test_a_naive_check_in_time_is_local() -> None:
    sh = ZoneInfo("Asia/Shanghai")
    moment = parse_local_datetime("2025-03-01T08:30", sh)
    assert moment.astimezone(dt.UTC) == dt.datetime(2025, 3, 1, 0, 30, tzinfo=dt.UTC)
    with pytest.raises(BadInput):
        parse_local_datetime("yesterday", sh)
