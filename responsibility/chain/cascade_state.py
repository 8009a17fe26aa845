"""The real state of a live campaign's cascade, per school, in aggregate queries.

What the campaign board, the gap report's A4 and the county overview count (never loading the
agreements: a province has 20,000 schools):

- post agreements (岗位安全责任书) issued in the campaign and not voided, and how many of them are
  complete (superior and holder signed);
- successors' supplementary confirmations (补充确认), issued and signed likewise;
- grid owners on the day with neither a live post agreement nor a confirmation as the holder in
  the campaign (the school's heads excepted: the school agreement binds them) — the cascade has
  not reached them.

Three statements for any number of schools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from ..models import Agreement, Grid, GridOwnership, PostAssignment
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_KIND_CONFIRMATION,
    AGREEMENT_KIND_POST,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from .subjects import ROLE_OF_POST, Role

__all__ = ["CascadeCounts", "cascade_counts"]

_HEAD_ROLES = (Role.PRINCIPAL, Role.SCHOOL_PARTY_SECRETARY, Role.PARTY_INSTRUCTOR)
HEAD_POSTS = tuple(code for code, role in ROLE_OF_POST.items() if role in _HEAD_ROLES)
_DEAD = (AGREEMENT_VOID, AGREEMENT_SUPERSEDED)
_COMPLETE = (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)
_KINDS = (AGREEMENT_KIND_POST, AGREEMENT_KIND_CONFIRMATION)


@dataclass(frozen=True)
class CascadeCounts:
    """One school's cascade in a campaign."""

    posts_issued: int = 0
    posts_signed: int = 0
    confirmations_issued: int = 0
    confirmations_signed: int = 0
    owners_missing: int = 0
    """Grid owners on the day bound by neither a post agreement nor a confirmation."""

    @property
    def posts_unsigned(self) -> int:
        return self.posts_issued - self.posts_signed

    @property
    def confirmations_unsigned(self) -> int:
        return self.confirmations_issued - self.confirmations_signed

    def as_dict(self) -> dict[str, int]:
        return {
            "posts_issued": self.posts_issued,
            "posts_signed": self.posts_signed,
            "confirmations_issued": self.confirmations_issued,
            "confirmations_signed": self.confirmations_signed,
            "owners_missing": self.owners_missing,
        }


def _documents(session: Session, campaign_id: int, school_ids: Collection[int]) -> dict[int, dict[str, int]]:
    complete = case((Agreement.state.in_(_COMPLETE), 1), else_=0)
    query = (
        select(Agreement.school_id, Agreement.kind, func.count(), func.sum(complete))
        .where(Agreement.campaign_id == campaign_id, Agreement.kind.in_(_KINDS), Agreement.state.not_in(_DEAD))
        .group_by(Agreement.school_id, Agreement.kind)
    )
    if school_ids:
        query = query.where(Agreement.school_id.in_(list(school_ids)))
    out: dict[int, dict[str, int]] = {}
    for school_id, kind, issued, signed in session.execute(query):
        prefix = "posts" if kind == AGREEMENT_KIND_POST else "confirmations"
        row = out.setdefault(school_id, {})
        row[f"{prefix}_issued"], row[f"{prefix}_signed"] = int(issued), int(signed or 0)
    return out


def _owners_missing(session: Session, campaign_id: int, day: dt.date, school_ids: Collection[int]) -> dict[int, int]:
    bound = exists().where(
        Agreement.campaign_id == campaign_id,
        Agreement.kind.in_(_KINDS),
        Agreement.state.not_in(_DEAD),
        Agreement.holder_person_id == GridOwnership.person_id,
        Agreement.school_id == Grid.school_id,
    )
    head = exists().where(
        and_(
            PostAssignment.person_id == GridOwnership.person_id,
            PostAssignment.org_id == Grid.school_id,
            PostAssignment.post_code.in_(HEAD_POSTS),
            PostAssignment.held_on(day),
        )
    )
    query = (
        select(Grid.school_id, func.count(func.distinct(GridOwnership.person_id)))
        .join(GridOwnership, GridOwnership.grid_id == Grid.id)
        .where(GridOwnership.held_on(day), ~bound, ~head)
        .group_by(Grid.school_id)
    )
    if school_ids:
        query = query.where(Grid.school_id.in_(list(school_ids)))
    return {school_id: int(n) for school_id, n in session.execute(query)}


def cascade_counts(
    session: Session, campaign_id: int, day: dt.date, school_ids: Collection[int] = ()
) -> dict[int, CascadeCounts]:
    """School's database id → its cascade in the campaign on ``day`` (schools with nothing to
    count are absent; ``school_ids`` limits the schools, all when empty)."""
    documents = _documents(session, campaign_id, school_ids)
    missing = _owners_missing(session, campaign_id, day, school_ids)
    return {
        school_id: CascadeCounts(**documents.get(school_id, {}), owners_missing=missing.get(school_id, 0))
        for school_id in sorted(set(documents) | set(missing))
    }
