"""Grid patrols (网格巡查): a grid's owner or member walked the grid and logged it by the poster's
QR code, with the result ``normal`` (巡查正常) or ``hazard`` (a hazard was reported on the walk).

``at`` is the moment (aware UTC); ``day`` is its calendar day in the county's zone, kept beside it
so that "one patrol per person, grid and day" is a unique key the database enforces.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .grids import Grid
from .people import Person
from .safety import Hazard

PATROL_NORMAL = "normal"
PATROL_HAZARD = "hazard"


class GridPatrol(Base):
    """One patrol of a grid by one person on one local day."""

    __tablename__ = "grid_patrols"
    __table_args__ = (
        UniqueConstraint("grid_id", "person_id", "day"),
        Index("ix_grid_patrols_grid_day", "grid_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    """When the patrol was made (aware UTC)."""
    day: Mapped[dt.date] = mapped_column(Date)
    """``at``'s calendar day in the county's zone."""
    result: Mapped[str] = mapped_column(String(16))
    """``normal`` or ``hazard``."""
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    grid: Mapped[Grid] = relationship()
    person: Mapped[Person] = relationship()
    hazard: Mapped[Hazard | None] = relationship()
