"""Editing one roster day (the import's validation, compare-and-set), check-in (到岗) refusals and
the 到岗率 through the real database, on the demo county with the 2024—2025 campaign."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from season_tools import DEPUTY, DORM, GUARD, OTHER_PRINCIPAL, PRINCIPAL, SCHOOL
from sqlalchemy import func, select

from responsibility import season
from responsibility.extensions import db
from responsibility.models import AuditEvent, DutyCheckin, DutyRoster, Organization
from responsibility.settings import SeasonSettings

SH = ZoneInfo("Asia/Shanghai")
POSTS = SeasonSettings().leading_posts
DAY = dt.date(2025, 3, 1)


@pytest.fixture
def ctx(demo_app, make_campaign):  # type: ignore[no-untyped-def]
    make_campaign()
    with demo_app.app_context():
        yield db.session


def _row(leader: str = PRINCIPAL, day: dt.date = DAY, staff: tuple[str, ...] = (GUARD,), **posts: str):  # type: ignore[no-untyped-def]
    return season.RosterRow(0, day, "24h", leader, staff, dict(posts))


def _edit(session, row, version=None):  # type: ignore[no-untyped-def]
    return season.edit_roster_day(session, SCHOOL, row, leading_posts=POSTS, actor="test", expected_version=version)


def _version(session, day: dt.date = DAY) -> int:  # type: ignore[no-untyped-def]
    org = session.scalar(select(Organization.id).where(Organization.source_id == SCHOOL))
    return session.scalar(select(DutyRoster.version).where(DutyRoster.org_id == org, DutyRoster.date == day)) or 0


def test_edit_a_day_writes_it_with_one_event_and_moves_the_version(ctx) -> None:  # type: ignore[no-untyped-def]
    before = _version(ctx)
    roster = _edit(ctx, _row(DEPUTY, staff=(GUARD, DORM), 门卫=GUARD, 宿管=DORM), before)
    ctx.commit()
    assert roster.leader.source_id == DEPUTY and [p.source_id for p in roster.staff] == [GUARD, DORM]
    assert roster.key_posts == {"门卫": GUARD, "宿管": DORM}
    assert _version(ctx) == before + 1
    assert ctx.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "roster.edit")) == 1
    plan = season.roster_plan(ctx, SCHOOL, SeasonSettings())
    (day,) = [d for d in plan.days if d.date == DAY]
    assert day.uncovered is None and day.shifts[0].key_posts["宿管"].source_id == DORM


@pytest.mark.parametrize(
    ("row", "error", "words"),
    [
        (_row(""), season.errors.RosterRefused, "没有带班领导"),
        (_row(GUARD), season.errors.RosterRefused, "不担任领导岗位"),
        (_row(OTHER_PRINCIPAL), season.errors.RosterRefused, "不担任领导岗位"),
        (_row(staff=("P99999",)), season.errors.UnknownRecord, "P99999"),
        (_row(day=dt.date(2025, 5, 1)), season.errors.RosterRefused, "不在本季"),
    ],
    ids=["no-leader", "leader-without-leading-post", "other-schools-principal", "unknown-person", "outside-term"],
)
def test_edit_refusals_write_nothing(ctx, row, error, words) -> None:  # type: ignore[no-untyped-def]
    before = _version(ctx, row.date)
    with pytest.raises(error, match=words):
        _edit(ctx, row, before)
    ctx.rollback()
    assert _version(ctx, row.date) == before
    assert ctx.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "roster.edit")) == 0


def test_two_editors_of_one_day_one_wins(ctx) -> None:  # type: ignore[no-untyped-def]
    read = _version(ctx)
    _edit(ctx, _row(DEPUTY), read)
    ctx.commit()
    with pytest.raises(season.errors.SeasonConflict):
        _edit(ctx, _row(PRINCIPAL), read)
    ctx.rollback()
    fresh = season.roster_plan(ctx, SCHOOL, SeasonSettings())
    assert [d for d in fresh.days if d.date == DAY][0].shifts[0].leader.source_id == DEPUTY


def _at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SH)


def _checkin(session, person: str, at: dt.datetime, now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    return season.check_in(session, SCHOOL, person, at=at, now=now or at, zone=SH, actor="test")


def test_check_in_only_the_rostered_person_on_the_day_once(ctx) -> None:  # type: ignore[no-untyped-def]
    _edit(ctx, _row(DEPUTY, staff=(PRINCIPAL,), 宿管=DORM))
    done = _checkin(ctx, DORM, _at(8))
    assert done.date == DAY and done.shift == "24h"
    _checkin(ctx, DEPUTY, _at(23))  # 23:00 local is 15:00 UTC: still the local day
    with pytest.raises(season.errors.InvalidState, match="已登记到岗"):
        _checkin(ctx, DORM, _at(9))
    with pytest.raises(season.CheckinRefused, match="不在"):
        _checkin(ctx, GUARD, _at(9))  # not rostered that day
    with pytest.raises(season.CheckinRefused, match="值班当天"):
        _checkin(ctx, PRINCIPAL, _at(9), now=_at(9, DAY + dt.timedelta(days=1)))  # a past day
    with pytest.raises(season.CheckinRefused, match="值班当天"):
        _checkin(ctx, PRINCIPAL, _at(9, DAY + dt.timedelta(days=1)), now=_at(9))  # a future day
    assert ctx.scalar(select(func.count(DutyCheckin.id))) == 2


def test_attendance_rate_counts_person_shifts_up_to_today(ctx) -> None:  # type: ignore[no-untyped-def]
    nxt = DAY + dt.timedelta(days=1)
    _edit(ctx, _row(DEPUTY, staff=(DEPUTY, GUARD), 门卫=GUARD, 宿管=DORM))  # 3 distinct people
    _edit(ctx, _row(PRINCIPAL, day=nxt, staff=()))  # 1 person, the next day
    _checkin(ctx, DEPUTY, _at(8))
    _checkin(ctx, GUARD, _at(8))
    one = season.attendance_rate(ctx, DAY, DAY, today=DAY, org_id=SCHOOL)
    assert (one.total.rostered, one.total.checked_in) == (3, 2)
    assert one.total.rate == pytest.approx(2 / 3)
    span = season.attendance_rate(ctx, DAY, nxt, today=DAY, org_id=SCHOOL)
    assert span.total.rostered == 3  # the next day has not begun: not counted
    later = season.attendance_rate(ctx, DAY, nxt, today=nxt, org_id=SCHOOL)
    assert later.total.rostered == 4 and later.total.checked_in == 2
    county = season.attendance_rate(ctx, DAY, DAY, today=DAY)
    mine = [o for o in county.orgs if o.key == SCHOOL][0]
    assert (mine.rostered, mine.checked_in) == (3, 2)
    assert county.towns and sum(t.rostered for t in county.towns) <= county.total.rostered
    assert json.loads(json.dumps(county.as_json()))["total"]["checked_in"] == 2


def test_cli_checkin_and_attendance(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    today = dt.datetime.now(SH).date()
    made = demo_runner.invoke(
        args=["campaign", "create", "命令行批次", "--start", str(today - dt.timedelta(days=5)),
              "--end", str(today + dt.timedelta(days=30))]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    with demo_app.app_context():
        _edit(db.session, _row(PRINCIPAL, day=today, staff=(GUARD,)))
        db.session.commit()
    run = lambda *a: demo_runner.invoke(args=["roster", *a])  # noqa: E731
    done = run("checkin", SCHOOL, "--by", GUARD)
    assert done.exit_code == 0 and "已到岗" in done.output, done.output
    twice = run("checkin", SCHOOL, "--by", GUARD)
    assert twice.exit_code == 2 and "已登记到岗" in twice.output
    yesterday = f"{today - dt.timedelta(days=1)}T09:00"
    past = run("checkin", SCHOOL, "--by", PRINCIPAL, "--at", yesterday)
    assert past.exit_code == 2 and "值班当天" in past.output
    report = run("attendance", "--school", SCHOOL, "--start", str(today), "--end", str(today), "--json")
    assert report.exit_code == 0, report.output
    total = json.loads(report.output)["total"]
    assert (total["rostered"], total["checked_in"]) == (2, 1)
    bad = run("attendance", "--start", "soon", "--end", str(today))
    assert bad.exit_code == 2
