"""Escalation of overdue hazards up the chain of their grid (the machinery of ``chain.escalation``).

A hazard is overdue on ``at`` when it is open (not closed, not void) and its deadline is before
``at``. It climbs the accountability chain of its grid on ``at`` (``chain.trace``), one level per
run, each after the configured delay (``HazardSettings.escalation_days``: the first entry counts
from the first overdue day, each further one from the day the previous level was raised):

1. the rectifier and the owner of the hazard's grid;
2. the school's safety deputy;
3. both school heads (principal, party secretary or party instructor);
4. the liaison section (liaison person, section chief);
5. the school's bureau leader (包片领导).

Every raise notifies in-app (mail follows with ``notify.deliver_mail`` after the commit), writes
a :class:`HazardEscalationStep` (unique per hazard and level: a second run on the same day never
raises a level twice; a level with nobody to notify is still recorded, so the next follows on
time) and one audit event, in the caller's transaction. A 重大 hazard overdue without temporary
controls is a **veto candidate** (一票否决, season.md M02) for the assessment: flagged in the
summary and the message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..audit import append_event
from ..chain import ChainSubject, Role
from ..chain.escalation import EscalationSummary, Raised
from ..chain.trace import trace
from ..models import Grid, Hazard, HazardEscalationStep, Person
from ..notify import Event, publish
from .states import LABELS, OPEN_STATES

__all__ = ["LEVEL_ROLES", "HazardEscalation", "due_level", "overdue_hazards", "run_hazard_escalation", "veto_candidate"]

KIND = "overdue_hazard"
ACTOR = "escalation"
LEVEL_ROLES: dict[int, tuple[str, ...]] = {
    1: ("rectifier", Role.GRID_OWNER.value),
    2: (Role.SAFETY_DEPUTY.value,),
    3: (Role.PRINCIPAL.value, Role.SCHOOL_PARTY_SECRETARY.value, Role.PARTY_INSTRUCTOR.value),
    4: (Role.LIAISON.value, Role.SECTION_CHIEF.value),
    5: (Role.BUREAU_LEADER.value,),
}
_OVERDUE_MSGID = (
    "Hazard %(number)s of %(school)s (%(level)s, %(summary)s) is past its rectification deadline "
    "%(deadline)s by %(days)s days; raised to escalation step %(step)s."
)
_VETO_MSGID = (
    "Hazard %(number)s of %(school)s (%(level)s, %(summary)s) is past its rectification deadline "
    "%(deadline)s by %(days)s days; raised to escalation step %(step)s. A major hazard overdue "
    "without temporary controls is a veto candidate."
)


@dataclass
class HazardEscalation(EscalationSummary):
    """The agreements' summary (``document_number`` is the file number) plus veto candidates."""

    veto_candidates: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        for item in data["raised"]:
            item["file_no"] = item.pop("agreement")
        return data | {"veto_candidates": self.veto_candidates}


def veto_candidate(hazard: Hazard, at: dt.date) -> bool:
    """重大, overdue on ``at`` and without temporary controls."""
    overdue = hazard.deadline is not None and hazard.deadline < at
    return hazard.level == "重大" and overdue and not (hazard.temporary_measures or "").strip()


def overdue_hazards(session: Session, at: dt.date) -> list[Hazard]:
    open_labels = sorted({LABELS[s] for s in OPEN_STATES} | {"待整改", "已整改", "整改完成", "待复查"})
    return list(
        session.scalars(
            select(Hazard)
            .where(
                Hazard.status.in_(open_labels),
                Hazard.deadline.is_not(None),
                Hazard.deadline < at,
                or_(Hazard.found_date.is_(None), Hazard.found_date <= at),
            )
            .options(selectinload(Hazard.school))
            .order_by(Hazard.deadline, Hazard.file_no)
        ).all()
    )


