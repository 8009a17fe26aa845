"""Duty check-ins (到岗): a rostered person's arrival on the day of duty, recorded from the phone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .people import Person
from .safety import DutyRoster


class DutyCheckin(Base):
    """One person's 到岗 on one roster row (organisation, day, shift); once per person and row."""

    __tablename__ = "duty_checkins"
    __table_args__ = (UniqueConstraint("roster_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("duty_rosters.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    shift: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    roster: Mapped[DutyRoster] = relationship()
    person: Mapped[Person] = relationship()
