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

The judgement works on spans of days, not day by day: a person's duty days are the intersection of
a few intervals (the role's validity, the seasons' terms, minus the days owed in another role), so
:func:`spans_within` computes them once as a few periods and :func:`judge_spans` walks the
periods' windows against them (a province's season board judges about a million person-grid
duties; a predicate asked day by day cost ≈ 0.25 ms each).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ONE_DAY", "Interval", "Period", "PeriodJudgement", "judge_spans", "spans_within",
    "windows",
]  # fmt: skip

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


def spans_within(
    start: dt.date, end: dt.date, intervals: Iterable[Interval], *, within: Iterable[Interval] | None = None,
    without: Iterable[Interval] = (),
) -> tuple[Period, ...]:  # fmt: skip
    """The days of ``[start, end]`` inside one of ``intervals``, inside one of ``within`` (None: no
    such limit) and inside none of ``without``, as sorted, disjoint, inclusive periods."""
    hi = end + ONE_DAY
    spans = _union(intervals, start, hi)
    if within is not None:
        spans = _intersect(spans, _union(within, start, hi))
    for cut in _union(without, start, hi):
        spans = _subtract(spans, cut)
    return tuple(Period(a, b - ONE_DAY) for a, b in spans)


_Span = tuple[dt.date, dt.date]
"""A half-open span of concrete days ``[a, b)`` with ``a < b``."""


def _union(intervals: Iterable[Interval], lo: dt.date, hi: dt.date) -> list[_Span]:
    """``intervals`` clipped to ``[lo, hi)``, sorted and merged."""
    clipped = sorted(
        (max(i.start or lo, lo), min(i.end or hi, hi))
        for i in intervals
        if max(i.start or lo, lo) < min(i.end or hi, hi)
    )
    merged: list[_Span] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _intersect(left: list[_Span], right: list[_Span]) -> list[_Span]:
    out = [(max(a, c), min(b, d)) for a, b in left for c, d in right if max(a, c) < min(b, d)]
    return sorted(out)


def _subtract(spans: list[_Span], cut: _Span) -> list[_Span]:
    c, d = cut
    out: list[_Span] = []
    for a, b in spans:
        if b <= c or d <= a:
            out.append((a, b))
            continue
        if a < c:
            out.append((a, c))
        if d < b:
            out.append((d, b))
    return out


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


@lru_cache(maxsize=512)
def _windows(start: dt.date, end: dt.date, every_days: int) -> tuple[Period, ...]:
    """:func:`windows`, once per range and rhythm (every person of a board shares them)."""
    return tuple(windows(start, end, every_days))


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


def judge_spans(
    start: dt.date,
    end: dt.date,
    every_days: int,
    *,
    duty: Sequence[Period],
    patrolled: Collection[dt.date],
    today: dt.date,
) -> PeriodJudgement:
    """Judge the periods of ``[start, end]`` for one person and role on duty on the days of
    ``duty`` (sorted, disjoint periods inside the range, as :func:`spans_within` gives them)."""
    if not duty:
        return PeriodJudgement(0, 0, (), 0)
    days = sorted(patrolled)
    owed = done = still_open = 0
    gaps = []
    for window in _windows(start, end, every_days):
        if window.end < duty[0].start:
            continue
        if window.start > duty[-1].end:
            break
        first = last = None
        for span in duty:
            if span.end < window.start:
                continue
            if span.start > window.end:
                break
            if first is None:
                first = max(span.start, window.start)
            last = min(span.end, window.end)
        if first is None or last is None:
            continue
        at = bisect_left(days, window.start)
        hit = at < len(days) and days[at] <= window.end
        if window.end >= today and not hit:
            still_open += 1
            continue
        owed += 1
        if hit:
            done += 1
        else:
            gaps.append(Period(first, last))
    return PeriodJudgement(owed, done, tuple(gaps), still_open)
