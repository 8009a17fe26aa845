"""The successors' supplementary confirmations (补充确认) a trace binds links with.

A confirmation (``agreements.confirmations``) binds the person who took a post or a grid over in
the season to the agreement their predecessor signed. On a day from the change on, the chain
names the successor for that post or grid; this module finds, in one statement, the confirmation
of each such (person, post or grid, school) in the campaign, so ``trace`` can show it as the
agreement binding the link. Before the change day the chain names the predecessor, bound by
their own agreement, and nothing here applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..models import Agreement, Confirmation, Organization, Person

__all__ = ["ConfirmationBinding", "confirmation_bindings"]


@dataclass(frozen=True)
class ConfirmationBinding:
    document_number: str
    agreement_id: int
    state: str
    """The confirmation's agreement state (``issued`` … ``archived``, ``void``)."""
    change_date: dt.date
    bound_document_number: str
    """The predecessor's agreement it binds the successor to."""


def confirmation_bindings(
    session: Session, campaign_id: int, day: dt.date, person_ids: Collection[str]
) -> dict[tuple[str, str, str], ConfirmationBinding]:
    """(successor's source id, grid source id or post code, school source id) → the newest
    confirmation in the campaign whose change day is on or before ``day``."""
    if not person_ids:
        return {}
    school = aliased(Organization)
    rows = session.execute(
        select(
            Person.source_id,
            Confirmation.subject_key,
            school.source_id,
            Agreement.document_number,
            Agreement.id,
            Agreement.state,
            Confirmation.change_date,
            Confirmation.bound_document_number,
        )
        .join(Person, Person.id == Confirmation.successor_person_id)
        .join(Agreement, Agreement.id == Confirmation.agreement_id)
        .join(school, school.id == Agreement.school_id)
        .where(
            Confirmation.campaign_id == campaign_id,
            Confirmation.change_date <= day,
            Person.source_id.in_(list(person_ids)),
        )
        .order_by(Confirmation.change_date, Agreement.id)
    ).all()
    return {
        (person, key, school_sid): ConfirmationBinding(number, agreement_id, state, change, bound)
        for person, key, school_sid, number, agreement_id, state, change, bound in rows
    }
