"""`flask patrol log|gaps` on the demo county: a logged patrol closes its period and writes one
audit event; each refusal (non-member, future, another school's grid, twice a day) is one line,
exit 2, nothing written; gaps per person and per school.

Demo county, SCH001: G00001 (the school grid) owned by the principal P00027, members P00028 and
P00029; G00003 owned by P00087; G00111 belongs to SCH002."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.models import AuditEvent, GridPatrol, Person


@pytest.fixture
def cli(demo_app):  # type: ignore[no-untyped-def]
    runner = demo_app.test_cli_runner()
    return lambda *args: runner.invoke(args=["patrol", *args], catch_exceptions=False)


def _day(offset: int) -> str:
    return (today(DEFAULT_ZONE) + dt.timedelta(days=offset)).isoformat()


def _counts(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        patrols = db.session.scalar(select(func.count(GridPatrol.id)))
        events = db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "patrol.log"))
        return int(patrols or 0), int(events or 0)


def test_a_patrol_is_logged_with_its_local_day_and_one_event(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-1)}T23:30", "--note", "灯 正常")
    assert result.exit_code == 0, result.output
    with demo_app.app_context():
        patrol = db.session.scalars(select(GridPatrol)).one()
        assert patrol.day.isoformat() == _day(-1) and patrol.result == "normal" and patrol.note == "灯 正常"
        assert patrol.at.replace(tzinfo=dt.UTC).hour == 15  # 23:30 Beijing time is 15:30 UTC, stored as UTC
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "patrol.log")).one()
        assert event.subject == "grid:G00003" and event.data["person"] == "P00087"
    assert _counts(demo_app) == (1, 1)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("G00003", "--by", "P00093"), "neither the owner nor a member"),  # owner of G00004, not of G00003
        (("G00111", "--by", "P00087"), "neither the owner nor a member"),  # a grid of another school
        (("G00003", "--by", "P00087", "--at", f"{_day(1)}T08:00"), "in the future"),
        (("G00003", "--by", "P00087", "--at", "yesterday"), "--at"),
        (("G99999", "--by", "P00087"), "No grid"),
        (("G00003", "--by", "P99999"), "No person"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(cli, demo_app, args, expected) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
    assert _counts(demo_app) == (0, 0)


def test_a_second_patrol_the_same_day_is_refused(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-1)}T08:00").exit_code == 0
    again = cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-1)}T17:00")
    assert again.exit_code == 2 and "already logged a patrol" in again.output and "08:00" in again.output
    assert _counts(demo_app) == (1, 1)
    assert cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-2)}T08:00").exit_code == 0  # another day is fine


def test_gaps_per_person_daily_members_weekly_owner(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    for day in (-5, -3):
        assert cli("log", "G00001", "--by", "P00028", "--at", f"{_day(day)}T09:00").exit_code == 0
    result = cli("gaps", "G00001", "--start", _day(-5), "--end", _day(-3), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    people = {p["person"]: p for p in report["people"]}
    assert people["P00028"]["role"] == "member" and people["P00028"]["every_days"] == 1
    assert people["P00028"]["gaps"] == [{"start": _day(-4), "end": _day(-4)}]
    assert len(people["P00029"]["gaps"]) == 3  # the other member never patrolled
    assert people["P00027"]["role"] == "owner" and people["P00027"]["every_days"] == 7
    assert report["patrols"] == 2 and report["gap_count"] == sum(len(p["gaps"]) for p in report["people"])


def test_a_member_who_joined_mid_period_owes_from_joining(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        person = db.session.scalar(select(Person).where(Person.source_id == "P00029"))
        person.joined_on = dt.date.fromisoformat(_day(-3))
        db.session.commit()
    before = cli("log", "G00001", "--by", "P00029", "--at", f"{_day(-4)}T09:00")
    assert before.exit_code == 2 and "neither the owner nor a member" in before.output  # not in service yet
    report = json.loads(cli("gaps", "G00001", "--start", _day(-6), "--end", _day(-1), "--json").output)
    member = next(p for p in report["people"] if p["person"] == "P00029")
    assert member["owed"] == 3 and [g["start"] for g in member["gaps"]] == [_day(-3), _day(-2), _day(-1)]


def test_school_summary_and_bad_arguments(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-1)}T09:00").exit_code == 0
    result = cli("gaps", "--school", "SCH001", "--start", _day(-7), "--end", _day(-1), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    rows = {g["grid"]: g for g in summary["grids"]}
    assert summary["grid_count"] == len(rows) > 100 and summary["patrols"] == 1
    assert rows["G00003"]["patrols"] == 1 and rows["G00004"]["patrols"] == 0
    assert rows["G00004"]["gap_count"] >= 1 and summary["gap_count"] == sum(g["gap_count"] for g in rows.values())
    text = cli("gaps", "--school", "SCH001", "--start", _day(-7), "--end", _day(-1)).output
    assert "SCH001: " in text and "G00003" in text
    for args in (("G00003", "--school", "SCH001"), ("--start", _day(-1), "--end", _day(-1))):
        bad = cli("gaps", *args, "--start", _day(-1), "--end", _day(-1)) if "--school" in args else cli("gaps", *args)
        assert bad.exit_code == 2 and "either a grid or --school" in bad.output
    backwards = cli("gaps", "G00003", "--start", _day(-1), "--end", _day(-3))
    assert backwards.exit_code == 2 and "before the start" in backwards.output


def test_a_patrol_is_a_work_record_for_due_diligence(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.accountability import work_records

    assert cli("log", "G00003", "--by", "P00087", "--at", f"{_day(-2)}T09:00", "--note", "走廊畅通").exit_code == 0
    with demo_app.app_context():
        person = db.session.scalar(select(Person).where(Person.source_id == "P00087"))
        day = dt.date.fromisoformat(_day(-2))
        records = [r for r in work_records(db.session, person.id, day, day) if r.kind == "patrol"]
        assert [(r.ref, r.day, r.text) for r in records] == [("grid:G00003", day, "巡查正常 走廊畅通")]


def test_days_after_the_term_are_not_owed(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.agreements import create_campaign

    with demo_app.app_context():
        create_campaign(
            db.session, name="已结束的冬春季", start=dt.date.fromisoformat(_day(-40)),
            end=dt.date.fromisoformat(_day(-4)), due=dt.date.fromisoformat(_day(-30)), actor="test",
            base_url="https://anquan.example.cn",
        )  # fmt: skip
        db.session.commit()
    report = json.loads(cli("gaps", "G00001", "--start", _day(-6), "--end", _day(-1), "--json").output)
    member = next(p for p in report["people"] if p["person"] == "P00028")
    assert member["owed"] == 3 and [g["start"] for g in member["gaps"]] == [_day(-6), _day(-5), _day(-4)]


def test_the_poster_tells_patrollers_to_scan(demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    from responsibility.hazards.posters import render_posters
    from responsibility.models import School

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    with demo_app.app_context():
        school = db.session.scalar(select(School).where(School.source_id == "SCH001"))
        pdf = render_posters(db.session, school, base_url="https://anquan.example.cn", day=today(DEFAULT_ZONE))
    (tmp_path / "p.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "巡查打卡" in text and "巡查正常" in text
