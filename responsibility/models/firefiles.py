"""Every saved version of a building's fire file (一楼一案): who changed what, when, and the
evacuation plan PDF's hash. The building and its ``FirePlan`` row hold the current values (the
audit checks F1/F2/K1 read those); these rows keep every earlier state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .grids import Building
from .people import Person


class FireFileVersion(Base):
    """One saved state of a building's fire file; ``version`` counts from 1 per building
    (version 0 is the imported state, which has no row)."""

    __tablename__ = "fire_file_versions"
    __table_args__ = (UniqueConstraint("building_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    floors: Mapped[int] = mapped_column(Integer)
    stairs: Mapped[int | None] = mapped_column(Integer)
    dense_occupancy: Mapped[bool | None] = mapped_column(Boolean)
    child_rooms_top_floor: Mapped[int | None] = mapped_column(Integer)
    extinguishers: Mapped[int | None] = mapped_column(Integer)
    hydrants: Mapped[int | None] = mapped_column(Integer)
    emergency_lighting_ok: Mapped[bool | None] = mapped_column(Boolean)
    evac_signs_ok: Mapped[bool | None] = mapped_column(Boolean)
    plan_sha256: Mapped[str | None] = mapped_column(String(64))
    """The evacuation plan PDF in force at this version (stored by this hash)."""
    plan_name: Mapped[str | None] = mapped_column(String(200))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """``{field: [before, after]}`` against the previous version (or the imported state)."""
    by_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    building: Mapped[Building] = relationship()
    by_person: Mapped[Person] = relationship()
