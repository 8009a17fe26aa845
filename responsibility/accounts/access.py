"""Who may see a school's data (issue 2, part 5).

A school is visible to
- its own people: the person belongs to the school (``Person.org_id``, while active), holds a
  post there on the day, or owns one of its grids on the day;
- its liaison section (股室联校包抓): the chief and staff of the section whose liaison
  assignment for the school is valid on the day — a person counts as staff of a section when
  they hold a post there on the day, are its chief, or are listed in its staff;
- bureau leaders (B01–B04 on the day), admins and auditors: county-wide.

Everyone else must get the same 404 as for a school that does not exist; the web layer does
that, this module only answers the question. Read-only; no Flask.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from ..models import (
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Organization,
    Person,
    PostAssignment,
    School,
    Section,
    User,
    section_staff,
)
from .roles import ADMIN, AUDITOR, BUREAU_LEADER, roles_of

__all__ = ["can_view_school", "liaison_section_ids", "own_school_ids", "sees_whole_county", "visible_school_ids"]

_COUNTY_WIDE_ROLES = frozenset({ADMIN, AUDITOR, BUREAU_LEADER})


def sees_whole_county(roles: frozenset[str]) -> bool:
    """Admins, auditors and bureau leaders see every school."""
    return bool(roles & _COUNTY_WIDE_ROLES)


def own_school_ids(session: Session, person_id: int, day: dt.date) -> frozenset[int]:
    """Schools the person belongs to on ``day`` (membership, a post there, or a grid there)."""
    is_school = Organization.kind == "school"
    member = (
        select(Person.org_id.label("school_id"))
        .join(Organization, Organization.id == Person.org_id)
        .where(Person.id == person_id, Person.in_service_on(day), is_school)
    )
    posts = (
        select(PostAssignment.org_id.label("school_id"))
        .join(Organization, Organization.id == PostAssignment.org_id)
        .where(
            PostAssignment.person_id == person_id,
            PostAssignment.held_on(day),
            is_school,
        )
    )
    grids = (
        select(Grid.school_id.label("school_id"))
        .join(GridOwnership, GridOwnership.grid_id == Grid.id)
        .where(
            GridOwnership.person_id == person_id,
            GridOwnership.held_on(day),
        )
    )
    return frozenset(session.scalars(select(union(member, posts, grids).subquery().c.school_id)).all())


def liaison_section_ids(session: Session, person_id: int, day: dt.date) -> frozenset[int]:
    """Sections the person works in on ``day``: a post at the section, its chief, or its staff."""
    posts = (
        select(PostAssignment.org_id.label("section_id"))
        .join(Organization, Organization.id == PostAssignment.org_id)
        .where(
            PostAssignment.person_id == person_id,
            PostAssignment.held_on(day),
            Organization.kind == "section",
        )
    )
    chief = select(Section.id.label("section_id")).where(Section.chief_person_id == person_id)
    staff = select(section_staff.c.section_id.label("section_id")).where(section_staff.c.person_id == person_id)
    return frozenset(session.scalars(select(union(posts, chief, staff).subquery().c.section_id)).all())


def _liaised_school_ids(session: Session, section_ids: frozenset[int], day: dt.date) -> frozenset[int]:
    if not section_ids:
        return frozenset()
    rows = session.scalars(
        select(LiaisonAssignment.school_id).where(
            LiaisonAssignment.section_id.in_(section_ids),
            LiaisonAssignment.held_on(day),
        )
    ).all()
    return frozenset(rows)


def visible_school_ids(session: Session, user: User, day: dt.date) -> frozenset[int] | None:
    """Ids of the schools ``user`` may see on ``day``; ``None`` means every school.

    A disabled account sees nothing. The result holds only ids of existing schools.
    """
    if not user.is_enabled:
        return frozenset()
    roles = roles_of(session, user, day)
    if sees_whole_county(roles):
        return None
    if user.person_id is None:
        return frozenset()
    ids = own_school_ids(session, user.person_id, day)
    ids |= _liaised_school_ids(session, liaison_section_ids(session, user.person_id, day), day)
    if not ids:
        return frozenset()
    existing = session.scalars(select(School.id).where(School.id.in_(ids))).all()
    return frozenset(existing)


def can_view_school(session: Session, user: User, school_id: int, day: dt.date) -> bool:
    """Whether ``user`` may see the school with database id ``school_id`` on ``day``."""
    visible = visible_school_ids(session, user, day)
    return visible is None or school_id in visible