def due_level(steps: dict[int, dt.date], hazard: Hazard, at: dt.date, delays: tuple[int, ...]) -> int | None:
    """The next level due on ``at`` given the levels already raised (level → day), or None."""
    if not steps:
        first_overdue = hazard.deadline + dt.timedelta(days=1) if hazard.deadline else at
        return 1 if at >= first_overdue + dt.timedelta(days=delays[0] if delays else 0) else None
    last = max(steps)
    if last >= len(LEVEL_ROLES):
        return None
    delay = delays[min(last, len(delays) - 1)] if delays else 0
    return last + 1 if at >= steps[last] + dt.timedelta(days=delay) else None


def _recipients(session: Session, hazard: Hazard, level: int, at: dt.date) -> list[Person]:
    roles = LEVEL_ROLES[level]
    wanted: list[str] = []
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    if "rectifier" in roles and hazard.responsible_person_id:
        rectifier = session.get(Person, hazard.responsible_person_id)
        wanted += [rectifier.source_id] if rectifier else []
    subject = ChainSubject.grid(grid.source_id) if grid else ChainSubject.school(hazard.school.source_id)
    for t in trace(session, subject, at).links:
        link = t.link
        if link.role not in roles or not link.person_id:
            continue
        if link.role == Role.GRID_OWNER.value and (grid is None or link.grid_source_id != grid.source_id):
            continue  # only the owner of the hazard's own grid at level 1
        wanted.append(link.person_id)
    wanted = list(dict.fromkeys(wanted))
    persons = {p.source_id: p for p in session.scalars(select(Person).where(Person.source_id.in_(wanted)))}
    return [persons[s] for s in wanted if s in persons]


def _raise(session: Session, hazard: Hazard, level: int, at: dt.date, veto: bool) -> Raised:
    people = _recipients(session, hazard, level, at)
    days = (at - hazard.deadline).days if hazard.deadline else 0
    publish(
        session,
        Event(
            kind=KIND,
            key=f"{KIND}:{hazard.id}:{level}",
            recipients=[person.id for person in people],
            msgid=_VETO_MSGID if veto else _OVERDUE_MSGID,
            params={
                "school": hazard.school.name,
                "level": hazard.level or "",
                "number": hazard.file_no or hazard.source_id,
                "summary": (hazard.description or "")[:30],
                "deadline": hazard.deadline.isoformat() if hazard.deadline else "",
                "days": days,
                "step": level,
            },
            url=f"/hazards/{hazard.file_no}",
            level=level,
        ),
    )
    session.add(HazardEscalationStep(hazard_id=hazard.id, level=level, raised_on=at, recipients=len(people)))
    append_event(
        session,
        actor=ACTOR,
        action="hazard.escalated",
        subject=f"hazard:{hazard.file_no}",
        data={
            "file_no": hazard.file_no,
            "level": level,
            "at": at.isoformat(),
            "recipients": [p.source_id for p in people],
            "veto_candidate": veto,
        },
    )
    return Raised(
        hazard.file_no or hazard.source_id, hazard.school.source_id, level, tuple(p.source_id for p in people)
    )


def run_hazard_escalation(session: Session, *, at: dt.date, delays: tuple[int, ...]) -> HazardEscalation:
    """Raise every overdue hazard to the level it is due for on ``at`` (flushes, no commit)."""
    summary = HazardEscalation(at=at)
    overdue = overdue_hazards(session, at)
    summary.overdue = len(overdue)
    if not overdue:
        return summary
    steps: dict[int, dict[int, dt.date]] = {}
    for step in session.scalars(
        select(HazardEscalationStep).where(HazardEscalationStep.hazard_id.in_([h.id for h in overdue]))
    ):
        steps.setdefault(step.hazard_id, {})[step.level] = step.raised_on
    for hazard in overdue:
        veto = veto_candidate(hazard, at)
        if veto:
            summary.veto_candidates.append(hazard.file_no or hazard.source_id)
        level = due_level(steps.get(hazard.id, {}), hazard, at, delays)
        if level is not None:
            summary.raised.append(_raise(session, hazard, level, at, veto))
    session.flush()
    return summary
