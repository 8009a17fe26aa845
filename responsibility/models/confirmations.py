"""Supplementary confirmations (补充确认): what a successor's confirmation binds them to.

The confirmation itself is an ``Agreement`` of kind ``confirmation`` (its PDF, revisions, states
and signatures go through the one signing flow); this row records the facts it was issued for:
the agreement the predecessor signed (frozen as the document number and SHA-256 the PDF
prints), the predecessor, the successor, the post or grid that changed hands and the change day.
One row per (campaign, successor, subject, change day): issuing again never makes a second.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreements import Agreement
from .base import Base, utcnow
from .grids import Grid
from .people import Person

__all__ = ["SUBJECT_GRID", "SUBJECT_POST", "Confirmation"]

SUBJECT_GRID = "grid"
SUBJECT_POST = "post"


class Confirmation(Base):
    __tablename__ = "confirmations"
    __table_args__ = (
        UniqueConstraint("campaign_id", "successor_person_id", "subject_key", "change_date", name="uq_confirmations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), unique=True)
    """The confirmation document (``Agreement.kind == 'confirmation'``)."""
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    bound_agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    """The agreement the predecessor signed (school agreement or post agreement)."""
    bound_document_number: Mapped[str] = mapped_column(String(100))
    bound_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the bound agreement's complete revision, as printed in the confirmation."""
    predecessor_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    successor_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(8))
    """``grid`` (a grid's owner changed) or ``post`` (a post's holder changed)."""
    subject_key: Mapped[str] = mapped_column(String(80))
    """The grid's or the post's code, e.g. ``G00012`` or ``S03``."""
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    post_code: Mapped[str | None] = mapped_column(String(32))
    change_date: Mapped[dt.date] = mapped_column(Date)
    """The successor's first day (the predecessor's period ended the day before)."""
    due_date: Mapped[dt.date] = mapped_column(Date)
    """When the successor must have signed (escalation reads it)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agreement: Mapped[Agreement] = relationship(foreign_keys=[agreement_id])
    bound: Mapped[Agreement] = relationship(foreign_keys=[bound_agreement_id])
    predecessor: Mapped[Person] = relationship(foreign_keys=[predecessor_person_id])
    successor: Mapped[Person] = relationship(foreign_keys=[successor_person_id])
    grid: Mapped[Grid | None] = relationship()
