"""Read-only views of the signing workflow: a signer's inbox and the bureau's campaign board.

Both compute each agreement's :class:`~.signers_required.SigningPlan` (the field set of a stored
revision is read once per process, keyed by its hash), so they show exactly what the sign page
will enforce. A county (≈100 agreements) costs a few queries per agreement; a province-sized
board would want the plan denormalised into a table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from ..models import Agreement, Campaign, LiaisonAssignment, Person, PostAssignment, School
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_BUREAU,
    AGREEMENT_KIND_CONFIRMATION,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SCHOOL_SIGNED,
)
from ..org.ordering import NaturalKey, natural_key
from .signers_required import RequiredSignature, SigningPlan, required_signers
from .storage import PdfStore

__all__ = ["BoardRow", "InboxItem", "TownProgress", "campaign_board", "inbox", "town_progress"]

_SCHOOL_HEAD_POSTS = ("S01", "S02", "S24")
_BUREAU_HEAD_POSTS = ("B01",)
_COMPLETE = (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)


@dataclass(frozen=True)
class InboxItem:
    agreement: Agreement
    fields: tuple[RequiredSignature, ...]
    """The fields the person signs now."""


def inbox(session: Session, person: Person, day: dt.date, store: PdfStore) -> list[InboxItem]:
    """Agreements awaiting ``person``'s signature on ``day`` (their turn has come)."""
    posts = session.execute(
        select(PostAssignment.post_code, PostAssignment.org_id).where(
            PostAssignment.person_id == person.id,
            PostAssignment.held_on(day),
        )
    ).all()
    school_ids = {org for code, org in posts if code in _SCHOOL_HEAD_POSTS}
    bureau = any(code in _BUREAU_HEAD_POSTS for code, _ in posts)
    conditions: list[ColumnElement[bool]] = [
        # Post agreements of the cascade and the bureau's internal agreements: the superior signs
        # an issued one, then the holder.
        (Agreement.kind.in_((AGREEMENT_KIND_POST, AGREEMENT_KIND_BUREAU)))
        & (
            ((Agreement.superior_person_id == person.id) & (Agreement.state == AGREEMENT_ISSUED))
            | ((Agreement.holder_person_id == person.id) & (Agreement.state == AGREEMENT_SCHOOL_SIGNED))
        ),
        # A successor's supplementary confirmation: the successor alone signs it.
        (Agreement.kind == AGREEMENT_KIND_CONFIRMATION)
        & (Agreement.holder_person_id == person.id)
        & Agreement.state.in_((AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED)),
    ]
    if school_ids:
        conditions.append(
            (Agreement.school_id.in_(school_ids))
            & (Agreement.state == AGREEMENT_ISSUED)
            & (Agreement.kind == AGREEMENT_KIND_SCHOOL)
        )
    if bureau:
        conditions.append((Agreement.state == AGREEMENT_SCHOOL_SIGNED) & (Agreement.kind == AGREEMENT_KIND_SCHOOL))
    where = or_(*conditions)
    candidates = session.scalars(
        select(Agreement)
        .where(where)
        .options(
            selectinload(Agreement.organization), selectinload(Agreement.campaign), selectinload(Agreement.revisions)
        )
        .order_by(Agreement.campaign_id.desc(), Agreement.document_number)
    ).all()
    items = []
    for agreement in candidates:
        plan = required_signers(session, agreement, day, store=store)
        if not plan.certified:
            continue
        mine = [s for s in plan.pending_now() if s.person_id == person.id]
        if mine:
            items.append(InboxItem(agreement, tuple(mine)))
    return items


@dataclass(frozen=True)
class BoardRow:
    agreement: Agreement
    school: School
    town: str
    section: str
    plan: SigningPlan
    overdue: bool

    @property
    def missing(self) -> tuple[RequiredSignature, ...]:
        return tuple(s for s in self.plan.signatures if not s.signed)

    @property
    def complete(self) -> bool:
        return self.agreement.state in _COMPLETE


def _sections(session: Session, school_ids: list[int], day: dt.date) -> dict[int, tuple[int, str]]:
    rows = session.scalars(
        select(LiaisonAssignment)
        .where(
            LiaisonAssignment.school_id.in_(school_ids),
            LiaisonAssignment.held_on(day),
        )
        .options(selectinload(LiaisonAssignment.section))
    ).all()
    return {r.school_id: (r.section_id, r.section.name) for r in rows}


def campaign_board(
    session: Session,
    campaign: Campaign,
    day: dt.date,
    store: PdfStore,
    *,
    town_id: int | None = None,
    section_id: int | None = None,
    school_type: str | None = None,
) -> list[BoardRow]:
    """Every non-draft agreement of ``campaign`` with who signed when and who is missing, filtered
    by town, liaison section (联校股室 on ``day``) and school type. Overdue: past the due date and
    not countersigned yet."""
    query = (
        select(Agreement)
        .join(School, School.id == Agreement.school_id)
        .where(
            Agreement.campaign_id == campaign.id, Agreement.state != "draft", Agreement.kind == AGREEMENT_KIND_SCHOOL
        )
        .options(
            selectinload(Agreement.school).selectinload(School.town),
            selectinload(Agreement.revisions),
            selectinload(Agreement.campaign),
        )
        .order_by(School.source_id)
    )
    if town_id is not None:
        query = query.where(School.town_id == town_id)
    if school_type:
        query = query.where(School.school_type == school_type)
    agreements = session.scalars(query).all()
    sections = _sections(session, [a.school_id for a in agreements], day)
    if section_id is not None:
        agreements = [a for a in agreements if sections.get(a.school_id, (None, ""))[0] == section_id]
    rows = []
    for agreement in agreements:
        school = agreement.school
        rows.append(
            BoardRow(
                agreement=agreement,
                school=school,
                town=school.town.name if school.town else "",
                section=sections.get(school.id, (None, ""))[1],
                plan=required_signers(session, agreement, day, store=store),
                overdue=day > campaign.due_date and agreement.state not in _COMPLETE,
            )
        )
    return rows


@dataclass(frozen=True)
class TownProgress:
    town: str
    total: int
    issued: int
    school_signed: int
    complete: int

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0


def town_progress(rows: list[BoardRow]) -> list[TownProgress]:
    """Per town, in the natural order of the town codes (the import's order, not the names' code
    points): agreements waiting for the school, waiting for the bureau, complete."""
    by_town: dict[tuple[NaturalKey, str], Counter[str]] = {}
    for row in rows:
        town = row.school.town
        key = (natural_key(town.source_id if town else None), row.town or "—")
        counter = by_town.setdefault(key, Counter())
        counter["total"] += 1
        state = row.agreement.state
        counter["complete" if state in _COMPLETE else state] += 1
    return [
        TownProgress(name, c["total"], c[AGREEMENT_ISSUED], c[AGREEMENT_SCHOOL_SIGNED], c["complete"])
        for (_, name), c in sorted(by_town.items())
    ]
