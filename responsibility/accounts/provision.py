"""Account provisioning: every person who holds a post gets a login.

Accounts are created without a usable password (``password_hash`` None) — hashing one per person
would make a county import take minutes — and must change the password on first login; the admin
issues activation links or initial passwords. Set-based: one SELECT, one bulk INSERT.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, insert, select
from sqlalchemy.orm import Session

from ..clock import today
from ..models import KIND_PERSON, Person, PostAssignment, User, utcnow

__all__ = ["sync_accounts"]


def sync_accounts(session: Session, day: dt.date | None = None) -> int:
    """Create a ``person`` account for each person holding a post assignment on ``day`` (default
    today) who has none yet; return how many were created. Existing accounts are never touched.

    username = the person's source id (``P00027``), display name = the person's name.
    """
    day = day or today()
    holds_post = exists().where(and_(PostAssignment.person_id == Person.id, PostAssignment.held_on(day)))
    has_user = exists().where(User.person_id == Person.id)
    taken = select(User.username)
    rows = session.execute(
        select(Person.id, Person.source_id, Person.name)
        .where(holds_post, ~has_user, Person.source_id.not_in(taken))
        .order_by(Person.source_id)
    ).all()
    now = utcnow()
    values = [
        {
            "username": source_id,
            "display_name": name,
            "kind": KIND_PERSON,
            "person_id": person_id,
            "password_hash": None,
            "must_change_password": True,
            "is_enabled": True,
            "created_at": now,
        }
        for person_id, source_id, name in rows
    ]
    if values:
        session.execute(insert(User.__table__), values)  # type: ignore[arg-type]
    return len(values)
