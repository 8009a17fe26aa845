"""The live season: the campaign whose term a roster or a visit count belongs to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Campaign, Organization, Person
from .errors import NoSeason, SeasonConflict, UnknownRecord

__all__ = ["find_org", "find_person", "flush_or_conflict", "live_campaign"]


def live_campaign(session: Session) -> Campaign:
    """The latest campaign by term start (newest first on a tie): the season being planned or
    run. Without one there is no season to record in."""
    campaign = session.scalars(
        select(Campaign).order_by(Campaign.term_start.desc(), Campaign.id.desc()).limit(1)
    ).first()
    if campaign is None:
        raise NoSeason("还没有任何责任书批次，无法确定本季起止日期。 (No campaign yet: the season's term is unknown.)")
    return campaign


def find_org(session: Session, source_id: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.source_id == source_id.strip()))
    if org is None:
        raise UnknownRecord(f"没有单位 {source_id!r}。 (No organisation {source_id!r}.)")
    return org


def find_person(session: Session, source_id: str, what: str) -> Person:
    person = session.scalar(select(Person).where(Person.source_id == source_id.strip()))
    if person is None:
        raise UnknownRecord(f"{what}：没有人员 {source_id!r}。 ({what}: no person {source_id!r}.)")
    return person


def flush_or_conflict(session: Session, what: str) -> None:
    """Flush; a unique key another transaction took meanwhile (two writers of one day, one class)
    becomes a 409-type conflict — the caller rolls back, so nothing is half-written."""
    try:
        session.flush()
    except IntegrityError:
        raise SeasonConflict(
            f"{what}刚被他人同时登记，请刷新后重试。 ({what}: written by someone else at the same time.)"
        ) from None
