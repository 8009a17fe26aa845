"""F1 (一楼一案: every building has a fire plan), F2 (the monthly fire check is at most 31 days
old on ``at``) and K1 (no children's rooms of a kindergarten above the third floor).

F2 judges the last recorded check: older than 31 days, or none recorded. The fire file's
``last_monthly_check`` is the imported date or, once a school records checks live (``flask
firefile check``, ``season.record_fire_check``), the newest of them. A last check dated
after ``at`` says nothing about ``at`` (only the latest check is kept), so it is not judged.
K1: a building whose ``child_rooms_top_floor`` is above 3, or a 幼儿生活用房 building without
that figure whose floors are above 3.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select

from ...models import Building, FirePlan, School
from .base import CheckContext, Finding, finding

__all__ = ["CHILD_ROOMS_TYPE", "MAX_CHECK_AGE_DAYS", "MAX_CHILD_FLOOR", "check_f1", "check_f2", "check_k1"]

MAX_CHECK_AGE_DAYS = 31
MAX_CHILD_FLOOR = 3
CHILD_ROOMS_TYPE = "幼儿生活用房"


def check_f1(ctx: CheckContext) -> list[Finding]:
    """Buildings without a fire plan."""
    rows = ctx.session.execute(
        select(Building.source_id, Building.name, School.source_id)
        .join(School, School.id == Building.school_id)
        .outerjoin(FirePlan, FirePlan.building_id == Building.id)
        .where(FirePlan.id.is_(None))
        .order_by(School.source_id, Building.source_id)
    ).all()
    return [finding("F1", school, b, f"建筑“{name}”（{b}）没有一楼一案") for b, name, school in rows]


def check_f2(ctx: CheckContext) -> list[Finding]:
    """Fire plans whose last monthly check is more than 31 days before ``at`` (or missing)."""
    cutoff = ctx.at - dt.timedelta(days=MAX_CHECK_AGE_DAYS)
    rows = ctx.session.execute(
        select(Building.source_id, Building.name, School.source_id, FirePlan.last_monthly_check)
        .join(FirePlan, FirePlan.building_id == Building.id)
        .join(School, School.id == Building.school_id)
        .where(or_(FirePlan.last_monthly_check.is_(None), FirePlan.last_monthly_check < cutoff))
        .order_by(School.source_id, Building.source_id)
    ).all()
    out = []
    for b, name, school, last in rows:
        if last is None:
            out.append(finding("F2", school, b, f"建筑“{name}”（{b}）没有月度防火检查记录"))
        else:
            days = (ctx.at - last).days
            out.append(finding("F2", school, b, f"建筑“{name}”（{b}）上次月度防火检查在{last}，已{days}天"))
    return out


def check_k1(ctx: CheckContext) -> list[Finding]:
    """Children's rooms above the third floor."""
    rows = ctx.session.execute(
        select(Building.source_id, Building.name, School.source_id, Building.child_rooms_top_floor, Building.floors)
        .join(School, School.id == Building.school_id)
        .where(
            or_(
                Building.child_rooms_top_floor > MAX_CHILD_FLOOR,
                and_(
                    Building.child_rooms_top_floor.is_(None),
                    Building.building_type == CHILD_ROOMS_TYPE,
                    Building.floors > MAX_CHILD_FLOOR,
                ),
            )
        )
        .order_by(School.source_id, Building.source_id)
    ).all()
    out = []
    for b, name, school, top, floors in rows:
        floor = top if top is not None else floors
        out.append(finding("K1", school, b, f"建筑“{name}”（{b}）幼儿生活用房设在第{floor}层（不得高于3层）"))
    return out
