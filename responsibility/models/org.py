"""The organisation: county, towns, the bureau, its sections and the schools.

Bureau, sections and schools are one ``organizations`` table (single-table inheritance) because
persons, post assignments and duty rosters point at "an org" of any of the three kinds, exactly
as the import format's ``org_id`` does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

if TYPE_CHECKING:
    from .grids import Building, Grid
    from .people import Person


class County(Base):
    """The county this instance serves, with the import's meta data (one row)."""

    __tablename__ = "counties"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    bureau_source_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    period_name: Mapped[str | None] = mapped_column(String(100))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    assessment_scheme: Mapped[dict[str, Any] | None] = mapped_column()


class Town(Base):
    __tablename__ = "towns"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    villages: Mapped[list[str]] = mapped_column(default=list)
    villages_fictional: Mapped[bool] = mapped_column(Boolean, default=False)

    schools: Mapped[list[School]] = relationship(back_populates="town", order_by="School.source_id")


section_staff = Table(
    "section_staff",
    Base.metadata,
    Column("section_id", Integer, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Organization(Base):
    """Anything a person can belong to or hold a post at: the bureau, a section, a school."""

    __tablename__ = "organizations"
    __mapper_args__ = {"polymorphic_on": "kind"}

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.source_id} {self.name}>"


class Bureau(Organization):
    """The county bureau (甲方 of every school agreement)."""

    __mapper_args__ = {"polymorphic_identity": "bureau"}

    party_org: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Section(Organization):
    """A bureau section (股室); its staff answer for the schools it liaises with."""

    __mapper_args__ = {"polymorphic_identity": "section"}

    business: Mapped[str | None] = mapped_column(Text, nullable=True)
    safety_duty: Mapped[str | None] = mapped_column(Text, nullable=True)
    chief_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )

    chief: Mapped[Person | None] = relationship(foreign_keys=[chief_person_id])
    staff: Mapped[list[Person]] = relationship(
        secondary=section_staff, order_by=section_staff.c.position, viewonly=False
    )


class School(Organization):
    """A school (乙方): the signing unit, with the facts that choose its clauses."""

    __mapper_args__ = {"polymorphic_identity": "school"}

    school_type: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    subtype: Mapped[str | None] = mapped_column(String(100), nullable=True)
    ownership: Mapped[str | None] = mapped_column(String(16), nullable=True)
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"), nullable=True, index=True)
    direct_to_bureau: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    stage: Mapped[str | None] = mapped_column(String(100), nullable=True)
    students: Mapped[int | None] = mapped_column(Integer, nullable=True)
    classes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    boarders: Mapped[int | None] = mapped_column(Integer, nullable=True)
    school_buses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    features: Mapped[list[str] | None] = mapped_column(nullable=True)
    party_org_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    town: Mapped[Town | None] = relationship(back_populates="schools")
    campuses: Mapped[list[Campus]] = relationship(
        back_populates="school", order_by="Campus.position", cascade="all, delete-orphan"
    )
    buildings: Mapped[list[Building]] = relationship(
        back_populates="school", order_by="Building.source_id", cascade="all, delete-orphan"
    )
    grids: Mapped[list[Grid]] = relationship(back_populates="school", order_by="Grid.source_id")

    def has_feature(self, feature: str) -> bool:
        return feature in (self.features or [])


class Campus(Base):
    """A site under a school (校区, 成员校, 村小, 教学点); the import gives it no id."""

    __tablename__ = "campuses"
    __table_args__ = (UniqueConstraint("school_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    students: Mapped[int | None] = mapped_column(Integer)
    classes: Mapped[int | None] = mapped_column(Integer)

    school: Mapped[School] = relationship(back_populates="campuses")
