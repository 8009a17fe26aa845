"""D1: a day without a leader on duty (带班领导).

The rule, precisely: an organisation that keeps a duty roster (any row in ``duty_rosters``) must
have, for every day from its first roster day to its last roster day — but not beyond ``at`` —
roster rows for that day, and every row of that day (each shift) must name a leader. A day with
no row at all, or with a shift without a leader, is one finding for that organisation, whose
subject is the ISO date. Days after ``at`` are not judged (the roster may still be filled in);
organisations without any roster are not judged (keeping one is a matter for the assessment).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from ...models import DutyRoster, Organization
from .base import CheckContext, Finding, finding

__all__ = ["check_d1"]


def check_d1(ctx: CheckContext) -> list[Finding]:
    """Days (up to ``at``) inside an organisation's roster span without a leader on duty."""
    rows = ctx.session.execute(
        select(
            Organization.source_id,
            Organization.kind,
            DutyRoster.date,
            func.count(),
            func.count(DutyRoster.leader_person_id),
        )
        .join(Organization, Organization.id == DutyRoster.org_id)
        .group_by(Organization.source_id, Organization.kind, DutyRoster.date)
        .order_by(Organization.source_id, DutyRoster.date)
    ).all()
    days: dict[tuple[str, str], dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for org, kind, day, shifts, led in rows:
        days[(org, kind)][day] = (shifts, led)
    out = []
    for (org, kind), by_day in days.items():
        first, last = min(by_day), min(max(by_day), ctx.at)
        day = first
        while day <= last:
            shifts, led = by_day.get(day, (0, 0))
            if shifts == 0:
                out.append(
                    finding("D1", org, day.isoformat(), f"{day.isoformat()}无值班安排，无带班领导", org_kind=kind)
                )
            elif led < shifts:
                out.append(finding("D1", org, day.isoformat(), f"{day.isoformat()}值班表未安排带班领导", org_kind=kind))
            day += dt.timedelta(days=1)
    return out
