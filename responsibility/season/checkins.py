"""Duty check-in (到岗) and the attendance rate (到岗率).

A check-in is made on the day of duty itself (the county's local day of ``at``, which must be
today and not later than now) by a person the organisation's roster names for that day — its
leader, one of its staff, its 门卫 or 宿管 — once per person and shift. The rate is check-ins ÷
rostered person-shifts (each row's distinct people) of the days from ``start`` to ``end`` that
have begun (up to today), counted per organisation and day with aggregate queries
(:func:`duty_days`, also behind the live target 值班到岗率), summed per organisation and per town.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, func, or_, select, union
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import as_utc, to_local
from ..models import DutyCheckin, DutyRoster, Organization, Person, Town, duty_roster_staff
from .errors import BadInput, InvalidState, SeasonConflict
from .seasons import find_org, find_person, flush_or_conflict

__all__ = ["Attendance", "AttendanceReport", "DayCount", "attendance_rate", "check_in", "duty_days", "rostered_today"]


class CheckinRefused(BadInput):
    """Not rostered that day, not the day itself, or already checked in: nothing is written."""


def _named(column: Any, source_id: str) -> ColumnElement[bool]:
    """SQL prefilter: the JSON text of ``key_posts`` holds ``"source_id"`` as a value (the keys are
    门卫/宿管, stored escaped, so only a value can match). Callers confirm in Python: a JSON
    path on a non-ASCII key does not match escaped keys in SQLite."""
    return cast(column, Text).like(f'%"{source_id}"%')


def _rostered(session: Session, org_id: int | None, person: Person, day: dt.date) -> list[DutyRoster]:
    """The roster rows of ``day`` (at ``org_id``, or anywhere) that name ``person``."""
    staff = select(duty_roster_staff.c.roster_id).where(duty_roster_staff.c.person_id == person.id)
    named = or_(
        DutyRoster.leader_person_id == person.id,
        DutyRoster.id.in_(staff),
        _named(DutyRoster.key_posts, person.source_id),
    )
    query = select(DutyRoster).where(DutyRoster.date == day, named).order_by(DutyRoster.shift)
    if org_id is not None:
        query = query.where(DutyRoster.org_id == org_id)
    return [
        r
        for r in session.scalars(query)
        if r.leader_person_id == person.id
        or person.source_id in (r.key_posts or {}).values()
        or any(p.id == person.id for p in r.staff)
    ]


def rostered_today(session: Session, person: Person, day: dt.date) -> list[tuple[DutyRoster, DutyCheckin | None]]:
    """The person's duty rows of ``day`` in every organisation, each with its check-in if any."""
    rows = _rostered(session, None, person, day)
    done = {
        c.roster_id: c
        for c in session.scalars(select(DutyCheckin).where(DutyCheckin.person_id == person.id, DutyCheckin.date == day))
    }
    return [(r, done.get(r.id)) for r in rows]


def check_in(
    session: Session,
    org_id: str,
    person_id: str,
    *,
    at: dt.datetime,
    now: dt.datetime,
    zone: dt.tzinfo,
    actor: str,
    shift: str | None = None,
) -> DutyCheckin:
    """Record the person's 到岗 at ``org_id`` at ``at`` (aware) for the shift of that local day
    (``shift``, or the first of their shifts not yet checked in)."""
    org = find_org(session, org_id)
    person = find_person(session, person_id, "到岗人员")
    day, today = to_local(at, zone).date(), to_local(now, zone).date()
    if day != today or as_utc(at) > as_utc(now) + dt.timedelta(minutes=5):
        raise CheckinRefused(
            f"只能在值班当天登记到岗（今天是 {today}，不是 {day}）。"
            f" (A check-in is made on the day of duty itself: today is {today}, not {day}.)"
        )
    rows = [r for r in _rostered(session, org.id, person, day) if shift is None or r.shift == shift]
    if not rows:
        raise CheckinRefused(
            f"{person.name}（{person.source_id}）{day} 不在 {org.source_id} 的值班表上。"
            f" ({person.source_id} is not on the roster of {org.source_id} on {day}.)"
        )
    done = set(
        session.scalars(
            select(DutyCheckin.roster_id).where(
                DutyCheckin.person_id == person.id, DutyCheckin.roster_id.in_([r.id for r in rows])
            )
        )
    )
    open_rows = [r for r in rows if r.id not in done]
    if not open_rows:
        raise InvalidState(
            f"{person.name}（{person.source_id}）{day} 已登记到岗。 ({person.source_id} has already checked in on {day}.)"
        )
    roster = open_rows[0]
    checkin = DutyCheckin(
        roster_id=roster.id, org_id=org.id, date=day, shift=roster.shift, person_id=person.id, at=as_utc(at)
    )
    session.add(checkin)
    flush_or_conflict(session, "到岗登记")
    append_event(
        session,
        actor=actor,
        action="roster.checkin",
        subject=f"org:{org.source_id}",
        data={"date": day, "shift": roster.shift, "person": person.source_id, "at": as_utc(at).isoformat()},
    )
    session.flush()
    return checkin


