"""Stored reports (issue 16): what a province's gap report and season board pages read instead of
computing everything on each view.

A gap snapshot holds the findings of one full run of the checks: the report for one day and one
season choice (``season_key``: the live campaign covering the day, the imported records only, or
one campaign), computed at ``computed_at``. A newer snapshot of the same day and choice replaces
the older one. Its findings carry the school's name and town so that the page filters and pages
them in the database.

A board snapshot holds the season board's figures of one campaign and day: a row of numbers per
school (``BoardSnapshotSchool``), so that the page adds up, in one aggregate query, those of the
schools its reader may see, and reads the numbers of the schools it lists only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class GapSnapshot(Base):
    __tablename__ = "gap_snapshots"
    __table_args__ = (UniqueConstraint("at", "season_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.date] = mapped_column(Date)
    """The day the data was judged on."""
    season_key: Mapped[str] = mapped_column(String(32))
    """``live`` (the campaign covering the day), ``imported`` (paper records) or ``campaign:<id>``."""
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float] = mapped_column(Float)
    """How long the checks ran."""
    checks: Mapped[list[str]] = mapped_column(JSON)
    season: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The judged season (``JudgedSeason`` fields, dates in ISO form)."""
    notes: Mapped[list[str]] = mapped_column(JSON)
    finding_count: Mapped[int] = mapped_column(Integer)
    computed_by: Mapped[str] = mapped_column(String(100))


class GapSnapshotFinding(Base):
    __tablename__ = "gap_snapshot_findings"
    __table_args__ = (Index("ix_gap_snapshot_findings_snapshot_seq", "snapshot_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("gap_snapshots.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    """The finding's place in the report (check order, then school and subject)."""
    check: Mapped[str] = mapped_column(String(8))
    school_id: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    fix_url_hint: Mapped[str | None] = mapped_column(Text)
    org_name: Mapped[str | None] = mapped_column(Text)
    org_kind: Mapped[str | None] = mapped_column(String(32))
    town_id: Mapped[str | None] = mapped_column(Text)
    town_name: Mapped[str | None] = mapped_column(Text)


class BoardSnapshot(Base):
    __tablename__ = "board_snapshots"
    __table_args__ = (UniqueConstraint("campaign_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    at: Mapped[dt.date] = mapped_column(Date)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float] = mapped_column(Float)
    computed_by: Mapped[str] = mapped_column(String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What is not a sum over schools: ``round`` (None before the first round, else its
    ``round_id``, ``name`` and ``fail_rates``: the round's own, of all its schools)."""


BOARD_SHARES = ("round", "patrols", "attendance", "fire", "visits", "fraud")
"""The board's figures that are shares: a ``<name>_done`` and a ``<name>_total`` column each."""
BOARD_INCIDENTS = ("incidents", "incidents_late", "incidents_unreported")


class BoardSnapshotSchool(Base):
    """One school's numbers of every figure of a board snapshot (zero: nothing to count)."""

    __tablename__ = "board_snapshot_schools"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("board_snapshots.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    round_done: Mapped[int] = mapped_column(Integer, default=0)
    round_total: Mapped[int] = mapped_column(Integer, default=0)
    patrols_done: Mapped[int] = mapped_column(Integer, default=0)
    patrols_total: Mapped[int] = mapped_column(Integer, default=0)
    attendance_done: Mapped[int] = mapped_column(Integer, default=0)
    attendance_total: Mapped[int] = mapped_column(Integer, default=0)
    fire_done: Mapped[int] = mapped_column(Integer, default=0)
    fire_total: Mapped[int] = mapped_column(Integer, default=0)
    visits_done: Mapped[int] = mapped_column(Integer, default=0)
    visits_total: Mapped[int] = mapped_column(Integer, default=0)
    fraud_done: Mapped[int] = mapped_column(Integer, default=0)
    fraud_total: Mapped[int] = mapped_column(Integer, default=0)
    incidents: Mapped[int] = mapped_column(Integer, default=0)
    incidents_late: Mapped[int] = mapped_column(Integer, default=0)
    incidents_unreported: Mapped[int] = mapped_column(Integer, default=0)
