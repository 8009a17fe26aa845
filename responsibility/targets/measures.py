"""What each target measures, for many schools at once (aggregate queries: a province has
20,000 schools), on a day, over the campaign's term up to that day.

A measure returns, per school database id, a :class:`Measurement`: a share (``numerator`` of
``denominator``) or a count, and the records that hold the value back (the unsigned agreements,
the grids without an owner, the overdue hazards…), so the scorecard can link to them. A school
with nothing to measure is absent. The rules, in words:

- ``signing_rate`` 责任书签订率: the campaign's school agreement (counted unsigned while it does not
  exist yet), post agreements and successors' confirmations of the school that are not void or
  superseded; signed = countersigned or archived.
- ``post_list_coverage`` 岗位清单覆盖率: post assignments held that day with a safety duty in force
  (the P1 rule) of all post assignments held that day.
- ``grid_coverage`` 网格覆盖率: grids with an owner that day (the G1 rule) of all grids.
- ``rectification_rate`` 整改率: of the hazards due — existing that day (the H rules) and closed
  within the term, or overdue —, those closed.
- ``overdue_hazards`` 逾期隐患: hazards overdue that day (the H2 rule).
- ``supervision_rate`` 挂牌督办率: of the 重大 hazards existing that day and not closed before the
  term, those listed for supervision.
- ``home_visit_rate`` 家访率: visits done of planned, from the counts the school recorded live for
  the campaign's season (its label), else from its imported counts.
- ``anti_fraud_coverage`` 反诈教育覆盖率, ``fire_education`` 消防教育, ``holiday_education`` 假期安全教育,
  ``drills`` 全员疏散演练 (``drill`` sessions): from the education sessions the school recorded
  (rules in :mod:`.education`); a count short of its goal links to the school's sessions.
- ``duty_rate`` 值班到岗率: check-ins of rostered person-shifts (the 到岗率 of
  :func:`~responsibility.season.checkins.duty_days`) on the days of the term before the day (the
  day itself is not over: its shifts may not have begun); each roster day with people on duty
  and no check-in is a record behind.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ..chain.gaps.hazard_checks import MAJOR, hazard_closed_on, hazard_exists_on, hazard_overdue
from ..chain.gaps.posts_checks import lacks_safety_duties
from ..models import (
    Agreement,
    Campaign,
    EducationSession,
    Grid,
    GridOwnership,
    Hazard,
    HomeVisit,
    HomeVisitCount,
    PostAssignment,
    PostType,
)
from ..models.agreements import AGREEMENT_ARCHIVED, AGREEMENT_COUNTERSIGNED, AGREEMENT_SUPERSEDED, AGREEMENT_VOID
from ..season.checkins import DayCount, duty_days
from .education import WHOLE_SCHOOL, ClassReach, coverage

__all__ = ["MEASURES", "UNRECORDED", "Measurement", "RecordRef", "Window", "duty_shares"]

UNRECORDED = "unrecorded"
RECORDS_SHOWN = 20
"""Records kept per school and target (the total is kept too)."""


@dataclass(frozen=True)
class RecordRef:
    """One record behind a value: ``kind`` (agreement, grid, post, hazard, visits, education, roster,
    sessions) and its key."""

    kind: str
    key: str
    label: str = ""


@dataclass
class Measurement:
    numerator: int = 0
    denominator: int = 0
    count: int = 0
    records: list[RecordRef] = field(default_factory=list)
    records_total: int = 0
    short: RecordRef | None = None
    """For a count: the record to show when it falls short of its goal (the measure does not
    know the goal)."""

    def note(self, ref: RecordRef) -> None:
        self.records_total += 1
        if len(self.records) < RECORDS_SHOWN:
            self.records.append(ref)


@dataclass(frozen=True)
class Window:
    campaign: Campaign
    at: dt.date
    school_ids: Sequence[int]

    @property
    def start(self) -> dt.date:
        return self.campaign.term_start


Measure = Callable[[Session, Window], dict[int, Measurement]]


def _in(column: Any, window: Window) -> ColumnElement[bool]:
    return column.in_(list(window.school_ids))


def _shares(rows: Iterable[tuple[int, bool, RecordRef]]) -> dict[int, Measurement]:
    """(school id, counts in the numerator, the record) rows → measurements; a record not in
    the numerator is one that holds the value back."""
    out: dict[int, Measurement] = defaultdict(Measurement)
    for school_id, good, ref in rows:
        m = out[school_id]
        m.denominator += 1
        if good:
            m.numerator += 1
        else:
            m.note(ref)
    return dict(out)


def signing_rate(session: Session, window: Window) -> dict[int, Measurement]:
    signed = Agreement.state.in_((AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED))
    rows = session.execute(
        select(Agreement.school_id, signed, Agreement.id, Agreement.document_number, Agreement.kind)
        .where(
            Agreement.campaign_id == window.campaign.id,
            Agreement.state.not_in((AGREEMENT_VOID, AGREEMENT_SUPERSEDED)),
            Agreement.kind.in_(("school", "post", "confirmation")),
            _in(Agreement.school_id, window),
        )
        .order_by(Agreement.school_id, Agreement.document_number)
    ).all()
    out = _shares((sid, bool(ok), RecordRef("agreement", str(aid), number)) for sid, ok, aid, number, _ in rows)
    with_own = {sid for sid, _, _, _, kind in rows if kind == "school"}
    for school_id in window.school_ids:  # the school agreement is due whether generated or not
        if school_id not in with_own:
            m = out.setdefault(school_id, Measurement())
            m.denominator += 1
            m.note(RecordRef("agreement", "", "missing"))
    return out


def post_list_coverage(session: Session, window: Window) -> dict[int, Measurement]:
    rows = session.execute(
        select(PostAssignment.org_id, ~lacks_safety_duties(), PostAssignment.source_id,
               func.coalesce(PostAssignment.local_post_name, PostType.name, PostAssignment.post_code))
        .outerjoin(PostType, PostType.id == PostAssignment.post_type_id)
        .where(PostAssignment.held_on(window.at), _in(PostAssignment.org_id, window))
        .order_by(PostAssignment.org_id, PostAssignment.source_id)
    )  # fmt: skip
    return _shares((org, bool(ok), RecordRef("post", sid, name)) for org, ok, sid, name in rows)


def grid_coverage(session: Session, window: Window) -> dict[int, Measurement]:
    owned = exists().where(GridOwnership.grid_id == Grid.id, GridOwnership.held_on(window.at))
    rows = session.execute(
        select(Grid.school_id, owned, Grid.source_id, Grid.name)
        .where(_in(Grid.school_id, window))
        .order_by(Grid.school_id, Grid.source_id)
    )
    return _shares((school, bool(ok), RecordRef("grid", sid, name)) for school, ok, sid, name in rows)


def _hazard_ref(source_id: str, file_no: str | None, description: str | None) -> RecordRef:
    return RecordRef("hazard", source_id, file_no or (description or "")[:40])


def _not_closed_before(window: Window) -> ColumnElement[bool]:
    return or_(Hazard.closed_date.is_(None), Hazard.closed_date >= window.start)


def rectification_rate(session: Session, window: Window) -> dict[int, Measurement]:
    closed = and_(hazard_closed_on(window.at), _not_closed_before(window))
    rows = session.execute(
        select(Hazard.school_id, closed, Hazard.source_id, Hazard.file_no, Hazard.description)
        .where(hazard_exists_on(window.at), or_(closed, hazard_overdue(window.at)), _in(Hazard.school_id, window))
        .order_by(Hazard.school_id, Hazard.source_id)
    )
    return _shares((school, bool(ok), _hazard_ref(sid, no, d)) for school, ok, sid, no, d in rows)


def overdue_hazards(session: Session, window: Window) -> dict[int, Measurement]:
    rows = session.execute(
        select(Hazard.school_id, Hazard.source_id, Hazard.file_no, Hazard.description)
        .where(hazard_exists_on(window.at), hazard_overdue(window.at), _in(Hazard.school_id, window))
        .order_by(Hazard.school_id, Hazard.source_id)
    )
    out: dict[int, Measurement] = defaultdict(Measurement)
    for school, sid, no, description in rows:
        out[school].count += 1
        out[school].note(_hazard_ref(sid, no, description))
    return dict(out)


def supervision_rate(session: Session, window: Window) -> dict[int, Measurement]:
    rows = session.execute(
        select(Hazard.school_id, Hazard.listed_for_supervision, Hazard.source_id, Hazard.file_no, Hazard.description)
        .where(
            hazard_exists_on(window.at), Hazard.level == MAJOR, _not_closed_before(window),
            _in(Hazard.school_id, window),
        )
        .order_by(Hazard.school_id, Hazard.source_id)
    )  # fmt: skip
    return _shares((school, bool(ok), _hazard_ref(sid, no, d)) for school, ok, sid, no, d in rows)


def home_visit_rate(session: Session, window: Window) -> dict[int, Measurement]:
    live = session.execute(
        select(HomeVisitCount.school_id, func.sum(HomeVisitCount.planned), func.sum(HomeVisitCount.visited))
        .where(HomeVisitCount.period_name == window.campaign.season, _in(HomeVisitCount.school_id, window))
        .group_by(HomeVisitCount.school_id)
    ).all()
    totals = {
        school: (int(planned or 0), int(visited or 0), window.campaign.season) for school, planned, visited in live
    }
    imported = session.execute(
        select(HomeVisit.school_id, func.sum(HomeVisit.planned), func.sum(HomeVisit.visited),
               func.max(HomeVisit.period_name))
        .where(_in(HomeVisit.school_id, window))
        .group_by(HomeVisit.school_id)
    ).all()  # fmt: skip
    for school, planned, visited, period in imported:
        totals.setdefault(school, (int(planned or 0), int(visited or 0), period))
    out = {}
    for school, (planned, visited, period) in totals.items():
        m = Measurement(numerator=min(visited, planned), denominator=planned)
        if visited < planned:
            m.note(RecordRef("visits", period, f"{planned - visited}"))
        out[school] = m
    return out


def _in_term(window: Window) -> tuple[ColumnElement[bool], ...]:
    return (
        EducationSession.campaign_id == window.campaign.id,
        EducationSession.date >= window.start,
        EducationSession.date <= window.at,
        EducationSession.school_id.in_(list(window.school_ids)),
    )


def anti_fraud_coverage(session: Session, window: Window) -> dict[int, Measurement]:
    rows = session.execute(
        select(EducationSession.school_id, EducationSession.class_name,
               func.max(EducationSession.attendance), func.max(EducationSession.enrolled))
        .where(EducationSession.topic == "anti_fraud", *_in_term(window))
        .group_by(EducationSession.school_id, EducationSession.class_name)
        .order_by(EducationSession.school_id, EducationSession.class_name)
    ).all()  # fmt: skip
    by_school: dict[int, list[ClassReach]] = defaultdict(list)
    for school_id, class_name, reached, enrolled in rows:
        by_school[school_id].append(ClassReach(class_name or WHOLE_SCHOOL, int(reached), int(enrolled)))
    out = {}
    for school_id, classes in by_school.items():
        result = coverage(classes)
        m = Measurement(numerator=result.reached, denominator=result.enrolled)
        for r in result.short:
            m.note(RecordRef("education", r.class_name, f"{r.enrolled - r.reached}"))
        out[school_id] = m
    return out


def session_count(topic: str) -> Measure:
    """The measure counting a topic's sessions in the term up to the day."""

    def measure(session: Session, window: Window) -> dict[int, Measurement]:
        rows = session.execute(
            select(EducationSession.school_id, func.count())
            .where(EducationSession.topic == topic, *_in_term(window))
            .group_by(EducationSession.school_id)
        ).all()
        counts = {school_id: int(n) for school_id, n in rows}
        out = {}
        for school_id in window.school_ids:
            n = counts.get(school_id, 0)
            out[school_id] = Measurement(count=n, short=RecordRef("sessions", topic, str(n)))
        return out

    return measure


