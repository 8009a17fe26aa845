"""Escalation of overdue signatures: first the liaison section, then the school's bureau leader.

An agreement is overdue on ``at`` when it was issued and still lacks a signature
(state ``issued`` or ``school_signed``) and ``at`` is past its campaign's due date. Level 1 notifies
the school's liaison person and the liaison section's chief; ``ESCALATION_DAYS`` (default 3) after
level 1 was raised, level 2 notifies the school's bureau leader (``LiaisonAssignment
.bureau_leader``). Who holds those posts on ``at`` comes from the accountability chain itself
(``trace`` of the school), so the people notified are exactly the ones the chain page shows.

Idempotent: one :class:`~responsibility.models.EscalationStep` per agreement and level, written in
the same transaction as its notifications and audit event; a second run on the same or a later day
never raises the same level twice. A level with nobody to notify is still recorded (and reported)
so that the next level follows on time. Never commits; mail goes out later (``notify.deliver_mail``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import append_event
from ..models import Agreement, Campaign, EscalationStep, Person
from ..models.agreements import AGREEMENT_ISSUED, AGREEMENT_KIND_SCHOOL, AGREEMENT_SCHOOL_SIGNED
from ..models.notifications import ESCALATION_BUREAU_LEADER, ESCALATION_SECTION
from ..notify import Event, publish
from .subjects import ChainSubject, Role
from .trace import PENDING, trace

__all__ = ["DEFAULT_ESCALATION_DAYS", "EscalationSummary", "Raised", "run_escalation"]

DEFAULT_ESCALATION_DAYS = 3
KIND = "overdue_signature"
ACTOR = "escalation"
_RECIPIENT_ROLES = {
    ESCALATION_SECTION: (Role.LIAISON.value, Role.SECTION_CHIEF.value),
    ESCALATION_BUREAU_LEADER: (Role.BUREAU_LEADER.value,),
}
_MESSAGE = {
    ESCALATION_SECTION: "Agreement %(number)s of %(school)s is past its signing deadline %(due)s (%(days)d days "
    "overdue); still to sign: %(waiting)s. Raised to the liaison section for supervision.",
    ESCALATION_BUREAU_LEADER: "Agreement %(number)s of %(school)s is past its signing deadline %(due)s (%(days)d "
    "days overdue); still to sign: %(waiting)s. Raised to the bureau leader for supervision.",
}


@dataclass(frozen=True)
class Raised:
    document_number: str
    school_id: str
    level: int
    recipients: tuple[str, ...]
    """Source ids of the persons notified (empty: nobody held the post on the day)."""


@dataclass
class EscalationSummary:
    at: dt.date
    overdue: int = 0
    raised: list[Raised] = field(default_factory=list)

    @property
    def notifications(self) -> int:
        return sum(len(r.recipients) for r in self.raised)

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "overdue": self.overdue,
            "raised": [
                {
                    "agreement": r.document_number,
                    "school_id": r.school_id,
                    "level": r.level,
                    "recipients": list(r.recipients),
                }
                for r in self.raised
            ],
        }


def escalation_days(config: Mapping[str, Any]) -> int:
    value = config.get("ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS)
    days = int(value if value is not None else DEFAULT_ESCALATION_DAYS)
    return max(days, 0)


def run_escalation(session: Session, *, at: dt.date, config: Mapping[str, Any]) -> EscalationSummary:
    """Raise every overdue agreement to the level it is due for on ``at`` (flushes, no commit)."""
    days = escalation_days(config)
    summary = EscalationSummary(at=at)
    overdue = session.scalars(
        select(Agreement)
        .join(Campaign, Campaign.id == Agreement.campaign_id)
        .where(
            Agreement.state.in_((AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED)),
            Campaign.due_date < at,
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
        )
        .options(selectinload(Agreement.school), selectinload(Agreement.campaign))
        .order_by(Agreement.document_number)
    ).all()
    summary.overdue = len(overdue)
    if not overdue:
        return summary
    steps = {
        (s.agreement_id, s.level): s
        for s in session.scalars(
            select(EscalationStep).where(EscalationStep.agreement_id.in_([a.id for a in overdue]))
        ).all()
    }
    for agreement in overdue:
        first = steps.get((agreement.id, ESCALATION_SECTION))
        if first is None:
            level = ESCALATION_SECTION
        elif (agreement.id, ESCALATION_BUREAU_LEADER) not in steps and at >= first.raised_on + dt.timedelta(days=days):
            level = ESCALATION_BUREAU_LEADER
        else:
            continue
        summary.raised.append(_raise(session, agreement, level, at))
    session.flush()
    return summary


def _raise(session: Session, agreement: Agreement, level: int, at: dt.date) -> Raised:
    school = agreement.school
    chain = trace(session, ChainSubject.school(school.source_id), at, campaign=agreement.campaign)
    waiting = [
        f"{t.link.person_name or '（空缺）'}（{t.link.post_name or t.link.role}）"
        for t in chain.links
        if t.agreement_state == PENDING
    ]
    wanted = list(
        dict.fromkeys(
            t.link.person_id for t in chain.links if t.link.role in _RECIPIENT_ROLES[level] and t.link.person_id
        )
    )
    persons = (
        {p.source_id: p for p in session.scalars(select(Person).where(Person.source_id.in_(wanted))).all()}
        if wanted
        else {}
    )
    due = agreement.campaign.due_date
    notified = [sid for sid in wanted if sid in persons]
    publish(
        session,
        Event(
            kind=KIND,
            key=f"{KIND}:{agreement.id}:{level}",
            recipients=[persons[sid].id for sid in notified],
            msgid=_MESSAGE[level],
            params={
                "school": school.name,
                "number": agreement.document_number,
                "due": due.isoformat(),
                "days": (at - due).days,
                "waiting": "、".join(waiting) or "（见责任书）",
            },
            url=f"/chain?school={school.source_id}&at={at.isoformat()}",
            agreement_id=agreement.id,
            level=level,
        ),
    )
    session.add(EscalationStep(agreement_id=agreement.id, level=level, raised_on=at, recipients=len(notified)))
    append_event(
        session,
        actor=ACTOR,
        action="agreement.escalated",
        subject=f"agreement:{agreement.id}",
        data={
            "document_number": agreement.document_number,
            "level": level,
            "at": at.isoformat(),
            "recipients": notified,
        },
    )
    return Raised(agreement.document_number, school.source_id, level, tuple(notified))
