"""The season-end assessment (考核): what assessors changed and decided, each with its reason.

The proposed scores are never stored — they are computed from the records and the rule table
whenever asked (``responsibility.assessment``). What is stored is what people decided: an
assessor's score for a part (every change kept, the latest in force) and the decision on each
veto candidate (confirmed or dismissed), each with who, when and why.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreements import Campaign
from .base import Base, utcnow
from .org import School
from .people import Person

__all__ = ["AssessmentAdjustment", "VetoDecision"]


class AssessmentAdjustment(Base):
    """An assessor's score for one part of one school's assessment, with the reason."""

    __tablename__ = "assessment_adjustments"
    __table_args__ = (Index("ix_assessment_adjustments_campaign_school", "campaign_id", "school_id", "part_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    part_key: Mapped[str] = mapped_column(String(32))
    points: Mapped[float] = mapped_column(Float)
    """The part's score the assessor set (0 … the part's points)."""
    proposed: Mapped[float] = mapped_column(Float)
    """The proposed score at the time of the change (kept for the record)."""
    reason: Mapped[str] = mapped_column(Text)
    by_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    school: Mapped[School] = relationship()
    by_person: Mapped[Person] = relationship()


class VetoDecision(Base):
    """An assessor's decision on a veto candidate (一票否决): ``confirmed`` or ``dismissed``."""

    __tablename__ = "veto_decisions"
    __table_args__ = (Index("ix_veto_decisions_campaign_school", "campaign_id", "school_id", "veto_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    veto_id: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    by_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    by_person: Mapped[Person] = relationship()
