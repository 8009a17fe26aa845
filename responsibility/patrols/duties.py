"""Who owes patrols of which grid, on which days: the grid owners by their ownership periods, the
members while in service (membership has no dates of its own), and the seasons' terms. A few
set-based statements per call whatever the number of grids (a school's, or one)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ..models import Campaign, Grid, GridOwnership, Person, grid_members
from .periods import ONE_DAY, Interval

__all__ = ["OWNER", "MEMBER", "Duty", "duties", "role_on", "terms"]

OWNER = "owner"
MEMBER = "member"


@dataclass(frozen=True)
class Duty:
    """A person's patrol duty on one grid in one role, over the days of ``intervals``."""

    grid_id: int
    person_id: int
    person: str
    """The person's source id."""
    name: str
    role: str
    """``owner`` (网格长) or ``member`` (网格员)."""
    intervals: tuple[Interval, ...]
    except_intervals: tuple[Interval, ...] = ()
    """Days the person owes the grid in another role (a member who is also its owner owes the
    owner's rhythm on those days, not both)."""

    def on_duty(self, day: dt.date) -> bool:
        return any(i.holds(day) for i in self.intervals) and not any(i.holds(day) for i in self.except_intervals)


def terms(session: Session) -> tuple[Interval, ...]:
    """Every campaign's term ``[term_start, term_end]`` as half-open intervals."""
    rows = session.execute(select(Campaign.term_start, Campaign.term_end)).all()
    return tuple(Interval(start, end + ONE_DAY) for start, end in rows)


def duties(session: Session, grids: ColumnElement[bool], start: dt.date, end: dt.date) -> dict[int, list[Duty]]:
    """Per grid id (of the grids matching ``grids``), the owners and members owing patrols in
    ``[start, end]``, owners first, then by person id."""
    owner_rows = session.execute(
        select(GridOwnership.grid_id, Person.id, Person.source_id, Person.name, GridOwnership.valid_from,
               GridOwnership.valid_to)
        .join(Grid, Grid.id == GridOwnership.grid_id)
        .join(Person, Person.id == GridOwnership.person_id)
        .where(grids, GridOwnership.valid_from <= end,
               or_(GridOwnership.valid_to.is_(None), GridOwnership.valid_to > start))
    ).all()  # fmt: skip
    owned: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for grid_id, pid, source, name, valid_from, valid_to in owner_rows:
        owned[(grid_id, pid)].append(Interval(valid_from, valid_to))
        names[pid] = (source, name)
    out: dict[int, list[Duty]] = defaultdict(list)
    for (grid_id, pid), spans in sorted(owned.items()):
        out[grid_id].append(Duty(grid_id, pid, *names[pid], OWNER, tuple(spans)))
    member_rows = session.execute(
        select(grid_members.c.grid_id, Person.id, Person.source_id, Person.name, Person.joined_on, Person.left_on)
        .join(Grid, Grid.id == grid_members.c.grid_id)
        .join(Person, Person.id == grid_members.c.person_id)
        .where(grids)
        .order_by(grid_members.c.grid_id, Person.id)
    ).all()
    for grid_id, pid, source, name, joined, left in member_rows:
        service = (Interval(joined, left),)
        out[grid_id].append(Duty(grid_id, pid, source, name, MEMBER, service, tuple(owned.get((grid_id, pid), ()))))
    return dict(out)


def role_on(session: Session, grid: Grid, person: Person, day: dt.date) -> str | None:
    """``owner`` or ``member`` when ``person`` patrols ``grid`` on ``day`` by its assignment that
    day, else None."""
    for duty in duties(session, Grid.id == grid.id, day, day).get(grid.id, []):
        if duty.person_id == person.id and duty.on_duty(day):
            return duty.role
    return None
