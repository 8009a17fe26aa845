"""Build the dossier of a place at a moment: who answered for it, bound by what, and what they did.

The place is a grid or a building (an incident's place); the moment an aware datetime, judged on
its local day. The chain is :func:`~responsibility.chain.trace` of that place on that day (who held
each link, the agreement binding it and its state); each holder's records are
:func:`~responsibility.accountability.work_records.work_records` of the ``days`` before and the day
itself; the duty roster of the school on that day is listed beside the chain. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accountability.work_records import WorkRecord, work_records
from ..chain import ChainSubject
from ..chain.errors import SubjectNotFound
from ..chain.subjects import Role
from ..chain.trace import trace
from ..chain.trace_links import TraceLink
from ..clock import DEFAULT_ZONE, iso_utc, to_local
from ..models import Building, DutyRoster, Grid, Organization, Person
from ..patrols import patrol_gaps
from ..settings_work import PatrolSettings
from .marks import Mark, mark_link

__all__ = ["DEFAULT_DAYS", "Dossier", "DossierLink", "build_dossier", "school_of_place"]

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class DossierLink:
    link: TraceLink
    records: tuple[WorkRecord, ...]
    mark: Mark
    patrol_gaps: int = 0
    """For a grid owner: patrol periods of the grid they missed in the window."""

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.link.as_dict(),
            "mark": self.mark.mark,
            "reasons": list(self.mark.reasons),
            "patrol_gaps": self.patrol_gaps,
            "records": [r.as_dict() for r in self.records],
        }


@dataclass(frozen=True)
class Dossier:
    subject: ChainSubject
    school_source_id: str
    school_name: str
    at: dt.datetime
    day: dt.date
    start: dt.date
    campaign: str | None
    links: tuple[DossierLink, ...]
    duty: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "place": {"kind": self.subject.kind, "id": self.subject.source_id},
            "school": {"id": self.school_source_id, "name": self.school_name},
            "at": iso_utc(self.at),
            "day": self.day.isoformat(),
            "window": {"start": self.start.isoformat(), "end": self.day.isoformat()},
            "campaign": self.campaign,
            "links": [link.as_dict() for link in self.links],
            "duty": list(self.duty),
        }


def school_of_place(session: Session, subject: ChainSubject) -> Organization:
    """The school a grid or building belongs to (``SubjectNotFound`` for an unknown one)."""
    model: type[Grid] | type[Building] = Grid if subject.kind == "grid" else Building
    school_id = session.scalar(select(model.school_id).where(model.source_id == subject.source_id))
    school = session.get(Organization, school_id) if school_id is not None else None
    if school is None:
        raise SubjectNotFound(f"no {subject.kind} {subject.source_id}")
    return school


def build_dossier(
    session: Session,
    subject: ChainSubject,
    at: dt.datetime,
    *,
    days: int = DEFAULT_DAYS,
    zone: dt.tzinfo = DEFAULT_ZONE,
    patrols: PatrolSettings | None = None,
) -> Dossier:
    """The dossier of ``subject`` (a grid or building) at ``at`` (see the module doc). With
    ``patrols`` (the patrol frequencies) a grid owner's missed patrol periods count against them."""
    school = school_of_place(session, subject)
    day = to_local(at, zone).date()
    start = day - dt.timedelta(days=days)
    chain = trace(session, subject, day)
    ids = {t.link.person_id for t in chain.links if t.link.person_id}
    rows = session.execute(select(Person.source_id, Person.id).where(Person.source_id.in_(ids)))
    people = {source_id: person_id for source_id, person_id in rows}
    links = []
    for t in chain.links:
        person = people.get(t.link.person_id or "")
        records = tuple(work_records(session, person, start, day)) if person is not None else ()
        missed = _missed_patrols(session, t, start, day, patrols)
        links.append(DossierLink(t, records, mark_link(t, records, missed), missed))
    return Dossier(
        subject=subject,
        school_source_id=school.source_id,
        school_name=school.name,
        at=at,
        day=day,
        start=start,
        campaign=chain.campaign_name,
        links=tuple(links),
        duty=tuple(_duty_of_day(session, school.id, day)),
    )


def _missed_patrols(
    session: Session, t: TraceLink, start: dt.date, day: dt.date, settings: PatrolSettings | None
) -> int:
    """Patrol periods of the owner's grid in the window without a patrol by them (0 for others)."""
    link = t.link
    if settings is None or link.role != Role.GRID_OWNER.value or not link.grid_source_id or not link.person_id:
        return 0
    gaps = patrol_gaps(session, link.grid_source_id, start, day, settings=settings, today=day)
    return sum(len(p.gaps) for p in gaps.people if p.person == link.person_id)


def _duty_of_day(session: Session, org_id: int, day: dt.date) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(DutyRoster).where(DutyRoster.org_id == org_id, DutyRoster.date == day).order_by(DutyRoster.shift)
    )
    return [
        {
            "shift": r.shift,
            "leader": _person(r.leader),
            "staff": [_person(p) for p in r.staff],
            "key_posts": r.key_posts or {},
        }
        for r in rows
    ]


def _person(p: Person | None) -> dict[str, str] | None:
    return {"id": p.source_id, "name": p.name} if p is not None else None
