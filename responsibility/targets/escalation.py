"""Raising a school that falls behind a target: its leaders and its liaison section hear of it.

Run daily (``flask assess escalate``), like the escalation of overdue signatures and hazards. For
each school with a target ``behind`` on the day, the people the school's accountability chain names
that day — the safety deputy, the principal and party head, the liaison person and section chief —
are notified once per target and ISO week (``target_behind:<campaign>:<school>:<target>:<week>``),
so a school that stays behind is reminded weekly and a re-run never notifies twice. One audit
event per run lists what was raised. Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..chain.subjects import ChainSubject, Role
from ..chain.trace import trace
from ..messages import N_
from ..models import Campaign, Person
from ..notify import Event, publish
from .scorecard import Scorecard, TargetValue, scorecards

__all__ = ["KIND", "RECIPIENT_ROLES", "TargetEscalation", "raise_behind_targets"]

KIND = "target_behind"
ACTOR = "system:targets"
RECIPIENT_ROLES = (
    Role.SAFETY_DEPUTY.value,
    Role.PRINCIPAL.value,
    Role.SCHOOL_PARTY_SECRETARY.value,
    Role.PARTY_INSTRUCTOR.value,
    Role.LIAISON.value,
    Role.SECTION_CHIEF.value,
)
_MSGID = N_("%(school)s is behind the target %(target)s: %(value)s against the goal %(goal)s.")


@dataclass
class TargetEscalation:
    at: dt.date
    schools_behind: int = 0
    raised: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"at": self.at.isoformat(), "schools_behind": self.schools_behind, "raised": self.raised}


def _shown(value: TargetValue) -> str:
    if value.value is None:
        return "—"
    return f"{value.value:.1%}" if value.kind == "rate_min" else f"{value.value:g}"


def _recipients(session: Session, card: Scorecard, at: dt.date, campaign: Campaign) -> list[Person]:
    wanted = [
        link.link.person_id
        for link in trace(session, ChainSubject.school(card.school), at, campaign=campaign).links
        if link.link.role in RECIPIENT_ROLES and link.link.person_id
    ]
    wanted = list(dict.fromkeys(w for w in wanted if w))
    found = {p.source_id: p for p in session.scalars(select(Person).where(Person.source_id.in_(wanted)))}
    return [found[s] for s in wanted if s in found]


def raise_behind_targets(session: Session, campaign: Campaign, *, at: dt.date) -> TargetEscalation:
    """Notify the chain of every school behind a target on ``at`` (idempotent per week)."""
    summary = TargetEscalation(at=at)
    year, week, _ = at.isocalendar()
    for card in scorecards(session, campaign, at):
        if not card.behind:
            continue
        summary.schools_behind += 1
        people = _recipients(session, card, at, campaign)
        for value in card.behind:
            publish(
                session,
                Event(
                    kind=KIND,
                    key=f"{KIND}:{campaign.id}:{card.school}:{value.key}:{year}-W{week:02d}",
                    recipients=[p.id for p in people],
                    msgid=_MSGID,
                    params={"school": card.name, "target": value.label, "value": _shown(value),
                            "goal": value.goal_text or ""},
                    url=f"/targets/{campaign.id}/{card.school}",
                ),
            )  # fmt: skip
            summary.raised.append(
                {"school": card.school, "target": value.key, "recipients": [p.source_id for p in people]}
            )
    append_event(
        session,
        actor=ACTOR,
        action="targets.escalated",
        subject=f"campaign:{campaign.id}",
        data={"at": at.isoformat(), "schools_behind": summary.schools_behind, "raised": len(summary.raised)},
    )
    return summary
