"""Read-only lookups: agreements by id or document number, and who may open one.

Access follows ``accounts.access``: county-wide viewers (admins, auditors, bureau leaders) open
any agreement; a school's leaders (校长, 党组织书记, 分管安全副校长, 党建指导员 holding the post
there on the day) open their own school's agreements once issued (a draft may still change).
Everyone else gets the same answer as for an agreement that does not exist.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.access import sees_whole_county
from ..accounts.roles import SCHOOL_LEADER_POSTS, roles_of
from ..models import Agreement, Campaign, PostAssignment, User
from ..models.agreements import AGREEMENT_DRAFT, AGREEMENT_KIND_SCHOOL
from .errors import AgreementNotFound

__all__ = [
    "CAMPAIGN_PAGE",
    "agreement_page",
    "find_agreement",
    "led_school_ids",
    "school_leader_agreements",
    "viewer_may_open",
]


def find_agreement(session: Session, key: str | int) -> Agreement:
    """An agreement by database id or document number; ``AgreementNotFound`` otherwise."""
    text = str(key).strip()
    agreement = session.get(Agreement, int(text)) if text.isdigit() else None
    if agreement is None:
        agreement = session.scalars(select(Agreement).where(Agreement.document_number == text)).first()
    if agreement is None:
        raise AgreementNotFound(f"no agreement {text!r}")
    return agreement


def led_school_ids(session: Session, person_id: int, day: dt.date) -> frozenset[int]:
    """Schools where the person holds a school-leader post on ``day``."""
    rows = session.scalars(
        select(PostAssignment.org_id).where(
            PostAssignment.person_id == person_id,
            PostAssignment.post_code.in_(SCHOOL_LEADER_POSTS),
            PostAssignment.held_on(day),
        )
    ).all()
    return frozenset(rows)


def viewer_may_open(session: Session, user: User, agreement: Agreement, day: dt.date) -> bool:
    if not user.is_enabled:
        return False
    if sees_whole_county(roles_of(session, user, day)):
        return True
    if user.person_id is None or agreement.state == AGREEMENT_DRAFT:
        return False
    if user.person_id in (agreement.superior_person_id, agreement.holder_person_id):
        return True  # a party to a post agreement of the cascade
    return agreement.school_id in led_school_ids(session, user.person_id, day)


def school_leader_agreements(session: Session, user: User, day: dt.date) -> list[Agreement]:
    """The issued (non-draft) agreements of the schools ``user`` leads on ``day``, newest first."""
    if user.person_id is None or not user.is_enabled:
        return []
    schools = led_school_ids(session, user.person_id, day)
    if not schools:
        return []
    return list(
        session.scalars(
            select(Agreement)
            .where(Agreement.school_id.in_(schools), Agreement.state != AGREEMENT_DRAFT)
            .options(selectinload(Agreement.campaign), selectinload(Agreement.school))
            .order_by(Agreement.campaign_id.desc(), Agreement.document_number)
        ).all()
    )


CAMPAIGN_PAGE = 100
"""School agreements per page of the campaign page."""


def agreement_page(
    session: Session, campaign: Campaign, *, after: str | None = None, size: int | None = None
) -> tuple[list[Agreement], str | None, int]:
    """One page of ``campaign``'s school agreements in document-number order after ``after``
    (keyset: never the whole campaign), the ``after`` of the next page (None on the last), and
    the count of all of them (one aggregate query); ``size`` defaults to ``CAMPAIGN_PAGE``."""
    size = size or CAMPAIGN_PAGE
    where = (Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
    query = select(Agreement).where(*where).options(selectinload(Agreement.school)).order_by(Agreement.document_number)
    if after:
        query = query.where(Agreement.document_number > after)
    rows = list(session.scalars(query.limit(size + 1)))
    total = int(session.scalar(select(func.count(Agreement.id)).where(*where)) or 0)
    if len(rows) > size:
        return rows[:size], rows[size - 1].document_number, total
    return rows, None, total
