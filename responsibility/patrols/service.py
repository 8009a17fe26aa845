"""Logging a patrol of a grid (网格巡查): the one state change of this package.

:func:`log_patrol` checks everything first, then writes one :class:`GridPatrol` and one audit event
``patrol.log``, and flushes; the caller (a view or a command) commits. Refused, with nothing
written: an unknown grid or person, a moment in the future, a person who is neither the grid's
owner nor a member on that (local) day, a note too long, and a second patrol of the same grid by
the same person on the same local day — a clear refusal (:class:`PatrolConflict`, 409), not a
silent no-op, so a tap on 巡查正常 twice tells the patroller it was already logged and when.

A hazard reported from the grid's QR page is a patrol too (:func:`record_hazard_patrol`): it is
logged with ``result=hazard`` and the hazard's id; if the person had already logged 巡查正常 that
day, that patrol now says a hazard was found (the day's result), with one more ``patrol.log``
event. A reporter who does not patrol the grid (a bureau supervisor, other school staff) logs no
patrol.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import as_utc, local_display, to_local
from ..messages import N_, msg
from ..models import PATROL_HAZARD, PATROL_NORMAL, Grid, GridPatrol, Hazard, Person
from ..settings_work import PatrolSettings
from .duties import role_on
from .errors import BadInput, NotOnGrid, PatrolConflict, UnknownPatrolSubject

__all__ = ["find_grid", "find_person", "log_patrol", "patrol_on", "record_hazard_patrol"]


def find_grid(session: Session, source_id: str) -> Grid:
    grid = session.scalar(select(Grid).where(Grid.source_id == (source_id or "").strip()))
    if grid is None:
        raise UnknownPatrolSubject(msg(N_("No grid %(grid)s."), grid=source_id))
    return grid


def find_person(session: Session, source_id: str) -> Person:
    person = session.scalar(select(Person).where(Person.source_id == (source_id or "").strip()))
    if person is None:
        raise UnknownPatrolSubject(msg(N_("No person %(person)s."), person=source_id))
    return person


def patrol_on(session: Session, grid: Grid, person: Person, day: dt.date) -> GridPatrol | None:
    """``person``'s patrol of ``grid`` on the local ``day``, if logged."""
    return session.scalar(
        select(GridPatrol).where(
            GridPatrol.grid_id == grid.id, GridPatrol.person_id == person.id, GridPatrol.day == day
        )
    )


def _clean_note(note: str | None, limit: int) -> str | None:
    text = " ".join((note or "").split()) or None
    if text is not None and len(text) > limit:
        raise BadInput(msg(N_("The note has more than %(limit)s characters."), limit=limit))
    return text


def _check(session: Session, grid: Grid, person: Person, at: dt.datetime, now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    if at.tzinfo is None:
        raise BadInput(msg(N_("The patrol time must carry its time zone.")))
    if as_utc(at) > as_utc(now):
        raise BadInput(msg(N_("The patrol time %(at)s is in the future."), at=local_display(at, tz)))
    day = to_local(at, tz).date()
    if role_on(session, grid, person, day) is None:
        raise NotOnGrid(
            msg(
                N_("%(person)s is neither the owner nor a member of grid %(grid)s on %(day)s."),
                person=person.source_id,
                grid=grid.source_id,
                day=day.isoformat(),
            )
        )
    return day


def _event(session: Session, patrol: GridPatrol, grid: Grid, person: Person, actor: str, **extra: object) -> None:
    data: dict[str, object] = {
        "grid": grid.source_id,
        "person": person.source_id,
        "at": as_utc(patrol.at),
        "day": patrol.day,
        "result": patrol.result,
        "hazard": patrol.hazard.file_no or patrol.hazard.source_id if patrol.hazard else None,
        "note": patrol.note,
    }
    data.update(extra)
    append_event(session, actor=actor, action="patrol.log", subject=f"grid:{grid.source_id}", data=data)


def _insert(session: Session, patrol: GridPatrol) -> None:
    try:
        with session.begin_nested():
            session.add(patrol)
            session.flush()
    except IntegrityError:
        raise PatrolConflict(msg(N_("This patrol was logged by someone else at the same time."))) from None


def log_patrol(
    session: Session,
    grid: str,
    person: str,
    *,
    at: dt.datetime,
    now: dt.datetime,
    tz: dt.tzinfo,
    note: str | None = None,
    settings: PatrolSettings,
    actor: str,
    hazard: Hazard | None = None,
) -> GridPatrol:
    """Log ``person``'s patrol of ``grid`` at ``at`` (aware), ``normal`` or, with ``hazard``,
    ``hazard``. Raises before writing anything (see the module)."""
    the_grid, the_person = find_grid(session, grid), find_person(session, person)
    text = _clean_note(note, settings.note_max_chars)
    day = _check(session, the_grid, the_person, at, now, tz)
    earlier = patrol_on(session, the_grid, the_person, day)
    if earlier is not None:
        raise PatrolConflict(
            msg(
                N_("%(person)s already logged a patrol of grid %(grid)s on %(day)s at %(time)s."),
                person=the_person.source_id,
                grid=the_grid.source_id,
                day=day.isoformat(),
                time=to_local(earlier.at, tz).strftime("%H:%M"),
            )
        )
    patrol = GridPatrol(
        grid_id=the_grid.id,
        person_id=the_person.id,
        at=as_utc(at),
        day=day,
        result=PATROL_HAZARD if hazard is not None else PATROL_NORMAL,
        hazard=hazard,
        note=text,
        recorded_at=as_utc(now),
    )
    _insert(session, patrol)
    _event(session, patrol, the_grid, the_person, actor)
    session.flush()
    return patrol


def record_hazard_patrol(
    session: Session, hazard: Hazard, *, at: dt.datetime, tz: dt.tzinfo, settings: PatrolSettings
) -> GridPatrol | None:
    """The patrol a hazard report makes, for a reporter who patrols the hazard's grid that day
    (else None, nothing written). Call it right after ``hazards.report_hazard``, same transaction."""
    reporter = session.get(Person, hazard.reported_by_person_id) if hazard.reported_by_person_id else None
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    if reporter is None or grid is None:
        return None
    day = to_local(at, tz).date()
    if role_on(session, grid, reporter, day) is None:
        return None
    earlier = patrol_on(session, grid, reporter, day)
    if earlier is None:
        note = f"{hazard.file_no or hazard.source_id}"
        return log_patrol(
            session, grid.source_id, reporter.source_id, at=at, now=at, tz=tz, note=note,
            settings=settings, actor=f"person:{reporter.source_id}", hazard=hazard,
        )  # fmt: skip
    if earlier.result == PATROL_HAZARD:
        return earlier
    earlier.result, earlier.hazard = PATROL_HAZARD, hazard
    session.flush()
    _event(session, earlier, grid, reporter, f"person:{reporter.source_id}", replaces=PATROL_NORMAL)
    session.flush()
    return earlier
