"""Handovers in the season: who took a post or a grid over from whom, on which day, and which
signed agreement binds the successor through a supplementary confirmation (补充确认).

A **handover** is a period of a post assignment (school heads and the cascade's posts) or of a
grid ownership that starts on a day ``D`` inside the campaign's term (after its first day, at the
latest on its last) exactly where another person's period of the same post or grid at the same
school ended (``valid_to == D``: the half-open periods of ``models.periods`` leave no day with two
holders or none). A vacancy in between is not a handover: the audit shows the empty days (G1, P2).

The **bound agreement** is the agreement the predecessor signed for what changed hands:

- the party head's and the principal's posts (S01, S02, S24): the campaign's school agreement,
  complete (countersigned or archived) and with a signature the predecessor made;
- a cascade post: the predecessor's complete post agreement in the campaign listing that post;
- a grid: the predecessor's complete post agreement in the campaign whose data day shows them as
  the grid's owner (that agreement's Annex 2 names the grid).

When the predecessor was a successor themselves, their own complete confirmation for the same
post or grid passes its bound agreement on (the new successor confirms the original document).
A handover without a bound agreement gets no confirmation: before the predecessor's agreement is
complete, the successor signs the agreement itself (school heads) or is issued their own post
agreement by the cascade. Two statements for a campaign's handovers, two for their bindings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ..models import Agreement, Campaign, Confirmation, Grid, GridOwnership, PostAssignment
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
)
from ..models.confirmations import SUBJECT_GRID, SUBJECT_POST
from .compose import PARTY_INSTRUCTOR_POST, PARTY_SECRETARY_POST, PRINCIPAL_POST

__all__ = ["HEAD_POSTS", "Handover", "bound_agreement", "handovers"]

HEAD_POSTS = (PRINCIPAL_POST, PARTY_SECRETARY_POST, PARTY_INSTRUCTOR_POST)
"""Posts whose holders sign the school agreement itself."""
_COMPLETE = (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)


@dataclass(frozen=True)
class Handover:
    school_id: int
    subject_kind: str
    """``grid`` or ``post`` (``models.confirmations``)."""
    subject_key: str
    """The grid's source id or the post code."""
    predecessor_id: int
    successor_id: int
    change_date: dt.date
    grid_id: int | None = None
    post_code: str | None = None


def handovers(
    session: Session, campaign: Campaign, day: dt.date, post_codes: Collection[str], school_ids: Collection[int] = ()
) -> list[Handover]:
    """The handovers of ``campaign``'s term known on ``day`` (change day on or before it), of the
    grids and of the posts ``post_codes``, at ``school_ids`` (all schools when empty); ordered by
    school, change day, subject."""
    last = min(day, campaign.term_end)
    if last <= campaign.term_start:
        return []
    old, new = aliased(GridOwnership), aliased(GridOwnership)
    grid_rows = select(Grid.id, Grid.school_id, Grid.source_id, old.person_id, new.person_id, new.valid_from).join(
        new, new.grid_id == Grid.id
    )
    grid_rows = grid_rows.join(
        old, and_(old.grid_id == Grid.id, old.valid_to == new.valid_from, old.person_id != new.person_id)
    ).where(new.valid_from > campaign.term_start, new.valid_from <= last)
    if school_ids:
        grid_rows = grid_rows.where(Grid.school_id.in_(list(school_ids)))
    found = [
        Handover(school, SUBJECT_GRID, sid, before, after, start, grid_id=gid)
        for gid, school, sid, before, after, start in session.execute(grid_rows.order_by(new.valid_from, Grid.id))
    ]
    pa_old, pa_new = aliased(PostAssignment), aliased(PostAssignment)
    post_rows = (
        select(pa_new.org_id, pa_new.post_code, pa_old.person_id, pa_new.person_id, pa_new.valid_from)
        .join(
            pa_old,
            and_(
                pa_old.org_id == pa_new.org_id,
                pa_old.post_code == pa_new.post_code,
                pa_old.valid_to == pa_new.valid_from,
                pa_old.person_id != pa_new.person_id,
            ),
        )
        .where(
            pa_new.post_code.in_(list(post_codes)), pa_new.valid_from > campaign.term_start, pa_new.valid_from <= last
        )
    )
    if school_ids:
        post_rows = post_rows.where(pa_new.org_id.in_(list(school_ids)))
    seen: set[tuple[int, str, int, dt.date]] = set()
    for school, code, before, after, start in session.execute(post_rows.order_by(pa_new.valid_from, pa_new.id)):
        key = (school, code, after, start)
        if key not in seen:  # several holders of one post handed over the same day: first pairing
            seen.add(key)
            found.append(Handover(school, SUBJECT_POST, code, before, after, start, post_code=code))
    return sorted(found, key=lambda h: (h.school_id, h.change_date, h.subject_kind, h.subject_key, h.successor_id))


