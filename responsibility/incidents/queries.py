"""Reading incidents: a school's (or the county's) list with filters, and the incidents of a
period, the evidence source of the assessment (迟报, 漏报/瞒报, veto kinds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import DEFAULT_ZONE
from ..models import Incident, School, Town

__all__ = ["IncidentFilter", "incidents_between", "list_incidents", "local_day_bounds"]


def local_day_bounds(start: dt.date, end: dt.date, tz: dt.tzinfo = DEFAULT_ZONE) -> tuple[dt.datetime, dt.datetime]:
    """[the start of ``start``, the start of the day after ``end``) in ``tz``, as UTC."""
    lo = dt.datetime.combine(start, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(dt.UTC)
    return lo, hi


def incidents_between(
    session: Session, school_ids: Sequence[int] | None, start: dt.date, end: dt.date, tz: dt.tzinfo = DEFAULT_ZONE
) -> list[Incident]:
    """Incidents that happened on the local days ``start`` … ``end`` at ``school_ids`` (None: every
    school), oldest first."""
    lo, hi = local_day_bounds(start, end, tz)
    query = select(Incident).where(Incident.occurred_at >= lo, Incident.occurred_at < hi)
    if school_ids is not None:
        query = query.where(Incident.school_id.in_(list(school_ids)))
    return list(session.scalars(query.order_by(Incident.occurred_at, Incident.id)))


@dataclass(frozen=True)
class IncidentFilter:
    town: str | None = None
    """A town's name."""
    kind: str | None = None
    status: str | None = None


def list_incidents(
    session: Session, filters: IncidentFilter, school_ids: Sequence[int] | frozenset[int] | None = None
) -> list[Incident]:
    """Incidents newest first, of ``school_ids`` (None: every school), filtered."""
    query = select(Incident).join(School, School.id == Incident.school_id)
    if school_ids is not None:
        query = query.where(Incident.school_id.in_(list(school_ids)))
    if filters.town:
        query = query.join(Town, Town.id == School.town_id).where(Town.name == filters.town)
    if filters.kind:
        query = query.where(Incident.kind == filters.kind)
    if filters.status:
        query = query.where(Incident.status == filters.status)
    return list(session.scalars(query.order_by(Incident.occurred_at.desc(), Incident.id.desc())))
