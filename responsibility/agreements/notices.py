"""Who hears what in an agreement's life: the recipients of its notifications (``notify.publish``).

Called by the services in the transaction of the state change (never commits):

- :func:`agreement_issued` — each person who must sign the first stage (the school's heads of a
  school agreement; the superior of a post agreement) when the agreement is issued to them;
- :func:`agreement_advanced` — after a signature: the next signers when their stage has come
  (the bureau's countersigners once the school is done; the holder of a post agreement after the
  superior), or, when the agreement is complete, everyone who signed it, and the school's heads
  that the school's post agreements (the cascade) are theirs to issue now.

The signers are the plan's (``signers_required``) on the day, so a notification names exactly
whom the sign page will let sign. Keys make each notice once per person and agreement.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..models import Agreement
from ..models.agreements import AGREEMENT_ARCHIVED, AGREEMENT_COUNTERSIGNED, AGREEMENT_KIND_SCHOOL
from ..notify import Event, publish
from .signers_required import SCHOOL_STAGE, SigningPlan, required_signers
from .storage import PdfStore

__all__ = [
    "ISSUED",
    "KINDS",
    "MSG_CASCADE",
    "MSG_COMPLETE",
    "MSG_ISSUED",
    "MSG_TURN",
    "TURN",
    "agreement_advanced",
    "agreement_issued",
    "complete_events",
    "issued_event",
    "turn_event",
]

ISSUED, TURN, COMPLETE, CASCADE = "agreement_issued", "signing_turn", "agreement_complete", "cascade_needed"
KINDS = (ISSUED, TURN, COMPLETE, CASCADE)

MSG_ISSUED = "Agreement %(number)s of %(school)s was issued to you: please sign it."
MSG_TURN = "It is your turn to sign agreement %(number)s of %(school)s (%(signed)d of %(total)d signed)."
MSG_COMPLETE = "Agreement %(number)s of %(school)s is complete: every signature is in."
MSG_CASCADE = "Agreement %(number)s of %(school)s is complete: issue the school's post agreements (cascade) now."


def _event(
    kind: str,
    agreement: Agreement,
    plan: SigningPlan,
    recipients: list[int | None],
    msgid: str,
    url: str,
    key: str = "",
) -> Event:
    """An event of this agreement; ``key`` tells apart events of one kind (the stage of a turn)."""
    params: dict[str, str | int] = {
        "number": agreement.document_number,
        "school": (agreement.school or agreement.organization).name,  # a bureau agreement has no school
        "signed": sum(1 for s in plan.signatures if s.signed),
        "total": len(plan.signatures),
    }
    return Event(
        kind=kind,
        key=f"{kind}:{agreement.id}{':' + key if key else ''}",
        recipients=recipients,
        msgid=msgid,
        params=params,
        url=url,
        agreement_id=agreement.id,
    )


def issued_event(agreement: Agreement, plan: SigningPlan) -> Event:
    """The first stage's signers: the agreement is theirs to sign."""
    first = [s.person_id for s in plan.signatures if s.stage == SCHOOL_STAGE and not s.signed]
    return _event(ISSUED, agreement, plan, first, MSG_ISSUED, f"/sign/{agreement.id}")


def turn_event(agreement: Agreement, plan: SigningPlan) -> Event | None:
    """The signers of the stage that has come after the first (None while the first is open)."""
    stage = plan.current_stage
    if stage is None or stage == SCHOOL_STAGE:
        return None
    pending = [s.person_id for s in plan.pending_now()]
    return _event(TURN, agreement, plan, pending, MSG_TURN, f"/sign/{agreement.id}", key=stage)


def complete_events(agreement: Agreement, plan: SigningPlan) -> list[Event]:
    """Everyone who signed hears it is complete; a school agreement's heads, that the cascade is next."""
    everyone = [s.signed_by or s.person_id for s in plan.signatures]
    events = [_event(COMPLETE, agreement, plan, everyone, MSG_COMPLETE, f"/sign/{agreement.id}/done")]
    if agreement.kind == AGREEMENT_KIND_SCHOOL:  # only a school agreement opens the cascade
        heads = [s.signed_by or s.person_id for s in plan.signatures if s.stage == SCHOOL_STAGE]
        events.append(_event(CASCADE, agreement, plan, heads, MSG_CASCADE, f"/cascade/{agreement.school.source_id}"))
    return events


def agreement_issued(session: Session, agreement: Agreement, day: dt.date, store: PdfStore) -> None:
    """Notify the first stage's signers of a just-issued agreement (flushed, idempotent); an
    agreement issued without the seal's certification cannot be signed, so nobody is told."""
    plan = required_signers(session, agreement, day, store=store)
    if plan.certified:
        publish(session, issued_event(agreement, plan))


def agreement_advanced(session: Session, agreement: Agreement, day: dt.date, store: PdfStore) -> None:
    """After a signature (and any state change it caused): the next signers, or everyone when
    the agreement is complete (flushed, idempotent)."""
    plan = required_signers(session, agreement, day, store=store)
    if agreement.state in (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED):
        for event in complete_events(agreement, plan):
            publish(session, event)
        return
    turn = turn_event(agreement, plan)
    publish(session, turn if turn is not None else issued_event(agreement, plan))
