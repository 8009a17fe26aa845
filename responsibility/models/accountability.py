"""Accountability (问责) decisions and due-diligence claims (尽职免责).

A decision is about a school (naming both its party head and its principal, PG3, each with a
degree of responsibility) or about persons; it rests on a basis — an incident, a gap finding, the
season's assessment — kept as a typed reference. A person named may file a due-diligence claim;
the claim keeps the references of that person's work records it links (patrols, inspection
answers, hazards reported, rectified or accepted, duty check-ins) as they were when filed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import School
from .people import Person

__all__ = ["AccountabilityDecision", "AccountabilityPerson", "DueDiligenceClaim"]


class AccountabilityDecision(Base):
    __tablename__ = "accountability_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    """``AC-2025-0001``: year of the decision, sequence in the year."""
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    """The school (a school-level decision, or the school of the persons named)."""
    scope: Mapped[str] = mapped_column(String(8))
    """``school`` (the unit, both heads named) or ``person``."""
    form: Mapped[str] = mapped_column(String(32))
    """A form code of the accountability catalogue (``interview`` 约谈 …)."""
    catalogue_version: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    basis_kind: Mapped[str] = mapped_column(String(16))
    """``incident``, ``finding`` (a gap finding ``CHECK:SUBJECT``), ``assessment`` (a campaign) or ``other``."""
    basis_ref: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    decided_by_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    """The signed decision PDF (a work document), when issued."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    school: Mapped[School | None] = relationship()
    decided_by: Mapped[Person] = relationship()
    persons: Mapped[list[AccountabilityPerson]] = relationship(
        back_populates="decision", order_by="AccountabilityPerson.id", cascade="all, delete-orphan"
    )


class AccountabilityPerson(Base):
    __tablename__ = "accountability_persons"
    __table_args__ = (UniqueConstraint("decision_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("accountability_decisions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    roles: Mapped[list[str]] = mapped_column(default=list)
    """The school roles the person held on the decision's basis day (``party_head``, ``principal``)."""
    degree: Mapped[str] = mapped_column(String(32))

    decision: Mapped[AccountabilityDecision] = relationship(back_populates="persons")
    person: Mapped[Person] = relationship()


class DueDiligenceClaim(Base):
    __tablename__ = "due_diligence_claims"
    __table_args__ = (UniqueConstraint("decision_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("accountability_decisions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    statement: Mapped[str] = mapped_column(Text)
    records: Mapped[list[Any]] = mapped_column(default=list)
    """The person's work records the claim links: ``{"kind", "ref", "day", "text"}``."""
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="filed")
    """``filed``, ``accepted`` (免责) or ``rejected``."""
    decided_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    decision: Mapped[AccountabilityDecision] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
