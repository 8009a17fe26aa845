"""Read-only views of the signing workflow: a signer's inbox and the bureau's campaign board.

Both compute each agreement's :class:`~.signers_required.SigningPlan` (the field set of a stored
revision is read once per process, keyed by its hash), so they show exactly what the sign page
will enforce. That costs a few queries per agreement, so the board is paged in the database
(:func:`board_page`, keyset on the school id) and its town counts are one aggregate query
(:func:`town_counts`): a province's board never loads every agreement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..models import Agreement, Campaign, LiaisonAssignment, Person, PostAssignment, School, Town
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_BUREAU,
    AGREEMENT_KIND_CONFIRMATION,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_KIND_WORK,
    AGREEMENT_SCHOOL_SIGNED,
)
from ..org.ordering import NaturalKey, natural_key
from .signers_required import RequiredSignature, SigningPlan, bureau_holders, required_signers, school_holders_of
from .storage import PdfStore

__all__ = [
    "BOARD_PAGE",
    "BoardRow",
    "INBOX_PAGE",
    "InboxCursor",
    "InboxItem",
    "TownProgress",
    "board_page",
    "campaign_board",
    "inbox",
    "inbox_page",
    "town_counts",
    "town_progress",
]

Ts = TypeVarTuple("Ts")

_SCHOOL_HEAD_POSTS = ("S01", "S02", "S24")
_BUREAU_HEAD_POSTS = ("B01",)
_COMPLETE = (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)


@dataclass(frozen=True)
class InboxItem:
    agreement: Agreement
    fields: tuple[RequiredSignature, ...]
    """The fields the person signs now."""


def inbox(
    session: Session,
    person: Person,
    day: dt.date,
    store: PdfStore,
    *,
    after: InboxCursor | None = None,
    limit: int | None = None,
) -> list[InboxItem]:
    """Agreements awaiting ``person``'s signature on ``day`` (their turn has come): all of them,
    or the first ``limit`` after ``after`` in (campaign newest first, document number) order.
    Candidates are read from the database ``limit`` + 1 at a time (keyset), so a bureau chief's
    inbox at province size never computes the plan of every agreement."""
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
    # A work document (考核结果、问责决定、排查结果): its inspector, its school's heads, the bureau heads.
    work: list[ColumnElement[bool]] = [Agreement.superior_person_id == person.id]
    work += [Agreement.school_id.in_(school_ids)] if school_ids else []
    work += [Agreement.kind == AGREEMENT_KIND_WORK] if bureau else []
    conditions.append(
        (Agreement.kind == AGREEMENT_KIND_WORK)
        & Agreement.state.in_((AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED))
        & or_(*work)
    )
    if school_ids:
        conditions.append(
            (Agreement.school_id.in_(school_ids))
            & (Agreement.state == AGREEMENT_ISSUED)
            & (Agreement.kind == AGREEMENT_KIND_SCHOOL)
        )
    if bureau:
        conditions.append((Agreement.state == AGREEMENT_SCHOOL_SIGNED) & (Agreement.kind == AGREEMENT_KIND_SCHOOL))
    where = or_(*conditions)
    items: list[InboxItem] = []
    while limit is None or len(items) < limit:
        query = (
            select(Agreement)
            .where(where)
            .options(
                selectinload(Agreement.organization),
                selectinload(Agreement.campaign),
                selectinload(Agreement.revisions),
            )
            .order_by(Agreement.campaign_id.desc(), Agreement.document_number)
        )
        if after is not None:
            query = query.where(
                (Agreement.campaign_id < after[0])
                | ((Agreement.campaign_id == after[0]) & (Agreement.document_number > after[1]))
            )
        candidates = session.scalars(query if limit is None else query.limit(limit + 1)).all()
        for agreement in candidates:
            plan = required_signers(session, agreement, day, store=store)
            mine = [s for s in plan.pending_now() if s.person_id == person.id] if plan.certified else []
            if mine:
                items.append(InboxItem(agreement, tuple(mine)))
        if limit is None or not candidates:
            break
        after = (candidates[-1].campaign_id, candidates[-1].document_number)
    return items


INBOX_PAGE = 50
InboxCursor = tuple[int, str]
"""(campaign id, document number) of the last agreement of a page."""


def inbox_page(
    session: Session, person: Person, day: dt.date, store: PdfStore, *, after: InboxCursor | None = None
) -> tuple[list[InboxItem], InboxCursor | None]:
    """One page of :func:`inbox` and the cursor of the next page (None on the last one)."""
    items = inbox(session, person, day, store, after=after, limit=INBOX_PAGE + 1)
    if len(items) > INBOX_PAGE:
        last = items[INBOX_PAGE - 1].agreement
        return items[:INBOX_PAGE], (last.campaign_id, last.document_number)
    return items, None


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


BOARD_PAGE = 100
"""Rows per page of the campaign board: a province (≈20,000 agreements) is paged by school id
(keyset: ``after``), never loaded whole; the town counts come from one aggregate query."""


def _board_filter(
    query: Select[*Ts],
    campaign: Campaign,
    day: dt.date,
    town_id: int | None,
    section_id: int | None,
    school_type: str | None,
) -> Select[*Ts]:
    """The board's filters in SQL (the liaison section on ``day`` as a subquery)."""
    query = query.join(School, School.id == Agreement.school_id).where(
        Agreement.campaign_id == campaign.id, Agreement.state != "draft", Agreement.kind == AGREEMENT_KIND_SCHOOL
    )
    if town_id is not None:
        query = query.where(School.town_id == town_id)
    if school_type:
        query = query.where(School.school_type == school_type)
    if section_id is not None:
        query = query.where(
            School.id.in_(
                select(LiaisonAssignment.school_id).where(
                    LiaisonAssignment.section_id == section_id, LiaisonAssignment.held_on(day)
                )
            )
        )
    return query


