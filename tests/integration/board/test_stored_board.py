"""The stored season board (issue 16): the figures stored per school for the whole county add up,
for any set of schools a reader may see, to exactly what the board computes live for that set —
with a round submitted (its fail rates), incidents (late and not reported) and the demo's own
patrols, rosters, fire files and visits; a new snapshot of the same day replaces the older one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from responsibility import board, season
from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.models import BoardSnapshot, BoardSnapshotSchool, GapSnapshot, School, Town
from responsibility.settings_work import PatrolSettings

SCHOOL, DEPUTY = "SCH001", "P00029"
TODAY = today(DEFAULT_ZONE)
DAY = board.BoardDay(TODAY, PatrolSettings(), TODAY, "Asia/Shanghai")


@pytest.fixture
def ctx(demo_app, demo_runner):  # type: ignore[no-untyped-def]
    def ok(*args: str) -> str:
        result = demo_runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return str(result.output)

    ok("campaign", "create", "存储看板批次", "--start", (TODAY - dt.timedelta(days=30)).isoformat(),
       "--end", (TODAY + dt.timedelta(days=120)).isoformat())  # fmt: skip
    round_id = ok("round", "open", "存储看板排查", "--start", (TODAY - dt.timedelta(days=1)).isoformat(),
                  "--end", (TODAY + dt.timedelta(days=10)).isoformat(), "--areas", "R05").strip().splitlines()[-1]  # fmt: skip
    ok("round", "answer", round_id, SCHOOL, "R05-06", "--by", DEPUTY, "--result", "pass")
    ok("round", "answer", round_id, SCHOOL, "R05-07", "--by", DEPUTY, "--result", "fail", "--note", "无减速带")
    ok("round", "submit", round_id, SCHOOL, "--by", DEPUTY)
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    ok("incident", "report", "--school", SCHOOL, "--place", "G00002", "--severity", "ordinary", "--kind", "E02",
       "--description", "存储看板", "--at", f"{day} 08:00", "--reported", f"{day} 10:30")  # fmt: skip
    with demo_app.app_context():
        yield db.session


def _live(session, schools):  # type: ignore[no-untyped-def]
    return board.season_figures(session, schools, season.live_campaign(session), DAY)


def _same(stored: board.StoredBoard, live: dict, schools: board.BoardSchools) -> None:  # type: ignore[type-arg]
    """The stored board's county and town figures are the live ones; its listed schools are all of
    ``schools`` (the page is big enough) with the live numbers, zero where live has none."""
    assert stored.towns == schools.towns and stored.school_count == len(schools.rows)
    assert [i for i, _ in stored.listed] == list(schools.rows)
    assert stored.figures is not None
    for name in ("patrols", "attendance", "fire", "visits", "fraud", "incidents", "round"):
        got, want = stored.figures[name], live[name]
        if name == "round":
            assert (got.round_id, got.name, got.fail_rates) == (want.round_id, want.name, want.fail_rates)
            got, want = got.submitted, want.submitted
        assert (got.county, got.towns) == (want.county, want.towns), name
        zero = type(want.county)()
        assert {i: got.schools[i] for i in schools.rows} == {i: want.schools.get(i, zero) for i in schools.rows}


def test_the_stored_figures_add_up_to_the_live_ones_for_any_reader(ctx) -> None:  # type: ignore[no-untyped-def]
    campaign = season.live_campaign(ctx)
    snapshot = board.compute_board_snapshot(ctx, campaign.id, DAY, actor="test")
    ctx.commit()
    ctx.expire_all()
    stored = ctx.get(BoardSnapshot, snapshot.id)
    assert ctx.scalar(select(func.count()).select_from(BoardSnapshotSchool)) == ctx.scalar(
        select(func.count(School.id))
    )
    everyone = board.board_schools(ctx, None)
    live = _live(ctx, everyone)
    assert live["round"] is not None and live["round"].fail_rates == {"R05": 0.5}
    assert live["incidents"].county.count >= 1 and live["patrols"].county.total > 0
    _same(board.stored_board(ctx, stored, None, offset=0, limit=1000), live, everyone)
    town_one = set(ctx.scalars(select(School.id).join(Town, Town.id == School.town_id).where(Town.source_id == "T01")))
    just_one = {int(ctx.scalar(select(School.id).where(School.source_id == "SCH002")))}
    for visible in (town_one, just_one, set()):
        schools = board.board_schools(ctx, visible)
        _same(board.stored_board(ctx, stored, visible, offset=0, limit=1000), _live(ctx, schools), schools)


def test_the_stored_board_lists_a_page_of_schools(ctx) -> None:  # type: ignore[no-untyped-def]
    campaign = season.live_campaign(ctx)
    snapshot = board.compute_board_snapshot(ctx, campaign.id, DAY, actor="test")
    everyone = board.board_schools(ctx, None)
    second = board.stored_board(ctx, snapshot, None, offset=5, limit=5)
    assert [i for i, _ in second.listed] == list(everyone.rows)[5:10]
    assert second.figures is not None and set(second.figures["patrols"].schools) == {i for i, _ in second.listed}
    assert second.school_count == len(everyone.rows)
    none = board.stored_board(ctx, None, None, offset=0, limit=5)
    assert none.figures is None and none.school_count == len(everyone.rows) and len(none.listed) == 5


def test_a_new_snapshot_of_the_day_replaces_the_older(ctx) -> None:  # type: ignore[no-untyped-def]
    campaign = season.live_campaign(ctx)
    board.compute_board_snapshot(ctx, campaign.id, DAY, actor="test")
    ctx.commit()
    second = board.compute_board_snapshot(ctx, campaign.id, DAY, actor="test")
    ctx.commit()
    assert ctx.scalar(select(func.count(BoardSnapshot.id))) == 1
    assert board.latest_board_snapshot(ctx, campaign.id, TODAY).id == second.id  # type: ignore[union-attr]
    assert set(ctx.scalars(select(BoardSnapshotSchool.snapshot_id))) == {second.id}
    assert board.latest_board_snapshot(ctx, campaign.id, TODAY - dt.timedelta(days=1)) is None


def test_the_scheduler_s_command_stores_both_reports(ctx, demo_runner) -> None:  # type: ignore[no-untyped-def]
    result = demo_runner.invoke(args=["jobs", "refresh-reports", "--at", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"gap report of {TODAY.isoformat()}: " in result.output and "season board of 存储看板批次" in result.output
    ctx.expire_all()
    assert board.latest_board_snapshot(ctx, season.live_campaign(ctx).id, TODAY) is not None
    assert ctx.scalar(select(func.count(GapSnapshot.id))) == 1
    bad = demo_runner.invoke(args=["jobs", "refresh-reports", "--at", "2026-02-30"])
    assert bad.exit_code == 2


def test_without_a_campaign_only_the_gap_report_is_stored(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    result = demo_runner.invoke(args=["jobs", "refresh-reports"])
    assert result.exit_code == 0, result.output
    assert "season board: no campaign yet" in result.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(BoardSnapshot.id))) == 0
        assert db.session.scalar(select(func.count(GapSnapshot.id))) == 1
