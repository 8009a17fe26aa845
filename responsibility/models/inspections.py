"""Inspection rounds (大排查): the round the bureau opens, each school's checklist in it, and the
answers, one per item and target (the school, a building or a grid).

A checklist freezes the item ids chosen for the school when the round was opened (the catalogue
may gain a version later; the round keeps the version and hash it was built from). ``version``
on a checklist is the compare-and-set counter every answer and the submission bump.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .grids import Building, Grid
from .org import School, Town
from .people import Person
from .safety import Hazard


class InspectionRound(Base):
    __tablename__ = "inspection_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    areas: Mapped[list[str]] = mapped_column()
    """The risk-area codes the round covers."""
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    """None: every school of the county."""
    catalogue_version: Mapped[str] = mapped_column(String(64))
    catalogue_sha256: Mapped[str] = mapped_column(String(64))
    opened_by: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    town: Mapped[Town | None] = relationship()
    checklists: Mapped[list[InspectionChecklist]] = relationship(
        back_populates="round", order_by="InspectionChecklist.id", cascade="all, delete-orphan"
    )


class InspectionChecklist(Base):
    """One school's checklist in a round."""

    __tablename__ = "inspection_checklists"
    __table_args__ = (UniqueConstraint("round_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    item_ids: Mapped[list[str]] = mapped_column()
    """The catalogue items that apply to the school (its features, the round's areas)."""
    status: Mapped[str] = mapped_column(String(16), default="open")
    """``open`` or ``submitted``."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    inspector_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    """Someone the safety deputy assigned to inspect (besides the deputy themself)."""
    submitted_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)

    round: Mapped[InspectionRound] = relationship(back_populates="checklists")
    school: Mapped[School] = relationship()
    inspector: Mapped[Person | None] = relationship(foreign_keys=[inspector_person_id])
    answers: Mapped[list[InspectionAnswer]] = relationship(
        back_populates="checklist", order_by="InspectionAnswer.id", cascade="all, delete-orphan"
    )


class InspectionAnswer(Base):
    """pass / fail (with a note, photos and the hazard it opened) / na (with its reason)."""

    __tablename__ = "inspection_answers"
    __table_args__ = (UniqueConstraint("checklist_id", "item_id", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("inspection_checklists.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(80), default="")
    """``""`` the whole school, ``building:BLD0001`` or ``grid:G00002``."""
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    result: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    """The note of a fail or a pass, or the reason of an na."""
    photos: Mapped[list[str]] = mapped_column(default=list)
    """SHA-256 of each stored (re-encoded) photo."""
    by_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    answered_on: Mapped[dt.date] = mapped_column(Date)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"), index=True)
    """The hazard a fail opened."""

    checklist: Mapped[InspectionChecklist] = relationship(back_populates="answers")
    building: Mapped[Building | None] = relationship()
    grid: Mapped[Grid | None] = relationship()
    by_person: Mapped[Person] = relationship()
    hazard: Mapped[Hazard | None] = relationship()
