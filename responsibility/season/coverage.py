"""Which days of the season an organisation's roster leaves uncovered (``flask roster check``).

A day is covered when it has at least one roster row and every row of it names a leader (the
same rule as D1, over the live campaign's whole term rather than the roster's own span, so a
roster not yet planned shows every day). Days inside a configured 寒假 or 春节 span are flagged:
those are the days the bureau checks first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import DutyRoster
from ..settings import DateSpan, SeasonSettings
from .seasons import find_org, live_campaign

__all__ = ["DayCoverage", "RosterCoverage", "roster_coverage"]


@dataclass(frozen=True)
class DayCoverage:
    date: dt.date
    reason: str
    """``no_roster`` (no row that day) or ``no_leader`` (a shift without a leader)."""
    winter_break: bool
    spring_festival: bool

    def as_json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "reason": self.reason,
            "winter_break": self.winter_break,
            "spring_festival": self.spring_festival,
        }


@dataclass(frozen=True)
class RosterCoverage:
    org: str
    term_start: dt.date
    term_end: dt.date
    days: int
    uncovered: tuple[DayCoverage, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "org": self.org,
            "term_start": self.term_start.isoformat(),
            "term_end": self.term_end.isoformat(),
            "days": self.days,
            "covered": self.days - len(self.uncovered),
            "uncovered": [d.as_json() for d in self.uncovered],
        }


def _within(day: dt.date, spans: tuple[DateSpan, ...]) -> bool:
    return any(start <= day <= end for start, end in spans)


def roster_coverage(session: Session, org_id: str, season: SeasonSettings) -> RosterCoverage:
    """The live campaign's days the organisation's roster leaves without a leader on duty."""
    org = find_org(session, org_id)
    campaign = live_campaign(session)
    start, end = campaign.term_start, campaign.term_end
    rows = session.execute(
        select(DutyRoster.date, func.count(), func.count(DutyRoster.leader_person_id))
        .where(DutyRoster.org_id == org.id, DutyRoster.date >= start, DutyRoster.date <= end)
        .group_by(DutyRoster.date)
    ).all()
    by_day = {day: (shifts, led) for day, shifts, led in rows}
    uncovered = []
    day = start
    while day <= end:
        shifts, led = by_day.get(day, (0, 0))
        if shifts == 0 or led < shifts:
            reason = "no_roster" if shifts == 0 else "no_leader"
            uncovered.append(
                DayCoverage(day, reason, _within(day, season.winter_break), _within(day, season.spring_festival))
            )
        day += dt.timedelta(days=1)
    return RosterCoverage(org.source_id, start, end, (end - start).days + 1, tuple(uncovered))
