"""In-app notifications, escalation steps, and where to mail a person.

Why three tables: a notification is a message to one person (the bell, the ``/notifications``
page, the e-mail copy); an escalation step records that an overdue agreement was raised to a level
(1 the liaison section, 2 the school's bureau leader) on a day, whoever received it — the
uniqueness of ``(agreement_id, level)`` is what makes the escalation run idempotent even when a
level had nobody to notify. Persons have no e-mail field in the import, so addresses live in
their own small table (``flask escalate email``) instead of changing the imported people model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

ESCALATION_SECTION = 1
ESCALATION_BUREAU_LEADER = 2


class Notification(Base):
    """One message to one person; ``read_at`` set when they mark it read."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_read", "recipient_person_id", "read_at"),
        UniqueConstraint("recipient_person_id", "event_key", name="uq_notifications_recipient_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(32))
    """The event: ``overdue_signature`` (escalation), ``agreement_issued``, ``signing_turn``,
    ``agreement_complete``, ``cascade_needed`` (``notify.events``) and whatever later features add."""
    message: Mapped[str] = mapped_column(Text)
    """The text in the default language (zh_CN), as mailed; pages render ``msgid`` instead."""
    msgid: Mapped[str | None] = mapped_column(Text)
    """Catalogue msgid (English) of the message, rendered with ``params`` in the reader's language."""
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    event_key: Mapped[str | None] = mapped_column(String(160))
    """What makes the notification unique per recipient (``agreement_issued:12``): publishing the
    same event twice adds nothing. None for rows that need no such guard (escalation)."""
    url: Mapped[str | None] = mapped_column(String(500))
    """Path of the page where the matter is seen (the chain trace of the school)."""
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    email_error: Mapped[str | None] = mapped_column(Text)
    """Why the e-mail copy failed or was not sent (no address); None while untried."""


class EscalationStep(Base):
    """An overdue agreement raised to a level on a day (one row per agreement and level)."""

    __tablename__ = "escalation_steps"
    __table_args__ = (UniqueConstraint("agreement_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailAddress(Base):
    """Where to send a person's notifications by e-mail (optional; set by an administrator)."""

    __tablename__ = "mail_addresses"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
