"""The season board's figures on the demo county, through the real database and the services
that record the season's work: a check-in, a fire check, patrols, incidents and a submitted
round each move their figure for the school, its town and the county — and only for the
schools on the board.

Demo county: SCH001 (town T01) — principal P00027, 门卫 P00038, safety deputy P00029; grid
G00003 owned by P00087; SCH002 is another school of T01."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from responsibility import board, patrols, season
from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.models import Building, Campaign, FirePlan, School
from responsibility.settings import SeasonSettings
from responsibility.settings_work import PatrolSettings

SCHOOL, TOWN, PRINCIPAL, GUARD, DEPUTY = "SCH001", "T01", "P00027", "P00038", "P00029"
TODAY = today(DEFAULT_ZONE)


@pytest.fixture
def ctx(demo_app, demo_runner):  # type: ignore[no-untyped-def]
    start, end = (TODAY - dt.timedelta(days=30)).isoformat(), (TODAY + dt.timedelta(days=120)).isoformat()
    made = demo_runner.invoke(args=["campaign", "create", "看板测试批次", "--start", start, "--end", end])
    assert made.exit_code == 0, made.output
    with demo_app.app_context():
        yield db.session


def _school_id(session, source: str = SCHOOL) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(School.id).where(School.source_id == source)))


def _campaign(session) -> Campaign:  # type: ignore[no-untyped-def]
    return season.live_campaign(session)


def _at(hour: int, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=DEFAULT_ZONE)


def test_a_check_in_moves_the_attendance_of_school_town_and_county(ctx) -> None:  # type: ignore[no-untyped-def]
    row = season.RosterRow(0, TODAY, "24h", PRINCIPAL, (GUARD,), {})
    season.edit_roster_day(
        ctx, SCHOOL, row, leading_posts=SeasonSettings().leading_posts, actor="test", expected_version=None
    )
    ctx.commit()
    schools = board.board_schools(ctx, None)
    term = _campaign(ctx)
    before = board.attendance(ctx, schools, term.term_start, term.term_end, TODAY)
    sid = _school_id(ctx)
    assert before.schools[sid] == board.Share(0, 2)
    season.check_in(ctx, SCHOOL, GUARD, at=min(_at(8), dt.datetime.now(DEFAULT_ZONE)),
                    now=dt.datetime.now(DEFAULT_ZONE), zone=DEFAULT_ZONE, actor="test")  # fmt: skip
    after = board.attendance(ctx, schools, term.term_start, term.term_end, TODAY)
    assert after.schools[sid] == board.Share(1, 2) and after.schools[sid].rate == 0.5
    assert after.towns[TOWN] == before.towns[TOWN] + board.Share(1, 0)
    assert after.county == before.county + board.Share(1, 0)
    # A liaison-sized board without SCH001 does not count it.
    other = board.board_schools(ctx, {_school_id(ctx, "SCH002")})
    assert sid not in board.attendance(ctx, other, term.term_start, term.term_end, TODAY).schools


def test_a_fire_check_moves_the_month_s_checked_buildings(ctx) -> None:  # type: ignore[no-untyped-def]
    sid = _school_id(ctx)
    plan, building = ctx.execute(
        select(FirePlan, Building).join(Building, Building.id == FirePlan.building_id)
        .where(Building.school_id == sid).order_by(Building.source_id).limit(1)
    ).one()  # fmt: skip
    plan.last_monthly_check = TODAY.replace(day=1) - dt.timedelta(days=40)  # checked long ago
    ctx.flush()
    schools = board.board_schools(ctx, None)
    before = board.fire_checks(ctx, schools, TODAY)
    season.record_fire_check(ctx, building.source_id, by=PRINCIPAL, day=TODAY, today=TODAY, actor="test")
    after = board.fire_checks(ctx, schools, TODAY)
    assert after.schools[sid] == before.schools[sid] + board.Share(1, 0)
    assert after.schools[sid].total == before.schools[sid].total > 0
    assert after.towns[TOWN] == before.towns[TOWN] + board.Share(1, 0)
    last_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    assert board.fire_checks(ctx, schools, last_month).schools[sid].done <= before.schools[sid].done + 1


def test_patrols_make_a_grid_gapless_and_agree_with_the_school_page(ctx) -> None:  # type: ignore[no-untyped-def]
    settings = PatrolSettings()
    monday = TODAY - dt.timedelta(days=TODAY.weekday() + 14)
    start, end = monday, monday + dt.timedelta(days=6)
    sid = _school_id(ctx)
    schools = board.board_schools(ctx, {sid})

    def covered() -> board.Share:
        return board.patrol_coverage(ctx, schools, start, end, settings=settings, today=TODAY).schools[sid]

    before = covered()
    page = patrols.school_patrols(ctx, SCHOOL, start, end, settings=settings, today=TODAY)
    assert before == board.Share(sum(1 for g in page.grids if g.gap_count == 0), len(page.grids))
    gaps = patrols.patrol_gaps(ctx, "G00003", start, end, settings=settings, today=TODAY)
    assert gaps.gap_count > 0
    for person in gaps.people:
        for offset in range(7):
            patrols.log_patrol(ctx, "G00003", person.person, at=_at(9, start + dt.timedelta(days=offset)),
                               now=dt.datetime.now(DEFAULT_ZONE), tz=DEFAULT_ZONE, settings=settings, actor="test")  # fmt: skip
    assert covered() == before + board.Share(1, 0)


def test_incidents_this_term_count_late_and_unreported(ctx, demo_runner) -> None:  # type: ignore[no-untyped-def]
    schools = board.board_schools(ctx, None)
    before = board.incidents_in_term(ctx, schools, _campaign(ctx), TODAY)
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    common = ["--school", SCHOOL, "--place", "G00002", "--severity", "ordinary", "--description", "看板测试"]
    late = demo_runner.invoke(args=["incident", "report", *common, "--kind", "E02", "--at", f"{day} 08:00",
                                    "--reported", f"{day} 10:30"])  # fmt: skip
    assert late.exit_code == 0, late.output
    hidden = demo_runner.invoke(args=["incident", "record-unreported", *common, "--kind", "E07",
                                      "--at", f"{day} 09:00", "--by", "P00001"])  # fmt: skip
    assert hidden.exit_code == 0, hidden.output
    old = demo_runner.invoke(args=["incident", "report", *common, "--kind", "E07", "--at", "2020-01-05 08:00",
                                   "--reported", "2020-01-05 09:00"])  # fmt: skip
    assert old.exit_code == 0, old.output  # before the term: not counted
    ctx.expire_all()
    after = board.incidents_in_term(ctx, schools, _campaign(ctx), TODAY)
    assert after.county == before.county + board.IncidentCounts(2, 1, 1)
    assert after.schools[_school_id(ctx)] == board.IncidentCounts(2, 1, 1)
    assert after.towns[TOWN].count == before.towns[TOWN].count + 2
    earlier = board.incidents_in_term(ctx, schools, _campaign(ctx), TODAY - dt.timedelta(days=3))
    assert earlier.county == before.county


def test_a_submitted_checklist_moves_the_round_completion(ctx, demo_runner) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: demo_runner.invoke(args=["round", *a])  # noqa: E731
    opened = run("open", "看板大排查", "--start", (TODAY - dt.timedelta(days=1)).isoformat(),
                 "--end", (TODAY + dt.timedelta(days=10)).isoformat(), "--areas", "R05")  # fmt: skip
    assert opened.exit_code == 0, opened.output
    round_id = opened.output.strip().splitlines()[-1]
    schools = board.board_schools(ctx, None)
    before = board.latest_round(ctx, schools)
    assert before is not None and before.round_id == int(round_id) and before.submitted.county.done == 0
    assert before.submitted.county.total == len(schools.rows) and before.fail_rates == {}
    for item, result, *note in (("R05-06", "pass"), ("R05-07", "fail", "--note", "校门口无减速带")):
        assert run("answer", round_id, SCHOOL, item, "--by", DEPUTY, "--result", result, *note).exit_code == 0
    assert run("submit", round_id, SCHOOL, "--by", DEPUTY).exit_code == 0
    ctx.expire_all()
    after = board.latest_round(ctx, schools)
    assert after is not None and after.submitted.schools[_school_id(ctx)] == board.Share(1, 1)
    assert after.submitted.towns[TOWN] == before.submitted.towns[TOWN] + board.Share(1, 0)
    assert after.fail_rates == {"R05": 0.5}
    mine = board.latest_round(ctx, board.board_schools(ctx, {_school_id(ctx, "SCH002")}))
    assert mine is not None and mine.submitted.county == board.Share(0, 1)
