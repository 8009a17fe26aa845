"""V1: home visits to key students (重点学生家访) not all done.

Home visits are counts per school and period (no student names, no dates): imported ones
(``home_visits``, one row per school and period) and live ones a school records per class and
category (``home_visit_counts``, summed per school and period). Every period with fewer visits
than planned is a finding; the subject is the school. When a school records a period live, the
live counts stand for that period and an imported row of the same period is not judged again.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ...models import HomeVisit, HomeVisitCount, School
from .base import CheckContext, Finding, finding

__all__ = ["check_v1"]


def check_v1(ctx: CheckContext) -> list[Finding]:
    """Schools whose key-student home visits fall short of the plan."""
    live = ctx.session.execute(
        select(
            School.source_id,
            HomeVisitCount.period_name,
            func.sum(HomeVisitCount.planned),
            func.sum(HomeVisitCount.visited),
        )
        .join(School, School.id == HomeVisitCount.school_id)
        .group_by(School.source_id, HomeVisitCount.period_name)
    ).all()
    totals = {(school, period): (int(planned), int(visited)) for school, period, planned, visited in live}
    imported = ctx.session.execute(
        select(School.source_id, HomeVisit.period_name, HomeVisit.planned, HomeVisit.visited).join(
            School, School.id == HomeVisit.school_id
        )
    ).all()
    for school, period, planned, visited in imported:
        totals.setdefault((school, period), (planned, visited))
    return [
        finding(
            "V1", school, school, f"{period}重点学生家访应访{planned}人，已访{visited}人，{planned - visited}人未访"
        )
        for (school, period), (planned, visited) in sorted(totals.items())
        if visited < planned
    ]