def campaign_board(
    session: Session,
    campaign: Campaign,
    day: dt.date,
    store: PdfStore,
    *,
    town_id: int | None = None,
    section_id: int | None = None,
    school_type: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list[BoardRow]:
    """The non-draft agreements of ``campaign`` with who signed when and who is missing, filtered
    by town, liaison section (联校股室 on ``day``) and school type, in school-id order: all of
    them, or ``limit`` after the school id ``after`` (a page). Overdue: past the due date and
    not countersigned yet."""
    query = _board_filter(select(Agreement), campaign, day, town_id, section_id, school_type)
    if after is not None:
        query = query.where(School.source_id > after)
    query = query.options(
        selectinload(Agreement.school).selectinload(School.town),
        selectinload(Agreement.revisions),
        selectinload(Agreement.campaign),
    ).order_by(School.source_id)
    if limit is not None:
        query = query.limit(limit)
    agreements = session.scalars(query).all()
    sections = _sections(session, [a.school_id for a in agreements], day)
    bureau = bureau_holders(session, day)  # the same for every row; the schools' heads in one query
    heads = school_holders_of(session, [a.school for a in agreements if a.school is not None], day)
    rows = []
    for agreement in agreements:
        school = agreement.school
        plan = required_signers(
            session, agreement, day, store=store, bureau=bureau, school_holders=heads.get(agreement.school_id)
        )
        rows.append(
            BoardRow(
                agreement=agreement,
                school=school,
                town=school.town.name if school.town else "",
                section=sections.get(school.id, (None, ""))[1],
                plan=plan,
                overdue=day > campaign.due_date and agreement.state not in _COMPLETE,
            )
        )
    return rows


def board_page(
    session: Session, campaign: Campaign, day: dt.date, store: PdfStore, *, after: str | None = None, **filters: Any
) -> tuple[list[BoardRow], str | None]:
    """One page of the board and the ``after`` of the next page (None on the last one)."""
    rows = campaign_board(session, campaign, day, store, after=after, limit=BOARD_PAGE + 1, **filters)
    if len(rows) > BOARD_PAGE:
        return rows[:BOARD_PAGE], rows[BOARD_PAGE - 1].school.source_id
    return rows, None


def town_counts(
    session: Session,
    campaign: Campaign,
    day: dt.date,
    *,
    town_id: int | None = None,
    section_id: int | None = None,
    school_type: str | None = None,
) -> list[TownProgress]:
    """:func:`town_progress` of the whole filtered board from one ``GROUP BY`` (no row loaded)."""
    query = _board_filter(
        select(Town.source_id, Town.name, Agreement.state, func.count(Agreement.id)),
        campaign,
        day,
        town_id,
        section_id,
        school_type,
    )
    query = query.outerjoin(Town, Town.id == School.town_id).group_by(Town.source_id, Town.name, Agreement.state)
    by_town: dict[tuple[NaturalKey, str], Counter[str]] = {}
    for town_sid, town, state, count in session.execute(query):
        counter = by_town.setdefault((natural_key(town_sid), town or "—"), Counter())
        counter["total"] += count
        counter["complete" if state in _COMPLETE else state] += count
    return _progress(by_town)


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
    return _progress(by_town)


def _progress(by_town: dict[tuple[NaturalKey, str], Counter[str]]) -> list[TownProgress]:
    return [
        TownProgress(name, c["total"], c[AGREEMENT_ISSUED], c[AGREEMENT_SCHOOL_SIGNED], c["complete"])
        for (_, name), c in sorted(by_town.items())
    ]
