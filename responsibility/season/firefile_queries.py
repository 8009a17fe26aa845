"""Reading fire files: a school's buildings with their fire-file status, one building's file,
its version history and its monthly checks. Read-only; the web pages and ``flask firefile show
| history`` print these.

A building's status on a day: ``missing`` (no fire file: F1), ``overdue`` (the last monthly
check is more than 31 days old, or there is none: F2), ``due`` (checked within 31 days but not
yet in this calendar month), ``ok`` (checked this month).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..chain.gaps.fire_checks import MAX_CHECK_AGE_DAYS
from ..clock import iso_utc
from ..models import Building, FireCheck, FireFileVersion, School
from .firefiles import FIELDS, current_fields

__all__ = [
    "BuildingStatus",
    "building_json",
    "checks_of",
    "history_of",
    "school_buildings",
    "status_of",
    "version_json",
]


@dataclass(frozen=True)
class BuildingStatus:
    building: Building
    status: str
    """``missing`` | ``overdue`` | ``due`` | ``ok``."""
    last_check: dt.date | None
    version: int


def status_of(building: Building, day: dt.date) -> str:
    plan = building.fire_plan
    if plan is None:
        return "missing"
    last = plan.last_monthly_check
    if last is None or (day - last).days > MAX_CHECK_AGE_DAYS:
        return "overdue"
    return "ok" if (last.year, last.month) == (day.year, day.month) else "due"


def school_buildings(session: Session, school: School, day: dt.date) -> list[BuildingStatus]:
    buildings = session.scalars(
        select(Building)
        .where(Building.school_id == school.id)
        .options(selectinload(Building.fire_plan))
        .order_by(Building.source_id)
    ).all()
    return [
        BuildingStatus(
            building=b,
            status=status_of(b, day),
            last_check=b.fire_plan.last_monthly_check if b.fire_plan else None,
            version=b.fire_plan.version if b.fire_plan else 0,
        )
        for b in buildings
    ]


def history_of(session: Session, building: Building) -> list[FireFileVersion]:
    """Every saved version, newest first."""
    return list(
        session.scalars(
            select(FireFileVersion)
            .where(FireFileVersion.building_id == building.id)
            .options(selectinload(FireFileVersion.by_person))
            .order_by(FireFileVersion.version.desc())
        ).all()
    )


def checks_of(session: Session, building: Building, limit: int = 24) -> list[FireCheck]:
    """The building's monthly checks, newest first."""
    return list(
        session.scalars(
            select(FireCheck)
            .where(FireCheck.building_id == building.id)
            .options(selectinload(FireCheck.checker))
            .order_by(FireCheck.date.desc())
            .limit(limit)
        ).all()
    )


def version_json(row: FireFileVersion) -> dict[str, Any]:
    return {
        "version": row.version,
        **{name: getattr(row, name) for name in FIELDS},
        "plan_sha256": row.plan_sha256,
        "plan_name": row.plan_name,
        "changes": row.changes,
        "by": row.by_person.source_id,
        "recorded_at": iso_utc(row.recorded_at),
    }


def building_json(session: Session, building: Building, day: dt.date) -> dict[str, Any]:
    plan = building.fire_plan
    checks = checks_of(session, building, limit=3)
    return {
        "building": building.source_id,
        "name": building.name,
        "school": building.school.source_id,
        "type": building.building_type,
        "status": status_of(building, day),
        "version": plan.version if plan else 0,
        "plan_no": plan.plan_no if plan else None,
        **dataclasses.asdict(current_fields(building)),
        "plan_sha256": plan.plan_sha256 if plan else None,
        "last_monthly_check": plan.last_monthly_check.isoformat() if plan and plan.last_monthly_check else None,
        "recent_checks": [
            {"date": c.date.isoformat(), "by": c.checker.source_id, "finding": c.finding} for c in checks
        ],
    }
