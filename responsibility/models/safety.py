"""Safety records the audit checks read: hazards (一患一案一档) with their records, duty rosters
and home-visit counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .grids import Building, Grid
from .org import Organization, School
from .people import Person


class Hazard(Base):
    __tablename__ = "hazards"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    file_no: Mapped[str | None] = mapped_column(String(200))
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="SET NULL"))
    risk_area_code: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(200))
    found_date: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    temporary_measures: Mapped[str | None] = mapped_column(Text)
    funds_yuan: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    responsible_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(16))
    verified_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    closed_date: Mapped[dt.date | None] = mapped_column(Date)
    listed_for_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    # The live loop (``responsibility.hazards``); imported hazards leave these at their defaults.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Compare-and-set counter: every transition bumps it; a step on a stale version is refused."""
    reported_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    supervised_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    supervised_on: Mapped[dt.date | None] = mapped_column(Date)
    supervision_notice_sha256: Mapped[str | None] = mapped_column(String(64))
    countersigned_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    """The bureau supervisor who countersigned the acceptance of a listed hazard (销号)."""
    dossier_sha256: Mapped[str | None] = mapped_column(String(64))
    """The sealed dossier PDF made at close (in the agreement store)."""

    school: Mapped[School] = relationship()
    grid: Mapped[Grid | None] = relationship()
    responsible: Mapped[Person | None] = relationship(foreign_keys=[responsible_person_id])
    verified_by: Mapped[Person | None] = relationship(foreign_keys=[verified_by_person_id])
    records: Mapped[list[HazardRecord]] = relationship(
        back_populates="hazard", order_by="HazardRecord.position", cascade="all, delete-orphan"
    )


class HazardRecord(Base):
    __tablename__ = "hazard_records"
    __table_args__ = (UniqueConstraint("hazard_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    action: Mapped[str | None] = mapped_column(Text)
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str | None] = mapped_column(String(24))
    """The live loop's step (``reported``, ``planned``, ``progress``…); None on imported records."""
    state: Mapped[str | None] = mapped_column(String(24))
    """The hazard's state after this step; None on imported records."""
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    hazard: Mapped[Hazard] = relationship(back_populates="records")
    by_person: Mapped[Person | None] = relationship()
    photos: Mapped[list[HazardPhoto]] = relationship(
        back_populates="record", order_by="HazardPhoto.position", cascade="all, delete-orphan"
    )


class HazardPhoto(Base):
    """A photo of a hazard record, re-encoded (metadata stripped) and stored by its hash."""

    __tablename__ = "hazard_photos"
    __table_args__ = (UniqueConstraint("record_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("hazard_records.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    """Hash of the stored, re-encoded JPEG."""
    original_sha256: Mapped[str] = mapped_column(String(64))
    """Hash of the bytes as uploaded (kept as evidence; the original itself is not stored)."""
    original_type: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)

    record: Mapped[HazardRecord] = relationship(back_populates="photos")


class HazardFileCounter(Base):
    """The last file number used per school and year (allocation takes this row's write lock)."""

    __tablename__ = "hazard_file_counters"

    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class HazardEscalationStep(Base):
    """An overdue hazard raised to a level of its grid's chain on a day (one row per level)."""

    __tablename__ = "hazard_escalation_steps"
    __table_args__ = (UniqueConstraint("hazard_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


duty_roster_staff = Table(
    "duty_roster_staff",
    Base.metadata,
    Column("roster_id", Integer, ForeignKey("duty_rosters.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class DutyRoster(Base):
    """One day's duty (带班领导, 值班人员, 重点岗位) at an org; the import gives it no id."""

    __tablename__ = "duty_rosters"
    __table_args__ = (UniqueConstraint("org_id", "date", "shift"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(16))
    leader_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    key_posts: Mapped[dict[str, Any] | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Moves on at every write of the day (the browser's compare-and-set)."""

    org: Mapped[Organization] = relationship()
    leader: Mapped[Person | None] = relationship()
    staff: Mapped[list[Person]] = relationship(secondary=duty_roster_staff, order_by=duty_roster_staff.c.position)


class HomeVisit(Base):
    """Key-student home visits for one school and period, as counts (no student names)."""

    __tablename__ = "home_visits"
    __table_args__ = (UniqueConstraint("school_id", "period_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    period_name: Mapped[str] = mapped_column(String(100))
    planned: Mapped[int] = mapped_column(Integer)
    visited: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(default=list)
    content: Mapped[list[str]] = mapped_column(default=list)

    school: Mapped[School] = relationship()


class HomeVisitCount(Base):
    """Key-student home visits recorded live by a school: one class, one category, one period,
    as counts (no student names). V1 sums them per school and period."""

    __tablename__ = "home_visit_counts"
    __table_args__ = (UniqueConstraint("school_id", "period_name", "class_name", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    period_name: Mapped[str] = mapped_column(String(100))
    class_name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32))
    planned: Mapped[int] = mapped_column(Integer)
    visited: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Compare-and-set counter: every re-recording bumps it."""
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    school: Mapped[School] = relationship()


class FireCheck(Base):
    """One monthly fire check (月度防火检查) of a building, with its checker and findings; the
    building's fire plan keeps the latest date (``FirePlan.last_monthly_check``), which F2 reads."""

    __tablename__ = "fire_checks"
    __table_args__ = (UniqueConstraint("building_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    checker_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    finding: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    building: Mapped[Building] = relationship()
    checker: Mapped[Person] = relationship()


class PaperAgreement(Base):
    """A past season's agreement signed on paper, imported with its roster of who signed."""

    __tablename__ = "paper_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    template_version: Mapped[str | None] = mapped_column(String(64))
    period_name: Mapped[str | None] = mapped_column(String(100))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    party_a: Mapped[str | None] = mapped_column(String(200))
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    items: Mapped[list[str]] = mapped_column(default=list)
    copies: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    seal_party_a: Mapped[bool] = mapped_column(Boolean, default=False)
    seal_party_b: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_total: Mapped[int | None] = mapped_column(Integer)
    staff_signed: Mapped[int | None] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(Text)

    school: Mapped[School] = relationship()
    signatures: Mapped[list[PaperSignature]] = relationship(
        back_populates="agreement", order_by="PaperSignature.position", cascade="all, delete-orphan"
    )


class PaperSignature(Base):
    """One line of a paper agreement's signature roster (party ``a`` = bureau, ``b`` = school)."""

    __tablename__ = "paper_signatures"
    __table_args__ = (UniqueConstraint("agreement_id", "party", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("paper_agreements.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(1))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(100))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[PaperAgreement] = relationship(back_populates="signatures")
    person: Mapped[Person | None] = relationship()


class EducationSession(Base):
    """One safety education session (安全教育: 反诈、消防、假期安全 …) a school held, for one
    class or the whole school (``class_name`` empty), with its attendance and the enrolment at
    the time (counts, no names). The targets read them (反诈教育覆盖率, 消防教育)."""

    __tablename__ = "education_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    class_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    """Empty for a whole-school session."""
    attendance: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Compare-and-set counter: every edit bumps it."""

    school: Mapped[School] = relationship()
