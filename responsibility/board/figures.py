"""The board's figures, one function per figure. Each takes the board's schools
(:func:`board_schools`, the viewer's visible ones) and returns the figure per school, per town
and for all of them (:class:`ByTown`), from the owning package's own query or one aggregate
statement whatever the number of schools.

The rules, in words:

- ``latest_round``: the newest inspection round (by id): its schools that submitted of its
  schools on the board; the fail rate per risk area is the round's (all its schools).
- ``patrol_coverage``: grids whose owner and members have no patrol gap in the range, of all
  grids (``patrols.grids_without_gaps``).
- ``attendance`` 到岗率: check-ins of rostered person-shifts (``season.attendance_rate``), the
  schools only (the bureau's own roster is on the attendance page).
- ``fire_checks``: buildings checked in the calendar month of the day (on or before it: a check
  recorded, or the fire file's last monthly check) of the buildings that have a fire file.
- ``visit_rate``, ``anti_fraud_coverage``: the targets' measures, as on the education county table.
- ``incidents_in_term``: incidents that happened from the term's start to the day: all, late
  (迟报), not reported (漏报/瞒报).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from ..clock import DEFAULT_ZONE
from ..incidents.queries import incidents_between
from ..inspections.completion import round_completion
from ..models import Building, Campaign, FireCheck, FirePlan, InspectionRound, School, Town
from ..patrols.queries import grids_without_gaps
from ..season.checkins import attendance_rate
from ..settings_work import PatrolSettings
from ..targets.measures import MEASURES, Window

__all__ = [
    "BoardSchools",
    "ByTown",
    "IncidentCounts",
    "RoundFigure",
    "Share",
    "anti_fraud_coverage",
    "attendance",
    "board_schools",
    "fire_checks",
    "incidents_in_term",
    "latest_round",
    "patrol_coverage",
    "roll_up",
    "visit_rate",
]

LATE = ("late",)
UNREPORTED = ("unreported", "concealed")


@dataclass(frozen=True)
class Share:
    done: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        """``done`` ÷ ``total``; None with nothing to count."""
        return self.done / self.total if self.total else None

    def __add__(self, other: Share) -> Share:
        return Share(self.done + other.done, self.total + other.total)


@dataclass(frozen=True)
class IncidentCounts:
    count: int = 0
    late: int = 0
    unreported: int = 0

    def __add__(self, other: IncidentCounts) -> IncidentCounts:
        return IncidentCounts(self.count + other.count, self.late + other.late, self.unreported + other.unreported)


T = TypeVar("T", Share, IncidentCounts)


@dataclass(frozen=True)
class BoardSchools:
    """The schools on the board: database id → (import id, name, town import id or ``""``)."""

    rows: Mapping[int, tuple[str, str, str]]
    towns: Mapping[str, str]
    """Town import id → name, the towns of the board's schools in id order (``""``: no town)."""
    everyone: bool
    """Every school of the county (the viewer sees the whole county)."""

    @property
    def ids(self) -> list[int]:
        return list(self.rows)

    def scope(self) -> list[int] | None:
        """The ids to filter by, or None for every school (no ``IN`` list of the whole county)."""
        return None if self.everyone else self.ids


@dataclass(frozen=True)
class ByTown(Generic[T]):
    schools: Mapping[int, T]
    """Per school database id; a school with nothing to count is absent."""
    towns: Mapping[str, T]
    """Per town import id, every town of the board (zero when nothing to count)."""
    county: T


@dataclass(frozen=True)
class RoundFigure:
    round_id: int
    name: str
    submitted: ByTown[Share]
    fail_rates: Mapping[str, float | None]
    """Risk area code → the round's fail rate (None without a pass or fail answer)."""


def board_schools(session: Session, visible: Collection[int] | None) -> BoardSchools:
    """The schools of ``visible`` (None: every school) with their towns: one statement."""
    query = select(School.id, School.source_id, School.name, Town.source_id, Town.name).outerjoin(
        Town, Town.id == School.town_id
    )
    if visible is not None:
        query = query.where(School.id.in_(list(visible)))
    rows = session.execute(query.order_by(School.source_id)).all()
    towns = dict(sorted({(t or ""): (n or "") for *_, t, n in rows}.items()))
    return BoardSchools({i: (s, n, t or "") for i, s, n, t, _ in rows}, towns, visible is None)


