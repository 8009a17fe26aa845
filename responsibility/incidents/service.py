"""Reporting an incident (事故/事件报告) and recording one a school did not report (漏报/瞒报).

Everything is checked before anything is written; a refusal is one message and nothing written:
an unknown school, kind, severity or person; an incident in the future or a report before it; a
place (grid or building) of another school; an empty description; casualties below 0; a reporter
who is not on the school's staff on the day; a recorder who holds no bureau post on the day. Each
incident is flushed with one audit event; only entry points commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.access import own_school_ids
from ..agreements.bureau_facts import bureau_post_assignments
from ..audit import append_event, lock_chain
from ..clock import DEFAULT_ZONE, as_utc, iso_utc, now_utc, to_local
from ..errors import BadInput, NotFound
from ..messages import N_
from ..models import Building, Grid, Incident, Person, School
from ..settings_work import IncidentSettings
from .catalogue import IncidentCatalogue, IncidentKind, load_catalogue
from .errors import NotPermitted

__all__ = ["IncidentFacts", "find_incident", "lateness_seconds", "record_unreported", "report_incident"]

MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class IncidentFacts:
    """What is known of an incident, as given (ids of the import file; times aware)."""

    school: str
    kind: str
    occurred_at: dt.datetime
    place: str
    severity: str
    description: str
    deaths: int = 0
    injuries: int = 0


def lateness_seconds(occurred_at: dt.datetime, reported_at: dt.datetime, limit_seconds: int) -> int:
    """Seconds the report came after the limit ran out (0 when in time)."""
    return max(0, int((as_utc(reported_at) - as_utc(occurred_at)).total_seconds()) - limit_seconds)


def _school(session: Session, source_id: str) -> School:
    school = session.scalar(select(School).where(School.source_id == source_id.strip()))
    if school is None:
        raise NotFound(N_("No school %(school)s."), school=repr(source_id))
    return school


def _person(session: Session, source_id: str) -> Person:
    person = session.scalar(select(Person).where(Person.source_id == source_id.strip()))
    if person is None:
        raise NotFound(N_("No person %(person)s."), person=repr(source_id))
    return person


def _place(session: Session, school: School, place: str) -> tuple[Grid | None, Building | None]:
    key = place.strip()
    grid = session.scalar(select(Grid).where(Grid.source_id == key)) if key else None
    building = None if grid or not key else session.scalar(select(Building).where(Building.source_id == key))
    found = grid or building
    if found is None:
        raise NotFound(N_("No grid or building %(place)s."), place=repr(place))
    if found.school_id != school.id:
        other = session.get(School, found.school_id)
        raise BadInput(
            N_("%(place)s is a place of %(other)s, not of %(school)s."),
            place=key, other=other.name if other else "?", school=school.name,
        )  # fmt: skip
    return grid, building


def _checked(
    session: Session, facts: IncidentFacts, catalogue: IncidentCatalogue, now: dt.datetime
) -> tuple[School, IncidentKind, Grid | None, Building | None]:
    school = _school(session, facts.school)
    kind = catalogue.kind(facts.kind.strip())
    if kind is None:
        known = ", ".join(k.code for k in catalogue.kinds)
        raise BadInput(N_("No incident kind %(kind)s (known: %(known)s)."), kind=repr(facts.kind), known=known)
    if catalogue.severity(facts.severity.strip()) is None:
        known = ", ".join(s.code for s in catalogue.severities)
        raise BadInput(N_("No severity %(severity)s (known: %(known)s)."), severity=repr(facts.severity), known=known)
    if as_utc(facts.occurred_at) > now:
        raise BadInput(
            N_("The incident is dated %(at)s, in the future."),
            at=to_local(facts.occurred_at).strftime("%Y-%m-%d %H:%M"),
        )
    text = (facts.description or "").strip()
    if not text or len(text) > MAX_DESCRIPTION:
        raise BadInput(N_("Describe what happened (1 to %(count)s characters)."), count=MAX_DESCRIPTION)
    if min(facts.deaths, facts.injuries) < 0:
        raise BadInput(N_("Deaths and injuries are whole numbers of at least 0."))
    grid, building = _place(session, school, facts.place)
    return school, kind, grid, building


def _number(session: Session, occurred_at: dt.datetime) -> str:
    prefix = f"SG-{to_local(occurred_at, DEFAULT_ZONE).year}-"
    lock_chain(session)  # two records at once count one after the other
    count = session.scalar(select(func.count()).where(Incident.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:04d}"


def _write(session: Session, row: Incident, actor: str, action: str) -> Incident:
    session.add(row)
    session.flush()
    append_event(
        session, actor=actor, action=action, subject=f"incident:{row.number}",
        data={"number": row.number, "school_id": row.school_id, "kind": row.kind, "severity": row.severity,
              "occurred_at": iso_utc(row.occurred_at),
              "reported_at": iso_utc(row.reported_at) if row.reported_at else None,
              "status": row.status, "lateness_seconds": row.lateness_seconds, "deaths": row.deaths,
              "injuries": row.injuries, "catalogue": row.catalogue_version},
    )  # fmt: skip
    return row


def report_incident(
    session: Session, facts: IncidentFacts, *, limits: IncidentSettings, reported_at: dt.datetime | None = None,
    reporter: str | None = None, actor: str = "cli", catalogue: IncidentCatalogue | None = None,
    now: dt.datetime | None = None,
) -> Incident:  # fmt: skip
    """The school's report (flushed): ``reported`` in time, else ``late`` with the lateness."""
    catalogue = catalogue or load_catalogue()
    now = as_utc(now or now_utc())
    school, kind, grid, building = _checked(session, facts, catalogue, now)
    at = as_utc(facts.occurred_at)
    reported = as_utc(reported_at or now)
    if reported > now:
        raise BadInput(N_("The report time %(at)s is in the future."), at=to_local(reported).strftime("%Y-%m-%d %H:%M"))
    if reported < at:
        raise BadInput(N_("The report time is before the incident."))
    person = None
    if reporter:
        person = _person(session, reporter)
        day = to_local(reported, DEFAULT_ZONE).date()
        if school.id not in own_school_ids(session, person.id, day):
            raise NotPermitted(
                N_("%(name)s is not on the staff of %(school)s on %(day)s and cannot report its incidents."),
                name=person.name, school=school.name, day=day.isoformat(),
            )  # fmt: skip
        actor = f"person:{person.source_id}"
    limit = limits.limit_minutes(kind.code, kind.veto) * 60
    late = lateness_seconds(at, reported, limit)
    row = Incident(
        number=_number(session, at), school_id=school.id, kind=kind.code, catalogue_version=catalogue.version,
        veto_kind=kind.veto, occurred_at=at, reported_at=reported, grid_id=grid.id if grid else None,
        building_id=building.id if building else None, severity=facts.severity.strip(), deaths=facts.deaths,
        injuries=facts.injuries, description=facts.description.strip(),
        reporter_person_id=person.id if person else None, status="late" if late else "reported",
        limit_seconds=limit, lateness_seconds=late, recorded_by=actor,
    )  # fmt: skip
    return _write(session, row, actor, "incident.report")


