"""`flask firefile check` and `flask visits record` on the demo county: the happy path moves F2
and V1, each bad input is one line, exit 2 and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from season_tools import DEPUTY, OTHER_PRINCIPAL, SCHOOL, context, subjects
from sqlalchemy import func, select

from responsibility.chain.gaps.fire_checks import check_f2
from responsibility.chain.gaps.visit_checks import check_v1
from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import AuditEvent, Building, Campaign, FireCheck, FirePlan, HomeVisitCount, School


@pytest.fixture
def cli(demo_app):  # type: ignore[no-untyped-def]
    runner = demo_app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


def _events(action: str) -> int:
    return int(db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == action)) or 0)


def _stale_building(demo_app) -> tuple[str, dt.date]:  # type: ignore[no-untyped-def]
    """A building of SCH001 that F2 flags today (its last check is older than 31 days)."""
    today = county_today()
    with demo_app.app_context():
        flagged = subjects(check_f2(context(db.session, today)), SCHOOL)
        assert flagged, "the demo county's checks are older than 31 days today"
        return sorted(flagged)[0], today


def test_a_fire_check_is_recorded_and_f2_reads_it(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    building, today = _stale_building(demo_app)
    result = cli(
        "firefile", "check", building, "--by", DEPUTY, "--date", today.isoformat(), "--finding", "灭火器压力正常"
    )
    assert result.exit_code == 0, result.output
    with demo_app.app_context():
        check = db.session.scalars(select(FireCheck).join(Building).where(Building.source_id == building)).one()
        assert check.date == today and check.checker.source_id == DEPUTY and check.finding == "灭火器压力正常"
        plan = db.session.scalars(select(FirePlan).join(Building).where(Building.source_id == building)).one()
        assert plan.last_monthly_check == today
        assert building not in subjects(check_f2(context(db.session, today)), SCHOOL)
        assert _events("firefile.check") == 1
    earlier = (today - dt.timedelta(days=40)).isoformat()
    assert cli("firefile", "check", building, "--by", DEPUTY, "--date", earlier).exit_code == 0
    with demo_app.app_context():  # an older check is kept but never moves the file's date back
        plan = db.session.scalars(select(FirePlan).join(Building).where(Building.source_id == building)).one()
        assert plan.last_monthly_check == today


def test_fire_check_refuses_bad_input_with_nothing_written(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    building, today = _stale_building(demo_app)
    with demo_app.app_context():
        bare = Building(
            source_id="BLD-NOFILE",
            school_id=db.session.scalar(select(School.id).where(School.source_id == SCHOOL)),
            name="新建仓库",
        )
        db.session.add(bare)
        db.session.commit()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    cases = [
        (["BLD-NONE", "--by", DEPUTY, "--date", today.isoformat()], "BLD-NONE"),
        (["BLD-NOFILE", "--by", DEPUTY, "--date", today.isoformat()], "BLD-NOFILE"),
        ([building, "--by", DEPUTY, "--date", tomorrow], tomorrow),
        ([building, "--by", "P99999", "--date", today.isoformat()], "P99999"),
        ([building, "--by", OTHER_PRINCIPAL, "--date", today.isoformat()], OTHER_PRINCIPAL),
        ([building, "--by", DEPUTY, "--date", "2025/01/01"], "2025/01/01"),
    ]
    for args, says in cases:
        result = cli("firefile", "check", *args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and says in result.output
    assert cli("firefile", "check", building, "--by", DEPUTY, "--date", today.isoformat()).exit_code == 0
    twice = cli("firefile", "check", building, "--by", DEPUTY, "--date", today.isoformat())
    assert twice.exit_code == 2 and today.isoformat() in twice.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(FireCheck.id))) == 1 and _events("firefile.check") == 1


def test_visits_are_recorded_per_class_and_v1_reads_them(cli, demo_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    make_campaign()
    with demo_app.app_context():
        assert SCHOOL not in subjects(check_v1(context(db.session, county_today())), SCHOOL)
    base = ["visits", "record", SCHOOL, "--period", "2025年寒假"]
    first = cli(*base, "--class", "高一1班", "--planned", "6", "--done", "6", "--category", "留守儿童")
    assert first.exit_code == 0, first.output
    short = cli(*base, "--class", "高一2班", "--planned", "5", "--done", "3", "--category", "心理关注学生")
    assert short.exit_code == 0 and "3/5 (v1)" in short.output
    with demo_app.app_context():
        v1 = [f for f in check_v1(context(db.session, county_today())) if f.school_id == SCHOOL]
        assert len(v1) == 1 and "应访11人，已访9人，2人未访" in v1[0].message  # live counts stand for the period
    done = cli(
        *base,
        "--class",
        "高一2班",
        "--planned",
        "5",
        "--done",
        "5",
        "--category",
        "心理关注学生",
        "--expected-version",
        "1",
    )
    assert done.exit_code == 0 and "(v2)" in done.output
    stale = cli(
        *base,
        "--class",
        "高一2班",
        "--planned",
        "5",
        "--done",
        "4",
        "--category",
        "心理关注学生",
        "--expected-version",
        "1",
    )
    assert stale.exit_code == 2
    default = cli(
        "visits", "record", SCHOOL, "--class", "高一3班", "--planned", "2", "--done", "1", "--category", "困境儿童"
    )
    assert default.exit_code == 0, default.output
    with demo_app.app_context():
        label = db.session.scalars(select(Campaign.season)).one()
    assert f"{SCHOOL} {label} 高一3班" in default.output  # the period defaults to the live season
    with demo_app.app_context():
        v1 = {f.message for f in check_v1(context(db.session, county_today())) if f.school_id == SCHOOL}
        assert not any("2025年寒假" in m for m in v1) and any("1人未访" in m for m in v1)
        assert _events("visits.record") == 4
        assert db.session.scalar(select(func.count(HomeVisitCount.id))) == 3


@pytest.mark.parametrize(
    ("counts", "says"),
    [
        (["--planned", "3", "--done", "4", "--category", "留守儿童"], "4"),
        (["--planned", "-1", "--done", "0", "--category", "留守儿童"], "负数"),
        (["--planned", "3", "--done", "-2", "--category", "留守儿童"], "负数"),
        (["--planned", "3", "--done", "1", "--category", "学霸"], "学霸"),
    ],
    ids=["done-above-planned", "negative-planned", "negative-done", "unknown-category"],
)
def test_visits_refuse_bad_counts_with_nothing_written(cli, demo_app, counts, says) -> None:  # type: ignore[no-untyped-def]
    result = cli("visits", "record", SCHOOL, "--period", "2025年寒假", "--class", "高一1班", *counts)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1 and says in result.output
    other = cli(
        "visits",
        "record",
        "SCH999",
        "--period",
        "2025年寒假",
        "--class",
        "高一1班",
        "--planned",
        "1",
        "--done",
        "1",
        "--category",
        "留守儿童",
    )
    assert other.exit_code == 2 and "SCH999" in other.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(HomeVisitCount.id))) == 0 and _events("visits.record") == 0