def roll_up(schools: BoardSchools, per_school: Mapping[int, T], zero: T) -> ByTown[T]:
    """``per_school`` kept to the board's schools, added up per town and for all of them."""
    kept = {i: v for i, v in per_school.items() if i in schools.rows}
    towns = dict.fromkeys(schools.towns, zero)
    for school_id, value in kept.items():
        town = schools.rows[school_id][2]
        towns[town] = towns[town] + value
    county = zero
    for value in towns.values():
        county = county + value
    return ByTown(kept, towns, county)


def latest_round(session: Session, schools: BoardSchools) -> RoundFigure | None:
    """The newest round's completion on the board's schools; None before the first round."""
    round_id = session.scalar(select(func.max(InspectionRound.id)))
    if round_id is None:
        return None
    view = round_completion(session, round_id)
    by_source = {source: i for i, (source, _, _) in schools.rows.items()}
    per_school = {
        by_source[s.school_id]: Share(int(s.status == "submitted"), 1) for s in view.schools if s.school_id in by_source
    }
    rates = {code: row["fail_rate"] for code, row in view.areas.items()}
    return RoundFigure(view.round_id, view.name, roll_up(schools, per_school, Share()), rates)


def patrol_coverage(
    session: Session, schools: BoardSchools, start: dt.date, end: dt.date, *, settings: PatrolSettings,
    today: dt.date,
) -> ByTown[Share]:  # fmt: skip
    counts = grids_without_gaps(session, schools.scope(), start, end, settings=settings, today=today)
    return roll_up(schools, {i: Share(*pair) for i, pair in counts.items()}, Share())


def attendance(session: Session, schools: BoardSchools, start: dt.date, end: dt.date, today: dt.date) -> ByTown[Share]:
    report = attendance_rate(session, start, end, today)
    by_source = {source: i for i, (source, _, _) in schools.rows.items()}
    per_school = {by_source[a.key]: Share(a.checked_in, a.rostered) for a in report.orgs if a.key in by_source}
    return roll_up(schools, per_school, Share())


def fire_checks(session: Session, schools: BoardSchools, day: dt.date) -> ByTown[Share]:
    first = day.replace(day=1)
    recorded = exists().where(FireCheck.building_id == Building.id, FireCheck.date.between(first, day))
    checked = or_(FirePlan.last_monthly_check.between(first, day), recorded)
    query = (
        select(Building.school_id, func.count(FirePlan.id), func.count(FirePlan.id).filter(checked))
        .join(FirePlan, FirePlan.building_id == Building.id)
        .group_by(Building.school_id)
    )
    scope = schools.scope()
    if scope is not None:
        query = query.where(Building.school_id.in_(scope))
    per_school = {i: Share(int(done), int(total)) for i, total, done in session.execute(query).all()}
    return roll_up(schools, per_school, Share())


def _measure(session: Session, name: str, schools: BoardSchools, campaign: Campaign, at: dt.date) -> ByTown[Share]:
    if not schools.rows:
        return roll_up(schools, {}, Share())
    values = MEASURES[name](session, Window(campaign=campaign, at=at, school_ids=schools.ids))
    return roll_up(schools, {i: Share(m.numerator, m.denominator) for i, m in values.items()}, Share())


def visit_rate(session: Session, schools: BoardSchools, campaign: Campaign, at: dt.date) -> ByTown[Share]:
    return _measure(session, "home_visit_rate", schools, campaign, at)


def anti_fraud_coverage(session: Session, schools: BoardSchools, campaign: Campaign, at: dt.date) -> ByTown[Share]:
    return _measure(session, "anti_fraud_coverage", schools, campaign, at)


def incidents_in_term(
    session: Session, schools: BoardSchools, campaign: Campaign, at: dt.date, tz: dt.tzinfo = DEFAULT_ZONE
) -> ByTown[IncidentCounts]:
    end = min(at, campaign.term_end)
    rows = (
        incidents_between(session, schools.scope(), campaign.term_start, end, tz) if end >= campaign.term_start else []
    )
    per_school: dict[int, IncidentCounts] = {}
    for row in rows:
        one = IncidentCounts(1, int(row.status in LATE), int(row.status in UNREPORTED))
        per_school[row.school_id] = per_school.get(row.school_id, IncidentCounts()) + one
    return roll_up(schools, per_school, IncidentCounts())
