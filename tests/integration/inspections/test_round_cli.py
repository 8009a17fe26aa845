"""Inspection rounds through `flask round …` on the demo county: opening builds each school's
checklist by its features, answers per school/building/grid, a fail opens a hazard, submission."""

from __future__ import annotations

from round_tools import BUS_SCHOOL, DEPUTY, KINDERGARTEN, SCHOOL, STAFF, day
from sqlalchemy import func, select

from responsibility.extensions import db
from responsibility.models import (
    AuditEvent,
    Hazard,
    InspectionAnswer,
    InspectionChecklist,
    InspectionRound,
    Person,
    School,
)


def test_open_gives_every_school_a_checklist_by_its_features(open_round, checklist, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round()
    assert round_id.isdigit()
    with demo_app.app_context():
        schools = db.session.scalar(select(func.count(School.id)))
        lists = db.session.scalar(
            select(func.count(InspectionChecklist.id)).where(InspectionChecklist.round_id == int(round_id))
        )
        assert lists == schools
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "inspection.open")) == 1

    first = checklist(round_id, SCHOOL)
    items = {i["id"]: i for i in first["items"]}
    assert set(first["items"][0]) == {"id", "area", "text", "scope", "applies_when"}
    assert items["R03-01"] == {
        "id": "R03-01",
        "area": "R03",
        "text": items["R03-01"]["text"],
        "scope": "building",
        "applies_when": ["all"],
    }
    assert "R05-01" not in items and "R05-07" in items  # no bus: no bus items, but the school gate's traffic
    assert "R21-01" in items and "R11-01" in items and "R15-04" in items  # boarding, lab, special equipment
    assert "R20-01" not in items and "R07-01" not in items and "R12-01" not in items
    assert first["unanswered"] == [i["id"] for i in first["items"]]

    bus = {i["id"] for i in checklist(round_id, BUS_SCHOOL)["items"]}
    assert {"R05-01", "R05-03", "R20-06", "R12-05"} <= bus and "R11-01" not in bus and "R21-01" not in bus
    kindergarten = {i["id"] for i in checklist(round_id, KINDERGARTEN)["items"]}
    assert {"R20-01", "R20-08", "R05-06"} <= kindergarten and "R06-01" not in kindergarten


def test_a_round_for_a_town_and_some_areas(open_round, checklist, rnd, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round("--town", "T02", "--areas", "R03,R05")
    with demo_app.app_context():
        the_round = db.session.get(InspectionRound, int(round_id))
        assert the_round is not None and the_round.areas == ["R03", "R05"]
        towns = {c.school.town.source_id for c in the_round.checklists}  # type: ignore[union-attr]
        assert towns == {"T02"} and len(the_round.checklists) == 7
    assert {i["area"] for i in checklist(round_id, BUS_SCHOOL)["items"]} == {"R03", "R05"}
    outside = rnd("checklist", round_id, SCHOOL, "--json")  # SCH001 is in T01
    assert outside.exit_code == 2 and "SCH001" in outside.output


def test_opening_refuses_bad_input_and_writes_nothing(rnd, demo_app) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ["open", "x", "--start", day(), "--end", day(-1)],
        ["open", "x", "--start", day(), "--end", day(5), "--areas", "R03,R99"],
        ["open", "x", "--start", day(), "--end", day(5), "--town", "T99"],
        ["open", " ", "--start", day(), "--end", day(5)],
        ["open", "x", "--start", "soon", "--end", day(5)],
    ]
    for args in cases:
        result = rnd(*args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(InspectionRound.id))) == 0


