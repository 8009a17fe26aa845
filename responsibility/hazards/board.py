"""The bureau's board: open / overdue / closed hazards by risk area and by town, and the loop's
rates against the agreement's targets (整改率100%, 逾期为0, 重大隐患挂牌督办率100%).

Definitions (on the day ``at``, over hazards found on or before it, voided ones left out):
rectification rate = closed / all; overdue = open and past the deadline; supervision rate =
重大 hazards listed for supervision / all 重大 hazards; median days to close over the closed ones
with a found and a closed date. Rates are None when there is nothing to divide by.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Hazard, RiskArea, School, Town
from .states import CLOSED, OPEN_STATES, VOID, state_of

__all__ = ["Board", "Counts", "board"]


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    closed: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed


@dataclass
class Board:
    at: dt.date
    total: Counts = field(default_factory=Counts)
    by_area: dict[str, Counts] = field(default_factory=dict)
    by_town: dict[str, Counts] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    major: int = 0
    major_listed: int = 0
    days_to_close: list[int] = field(default_factory=list)

    @property
    def rectification_rate(self) -> float | None:
        return self.total.closed / self.total.total if self.total.total else None

    @property
    def supervision_rate(self) -> float | None:
        return self.major_listed / self.major if self.major else None

    @property
    def median_days_to_close(self) -> float | None:
        return statistics.median(self.days_to_close) if self.days_to_close else None

    def as_dict(self) -> dict[str, Any]:
        def counts(c: Counts) -> dict[str, int]:
            return {"open": c.open, "overdue": c.overdue, "closed": c.closed}

        return {
            "at": self.at.isoformat(),
            "total": counts(self.total),
            "by_area": {k: counts(v) for k, v in sorted(self.by_area.items())},
            "by_town": {k: counts(v) for k, v in sorted(self.by_town.items())},
            "rectification_rate": self.rectification_rate,
            "overdue": self.total.overdue,
            "supervision_rate": self.supervision_rate,
            "median_days_to_close": self.median_days_to_close,
        }


def _add(c: Counts, state: str, overdue: bool) -> None:
    if state == CLOSED:
        c.closed += 1
    else:
        c.open += 1
        c.overdue += int(overdue)


def board(session: Session, *, at: dt.date, school_ids: set[int] | None = None) -> Board:
    """The board on ``at``, over all schools or those in ``school_ids`` (one query)."""
    stmt = (
        select(Hazard, Town.name)
        .join(School, School.id == Hazard.school_id)
        .outerjoin(Town, Town.id == School.town_id)
        .where(or_(Hazard.found_date.is_(None), Hazard.found_date <= at))
    )
    if school_ids is not None:
        stmt = stmt.where(Hazard.school_id.in_(sorted(school_ids)))
    out = Board(at=at, area_names=dict(session.execute(select(RiskArea.code, RiskArea.name)).all()))
    for hazard, town in session.execute(stmt):
        state = state_of(hazard.status)
        if state is None or state == VOID:
            continue
        if state == CLOSED and hazard.closed_date is not None and hazard.closed_date > at:
            state = "rectifying"  # closed later: still open on the day
        overdue = state in OPEN_STATES and hazard.deadline is not None and hazard.deadline < at
        for bucket in (
            out.total,
            out.by_area.setdefault(hazard.risk_area_code or "—", Counts()),
            out.by_town.setdefault(town or "—", Counts()),
        ):
            _add(bucket, state, overdue)
        if hazard.level == "重大":
            out.major += 1
            out.major_listed += int(bool(hazard.listed_for_supervision))
        if state == CLOSED and hazard.found_date and hazard.closed_date:
            out.days_to_close.append((hazard.closed_date - hazard.found_date).days)
    return out
