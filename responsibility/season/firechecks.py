"""Recording a building's monthly fire check (月度防火检查, 一楼一案) with its checker.

The check is refused, with nothing written, for an unknown building or checker, a building
without a fire file (F1 shows those: a check needs a file to belong to), a checker who is not of
the school on that day, a date in the future, or a second check of the building on one day. The
fire file's ``last_monthly_check`` moves to the newest check date (never backwards), so F2 and
the export read the live checks like imported ones.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import now_utc
from ..hazards.roles import is_school_staff
from ..models import Building, FireCheck
from .errors import BadInput, UnknownRecord
from .seasons import find_person, flush_or_conflict

__all__ = ["MAX_FINDING", "record_fire_check"]

MAX_FINDING = 2000


def record_fire_check(
    session: Session,
    building_id: str,
    *,
    by: str,
    day: dt.date,
    today: dt.date,
    finding: str | None = None,
    actor: str,
) -> FireCheck:
    """Record one check of the building on ``day`` by the person ``by``."""
    building = session.scalar(select(Building).where(Building.source_id == building_id.strip()))
    if building is None:
        raise UnknownRecord(f"没有建筑 {building_id!r}。 (No building {building_id!r}.)")
    plan = building.fire_plan
    if plan is None:
        raise BadInput(
            f"建筑 {building.source_id} 还没有一楼一案，先建档再登记检查。"
            f" (Building {building.source_id} has no fire file yet.)"
        )
    if day > today:
        raise BadInput(f"检查日期 {day} 晚于今天 {today}。 (The check date {day} is in the future.)")
    checker = find_person(session, by, "--by")
    if not is_school_staff(session, checker, building.school, day):
        raise BadInput(
            f"{checker.name}（{checker.source_id}）{day} 不是 {building.school.source_id} 的教职工。"
            f" ({checker.source_id} is not staff of {building.school.source_id} on {day}.)"
        )
    text = " ".join((finding or "").split()) or None
    if text is not None and len(text) > MAX_FINDING:
        raise BadInput(f"检查发现最多 {MAX_FINDING} 字。 (The finding has more than {MAX_FINDING} characters.)")
    clash = session.scalar(select(FireCheck.id).where(FireCheck.building_id == building.id, FireCheck.date == day))
    if clash is not None:
        raise BadInput(f"建筑 {building.source_id} {day} 已登记过防火检查。 (Already checked on {day}.)")
    check = FireCheck(
        building_id=building.id, date=day, checker_person_id=checker.id, finding=text, recorded_at=now_utc()
    )
    session.add(check)
    if plan.last_monthly_check is None or plan.last_monthly_check < day:
        plan.last_monthly_check = day
    flush_or_conflict(session, "防火检查")
    append_event(
        session,
        actor=actor,
        action="firefile.check",
        subject=f"building:{building.source_id}",
        data={"date": day, "by": checker.source_id, "finding": text},
    )
    session.flush()
    return check
