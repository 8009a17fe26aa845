"""Escalation of overdue signatures: first the liaison section, then the school's bureau leader.

An agreement is overdue on ``at`` when it was issued and still lacks a signature
(state ``issued`` or ``school_signed``) and ``at`` is past its due day: the campaign's due date
for school agreements and the cascade's post agreements (a post agreement issued later gets
``CASCADE_GRACE_DAYS`` from its issue day), the confirmation's own due day for a successor's
supplementary confirmation (补充确认). Post agreements and confirmations climb the same levels. Level 1 notifies
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

from .. import clock
from ..audit import append_event
from ..models import Agreement, Campaign, Confirmation, EscalationStep, Person
from ..models.agreements import (
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_CONFIRMATION,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SCHOOL_SIGNED,
)
from ..models.notifications import ESCALATION_BUREAU_LEADER, ESCALATION_SECTION
from ..notify import Event, publish
from .subjects import ChainSubject, Role
from .trace import PENDING, Trace, trace

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
_ESCALATED_KINDS = (AGREEMENT_KIND_SCHOOL, AGREEMENT_KIND_POST, AGREEMENT_KIND_CONFIRMATION)
CASCADE_GRACE_DAYS = 7
"""Days a post agreement issued after the campaign's due date has before it is overdue."""


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


def _overdue(session: Session, at: dt.date) -> list[tuple[Agreement, dt.date]]:
    """(agreement, its due day) of every agreement still awaiting a signature on ``at`` after its
    due day: school agreements and post agreements by the campaign's due date (a post agreement
    issued late gets ``CASCADE_GRACE_DAYS`` from its issue day), confirmations by their own."""
    rows = session.execute(
        select(Agreement, Confirmation.due_date)
        .join(Campaign, Campaign.id == Agreement.campaign_id)
        .outerjoin(Confirmation, Confirmation.agreement_id == Agreement.id)
        .where(
            Agreement.state.in_((AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED)),
            Campaign.due_date < at,
            Agreement.kind.in_(_ESCALATED_KINDS),
        )
        .options(
            selectinload(Agreement.school),
            selectinload(Agreement.campaign),
            selectinload(Agreement.superior),
            selectinload(Agreement.holder),
        )
        .order_by(Agreement.document_number)
    ).all()
    out = []
    for agreement, confirmation_due in rows:
        due = agreement.campaign.due_date
        if agreement.kind == AGREEMENT_KIND_CONFIRMATION:
            due = confirmation_due or due
        elif agreement.kind == AGREEMENT_KIND_POST and agreement.issued_at is not None:
            issued = clock.to_local(clock.as_utc(agreement.issued_at)).date()
            due = max(due, issued + dt.timedelta(days=CASCADE_GRACE_DAYS))
        if due < at:
            out.append((agreement, due))
    return out


def run_escalation(session: Session, *, at: dt.date, config: Mapping[str, Any]) -> EscalationSummary:
    """Raise every overdue agreement to the level it is due for on ``at`` (flushes, no commit)."""
    days = escalation_days(config)
    summary = EscalationSummary(at=at)
    overdue = _overdue(session, at)
    summary.overdue = len(overdue)
    if not overdue:
        return summary
    steps = {
        (s.agreement_id, s.level): s
        for s in session.scalars(
            select(EscalationStep).where(EscalationStep.agreement_id.in_([a.id for a, _ in overdue]))
        ).all()
    }
    chains: dict[int, Trace] = {}
    for agreement, due in overdue:
        first = steps.get((agreement.id, ESCALATION_SECTION))
        if first is None:
            level = ESCALATION_SECTION
        elif (agreement.id, ESCALATION_BUREAU_LEADER) not in steps and at >= first.raised_on + dt.timedelta(days=days):
            level = ESCALATION_BUREAU_LEADER
        else:
            continue
        summary.raised.append(_raise(session, agreement, level, at, due, chains))
    session.flush()
    return summary


def _waiting(agreement: Agreement, chain: Trace) -> list[str]:
    """Who still has to sign: the pending links of the school's chain for a school agreement,
    the parties not yet signed for a post agreement or a confirmation."""
    if agreement.kind == AGREEMENT_KIND_SCHOOL:
        return [
            f"{t.link.person_name or '（空缺）'}（{t.link.post_name or t.link.role}）"
            for t in chain.links
            if t.agreement_state == PENDING
        ]
    parties = [(agreement.holder, "接任责任人" if agreement.kind == AGREEMENT_KIND_CONFIRMATION else "岗位责任人")]
    if agreement.kind == AGREEMENT_KIND_POST and agreement.state == AGREEMENT_ISSUED:
        parties.insert(0, (agreement.superior, "上级责任人"))
    return [f"{p.name}（{label}）" for p, label in parties if p is not None]


def _raise(
    session: Session, agreement: Agreement, level: int, at: dt.date, due: dt.date, chains: dict[int, Trace]
) -> Raised:
    school = agreement.school
    chain = chains.get(school.id)
    if chain is None:
        chain = chains[school.id] = trace(
            session, ChainSubject.school(school.source_id), at, campaign=agreement.campaign
        )
    waiting = _waiting(agreement, chain)
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
