"""V1: home visits to key students (重点学生家访) not all done.

Home visits are recorded as counts per school and period (no student names, no dates), so every
recorded period with fewer visits than planned is a finding; the subject is the school.
"""

from __future__ import annotations

from sqlalchemy import select

from ...models import HomeVisit, School
from .base import CheckContext, Finding, finding

__all__ = ["check_v1"]


def check_v1(ctx: CheckContext) -> list[Finding]:
    """Schools whose key-student home visits fall short of the plan."""
    rows = ctx.session.execute(
        select(School.source_id, HomeVisit.period_name, HomeVisit.planned, HomeVisit.visited)
        .join(School, School.id == HomeVisit.school_id)
        .where(HomeVisit.visited < HomeVisit.planned)
        .order_by(School.source_id, HomeVisit.period_name)
    ).all()
    return [
        finding(
            "V1", school, school, f"{period}重点学生家访应访{planned}人，已访{visited}人，{planned - visited}人未访"
        )
        for school, period, planned, visited in rows
    ]