def record_unreported(
    session: Session, facts: IncidentFacts, *, by: str, concealed: bool, limits: IncidentSettings,
    catalogue: IncidentCatalogue | None = None, now: dt.datetime | None = None,
) -> Incident:  # fmt: skip
    """An incident the school did not report, recorded by bureau staff (flushed): ``unreported``
    (漏报) or, with ``concealed``, ``concealed`` (瞒报). The school sees it on its list."""
    catalogue = catalogue or load_catalogue()
    now = as_utc(now or now_utc())
    school, kind, grid, building = _checked(session, facts, catalogue, now)
    person = _person(session, by)
    day = to_local(now, DEFAULT_ZONE).date()
    if not bureau_post_assignments(session, [person.id], day):
        raise NotPermitted(
            N_("%(name)s holds no post at the bureau on %(day)s: only bureau staff record unreported incidents."),
            name=person.name, day=day.isoformat(),
        )  # fmt: skip
    at = as_utc(facts.occurred_at)
    row = Incident(
        number=_number(session, at), school_id=school.id, kind=kind.code, catalogue_version=catalogue.version,
        veto_kind=kind.veto, occurred_at=at, reported_at=None, grid_id=grid.id if grid else None,
        building_id=building.id if building else None, severity=facts.severity.strip(), deaths=facts.deaths,
        injuries=facts.injuries, description=facts.description.strip(), status="concealed" if concealed else "unreported",
        limit_seconds=limits.limit_minutes(kind.code, kind.veto) * 60, lateness_seconds=0,
        recorded_by_person_id=person.id, recorded_by=f"person:{person.source_id}",
    )  # fmt: skip
    return _write(session, row, f"person:{person.source_id}", "incident.record_unreported")


def find_incident(session: Session, number: str) -> Incident:
    row = session.scalar(select(Incident).where(Incident.number == number.strip()))
    if row is None:
        raise NotFound(N_("No incident %(incident)s."), incident=repr(number))
    return row