__all__ += ["CheckinRefused", "SeasonConflict"]


@dataclass(frozen=True)
class Attendance:
    key: str
    """An organisation's or a town's import id (``""`` for the total)."""
    name: str
    rostered: int
    checked_in: int

    @property
    def rate(self) -> float | None:
        """Check-ins ÷ rostered person-shifts; None with nothing rostered."""
        return self.checked_in / self.rostered if self.rostered else None

    def as_json(self) -> dict[str, object]:
        rate = self.rate
        return {
            "id": self.key,
            "name": self.name,
            "rostered": self.rostered,
            "checked_in": self.checked_in,
            "rate": None if rate is None else round(rate, 4),
        }


@dataclass(frozen=True)
class AttendanceReport:
    start: dt.date
    end: dt.date
    orgs: tuple[Attendance, ...]
    towns: tuple[Attendance, ...]
    total: Attendance

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total.as_json(),
            "orgs": [a.as_json() for a in self.orgs],
            "towns": [a.as_json() for a in self.towns],
        }


def _in_span(start: dt.date, end: dt.date, org_ids: list[int] | None) -> ColumnElement[bool]:
    in_span = and_(DutyRoster.date >= start, DutyRoster.date <= end)
    return in_span if org_ids is None else and_(in_span, DutyRoster.org_id.in_(org_ids))


OrgDay = tuple[int, dt.date]
"""An organisation's database id and a day."""


def _leaders_and_staff(session: Session, in_span: ColumnElement[bool]) -> dict[OrgDay, int]:
    """Per organisation and day, the distinct (row, person) pairs of leaders and staff: one aggregate."""
    leaders = select(DutyRoster.id.label("rid"), DutyRoster.leader_person_id.label("pid")).where(
        in_span, DutyRoster.leader_person_id.is_not(None)
    )
    staff = (
        select(duty_roster_staff.c.roster_id.label("rid"), duty_roster_staff.c.person_id.label("pid"))
        .join(DutyRoster, DutyRoster.id == duty_roster_staff.c.roster_id)
        .where(in_span)
    )
    pairs = union(leaders, staff).subquery()
    query = (
        select(DutyRoster.org_id, DutyRoster.date, func.count())
        .select_from(pairs)
        .join(DutyRoster, DutyRoster.id == pairs.c.rid)
        .group_by(DutyRoster.org_id, DutyRoster.date)
    )
    return {(org, day): n for org, day, n in session.execute(query).all()}


