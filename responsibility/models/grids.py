"""Grids (网格), buildings with their fire plans (一楼一案) and risk areas.

A grid's owner (网格长) changes over time like a post does, so ownership is its own table with
half-open validity periods; the grid tree itself is indexed on ``parent_id`` for the recursive
chain query.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import School
from .people import Person
from .periods import ValidityPeriod

grid_members = Table(
    "grid_members",
    Base.metadata,
    Column("grid_id", Integer, ForeignKey("grids.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Grid(Base):
    __tablename__ = "grids"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    scope_type: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)

    school: Mapped[School] = relationship(back_populates="grids")
    parent: Mapped[Grid | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Grid]] = relationship(back_populates="parent", order_by="Grid.source_id")
    members: Mapped[list[Person]] = relationship(secondary=grid_members, order_by=grid_members.c.position)
    ownerships: Mapped[list[GridOwnership]] = relationship(
        back_populates="grid", order_by="GridOwnership.valid_from", cascade="all, delete-orphan"
    )

    def owner_on(self, day: dt.date) -> Person | None:
        for ownership in self.ownerships:
            if ownership.held_on(day):
                return ownership.person
        return None

    @property
    def current_owner(self) -> Person | None:
        open_rows = [o for o in self.ownerships if o.valid_to is None]
        return open_rows[-1].person if open_rows else None


class GridOwnership(ValidityPeriod, Base):
    """Who owned a grid (网格长) during ``[valid_from, valid_to)``."""

    __tablename__ = "grid_ownerships"
    __table_args__ = (Index("ix_grid_ownerships_grid_period", "grid_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    grid: Mapped[Grid] = relationship(back_populates="ownerships")
    person: Mapped[Person] = relationship()


class Building(Base):
    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    building_type: Mapped[str | None] = mapped_column(String(32))
    floors: Mapped[int | None] = mapped_column(Integer)
    dense_occupancy: Mapped[bool | None] = mapped_column(Boolean)
    stairs: Mapped[int | None] = mapped_column(Integer)
    child_rooms_top_floor: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="SET NULL"), index=True)

    school: Mapped[School] = relationship(back_populates="buildings")
    grid: Mapped[Grid | None] = relationship()
    fire_plan: Mapped[FirePlan | None] = relationship(
        back_populates="building", cascade="all, delete-orphan", uselist=False
    )


class FirePlan(Base):
    """一楼一案: the building's fire plan and its last monthly check."""

    __tablename__ = "fire_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), unique=True)
    plan_no: Mapped[str | None] = mapped_column(String(200))
    extinguishers: Mapped[int | None] = mapped_column(Integer)
    hydrants: Mapped[int | None] = mapped_column(Integer)
    emergency_lighting_ok: Mapped[bool | None] = mapped_column(Boolean)
    evac_signs_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_monthly_check: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Compare-and-set counter of the fire file: 0 as imported, bumped by every edit."""
    plan_sha256: Mapped[str | None] = mapped_column(String(64))
    """The current evacuation plan PDF (``season.firefiles``), by its SHA-256."""

    building: Mapped[Building] = relationship(back_populates="fire_plan")


class RiskArea(Base):
    __tablename__ = "risk_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class ClauseTemplate(Base):
    """The county's clause catalogue as imported (``responsibility_item_templates``)."""

    __tablename__ = "clause_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    risk_area_code: Mapped[str | None] = mapped_column(String(16))
    applies_when: Mapped[str] = mapped_column(String(32))
    clause: Mapped[str] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
