"""Who may read and who may plan an organisation's duty roster, judged on the day asked.

- A **school's** roster is planned by its heads (校长 ``S01``, 党组织书记 ``S02``), its safety
  deputy (``S03``) and its safety office (安全专干／安办主任 ``S07``) holding the post there that
  day; everyone who may see the school (``accounts.access``: its people, its liaison section,
  the bureau's leaders, auditors) reads it.
- The **bureau's** own roster (and a section's) is planned by the staff of the bureau's office
  (the section named :data:`BUREAU_OFFICE`, 办公室); the bureau's leaders, section staff and
  auditors read it.
- Administrators plan every roster.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.access import can_view_school, liaison_section_ids
from ..accounts.roles import ADMIN, AUDITOR, BUREAU_LEADER, SECTION_STAFF, roles_of
from ..hazards.roles import holds_post
from ..models import Organization, Section, User

__all__ = ["BUREAU_OFFICE", "SCHOOL_ROSTER_POSTS", "may_plan_roster", "may_read_roster"]

SCHOOL_ROSTER_POSTS = frozenset({"S01", "S02", "S03", "S07"})
"""Principal, party secretary, safety deputy, safety office: they plan a school's roster."""
BUREAU_OFFICE = "办公室"
"""The name of the bureau's section (股室) that plans the bureau's own roster."""


def _in_office(session: Session, user: User, day: dt.date) -> bool:
    if user.person_id is None:
        return False
    sections = liaison_section_ids(session, user.person_id, day)
    if not sections:
        return False
    return session.scalar(select(Section.id).where(Section.id.in_(sections), Section.name == BUREAU_OFFICE)) is not None


def may_plan_roster(session: Session, user: User, org: Organization, day: dt.date) -> bool:
    """Whether ``user`` may edit or upload ``org``'s roster on ``day``."""
    if not user.is_enabled:
        return False
    if ADMIN in roles_of(session, user, day):
        return True
    if org.kind == "school":
        if user.person_id is None:
            return False
        person = user.person
        return person is not None and holds_post(session, person, org.id, SCHOOL_ROSTER_POSTS, day)
    return _in_office(session, user, day)


def may_read_roster(session: Session, user: User, org: Organization, day: dt.date) -> bool:
    """Whether ``user`` may see ``org``'s roster and its 到岗率 on ``day``."""
    if not user.is_enabled:
        return False
    if org.kind == "school":
        return can_view_school(session, user, org.id, day)
    roles = roles_of(session, user, day)
    return bool(roles & {ADMIN, AUDITOR, BUREAU_LEADER, SECTION_STAFF}) or _in_office(session, user, day)
