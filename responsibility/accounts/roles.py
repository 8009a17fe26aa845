"""Roles of a user on a given day, derived from the posts their person holds.

Roles are never stored: a person becomes a school leader by being assigned the principal's post
and stops being one the day that assignment ends. Only ``admin`` and ``auditor`` come from the
account itself (``User.kind``). Everything here is read-only and takes an explicit session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import KIND_ADMIN, KIND_AUDITOR, GridOwnership, Organization, PostAssignment, User

__all__ = [
    "ALL_ROLES",
    "BUREAU_LEADER",
    "BUREAU_LEADER_POSTS",
    "SCHOOL_LEADER_POSTS",
    "SECTION_STAFF",
    "SECTION_STAFF_POSTS",
    "ADMIN",
    "AUDITOR",
    "GRID_OWNER",
    "SCHOOL_LEADER",
    "derive_roles",
    "roles_of",
    "roles_of_person",
]

BUREAU_LEADER = "bureau_leader"
SECTION_STAFF = "section_staff"
SCHOOL_LEADER = "school_leader"
GRID_OWNER = "grid_owner"
ADMIN = "admin"
AUDITOR = "auditor"

#: Display order of roles (the most senior first).
ALL_ROLES: tuple[str, ...] = (ADMIN, AUDITOR, BUREAU_LEADER, SECTION_STAFF, SCHOOL_LEADER, GRID_OWNER)

#: 党组书记局长, 分管安全副局长, 其他副局长, 督导室主任 — held at the bureau.
BUREAU_LEADER_POSTS = frozenset({"B01", "B02", "B03", "B04"})
#: 股室负责人, 股室干部 — held at a section.
SECTION_STAFF_POSTS = frozenset({"B05", "B06"})
#: 校长, 党组织书记, 分管安全副校长, 党建指导员 — held at a school.
SCHOOL_LEADER_POSTS = frozenset({"S01", "S02", "S03", "S24"})

_POST_ROLES: tuple[tuple[frozenset[str], str, str], ...] = (
    (BUREAU_LEADER_POSTS, "bureau", BUREAU_LEADER),
    (SECTION_STAFF_POSTS, "section", SECTION_STAFF),
    (SCHOOL_LEADER_POSTS, "school", SCHOOL_LEADER),
)


def derive_roles(kind: str | None, held_posts: Iterable[tuple[str, str]], owns_grid: bool) -> frozenset[str]:
    """The rule itself, without a database: ``kind`` is ``User.kind`` (or None for a bare
    person), ``held_posts`` the ``(post_code, org_kind)`` pairs held that day, ``owns_grid``
    whether the person owns any grid that day. A post counts only at the right kind of org
    (B05 held at the bureau instead of a section makes no one section staff)."""
    roles: set[str] = set()
    if kind == KIND_ADMIN:
        roles.add(ADMIN)
    elif kind == KIND_AUDITOR:
        roles.add(AUDITOR)
    for code, org_kind in held_posts:
        for posts, wanted_kind, role in _POST_ROLES:
            if code in posts and org_kind == wanted_kind:
                roles.add(role)
    if owns_grid:
        roles.add(GRID_OWNER)
    return frozenset(roles)


def _held_posts(session: Session, person_id: int, day: dt.date) -> list[tuple[str, str]]:
    rows = session.execute(
        select(PostAssignment.post_code, Organization.kind)
        .join(Organization, Organization.id == PostAssignment.org_id)
        .where(
            PostAssignment.person_id == person_id,
            PostAssignment.held_on(day),
        )
    ).all()
    return [(code, kind) for code, kind in rows]


def _owns_grid(session: Session, person_id: int, day: dt.date) -> bool:
    found = session.scalar(
        select(GridOwnership.id)
        .where(
            GridOwnership.person_id == person_id,
            GridOwnership.held_on(day),
        )
        .limit(1)
    )
    return found is not None


def roles_of_person(session: Session, person_id: int, day: dt.date) -> frozenset[str]:
    """The post-derived roles of one person on ``day`` (two queries)."""
    return derive_roles(None, _held_posts(session, person_id, day), _owns_grid(session, person_id, day))


def roles_of(session: Session, user: User, day: dt.date) -> frozenset[str]:
    """Every role of ``user`` on ``day``: ``admin``/``auditor`` from the account kind, the rest
    from the posts and grids their person holds that day. A user without a person has only the
    kind's role (or none)."""
    if user.person_id is None:
        return derive_roles(user.kind, (), False)
    return derive_roles(user.kind, _held_posts(session, user.person_id, day), _owns_grid(session, user.person_id, day))
