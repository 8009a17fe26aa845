"""Reading patrols: a grid's history with each person's gaps against the configured frequency
(:func:`patrol_gaps`), a school's grids with patrols done and gaps (:func:`school_patrols`), and
for many schools at once the calendar weeks a grid had a gap (:func:`gap_weeks`, the assessment's
网格巡查记录缺失).

Both run a fixed handful of set-based statements (duties, terms, patrol days) whatever the number
of grids, then judge each person's periods with :mod:`.periods`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from ..messages import N_, msg
from ..models import Grid, GridPatrol, School
from ..settings_work import PatrolSettings
from .duties import OWNER, Duty, duties, terms
from .errors import BadInput, UnknownPatrolSubject
from .periods import Interval, Period, judge_spans, spans_within, windows
from .service import find_grid

__all__ = [
    "MAX_RANGE_DAYS", "GapWeek", "GridGaps", "GridSummary", "PersonGaps", "SchoolPatrols", "gap_weeks",
    "grids_without_gaps", "patrol_gaps",
    "school_patrols",
]  # fmt: skip

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class PersonGaps:
    person: str
    name: str
    role: str
    every_days: int
    owed: int
    done: int
    open: int
    gaps: tuple[Period, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "person": self.person, "name": self.name, "role": self.role, "every_days": self.every_days,
            "owed": self.owed, "done": self.done, "open": self.open, "gaps": [g.as_json() for g in self.gaps],
        }  # fmt: skip


@dataclass(frozen=True)
class GridGaps:
    grid: str
    name: str
    school: str
    start: dt.date
    end: dt.date
    people: tuple[PersonGaps, ...]
    patrols: tuple[GridPatrol, ...]
    """The grid's patrols in the range, newest first."""

    @property
    def gap_count(self) -> int:
        return sum(len(p.gaps) for p in self.people)

    def gap_days(self) -> set[dt.date]:
        return {d for p in self.people for g in p.gaps for d in g.days()}

    def as_json(self) -> dict[str, object]:
        return {
            "grid": self.grid, "name": self.name, "school": self.school,
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "patrols": len(self.patrols), "gap_count": self.gap_count,
            "people": [p.as_json() for p in self.people],
        }  # fmt: skip


@dataclass(frozen=True)
class GridSummary:
    grid: str
    name: str
    level: int
    patrols: int
    gap_count: int
    people: int

    def as_json(self) -> dict[str, object]:
        return {"grid": self.grid, "name": self.name, "level": self.level, "patrols": self.patrols,
                "gap_count": self.gap_count, "people": self.people}  # fmt: skip


@dataclass(frozen=True)
class SchoolPatrols:
    school: str
    name: str
    start: dt.date
    end: dt.date
    grids: tuple[GridSummary, ...]

    @property
    def patrols(self) -> int:
        return sum(g.patrols for g in self.grids)

    @property
    def gap_count(self) -> int:
        return sum(g.gap_count for g in self.grids)

    def as_json(self) -> dict[str, object]:
        return {
            "school": self.school, "name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "grid_count": len(self.grids), "patrols": self.patrols, "gap_count": self.gap_count,
            "grids": [g.as_json() for g in self.grids],
        }  # fmt: skip


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise BadInput(msg(N_("The end %(end)s is before the start %(start)s."), start=start, end=end))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise BadInput(msg(N_("A range covers at most %(days)s days."), days=MAX_RANGE_DAYS))


def _padded(start: dt.date, end: dt.date, settings: PatrolSettings) -> tuple[dt.date, dt.date]:
    """The days whose patrols can count for the range: whole periods of both roles."""
    spans = [windows(start, end, n) for n in (settings.member_every_days, settings.owner_every_days)]
    return min(w[0].start for w in spans), max(w[-1].end for w in spans)


def _patrol_days(
    session: Session, grids: ColumnElement[bool], lo: dt.date, hi: dt.date
) -> dict[tuple[int, int], set[dt.date]]:
    rows = session.execute(
        select(GridPatrol.grid_id, GridPatrol.person_id, GridPatrol.day)
        .join(Grid, Grid.id == GridPatrol.grid_id)
        .where(grids, GridPatrol.day.between(lo, hi))
    ).all()
    out: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for grid_id, person_id, day in rows:
        out[(grid_id, person_id)].add(day)
    return out


def _judge(
    duty: Duty, seasons: tuple[Interval, ...], days: set[dt.date], start: dt.date, end: dt.date,
    settings: PatrolSettings, today: dt.date,
) -> PersonGaps:  # fmt: skip
    every = settings.owner_every_days if duty.role == OWNER else settings.member_every_days
    # owed: the role's days, inside a season's term (no campaign yet: every day), not owed in another role
    owed = spans_within(start, end, duty.intervals, within=seasons or None, without=duty.except_intervals)
    j = judge_spans(start, end, every, duty=owed, patrolled=days, today=today)
    return PersonGaps(duty.person, duty.name, duty.role, every, j.owed, j.done, j.open, j.gaps)


