"""Incidents (事故/事件报告): what happened at a school, where, how bad, and when it was reported.

A school reports an incident itself (status ``reported``, or ``late`` — 迟报 — with how many
seconds past the reporting limit); the bureau records one the school did not report (``unreported``
漏报, or ``concealed`` 瞒报), which then has no report time. Times are aware UTC.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .grids import Building, Grid
from .org import School
from .people import Person

__all__ = ["INCIDENT_STATUSES", "Incident"]

INCIDENT_STATUSES = ("reported", "late", "unreported", "concealed")


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_school_occurred", "school_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    """``SG-2025-0001``: the year it happened (local), sequence in the year."""
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """A kind code of the incident catalogue (``E01`` 亡人责任事故 …)."""
    catalogue_version: Mapped[str] = mapped_column(String(32))
    veto_kind: Mapped[bool] = mapped_column(default=False)
    """The kind was on the veto list of the catalogue the incident was recorded under."""
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When the school reported it; None for an incident the bureau recorded (漏报/瞒报)."""
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    severity: Mapped[str] = mapped_column(String(32))
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    injuries: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    reporter_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(16))
    """One of :data:`INCIDENT_STATUSES`."""
    limit_seconds: Mapped[int] = mapped_column(Integer)
    """The reporting limit of the kind when it was recorded."""
    lateness_seconds: Mapped[int] = mapped_column(Integer, default=0)
    """How far past the limit the report came (0 when in time; unreported ones: 0)."""
    recorded_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    """Bureau staff who recorded an unreported or concealed incident."""
    recorded_by: Mapped[str] = mapped_column(String(100))
    """The actor of the audit event (``person:P00027``, ``cli``)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    school: Mapped[School] = relationship()
    grid: Mapped[Grid | None] = relationship()
    building: Mapped[Building | None] = relationship()
    reporter: Mapped[Person | None] = relationship(foreign_keys=[reporter_person_id])
    recorder: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_person_id])
