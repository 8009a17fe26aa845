"""`flask firefile edit|show|history` on the demo county: each edit is a new version with who,
when and what changed; a stale --expected-version is a conflict; bad values, a bad plan PDF or
an editor without a fire-file post are one line, exit 2 and nothing written; F1 and K1 read
the edited files."""

from __future__ import annotations

import json

from fire_pdfs import plan_pdf
from season_tools import DEPUTY, PRINCIPAL, context, subjects
from sqlalchemy import func, select

from responsibility.chain.gaps.fire_checks import check_f1, check_k1
from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import AuditEvent, Building, FireFileVersion, FirePlan, Person, PostAssignment
from responsibility.season.evacuation_plans import plan_store

TEACHER = "P00047"  # SCH001 班主任 (S09): staff, but no fire-file post


def _deputy_of(building: Building) -> str:
    """The safety deputy (S03) of the building's school."""
    return db.session.scalars(
        select(Person.source_id)
        .join(PostAssignment, PostAssignment.person_id == Person.id)
        .where(PostAssignment.org_id == building.school_id, PostAssignment.post_code == "S03")
    ).first()


def _cli(demo_app, *args: str):  # type: ignore[no-untyped-def]
    return demo_app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def _versions(building: str) -> int:
    return int(
        db.session.scalar(select(func.count(FireFileVersion.id)).join(Building).where(Building.source_id == building))
        or 0
    )


def test_edits_make_versions_and_history_keeps_every_one(demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "疏散预案.pdf"
    pdf.write_bytes(plan_pdf())
    first = _cli(demo_app, "firefile", "edit", "BLD0001", "--by", DEPUTY, "--extinguishers", "40", "--plan", str(pdf))
    assert first.exit_code == 0, first.output
    second = _cli(
        demo_app, "firefile", "edit", "BLD0001", "--by", PRINCIPAL, "--stairs", "3", "--expected-version", "1"
    )
    assert second.exit_code == 0, second.output
    stale = _cli(demo_app, "firefile", "edit", "BLD0001", "--by", DEPUTY, "--stairs", "4", "--expected-version", "1")
    assert stale.exit_code == 2 and "version 2" in stale.output and len(stale.output.strip().splitlines()) == 1

    history = json.loads(_cli(demo_app, "firefile", "history", "BLD0001", "--json").output)
    assert [h["version"] for h in history] == [2, 1]
    assert history[1]["changes"]["extinguishers"][1] == 40 and history[1]["by"] == DEPUTY
    assert history[1]["changes"]["plan_sha256"][1] == history[1]["plan_sha256"]
    assert history[0]["changes"] == {"stairs": [history[1]["stairs"], 3]} and history[0]["by"] == PRINCIPAL
    assert history[0]["plan_sha256"] == history[1]["plan_sha256"] and history[0]["plan_name"] == "疏散预案.pdf"
    assert history[1]["extinguishers"] == history[0]["extinguishers"] == 40 and history[1]["stairs"] != 3

    shown = json.loads(_cli(demo_app, "firefile", "show", "BLD0001", "--json").output)
    assert shown["version"] == 2 and shown["stairs"] == 3 and shown["extinguishers"] == 40
    with demo_app.app_context():
        assert plan_store(_inst(demo_app)).read(shown["plan_sha256"]) == pdf.read_bytes()
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "firefile.edit")).all()
        assert [e.data["version"] for e in events] == [1, 2]


def _inst(demo_app):  # type: ignore[no-untyped-def]
    from pathlib import Path

    return Path(demo_app.instance_path)


def test_bad_edits_are_one_line_and_write_nothing(demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"GIF89a not a pdf")
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(plan_pdf(encrypt="pw"))
    cases = [
        (["BLD0001", "--by", DEPUTY, "--floors", "0"], "floors"),
        (["BLD0001", "--by", DEPUTY, "--child-rooms-top-floor", "9"], "young children"),
        (["BLD0001", "--by", DEPUTY, "--extinguishers", "-1"], "between 0"),
        (["BLD0001", "--by", DEPUTY, "--floors", "3", "--stairs", "0"], "staircase"),
        (["BLD0001", "--by", DEPUTY], "Nothing changed"),
        (["BLD0001", "--by", TEACHER, "--stairs", "3"], "no post"),
        (["BLD0001", "--by", "P99999", "--stairs", "3"], "P99999"),
        (["BLD-NONE", "--by", DEPUTY, "--stairs", "3"], "BLD-NONE"),
        (["BLD0001", "--by", DEPUTY, "--plan", str(fake)], "not a PDF"),
        (["BLD0001", "--by", DEPUTY, "--plan", str(locked)], "encrypted"),
    ]
    for args, says in cases:
        result = _cli(demo_app, "firefile", "edit", *args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and says in result.output, (args, result.output)
    with demo_app.app_context():
        assert _versions("BLD0001") == 0
        assert db.session.scalar(select(FirePlan.version).join(Building).where(Building.source_id == "BLD0001")) == 0
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "firefile.edit")) == 0
    assert not (_inst(demo_app) / "fire_plans").exists()


def test_f1_and_k1_read_the_edited_files(demo_app) -> None:  # type: ignore[no-untyped-def]
    today = county_today()
    with demo_app.app_context():
        missing = check_f1(context(db.session, today))[0]
        no_file, school = missing.subject_id, missing.school_id
        no_file_deputy = _deputy_of(db.session.scalars(select(Building).where(Building.source_id == no_file)).one())
        kind = db.session.scalars(
            select(Building).where(Building.building_type == "幼儿生活用房", Building.floors <= 3).order_by(Building.id)
        ).first()
        kid_building, kid_deputy, kid_school = kind.source_id, _deputy_of(kind), kind.school.source_id
        assert kid_building not in subjects(check_k1(context(db.session, today)), kid_school)
    made = _cli(demo_app, "firefile", "edit", no_file, "--by", no_file_deputy, "--floors", "1", "--extinguishers", "6")
    assert made.exit_code == 0, made.output
    raised = _cli(
        demo_app, "firefile", "edit", kid_building, "--by", kid_deputy,
        "--floors", "4", "--child-rooms-top-floor", "4",
    )  # fmt: skip
    assert raised.exit_code == 0, raised.output
    with demo_app.app_context():
        assert no_file not in subjects(check_f1(context(db.session, today)), school)
        assert kid_building in subjects(check_k1(context(db.session, today)), kid_school)
    lowered = _cli(demo_app, "firefile", "edit", kid_building, "--by", kid_deputy, "--child-rooms-top-floor", "2")
    assert lowered.exit_code == 0, lowered.output
    with demo_app.app_context():
        assert kid_building not in subjects(check_k1(context(db.session, today)), kid_school)
