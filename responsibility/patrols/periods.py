"""The gap rule of grid patrols, on plain dates (no database): which periods a person owed a
patrol of a grid and had none.

A role patrols at least once in every period of ``every_days`` days (网格员 1: every day; 网格长 7:
every week). Periods are counted from the range's first day, except that a multiple of 7 is
counted in calendar weeks from Monday (``2026-12-07`` … ``2026-12-13``), as a 周检查 is meant.

A person owes a period when they were on duty on at least one of its days inside the range:
holding the role on the day (an owner by the ownership's validity, a member while in service)
and the day inside a season's term. A period that has not ended yet (its last day is today or
later) is not owed yet: it is ``open``, never a gap. A patrol on any day of the period counts, even
a day outside the range (a week is judged whole). The gap is shown as the owed days of the period:
from the first to the last day the person was on duty in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

__all__ = ["ONE_DAY", "Interval", "Period", "PeriodJudgement", "judge_periods", "on_any", "windows"]

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    """Inclusive."""

    def days(self) -> Iterator[dt.date]:
        day = self.start
        while day <= self.end:
            yield day
            day += ONE_DAY

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Interval:
    """A half-open span of days ``[start, end)``; ``None`` is open on that side."""

    start: dt.date | None
    end: dt.date | None

    def holds(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def on_any(intervals: Collection[Interval]) -> Callable[[dt.date], bool]:
    """A day predicate: inside at least one of ``intervals``."""
    return lambda day: any(i.holds(day) for i in intervals)


def windows(start: dt.date, end: dt.date, every_days: int) -> list[Period]:
    """The whole periods of ``every_days`` that meet ``[start, end]`` (not clipped)."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    anchor = start - dt.timedelta(days=start.weekday()) if every_days % 7 == 0 else start
    step = dt.timedelta(days=every_days)
    out = []
    first = anchor
    while first <= end:
        out.append(Period(first, first + step - ONE_DAY))
        first += step
    return out


@dataclass(frozen=True)
class PeriodJudgement:
    owed: int
    """Periods ended before today in which the person was on duty."""
    done: int
    """Of those, the ones with a patrol."""
    gaps: tuple[Period, ...]
    """The owed periods without a patrol, as the person's duty days in them."""
    open: int
    """Periods with duty days that have not ended yet (neither done nor a gap)."""


def judge_periods(
    start: dt.date,
    end: dt.date,
    every_days: int,
    *,
    on_duty: Callable[[dt.date], bool],
    patrolled: Collection[dt.date],
    today: dt.date,
) -> PeriodJudgement:
    """Judge the periods of ``[start, end]`` for one person and role."""
    owed = done = still_open = 0
    gaps = []
    for window in windows(start, end, every_days):
        duty = [d for d in window.days() if start <= d <= end and on_duty(d)]
        if not duty:
            continue
        hit = any(d in patrolled for d in window.days())
        if window.end >= today and not hit:
            still_open += 1
            continue
        owed += 1
        if hit:
            done += 1
        else:
            gaps.append(Period(duty[0], duty[-1]))
    return PeriodJudgement(owed, done, tuple(gaps), still_open)
