"""In-app notifications: count unread, list, mark read (they are created by ``events.publish``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import Notification
from ..models.base import utcnow

__all__ = ["mark_read", "notifications_for", "unread_count"]


def unread_count(session: Session, person_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.recipient_person_id == person_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def notifications_for(session: Session, person_id: int, *, limit: int = 200) -> list[Notification]:
    """The person's notifications, unread first, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.recipient_person_id == person_id)
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).all()
    )


def mark_read(session: Session, person_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all unread ones, or just ``ids``); returns how many.

    Only the recipient's own rows are touched, whatever ids are given."""
    stmt = update(Notification).where(Notification.recipient_person_id == person_id, Notification.read_at.is_(None))
    if ids is not None:
        wanted = [int(i) for i in ids]
        if not wanted:
            return 0
        stmt = stmt.where(Notification.id.in_(wanted))
    result = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
