"""Due-diligence claims (尽职免责): a person named in a decision shows their records.

Filing links the person's work records (:mod:`.work_records`) of the ``WINDOW_DAYS`` days up to the
decision's basis day, frozen in the claim as they were when filed; bureau staff accept (免责) or
reject it with a written reason. One claim per person and decision; a decided claim is not decided
again (compare-and-set on its version: a concurrent decision is a conflict).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..assessment.decisions import assessor
from ..audit import append_event
from ..errors import BadInput, Forbidden, NotFound
from ..messages import N_
from ..models import AccountabilityDecision, AccountabilityPerson, DueDiligenceClaim, Person
from .errors import AccountabilityConflict
from .work_records import work_records

__all__ = ["WINDOW_DAYS", "decide_claim", "file_claim", "find_decision"]

WINDOW_DAYS = 30
MIN_TEXT = 4


def find_decision(session: Session, number: str) -> AccountabilityDecision:
    found = session.scalar(select(AccountabilityDecision).where(AccountabilityDecision.number == number.strip()))
    if found is None:
        raise NotFound(N_("No accountability decision %(number)s."), number=repr(number))
    return found


def file_claim(session: Session, number: str, *, by: str, statement: str) -> DueDiligenceClaim:
    """The claim of person ``by`` on decision ``number`` with their records linked (flushed)."""
    decision = find_decision(session, number)
    person = session.scalar(select(Person).where(Person.source_id == by.strip()))
    if person is None:
        raise NotFound(N_("No person %(person)s."), person=repr(by))
    named = session.scalar(
        select(AccountabilityPerson).where(
            AccountabilityPerson.decision_id == decision.id, AccountabilityPerson.person_id == person.id
        )
    )
    if named is None:
        raise Forbidden(N_("%(name)s is not named in decision %(number)s."), name=person.name, number=decision.number)
    text = (statement or "").strip()
    if len(text) < MIN_TEXT:
        raise BadInput(N_("A written reason is required (at least %(count)s characters)."), count=MIN_TEXT)
    if session.scalar(
        select(DueDiligenceClaim.id).where(
            DueDiligenceClaim.decision_id == decision.id, DueDiligenceClaim.person_id == person.id
        )
    ):
        raise AccountabilityConflict(
            N_("%(name)s has already filed a claim on %(number)s."), name=person.name, number=decision.number
        )
    end = decision.decided_on
    start = end - dt.timedelta(days=WINDOW_DAYS)
    records = [r.as_dict() for r in work_records(session, person.id, start, end)]
    claim = DueDiligenceClaim(
        decision_id=decision.id,
        person_id=person.id,
        statement=text,
        records=records,
        window_start=start,
        window_end=end,
    )
    session.add(claim)
    session.flush()
    append_event(
        session, actor=f"person:{person.source_id}", action="accountability.claim", subject=f"accountability:{decision.number}",
        data={"claim": claim.id, "person": person.source_id, "records": len(records), "window": [start.isoformat(), end.isoformat()]},
    )  # fmt: skip
    return claim


def decide_claim(
    session: Session, claim_id: int, *, accept: bool, reason: str, by: str, day: dt.date
) -> DueDiligenceClaim:
    """Accept (免责) or reject a filed claim (flushed); a decided claim is a conflict."""
    claim = session.get(DueDiligenceClaim, claim_id)
    if claim is None:
        raise NotFound(N_("No due-diligence claim %(claim)s."), claim=claim_id)
    decider = assessor(session, by, day)
    text = (reason or "").strip()
    if len(text) < MIN_TEXT:
        raise BadInput(N_("A written reason is required (at least %(count)s characters)."), count=MIN_TEXT)
    state = "accepted" if accept else "rejected"
    done = session.execute(
        update(DueDiligenceClaim)
        .where(
            DueDiligenceClaim.id == claim.id,
            DueDiligenceClaim.state == "filed",
            DueDiligenceClaim.version == claim.version,
        )
        .values(state=state, decided_by_person_id=decider.id, decision_reason=text, version=claim.version + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise AccountabilityConflict(N_("The claim %(claim)s was already decided."), claim=claim.id)
    session.refresh(claim)
    append_event(
        session, actor=f"person:{decider.source_id}", action="accountability.claim_decided", subject=f"claim:{claim.id}",
        data={"claim": claim.id, "state": state, "reason": text},
    )  # fmt: skip
    return claim
