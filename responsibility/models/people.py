"""Persons, the post catalogue, post assignments with validity periods, bureau leader roles and
liaison assignments.

Validity periods are half-open ``[valid_from, valid_to)``; the rule is ``held_on(day)`` from
:mod:`.periods`. History is never deleted: a change of holder closes the old row and opens a new one with the same ``source_id``.

A person's service is dated the same way: ``[joined_on, left_on)``, with an open start when the
roster gives no joining date, and the reason they left (``left_reason``, a code of
``glossary.LEFT_REASON_LABELS``). ``Person.in_service_on(day)`` is the one rule (Python on a row,
SQL on the class); :func:`in_service` is the same rule over any table or alias of ``persons``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ColumnElement, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import Organization, School, Section
from .periods import ValidityPeriod, held_on, period_holds

LEFT_UNDATED = dt.date(1, 1, 1)
"""``left_on`` of a person the roster marks as left without saying when (``active: false`` and no
``left_on``): before every day, so they are out of service on any day asked, as the bare flag
meant. The exporter writes it back as ``active: false`` without a date."""


def in_service(persons: Any, day: Any) -> ColumnElement[bool]:
    """SQL: the person row of ``persons`` (a table, an alias, or the mapped class) is in service on
    ``day``: joined on or before it (or with no joining date) and not yet left."""
    cols = getattr(persons, "c", persons)
    return held_on(cols.joined_on, cols.left_on, day, open_start=True)


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(8))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    # A sub-unit the import names that is not an org of its own (e.g. ORG-BUREAU-PARTY-INSTRUCTOR,
    # the bureau's party instructors): org_id is then the org whose id prefixes it.
    unit_source_id: Mapped[str | None] = mapped_column(String(64))
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    """First day in service; None: in service since before the records begin."""
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    """First day no longer in service (half-open, like ``valid_to``); None: has not left;
    :data:`LEFT_UNDATED`: left on a date the roster does not give."""
    left_reason: Mapped[str | None] = mapped_column(String(32))
    """Why they left (调离, 退休, 交流轮岗…): a code of ``glossary.LEFT_REASON_LABELS``."""
    note: Mapped[str | None] = mapped_column(Text)

    org: Mapped[Organization | None] = relationship(foreign_keys=[org_id])

    def _in_service_row(self, day: dt.date) -> bool:
        return period_holds(self.joined_on, self.left_on, day)

    def _in_service_sql(cls: Any, day: Any) -> ColumnElement[bool]:  # hybrid_method binds it to the class
        return in_service(cls, day)

    in_service_on = hybrid_method(_in_service_row, _in_service_sql)
    """``person.in_service_on(day)``: in service on ``day``; ``Person.in_service_on(day)``: the SQL
    condition for it (works on aliases too)."""

    def __repr__(self) -> str:
        return f"<Person {self.source_id} {self.name}>"


class PostType(Base):
    """An entry of the post catalogue (岗位): business duty plus safety duties (一岗双责)."""

    __tablename__ = "post_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    business_duty: Mapped[str | None] = mapped_column(Text)
    safety_duties: Mapped[list[str]] = mapped_column(default=list)
    party_role: Mapped[bool] = mapped_column(Boolean, default=False)
    admin_head: Mapped[bool] = mapped_column(Boolean, default=False)


class PostAssignment(ValidityPeriod, Base):
    """A person holding a post at an org for a period (任职); the carrier of 一岗双责.

    Its duties are *declared* or *inherited*: ``None`` (SQL NULL) means the import file gave
    none (the key absent), so the catalogue post's duties apply; a value, even ``""`` or ``[]``,
    is what the file declared, and an empty one is a 一岗双责 gap (P1), never filled in from
    the catalogue. :attr:`business_duty_in_force` / :attr:`safety_duties_in_force` apply the rule.
    """

    __tablename__ = "post_assignments"
    __table_args__ = (
        UniqueConstraint("source_id", "valid_from"),
        Index("ix_post_assignments_org_post_period", "org_id", "post_code", "valid_from"),
        Index("ix_post_assignments_person_period", "person_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    post_code: Mapped[str] = mapped_column(String(32))
    post_type_id: Mapped[int | None] = mapped_column(ForeignKey("post_types.id"))
    local_post_name: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    period_name: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    business_duty: Mapped[str | None] = mapped_column(Text)
    """None: inherited from the catalogue post; ``""``: declared empty."""
    safety_duties: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    """None (SQL NULL): inherited from the catalogue post; ``[]``: declared empty."""
    note: Mapped[str | None] = mapped_column(Text)

    org: Mapped[Organization] = relationship()
    person: Mapped[Person] = relationship()
    post_type: Mapped[PostType | None] = relationship()

    @property
    def business_duty_in_force(self) -> str:
        """The declared business duty, else the catalogue post's; ``""`` when there is none."""
        if self.business_duty is not None:
            return self.business_duty
        return (self.post_type.business_duty if self.post_type else None) or ""

    @property
    def safety_duties_in_force(self) -> tuple[str, ...]:
        """The declared safety duties, else the catalogue post's; empty when there are none."""
        if self.safety_duties is not None:
            return tuple(self.safety_duties)
        return tuple((self.post_type.safety_duties if self.post_type else None) or ())

    @property
    def post_name(self) -> str:
        if self.local_post_name:
            return self.local_post_name
        return self.post_type.name if self.post_type else self.post_code


class BureauLeader(Base):
    """A bureau leader's accountability role (主要领导负总责, 分管领导具体抓, 包片…)."""

    __tablename__ = "bureau_leaders"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    post_code: Mapped[str] = mapped_column(String(32))
    post_title: Mapped[str] = mapped_column(String(200))
    accountability_role: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()


class LiaisonAssignment(ValidityPeriod, Base):
    """股室联校包抓: a section and a named staff member answer for a school, under a bureau
    leader, for a period."""

    __tablename__ = "liaison_assignments"
    __table_args__ = (
        UniqueConstraint("school_id", "valid_from"),
        Index("ix_liaison_assignments_school_period", "school_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    liaison_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    bureau_leader_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    period_name: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    school: Mapped[School] = relationship(foreign_keys=[school_id])
    section: Mapped[Section] = relationship(foreign_keys=[section_id])
    liaison_person: Mapped[Person | None] = relationship(foreign_keys=[liaison_person_id])
    bureau_leader: Mapped[Person | None] = relationship(foreign_keys=[bureau_leader_person_id])
