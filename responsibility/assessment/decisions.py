"""What assessors decide: a part's score with a written reason, and each veto candidate.

Only bureau staff (a post at the bureau or one of its sections on the day) assess. Every change
is a new row (the history is kept; the latest is in force) and one audit event. Refused with one
message and nothing written: a score outside the part's points, an empty reason, an unknown part,
school, person or veto, a person who is not an assessor.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.bureau_facts import bureau_post_assignments
from ..audit import append_event
from ..errors import BadInput, NotFound
from ..messages import N_
from ..models import AssessmentAdjustment, Campaign, Person, School, VetoDecision
from .errors import NotAnAssessor, UnknownPart
from .proposal import CONFIRMED, DISMISSED, propose
from .rules import load_rules

__all__ = ["adjust_part", "assessor", "decide_veto"]

MIN_REASON = 4
"""Characters a written reason needs at least (a reason is a sentence, not "ok")."""


def _school(session: Session, source_id: str) -> School:
    school = session.scalar(select(School).where(School.source_id == source_id.strip()))
    if school is None:
        raise NotFound(N_("No school %(school)s."), school=repr(source_id))
    return school


def assessor(session: Session, source_id: str, day: dt.date) -> Person:
    """The person ``source_id`` when they hold a bureau or section post on ``day`` (who may
    assess and decide on accountability); refused otherwise."""
    person = session.scalar(select(Person).where(Person.source_id == source_id.strip()))
    if person is None:
        raise NotFound(N_("No person %(person)s."), person=repr(source_id))
    if not bureau_post_assignments(session, [person.id], day):
        raise NotAnAssessor(
            N_("%(name)s holds no post at the bureau on %(day)s: only bureau staff assess."),
            name=person.name, day=day.isoformat(),
        )  # fmt: skip
    return person


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise BadInput(N_("A written reason is required (at least %(count)s characters)."), count=MIN_REASON)
    return text


def adjust_part(
    session: Session, campaign: Campaign, school_id: str, part: str, points: float, *, reason: str, by: str,
    day: dt.date,
) -> AssessmentAdjustment:  # fmt: skip
    """Set the score of ``part`` (its key, or its number 1…) for the school; flushed."""
    school, person, text = _school(session, school_id), assessor(session, by, day), _reason(reason)
    (current,) = propose(session, campaign, day, school_ids=[school.id]).schools
    wanted = part.strip()
    found = [p for i, p in enumerate(current.parts, 1) if wanted in (p.key, str(i))]
    if not found:
        keys = ", ".join(f"{i} {p.key}" for i, p in enumerate(current.parts, 1))
        raise UnknownPart(N_("No part %(part)s in the scheme (parts: %(parts)s)."), part=repr(part), parts=keys)
    score = found[0]
    if not math.isfinite(points) or points < 0 or points > score.points:
        raise BadInput(
            N_("%(points)s is outside the part's points (0 to %(max)s)."), points=f"{points:g}", max=f"{score.points:g}"
        )
    row = AssessmentAdjustment(
        campaign_id=campaign.id, school_id=school.id, part_key=score.key, points=float(points),
        proposed=score.proposed, reason=text, by_person_id=person.id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    append_event(
        session, actor=f"person:{person.source_id}", action="assessment.adjust", subject=f"school:{school.source_id}",
        data={"campaign_id": campaign.id, "part": score.key, "from": score.score, "to": float(points),
              "proposed": score.proposed, "reason": text},
    )  # fmt: skip
    return row


def decide_veto(
    session: Session, campaign: Campaign, school_id: str, veto_id: str, decision: str, *, reason: str, by: str,
    day: dt.date,
) -> VetoDecision:  # fmt: skip
    """Confirm or dismiss a veto candidate of the school; flushed."""
    if decision not in (CONFIRMED, DISMISSED):
        raise BadInput(N_("A veto is confirmed or dismissed, not %(decision)s."), decision=repr(decision))
    school, person, text = _school(session, school_id), assessor(session, by, day), _reason(reason)
    known = {v.id for v in load_rules().vetoes}
    if veto_id not in known:
        raise NotFound(
            N_("No veto item %(veto)s (known: %(known)s)."), veto=repr(veto_id), known=", ".join(sorted(known))
        )
    row = VetoDecision(
        campaign_id=campaign.id, school_id=school.id, veto_id=veto_id, decision=decision, reason=text,
        by_person_id=person.id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    append_event(
        session, actor=f"person:{person.source_id}", action="assessment.veto", subject=f"school:{school.source_id}",
        data={"campaign_id": campaign.id, "veto": veto_id, "decision": decision, "reason": text},
    )  # fmt: skip
    return row