def test_a_fail_opens_a_hazard_linked_to_the_item(open_round, rnd, demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    photo = tmp_path / "exit.jpg"
    Image.new("RGB", (40, 30), (10, 200, 10)).save(photo, format="JPEG")
    round_id = open_round()
    result = rnd(
        "answer", round_id, SCHOOL, "R03-02", "--by", DEPUTY, "--result", "fail",
        "--note", "二楼东侧安全出口上锁", "--building", "BLD0001", "--photo", str(photo),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    file_no = result.output.strip().splitlines()[-1]
    assert file_no.startswith(f"{SCHOOL}-YH-")
    with demo_app.app_context():
        hazard = db.session.scalar(select(Hazard).where(Hazard.file_no == file_no))
        assert hazard is not None and hazard.risk_area_code == "R03"
        assert hazard.grid is not None and hazard.grid.source_id == "G00002"  # the building's grid
        assert "R03-02" in (hazard.description or "") and "二楼东侧安全出口上锁" in (hazard.description or "")
        assert len(hazard.records[0].photos) == 1
        answer = db.session.scalar(select(InspectionAnswer).where(InspectionAnswer.item_id == "R03-02"))
        assert answer is not None and answer.hazard_id == hazard.id and answer.target == "building:BLD0001"
        assert answer.photos == [hazard.records[0].photos[0].sha256]
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions[-2:] == ["hazard.report", "inspection.answer"]


def test_a_school_wide_fail_goes_to_the_top_grid(open_round, rnd, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round()
    result = rnd(
        "answer", round_id, SCHOOL, "R08-02", "--by", DEPUTY, "--result", "fail", "--note", "路由器仍为默认密码"
    )
    assert result.exit_code == 0, result.output
    with demo_app.app_context():
        hazard = db.session.scalar(select(Hazard).where(Hazard.file_no == result.output.strip().splitlines()[-1]))
        assert hazard is not None and hazard.grid is not None and hazard.grid.level == 1
        assert hazard.risk_area_code == "R08"


def test_bad_answers_are_refused_in_one_line_and_change_nothing(open_round, rnd, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round()
    with demo_app.app_context():
        hazards_before = db.session.scalar(select(func.count(Hazard.id)))
    assert (
        rnd("answer", round_id, SCHOOL, "R03-01", "--by", DEPUTY, "--result", "pass", "--building", "BLD0001").exit_code
        == 0
    )
    base = ["answer", round_id, SCHOOL]
    cases = {
        "not applicable": [*base, "R05-01", "--by", DEPUTY, "--result", "pass"],  # no bus at SCH001
        "unknown item": [*base, "R99-01", "--by", DEPUTY, "--result", "pass"],
        "na without reason": [*base, "R03-06", "--by", DEPUTY, "--result", "na"],
        "fail without note": [*base, "R03-06", "--by", DEPUTY, "--result", "fail"],
        "not the inspector": [*base, "R03-06", "--by", STAFF, "--result", "pass"],
        "answered twice": [*base, "R03-01", "--by", DEPUTY, "--result", "pass", "--building", "BLD0001"],
        "other school's building": [*base, "R03-01", "--by", DEPUTY, "--result", "pass", "--building", "BLD0100"],
        "building for a school item": [*base, "R03-06", "--by", DEPUTY, "--result", "pass", "--building", "BLD0001"],
        "before the round": [*base, "R03-06", "--by", DEPUTY, "--result", "pass", "--on", day(-10)],
        "unknown round": ["answer", "999", SCHOOL, "R03-06", "--by", DEPUTY, "--result", "pass"],
    }
    for name, args in cases.items():
        result = rnd(*args)
        assert result.exit_code == 2, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1, (name, result.output)
    assert "不适用" in rnd(*cases["not applicable"]).output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(InspectionAnswer.id))) == 1
        assert db.session.scalar(select(func.count(Hazard.id))) == hazards_before
        checklist = db.session.scalar(select(InspectionChecklist).join(School).where(School.source_id == SCHOOL))
        assert checklist is not None and checklist.version == 2


def test_submit_refuses_unanswered_items_then_closes_the_checklist(open_round, rnd, checklist, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round("--areas", "R05,R12")
    items = [i["id"] for i in checklist(round_id, SCHOOL)["items"]]
    assert items == ["R05-06", "R05-07"]
    refused = rnd("submit", round_id, SCHOOL, "--by", DEPUTY)
    assert refused.exit_code == 2 and "R05-06" in refused.output and "R05-07" in refused.output
    assert rnd("answer", round_id, SCHOOL, "R05-06", "--by", DEPUTY, "--result", "pass").exit_code == 0
    na = rnd("answer", round_id, SCHOOL, "R05-07", "--by", DEPUTY, "--result", "na", "--note", "校门临街段封闭施工")
    assert na.exit_code == 0, na.output
    assert rnd("submit", round_id, SCHOOL, "--by", STAFF).exit_code == 2  # only the inspector submits
    done = rnd("submit", round_id, SCHOOL, "--by", DEPUTY)
    assert done.exit_code == 0, done.output
    view = checklist(round_id, SCHOOL)
    assert view["status"] == "submitted" and view["unanswered"] == []
    late = rnd("answer", round_id, SCHOOL, "R05-07", "--by", DEPUTY, "--result", "pass", "--grid", "G00001")
    assert late.exit_code == 2 and "已于" in late.output
    with demo_app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject == f"round:{round_id}:{SCHOOL}").order_by(AuditEvent.seq)
        ).all()
        assert actions == ["inspection.answer", "inspection.answer", "inspection.submit"]


def test_the_deputy_assigns_an_inspector_and_the_bureau_spot_checks(open_round, rnd, demo_app) -> None:  # type: ignore[no-untyped-def]
    from round_tools import BUREAU_SAFETY

    round_id = open_round()
    assert rnd("assign", round_id, SCHOOL, "--by", STAFF, "--person", STAFF).exit_code == 2
    assert rnd("answer", round_id, SCHOOL, "R09-07", "--by", STAFF, "--result", "pass").exit_code == 2
    assigned = rnd("assign", round_id, SCHOOL, "--by", DEPUTY, "--person", STAFF)
    assert assigned.exit_code == 0, assigned.output
    assert rnd("answer", round_id, SCHOOL, "R09-07", "--by", STAFF, "--result", "pass").exit_code == 0
    spot = rnd("answer", round_id, SCHOOL, "R09-01", "--by", BUREAU_SAFETY, "--result", "pass", "--building", "BLD0002")
    assert spot.exit_code == 0, spot.output
    # A spot-check fail by the bureau opens a hazard the bureau person reported, found by the round.
    spot_fail = rnd(
        "answer", round_id, SCHOOL, "R09-02", "--by", BUREAU_SAFETY, "--result", "fail", "--note", "箱门未锁"
    )
    assert spot_fail.exit_code == 0, spot_fail.output
    with demo_app.app_context():
        answer = db.session.scalars(select(InspectionAnswer).where(InspectionAnswer.item_id == "R09-02")).one()
        hazard = db.session.get(Hazard, answer.hazard_id)
        assert hazard is not None and hazard.source == "大排查" and hazard.status == "已上报"
        reporter = db.session.get(Person, hazard.reported_by_person_id)
        assert reporter is not None and reporter.source_id == BUREAU_SAFETY and hazard.school.source_id == SCHOOL
        assert "箱门未锁" in hazard.description
    grid_item = rnd("answer", round_id, SCHOOL, "R09-05", "--by", DEPUTY, "--result", "pass", "--grid", "G00003")
    assert grid_item.exit_code == 0, grid_item.output


def test_a_stale_version_is_a_conflict(open_round, rnd, checklist, demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.inspections import ChecklistConflict

    round_id = open_round()
    version = str(checklist(round_id, SCHOOL)["version"])
    first = ["answer", round_id, SCHOOL, "R03-06", "--by", DEPUTY, "--result", "pass", "--expected-version", version]
    assert rnd(*first).exit_code == 0
    second = ["answer", round_id, SCHOOL, "R03-07", "--by", DEPUTY, "--result", "pass", "--expected-version", version]
    stale = rnd(*second)
    assert stale.exit_code == 2 and "他人修改" in stale.output
    assert ChecklistConflict.http_status == 409
    assert checklist(round_id, SCHOOL)["unanswered"].count("R03-07") == 1
