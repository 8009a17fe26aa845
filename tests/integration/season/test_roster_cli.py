"""`flask roster import|check` on the demo county: an .xlsx roster is checked whole (columns,
season, leader, leading post) before anything is written; D1 reads uploaded rows like imported
ones; the check lists uncovered days with 寒假 and 春节 flagged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from season_tools import DEPUTY, DORM, GUARD, OTHER_PRINCIPAL, PRINCIPAL, SCHOOL, context, subjects, write_roster
from sqlalchemy import func, select

from responsibility import season
from responsibility.chain.gaps.duty_checks import check_d1
from responsibility.extensions import db
from responsibility.models import AuditEvent, DutyRoster, Organization, Person, duty_roster_staff
from responsibility.settings import SeasonSettings


@pytest.fixture
def roster(demo_app, make_campaign):  # type: ignore[no-untyped-def]
    """``roster("import", …)`` runs ``flask roster …`` with a live campaign (2024-11-15 … 2025-04-30)."""
    make_campaign()
    runner = demo_app.test_cli_runner()
    return lambda *args: runner.invoke(args=["roster", *args], catch_exceptions=False)


def _rows(demo_app, org: str) -> list[tuple[str, str | None, list[str], dict | None]]:  # type: ignore[no-untyped-def,type-arg]
    with demo_app.app_context():
        found = db.session.scalars(
            select(DutyRoster).join(Organization).where(Organization.source_id == org).order_by(DutyRoster.date)
        ).all()
        return [
            (r.date.isoformat(), r.leader.source_id if r.leader else None, [p.source_id for p in r.staff], r.key_posts)
            for r in found
        ]


def test_import_writes_the_days_and_d1_reads_them(roster, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        assert not subjects(check_d1(context(db.session, dt.date(2025, 3, 31))), SCHOOL)  # imported: no gap
    before = _rows(demo_app, SCHOOL)
    path = write_roster(
        tmp_path / "r.xlsx",
        [
            ("2025-03-01", "24h", PRINCIPAL, f"{GUARD}、{DORM}", GUARD, DORM),
            (dt.datetime(2025, 3, 3), "24h", DEPUTY, "", GUARD, None),
        ],
    )
    result = roster("import", SCHOOL, str(path))
    assert result.exit_code == 0, result.output
    assert "2 " in result.output
    rows = _rows(demo_app, SCHOOL)
    assert len(rows) == len(before) + 2
    assert ("2025-03-01", PRINCIPAL, [GUARD, DORM], {"门卫": GUARD, "宿管": DORM}) in rows
    assert ("2025-03-03", DEPUTY, [], {"门卫": GUARD}) in rows
    with demo_app.app_context():
        d1 = subjects(check_d1(context(db.session, dt.date(2025, 3, 31))), SCHOOL)
        assert "2025-03-02" in d1  # inside the span now, no row: D1 sees the uploaded days
        assert "2025-03-01" not in d1 and "2025-03-03" not in d1
        positions = db.session.execute(
            select(Person.source_id, duty_roster_staff.c.position)
            .join(duty_roster_staff, duty_roster_staff.c.person_id == Person.id)
            .join(DutyRoster, DutyRoster.id == duty_roster_staff.c.roster_id)
            .where(DutyRoster.date == dt.date(2025, 3, 1))
        ).all()
        assert sorted(positions, key=lambda p: p[1]) == [
            (GUARD, 0),
            (DORM, 1),
        ]  # the file's order, as the import keeps it
        events = db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "roster.import"))
        assert events == 1
    fill = write_roster(tmp_path / "fill.xlsx", [("2025-03-02", "24h", DEPUTY, "", "", "")])
    assert roster("import", SCHOOL, str(fill)).exit_code == 0
    with demo_app.app_context():
        assert "2025-03-02" not in subjects(check_d1(context(db.session, dt.date(2025, 3, 31))), SCHOOL)


def test_an_upload_replaces_an_imported_day_without_a_leader(roster, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        led = db.session.execute(
            select(DutyRoster.date, Organization.source_id)
            .join(Organization)
            .where(DutyRoster.leader_person_id.is_(None))
            .order_by(DutyRoster.date)
        ).first()
        assert led is not None, "the demo county has an imported day without a leader"
        day, org = led
        assert day.isoformat() in subjects(check_d1(context(db.session, day)), org)
        principal = db.session.execute(select(Organization).where(Organization.source_id == org)).scalar_one()
        from responsibility.models import PostAssignment

        leader = db.session.scalars(
            select(PostAssignment).where(PostAssignment.org_id == principal.id, PostAssignment.post_code == "S01")
        ).first()
        assert leader is not None
        leader_id = leader.person.source_id
    count = len(_rows(demo_app, org))
    path = write_roster(tmp_path / "r.xlsx", [(day.isoformat(), "24h", leader_id, "", "", "")])
    result = roster("import", org, str(path))
    assert result.exit_code == 0, result.output
    assert "替换 1" in result.output
    assert len(_rows(demo_app, org)) == count
    with demo_app.app_context():
        assert day.isoformat() not in subjects(check_d1(context(db.session, day)), org)


@pytest.mark.parametrize(
    ("rows", "header", "says"),
    [
        ([("2025-03-01", "24h", PRINCIPAL, "", "", "")], ("日期", "班次", "值班人员", "门卫", "宿管"), "带班领导"),
        ([("2025-03-01", "24h", PRINCIPAL, "", "", "")], ("date", "shift", "leader", "staff", "门卫"), "宿管"),
        ([("2025-06-01", "24h", PRINCIPAL, "", "", "")], None, "2025-06-01"),
        ([("2025-03-01", "24h", PRINCIPAL, "", "", ""), ("2025-03-02", "24h", "", "", GUARD, "")], None, "第3行"),
        ([("2025-03-01", "24h", GUARD, "", "", "")], None, GUARD),
        ([("2025-03-01", "24h", OTHER_PRINCIPAL, "", "", "")], None, OTHER_PRINCIPAL),
        ([("2025-03-01", "24h", PRINCIPAL, "P99999", "", "")], None, "P99999"),
        ([("2025-03-01", "24h", PRINCIPAL, "", "", ""), ("2025-03-01", "24h", DEPUTY, "", "", "")], None, "24h"),
        ([("3月1日", "24h", PRINCIPAL, "", "", "")], None, "3月1日"),
    ],
    ids=[
        "no-leader-column",
        "no-dorm-column",
        "outside-season",
        "day-without-leader",
        "guard-leads",
        "leader-of-another-school",
        "unknown-staff",
        "repeated-shift",
        "bad-date",
    ],
)
def test_import_refuses_bad_rosters_with_one_line_and_nothing_written(  # type: ignore[no-untyped-def]
    roster, demo_app, tmp_path, rows, header, says
) -> None:
    before = _rows(demo_app, SCHOOL)
    path = write_roster(tmp_path / "bad.xlsx", rows, *(() if header is None else (header,)))
    result = roster("import", SCHOOL, str(path))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and says in result.output
    assert _rows(demo_app, SCHOOL) == before
    with demo_app.app_context():
        assert not db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "roster.import"))


def test_import_refuses_a_file_that_is_not_a_workbook_and_an_unknown_org(roster, tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "r.xlsx"
    junk.write_text("日期,班次\n")
    result = roster("import", SCHOOL, str(junk))
    assert result.exit_code == 2 and ".xlsx" in result.output
    good = write_roster(tmp_path / "ok.xlsx", [("2025-03-01", "24h", PRINCIPAL, "", "", "")])
    result = roster("import", "SCH999", str(good))
    assert result.exit_code == 2 and "SCH999" in result.output


def test_import_without_a_campaign_is_refused(demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_roster(tmp_path / "r.xlsx", [("2025-03-01", "24h", PRINCIPAL, "", "", "")])
    result = demo_app.test_cli_runner().invoke(args=["roster", "import", SCHOOL, str(path)])
    assert result.exit_code == 2 and "campaign" in result.output


def test_check_lists_uncovered_days_and_flags_the_holidays(roster, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = roster("check", SCHOOL, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["term_start"] == "2024-11-15" and report["term_end"] == "2025-04-30"
    uncovered = {d["date"]: d for d in report["uncovered"]}
    assert report["days"] == 167 and report["covered"] == 167 - len(uncovered)
    covered = {r[0] for r in _rows(demo_app, SCHOOL)}
    assert covered and not covered & set(uncovered)
    assert uncovered["2024-11-15"]["reason"] == "no_roster"
    path = write_roster(tmp_path / "r.xlsx", [("2024-11-15", "24h", PRINCIPAL, "", "", "")])
    assert roster("import", SCHOOL, str(path)).exit_code == 0
    again = json.loads(roster("check", SCHOOL, "--json").output)
    assert "2024-11-15" not in {d["date"] for d in again["uncovered"]} and again["covered"] == report["covered"] + 1
    with demo_app.app_context():
        flagged = season.roster_coverage(
            db.session,
            SCHOOL,
            SeasonSettings(
                winter_break=((dt.date(2025, 1, 18), dt.date(2025, 2, 16)),),
                spring_festival=((dt.date(2025, 1, 28), dt.date(2025, 2, 4)),),
            ),
        )
    days = {d.date: d for d in flagged.uncovered}
    assert days[dt.date(2024, 11, 16)].winter_break is False
    holiday = [d for d in days.values() if d.spring_festival]
    assert all(d.winter_break for d in holiday)
    assert all(dt.date(2025, 1, 28) <= d.date <= dt.date(2025, 2, 4) for d in holiday)
    text = roster("check", SCHOOL)
    assert text.exit_code == 0 and "无值班安排" in text.output and "天已安排带班" in text.output
    assert roster("check", "SCH999", "--json").exit_code == 2


def test_the_bureau_imports_its_own_roster_with_bureau_leaders(roster, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_roster(tmp_path / "b.xlsx", [("2025-04-01", "24h", "P00002", "P00006", "", "")])
    result = roster("import", "ORG-BUREAU", str(path))
    assert result.exit_code == 0, result.output
    assert ("2025-04-01", "P00002", ["P00006"], None) in _rows(demo_app, "ORG-BUREAU")
    school_head = write_roster(tmp_path / "s.xlsx", [("2025-04-02", "24h", PRINCIPAL, "", "", "")])
    refused = roster("import", "ORG-BUREAU", str(school_head))
    assert refused.exit_code == 2 and PRINCIPAL in refused.output  # a school's principal does not lead at the bureau


def test_check_through_the_cli_flags_the_configured_holidays(demo_database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import make_app

    from responsibility.agreements import create_campaign

    app = make_app(
        demo_database_url,
        tmp_path / "instance",
        ROSTER_WINTER_BREAK="2025-01-18/2025-02-16",
        ROSTER_SPRING_FESTIVAL="2025-01-28/2025-02-04",
    )
    try:
        with app.app_context():
            create_campaign(
                db.session,
                name="2024—2025年冬春季",
                start=dt.date(2024, 11, 15),
                end=dt.date(2025, 4, 30),
                actor="test",
                base_url="https://anquan.example.cn",
            )
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["roster", "check", "SCH025", "--json"])
        assert result.exit_code == 0, result.output
        days = {d["date"]: d for d in json.loads(result.output)["uncovered"]}
        assert days["2024-11-15"]["winter_break"] is False and days["2024-11-15"]["spring_festival"] is False
        festival = [d for d in days.values() if d["spring_festival"]]
        assert festival and all(d["winter_break"] for d in festival)
        assert all("2025-01-28" <= d["date"] <= "2025-02-04" for d in festival)
        text = app.test_cli_runner().invoke(args=["roster", "check", "SCH025"])
        assert "【寒假】" in text.output
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_uploaded_days_survive_the_county_export_and_import(roster, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_roster(tmp_path / "r.xlsx", [("2025-03-01", "24h", PRINCIPAL, f"{DORM}、{GUARD}", GUARD, DORM)])
    assert roster("import", SCHOOL, str(path)).exit_code == 0
    before = _rows(demo_app, SCHOOL)
    runner = demo_app.test_cli_runner()
    out = tmp_path / "org.xlsx"
    exported = runner.invoke(args=["org", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(args=["org", "import", str(out)])
    assert again.exit_code == 0, again.output
    after = _rows(demo_app, SCHOOL)
    assert after == before and ("2025-03-01", PRINCIPAL, [DORM, GUARD], {"门卫": GUARD, "宿管": DORM}) in after
