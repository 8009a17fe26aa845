"""The audit log as an auditor reads it: events filtered by school, person and action.

Events name what they touch in free text (``subject`` such as ``agreement:JTAQ-…`` or
``user:P00027``, and ids inside ``data``), so the school and person filters match the source id
anywhere in the subject, the actor or the data. Read-only; newest first, at most ``limit``.
"""

from __future__ import annotations

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from ...models import AuditEvent

__all__ = ["DEFAULT_LIMIT", "filter_events"]

DEFAULT_LIMIT = 200


def filter_events(
    session: Session,
    *,
    school: str | None = None,
    person: str | None = None,
    action: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[AuditEvent]:
    """Events mentioning ``school`` and ``person`` (source ids, matched anywhere in subject, actor
    or data) whose action starts with ``action``; newest first."""
    stmt = select(AuditEvent)
    data_text = cast(AuditEvent.data, String)
    if school:
        sid = school.strip()
        stmt = stmt.where(
            or_(AuditEvent.subject.contains(sid, autoescape=True), data_text.contains(sid, autoescape=True))
        )
    if person:
        pid = person.strip()
        stmt = stmt.where(
            or_(
                AuditEvent.actor.contains(pid, autoescape=True),
                AuditEvent.subject.contains(pid, autoescape=True),
                data_text.contains(pid, autoescape=True),
            )
        )
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action.strip(), autoescape=True))
    return list(session.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(max(1, min(limit, 1000)))))