def duty_shares(days: Mapping[tuple[int, dt.date], DayCount]) -> dict[int, Measurement]:
    """Per organisation and day counts → per organisation its check-ins (at most the rostered
    person-shifts of each day) of its rostered person-shifts, each day short a record."""
    out: dict[int, Measurement] = defaultdict(Measurement)
    for (org, day), count in sorted(days.items()):
        if not count.rostered:
            continue
        m = out[org]
        m.denominator += count.rostered
        m.numerator += min(count.checked_in, count.rostered)
        if count.checked_in < count.rostered:
            m.note(RecordRef("roster", day.isoformat(), str(count.rostered - count.checked_in)))
    return dict(out)


def duty_rate(session: Session, window: Window) -> dict[int, Measurement]:
    last = min(window.campaign.term_end, window.at - dt.timedelta(days=1))
    if last < window.start:
        return {}
    return duty_shares(duty_days(session, window.start, last, list(window.school_ids)))


def _unrecorded(session: Session, window: Window) -> dict[int, Measurement]:
    return {}


MEASURES: dict[str, Measure] = {
    "signing_rate": signing_rate,
    "post_list_coverage": post_list_coverage,
    "grid_coverage": grid_coverage,
    "rectification_rate": rectification_rate,
    "overdue_hazards": overdue_hazards,
    "supervision_rate": supervision_rate,
    "home_visit_rate": home_visit_rate,
    "anti_fraud_coverage": anti_fraud_coverage,
    "fire_education": session_count("fire"),
    "holiday_education": session_count("holiday"),
    "drills": session_count("drill"),
    "duty_rate": duty_rate,
    UNRECORDED: _unrecorded,
}
"""Measure name (the catalogue's ``measure``) → computation. One more kind of record is one more
entry here and a line in the catalogue."""