def _people(
    session: Session, grids: ColumnElement[bool], start: dt.date, end: dt.date, settings: PatrolSettings,
    today: dt.date,
) -> dict[int, list[PersonGaps]]:  # fmt: skip
    seasons = terms(session)
    lo, hi = _padded(start, end, settings)
    days = _patrol_days(session, grids, lo, hi)
    out: dict[int, list[PersonGaps]] = {}
    for grid_id, grid_duties in duties(session, grids, start, end).items():
        judged = [_judge(d, seasons, days.get((grid_id, d.person_id), set()), start, end, settings, today)
                  for d in grid_duties]  # fmt: skip
        out[grid_id] = [p for p in judged if p.owed or p.open]
    return out


def patrol_gaps(
    session: Session, grid: str, start: dt.date, end: dt.date, *, settings: PatrolSettings, today: dt.date
) -> GridGaps:
    """``grid``'s patrols in ``[start, end]`` and, per owner and member, the periods without one."""
    _check_range(start, end)
    the_grid = find_grid(session, grid)
    people = _people(session, Grid.id == the_grid.id, start, end, settings, today).get(the_grid.id, [])
    patrols = session.scalars(
        select(GridPatrol)
        .options(joinedload(GridPatrol.person), joinedload(GridPatrol.hazard))
        .where(GridPatrol.grid_id == the_grid.id, GridPatrol.day.between(start, end))
        .order_by(GridPatrol.at.desc())
    ).all()
    return GridGaps(
        the_grid.source_id, the_grid.name, the_grid.school.source_id, start, end, tuple(people), tuple(patrols)
    )


def school_patrols(
    session: Session, school: str, start: dt.date, end: dt.date, *, settings: PatrolSettings, today: dt.date
) -> SchoolPatrols:
    """Every grid of ``school`` with its patrols in ``[start, end]`` and its gap count."""
    _check_range(start, end)
    the_school = session.scalar(select(School).where(School.source_id == (school or "").strip()))
    if the_school is None:
        raise UnknownPatrolSubject(msg(N_("No school %(school)s."), school=school))
    of_school = Grid.school_id == the_school.id
    people = _people(session, of_school, start, end, settings, today)
    counts = dict(
        session.execute(
            select(GridPatrol.grid_id, func.count())
            .join(Grid, Grid.id == GridPatrol.grid_id)
            .where(of_school, GridPatrol.day.between(start, end))
            .group_by(GridPatrol.grid_id)
        ).all()
    )
    grids = session.execute(
        select(Grid.id, Grid.source_id, Grid.name, Grid.level).where(of_school).order_by(Grid.source_id)
    ).all()
    rows = tuple(
        GridSummary(source, name, level, int(counts.get(gid, 0)),
                    sum(len(p.gaps) for p in people.get(gid, [])), len(people.get(gid, [])))
        for gid, source, name, level in grids
    )  # fmt: skip
    return SchoolPatrols(the_school.source_id, the_school.name, start, end, rows)


@dataclass(frozen=True)
class GapWeek:
    grid: str
    name: str
    monday: dt.date
    """The calendar week (Monday to Sunday) holding at least one gap day of the grid."""


def gap_weeks(
    session: Session, school_ids: Sequence[int], start: dt.date, end: dt.date, *, settings: PatrolSettings,
    today: dt.date,
) -> dict[int, list[GapWeek]]:  # fmt: skip
    """Per school (database id) of ``school_ids``, each grid and calendar week of ``[start, end]`` in
    which somebody owed a patrol and had none (the same statements as :func:`school_patrols`, for
    all the schools at once), by grid and week."""
    _check_range(start, end)
    of_schools = Grid.school_id.in_(list(school_ids))
    people = _people(session, of_schools, start, end, settings, today)
    grids = session.execute(
        select(Grid.id, Grid.school_id, Grid.source_id, Grid.name).where(of_schools).order_by(Grid.source_id)
    ).all()
    out: dict[int, list[GapWeek]] = defaultdict(list)
    for gid, school_id, source, name in grids:
        days = {d for p in people.get(gid, []) for g in p.gaps for d in g.days()}
        for monday in sorted({d - dt.timedelta(days=d.weekday()) for d in days}):
            out[school_id].append(GapWeek(source, name, monday))
    return dict(out)


def grids_without_gaps(
    session: Session, school_ids: Collection[int] | None, start: dt.date, end: dt.date, *,
    settings: PatrolSettings, today: dt.date,
) -> dict[int, tuple[int, int]]:  # fmt: skip
    """Per school database id (of ``school_ids``, None: every school): (grids whose owner and
    members have no gap in ``[start, end]``, grids). The same judgement as :func:`school_patrols`,
    for many schools at once: the same fixed handful of statements, whatever their number."""
    _check_range(start, end)
    grids = Grid.school_id.in_(list(school_ids)) if school_ids is not None else Grid.id.is_not(None)
    people = _people(session, grids, start, end, settings, today)
    out: dict[int, tuple[int, int]] = {}
    for grid_id, school_id in session.execute(select(Grid.id, Grid.school_id).where(grids)).all():
        covered, total = out.get(school_id, (0, 0))
        gapless = not any(p.gaps for p in people.get(grid_id, []))
        out[school_id] = (covered + gapless, total + 1)
    return out