def _key_post_extra(session: Session, in_span: ColumnElement[bool]) -> dict[OrgDay, int]:
    """Per organisation and day, the 门卫/宿管 of each row who are neither its leader nor its staff
    (the JSON column is read in Python: three queries, whatever the number of rows)."""
    with_posts = and_(in_span, DutyRoster.key_posts.is_not(None))
    rows = session.execute(
        select(DutyRoster.id, DutyRoster.org_id, DutyRoster.date, DutyRoster.leader_person_id, DutyRoster.key_posts)
        .where(with_posts)
    ).all()  # fmt: skip
    if not rows:
        return {}
    staff: dict[int, set[int]] = {}
    for rid, pid in session.execute(
        select(duty_roster_staff.c.roster_id, duty_roster_staff.c.person_id)
        .join(DutyRoster, DutyRoster.id == duty_roster_staff.c.roster_id)
        .where(with_posts)
    ):
        staff.setdefault(rid, set()).add(pid)
    wanted = {v for *_, posts in rows for v in (posts or {}).values() if v}
    ids = dict(session.execute(select(Person.source_id, Person.id).where(Person.source_id.in_(wanted))).all())
    extra: dict[OrgDay, int] = {}
    for rid, org, day, leader, posts in rows:
        named = {ids[v] for v in (posts or {}).values() if v in ids}
        extra[(org, day)] = extra.get((org, day), 0) + len(named - staff.get(rid, set()) - {leader})
    return extra


@dataclass(frozen=True)
class DayCount:
    rostered: int
    """Rostered person-shifts of the organisation's day."""
    checked_in: int


def duty_days(
    session: Session, start: dt.date, last: dt.date, org_ids: list[int] | None = None
) -> dict[OrgDay, DayCount]:
    """Per organisation (of ``org_ids``, or all) and day from ``start`` to ``last``, its rostered
    person-shifts and check-ins: the one computation behind every 到岗率 (a fixed handful of
    aggregate queries, whatever the number of organisations)."""
    in_span = _in_span(start, last, org_ids)
    rostered = _leaders_and_staff(session, in_span)
    for key, n in _key_post_extra(session, in_span).items():
        rostered[key] = rostered.get(key, 0) + n
    checked = select(DutyCheckin.org_id, DutyCheckin.date, func.count()).where(
        DutyCheckin.date >= start, DutyCheckin.date <= last
    )
    if org_ids is not None:
        checked = checked.where(DutyCheckin.org_id.in_(org_ids))
    done = {(org, day): n for org, day, n in session.execute(checked.group_by(DutyCheckin.org_id, DutyCheckin.date))}
    return {key: DayCount(rostered.get(key, 0), done.get(key, 0)) for key in sorted(set(rostered) | set(done))}


def attendance_rate(
    session: Session, start: dt.date, end: dt.date, today: dt.date, org_id: str | None = None
) -> AttendanceReport:
    """到岗率 of one organisation (``org_id``) or of all, per organisation and per town, over
    the days from ``start`` to ``min(end, today)``."""
    org_ids = None if org_id is None else [find_org(session, org_id).id]
    rostered: dict[int, int] = {}
    done: dict[int, int] = {}
    for (org, _), count in duty_days(session, start, min(end, today), org_ids).items():
        rostered[org] = rostered.get(org, 0) + count.rostered
        done[org] = done.get(org, 0) + count.checked_in
    ids = sorted(set(rostered) | set(done))
    orgs = session.execute(
        select(Organization.id, Organization.source_id, Organization.name, Town.source_id, Town.name)
        .outerjoin(Town, Town.id == Organization.__table__.c.town_id)
        .where(Organization.id.in_(ids))
        .order_by(Organization.source_id)
    ).all()
    per_org: list[Attendance] = []
    per_town: dict[str, tuple[int, int, str]] = {}
    for oid, sid, name, town_id, town_name in orgs:
        per_org.append(Attendance(sid, name, rostered.get(oid, 0), done.get(oid, 0)))
        if town_id:
            r, c, _ = per_town.get(town_id, (0, 0, town_name))
            per_town[town_id] = (r + rostered.get(oid, 0), c + done.get(oid, 0), town_name)
    towns = tuple(Attendance(t, n, r, c) for t, (r, c, n) in sorted(per_town.items()))
    total = Attendance("", "", sum(a.rostered for a in per_org), sum(a.checked_in for a in per_org))
    return AttendanceReport(start, end, tuple(per_org), towns, total)