def _names(agreement: Agreement, handover: Handover, owned: dict[tuple[int, int], list[GridOwnership]]) -> bool:
    """Whether the predecessor's post agreement ``agreement`` names what changed hands."""
    if agreement.as_of >= handover.change_date:
        return False
    if handover.subject_kind == SUBJECT_POST:
        return handover.subject_key in (agreement.post_code or "").split(",")
    rows = owned.get((handover.grid_id or 0, handover.predecessor_id), [])
    return any(o.held_on(agreement.as_of) for o in rows)


def bound_agreement(session: Session, campaign: Campaign, items: list[Handover]) -> dict[Handover, Agreement]:
    """Each handover's bound agreement (see the module doc); handovers without one are absent."""
    if not items:
        return {}
    schools = {h.school_id for h in items}
    predecessors = {h.predecessor_id for h in items}
    candidates = list(
        session.scalars(
            select(Agreement)
            .where(
                Agreement.campaign_id == campaign.id,
                Agreement.school_id.in_(schools),
                Agreement.state.in_(_COMPLETE),
                (Agreement.kind == AGREEMENT_KIND_SCHOOL) | Agreement.holder_person_id.in_(predecessors),
            )
            .options(selectinload(Agreement.revisions))
            .order_by(Agreement.id)
        ).all()
    )
    grid_ids = {h.grid_id for h in items if h.grid_id is not None}
    owned: dict[tuple[int, int], list[GridOwnership]] = {}
    if grid_ids:
        for o in session.scalars(select(GridOwnership).where(GridOwnership.grid_id.in_(grid_ids))):
            owned.setdefault((o.grid_id, o.person_id), []).append(o)
    confirmations = {
        (c.successor_person_id, c.subject_key, c.agreement.school_id): c
        for c in session.scalars(
            select(Confirmation)
            .where(Confirmation.campaign_id == campaign.id, Confirmation.successor_person_id.in_(predecessors))
            .options(selectinload(Confirmation.agreement), selectinload(Confirmation.bound))
        )
        if c.agreement.state in _COMPLETE
    }
    out: dict[Handover, Agreement] = {}
    for h in items:
        found = _bound_one(h, candidates, owned, confirmations)
        if found is not None:
            out[h] = found
    return out


def _bound_one(
    h: Handover,
    candidates: list[Agreement],
    owned: dict[tuple[int, int], list[GridOwnership]],
    confirmations: dict[tuple[int, str, int], Confirmation],
) -> Agreement | None:
    at_school = [a for a in candidates if a.school_id == h.school_id]
    if h.subject_kind == SUBJECT_POST and h.subject_key in HEAD_POSTS:
        for a in at_school:
            signed = any(r.kind == "signed" and r.signer_person_id == h.predecessor_id for r in a.revisions)
            if a.kind == AGREEMENT_KIND_SCHOOL and signed:
                return a
    else:
        named = [
            a
            for a in at_school
            if a.kind == AGREEMENT_KIND_POST and a.holder_person_id == h.predecessor_id and _names(a, h, owned)
        ]
        if named:
            return named[-1]
    passed_on = confirmations.get((h.predecessor_id, h.subject_key, h.school_id))
    if passed_on is not None and passed_on.change_date < h.change_date:
        return passed_on.bound
    return None
