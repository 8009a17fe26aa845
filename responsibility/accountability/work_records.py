"""A person's work records over a span of days: what shows their part was done (or not).

Read by a due-diligence claim (尽职免责: the records it links) and by the incident dossier (each
link's records for the days before). One list per person, ordered by day, each record with its
kind, the reference of the record and one line:

- ``hazard_reported`` — a hazard they reported (found in the span);
- ``hazard_step`` — a step of the hazard loop they took (plan, progress, acceptance…);
- ``hazard_overdue`` — a hazard they were responsible for, past its deadline and open at the end;
- ``inspection`` — an inspection-round answer they gave;
- ``fire_check`` — a monthly fire check they made;
- ``duty`` — a roster day they led or staffed;
- ``patrol`` — a grid patrol they logged (巡查打卡: normal, or the hazard it found).

A record kind the system does not keep yet (check-ins) joins by one more function in
:data:`SOURCES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..chain.gaps.hazard_checks import hazard_exists_on, hazard_overdue
from ..models import (
    Building,
    DutyRoster,
    FireCheck,
    Grid,
    GridPatrol,
    Hazard,
    HazardRecord,
    InspectionAnswer,
    duty_roster_staff,
)

__all__ = ["NEGATIVE_KINDS", "SOURCES", "WorkRecord", "work_records"]

NEGATIVE_KINDS = frozenset({"hazard_overdue"})
"""Kinds that show a duty *not* done."""


@dataclass(frozen=True)
class WorkRecord:
    kind: str
    ref: str
    day: dt.date
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "day": self.day.isoformat(), "text": self.text}


Source = Callable[[Session, int, dt.date, dt.date], list[WorkRecord]]


def _hazard_key(h: Hazard) -> str:
    return h.file_no or h.source_id


def _reported(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.scalars(
        select(Hazard).where(Hazard.reported_by_person_id == person_id, Hazard.found_date.between(start, end))
    )
    return [
        WorkRecord("hazard_reported", _hazard_key(h), h.found_date or start, (h.description or "")[:60]) for h in rows
    ]


def _steps(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.execute(
        select(HazardRecord, Hazard)
        .join(Hazard, Hazard.id == HazardRecord.hazard_id)
        .where(HazardRecord.by_person_id == person_id, HazardRecord.date.between(start, end))
    ).all()
    return [
        WorkRecord("hazard_step", _hazard_key(h), r.date or start, f"{r.kind or ''} {(r.action or '')[:60]}".strip())
        for r, h in rows
    ]


def _overdue(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.scalars(
        select(Hazard).where(Hazard.responsible_person_id == person_id, hazard_exists_on(end), hazard_overdue(end))
    )
    return [
        WorkRecord(
            "hazard_overdue",
            _hazard_key(h),
            h.deadline or end,
            f"期限 {h.deadline} 已过，未销号 {(h.description or '')[:40]}",
        )
        for h in rows
    ]


def _answers(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.scalars(
        select(InspectionAnswer).where(
            InspectionAnswer.by_person_id == person_id, InspectionAnswer.answered_on.between(start, end)
        )
    )
    return [
        WorkRecord("inspection", f"answer:{a.id}", a.answered_on, f"{a.item_id} {a.target or ''} {a.result}".strip())
        for a in rows
    ]


def _fire_checks(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.execute(
        select(FireCheck, Building.source_id)
        .join(Building, Building.id == FireCheck.building_id)
        .where(FireCheck.checker_person_id == person_id, FireCheck.date.between(start, end))
    ).all()
    return [WorkRecord("fire_check", building, c.date, (c.finding or "")[:60]) for c, building in rows]


def _duty(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    staffed = select(duty_roster_staff.c.roster_id).where(duty_roster_staff.c.person_id == person_id)
    rows = session.scalars(
        select(DutyRoster).where(
            DutyRoster.date.between(start, end),
            or_(DutyRoster.leader_person_id == person_id, DutyRoster.id.in_(staffed)),
        )
    )
    return [
        WorkRecord(
            "duty", f"roster:{r.id}", r.date, f"{r.shift} {'带班' if r.leader_person_id == person_id else '值班'}"
        )
        for r in rows
    ]


def _patrols(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    rows = session.execute(
        select(GridPatrol, Grid.source_id)
        .join(Grid, Grid.id == GridPatrol.grid_id)
        .where(GridPatrol.person_id == person_id, GridPatrol.day.between(start, end))
    ).all()
    return [
        WorkRecord(
            "patrol",
            f"grid:{grid}",
            p.day,
            ("巡查正常" if p.result == "normal" else "巡查发现隐患") + f" {p.note or ''}".rstrip(),
        )
        for p, grid in rows
    ]


SOURCES: dict[str, Source] = {
    "hazard_reported": _reported,
    "hazard_step": _steps,
    "hazard_overdue": _overdue,
    "inspection": _answers,
    "fire_check": _fire_checks,
    "duty": _duty,
    "patrol": _patrols,
}


def work_records(session: Session, person_id: int, start: dt.date, end: dt.date) -> list[WorkRecord]:
    """Every record of the person in ``[start, end]``, ordered by day then kind."""
    out: list[WorkRecord] = []
    for source in SOURCES.values():
        out.extend(source(session, person_id, start, end))
    return sorted(out, key=lambda r: (r.day, r.kind, r.ref))
