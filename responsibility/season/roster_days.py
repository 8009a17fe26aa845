"""The roster as a plan of days (the browser's page): the live term's days with their shifts,
one day edited at a time, and the .xlsx template the upload reads.

Editing a day goes through :func:`~.rosters.check_rows`, the validation of the import, so a day
refused in a file is refused in the form with the same words. The write is compare-and-set on
the row's ``version``: of two editors who read the same version, one wins and the other gets a
:class:`~.errors.SeasonConflict` (409) with nothing written.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ..audit import append_event
from ..models import DutyRoster, Organization, Person, PostAssignment
from ..settings import SeasonSettings
from .coverage import roster_coverage
from .errors import SeasonConflict
from .rosters import KEY_POSTS, ROSTER_COLUMNS, RosterRow, check_rows, write_staff
from .seasons import find_org, flush_or_conflict, live_campaign

__all__ = [
    "PlannedDay",
    "RosterPlan",
    "ShiftPlan",
    "edit_roster_day",
    "leader_choices",
    "roster_plan",
    "roster_template",
]


@dataclass(frozen=True)
class ShiftPlan:
    shift: str
    version: int
    leader: Person | None
    staff: tuple[Person, ...]
    key_posts: dict[str, Person]
    """门卫 / 宿管 → the person (an id no longer known is left out)."""


@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    shifts: tuple[ShiftPlan, ...]
    uncovered: str | None
    """``no_roster`` / ``no_leader`` (as ``flask roster check``), None when covered."""
    winter_break: bool
    spring_festival: bool


@dataclass(frozen=True)
class RosterPlan:
    org: Organization
    term_start: dt.date
    term_end: dt.date
    days: tuple[PlannedDay, ...]

    @property
    def uncovered(self) -> int:
        return sum(1 for d in self.days if d.uncovered)

    def facts_days(self) -> list[dict[str, object]]:
        """Every shift as the reported 值班表 embeds it (its facts' ``days``): date, shift, leader,
        staff and key posts by source id; what a report is compared with after each write."""
        return [
            {"date": d.date.isoformat(), "shift": s.shift, "leader": s.leader.source_id if s.leader else None,
             "staff": [p.source_id for p in s.staff], **{k: p.source_id for k, p in sorted(s.key_posts.items())}}
            for d in self.days for s in d.shifts
        ]  # fmt: skip


def _within(day: dt.date, spans: tuple[tuple[dt.date, dt.date], ...]) -> bool:
    return any(start <= day <= end for start, end in spans)


def roster_plan(session: Session, org_id: str, season: SeasonSettings) -> RosterPlan:
    """Every day of the live term with the organisation's shifts (two queries and the coverage)."""
    org = find_org(session, org_id)
    coverage = roster_coverage(session, org_id, season)
    gaps = {d.date: d.reason for d in coverage.uncovered}
    rows = session.scalars(
        select(DutyRoster)
        .where(DutyRoster.org_id == org.id, DutyRoster.date.between(coverage.term_start, coverage.term_end))
        .options(selectinload(DutyRoster.staff), selectinload(DutyRoster.leader))
        .order_by(DutyRoster.date, DutyRoster.shift)
    ).all()
    post_ids = {pid for r in rows for pid in (r.key_posts or {}).values()}
    posted = {p.source_id: p for p in session.scalars(select(Person).where(Person.source_id.in_(post_ids)))}
    by_day: dict[dt.date, list[ShiftPlan]] = {}
    for r in rows:
        posts = {k: posted[v] for k, v in (r.key_posts or {}).items() if v in posted}
        by_day.setdefault(r.date, []).append(ShiftPlan(r.shift, r.version, r.leader, tuple(r.staff), posts))
    days = []
    day = coverage.term_start
    while day <= coverage.term_end:
        days.append(
            PlannedDay(
                day,
                tuple(by_day.get(day, ())),
                gaps.get(day),
                _within(day, season.winter_break),
                _within(day, season.spring_festival),
            )
        )
        day += dt.timedelta(days=1)
    return RosterPlan(org, coverage.term_start, coverage.term_end, tuple(days))


def leader_choices(session: Session, org: Organization, day: dt.date, posts: frozenset[str]) -> list[Person]:
    """The people holding a leading post at ``org`` on ``day``: the only valid 带班领导."""
    return list(
        session.scalars(
            select(Person)
            .join(PostAssignment, PostAssignment.person_id == Person.id)
            .where(
                PostAssignment.org_id == org.id,
                PostAssignment.post_code.in_(sorted(posts)),
                PostAssignment.held_on(day),
            )
            .distinct()
            .order_by(Person.source_id)
        )
    )


def edit_roster_day(
    session: Session,
    org_id: str,
    row: RosterRow,
    *,
    leading_posts: frozenset[str],
    actor: str,
    expected_version: int | None,
) -> DutyRoster:
    """Write one day and shift, validated like an imported row; ``expected_version`` is the
    version the editor read (0: the shift did not exist yet; None: no check)."""
    org = find_org(session, org_id)
    people = check_rows(session, org, [row], leading_posts)
    roster = session.scalar(
        select(DutyRoster).where(
            DutyRoster.org_id == org.id, DutyRoster.date == row.date, DutyRoster.shift == row.shift
        )
    )
    current = roster.version if roster is not None else 0
    if expected_version is not None and expected_version != current:
        raise _conflict()
    leader_id = people[row.leader].id
    posts = dict(row.key_posts) or None
    if roster is None:
        roster = DutyRoster(org_id=org.id, date=row.date, shift=row.shift, leader_person_id=leader_id, key_posts=posts)
        session.add(roster)
        flush_or_conflict(session, "值班表")
    else:
        moved = session.execute(
            update(DutyRoster)
            .where(DutyRoster.id == roster.id, DutyRoster.version == current)
            .values(leader_person_id=leader_id, key_posts=posts, version=current + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise _conflict()
        session.expire(roster)
    write_staff(session, [(roster, [people[pid].id for pid in dict.fromkeys(row.staff)])])
    append_event(
        session,
        actor=actor,
        action="roster.edit",
        subject=f"org:{org.source_id}",
        data={"date": row.date, "shift": row.shift, "leader": row.leader, "staff": list(row.staff), **row.key_posts},
    )
    session.flush()
    return roster


def _conflict() -> SeasonConflict:
    return SeasonConflict(
        "这一天的值班安排已被他人修改，请刷新后重试。 (The day's roster changed since you read it: reload and retry.)"
    )


def roster_template(session: Session) -> bytes:
    """An .xlsx with the import's header row and one example line per day of the live term's
    first week (shift 24h, the person columns empty to fill in)."""
    campaign = live_campaign(session)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "值班表"
    sheet.append([f"{names[0]} {names[1]}" for names in ROSTER_COLUMNS.values()])
    day = campaign.term_start
    for _ in range(min(7, (campaign.term_end - campaign.term_start).days + 1)):
        sheet.append([day.isoformat(), "24h", "", "", *("" for _ in KEY_POSTS)])
        day += dt.timedelta(days=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
