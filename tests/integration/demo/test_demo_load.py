"""`flask demo load` / `load_demo` and `flask demo export-json` against a real database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import func, select

from responsibility.accounts.passwords import verify_password
from responsibility.demo import DEMO_LOGINS, PLANTED_PROBLEMS, PlantedProblem, build_demo_county, load_demo
from responsibility.models import (
    KIND_ADMIN,
    KIND_AUDITOR,
    AuditEvent,
    Building,
    Grid,
    Person,
    PostAssignment,
    School,
    User,
)

DEMO_PASSWORD = "demo-test-pass-2025"  # the conftest's DEMO_PASSWORD


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_demo_load_then_if_empty_is_a_no_op(app, runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    result = runner.invoke(args=["demo", "load", "--password", "another-demo-pass-1"])
    assert result.exit_code == 0, result.output
    for username, _, _ in DEMO_LOGINS:
        assert username in result.output
    assert "another-demo-pass-1" in result.output
    with app.app_context():
        assert _count(db.session, School) == 60
        events = _count(db.session, AuditEvent)
        users = _count(db.session, User)
        auditor = db.session.execute(select(User).where(User.username == "auditor")).scalar_one()
        assert verify_password(auditor.password_hash, "another-demo-pass-1")
        db.session.remove()

    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "not loaded" in again.output
    with app.app_context():
        assert _count(db.session, AuditEvent) == events
        assert _count(db.session, User) == users
        assert _count(db.session, School) == 60


def test_demo_load_uses_the_configured_password(app, runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    with app.app_context():
        chief = db.session.execute(select(User).where(User.username == "P00001")).scalar_one()
        assert verify_password(chief.password_hash, DEMO_PASSWORD)


def test_demo_load_with_a_weak_password_fails_cleanly(app, runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    result = runner.invoke(args=["demo", "load", "--password", "12345"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    with app.app_context():
        assert _count(db.session, School) == 0
        assert _count(db.session, User) == 0


def test_demo_logins_work_and_only_they_have_passwords(demo_session) -> None:  # type: ignore[no-untyped-def]
    with_password = demo_session.execute(select(User).where(User.password_hash.is_not(None))).scalars().all()
    assert sorted(u.username for u in with_password) == sorted(u for u, _, _ in DEMO_LOGINS)
    for user in with_password:
        assert verify_password(user.password_hash, DEMO_PASSWORD), user.username
        assert not verify_password(user.password_hash, DEMO_PASSWORD + "x")
        assert user.must_change_password is False
    kinds = {u.username: u.kind for u in with_password}
    assert kinds["admin"] == KIND_ADMIN and kinds["auditor"] == KIND_AUDITOR
    chief = next(u for u in with_password if u.username == "P00001")
    assert chief.person is not None and chief.display_name == chief.person.name
    assert (
        demo_session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "demo.passwords_set")
        ).scalar_one()
        == 1
    )


def test_loading_again_changes_no_organisation_data(demo_session) -> None:  # type: ignore[no-untyped-def]
    persons = _count(demo_session, Person)
    summary = load_demo(demo_session, password=DEMO_PASSWORD, today=dt.date(2025, 1, 20))
    assert summary.import_summary.changed is False
    latest = (
        demo_session.execute(
            select(AuditEvent).where(AuditEvent.action == "demo.passwords_set").order_by(AuditEvent.seq.desc())
        )
        .scalars()
        .first()
    )
    assert latest.data["on"] == "2025-01-20"  # the day the caller passed (the CLI: today in the county's zone)
    assert [login.username for login in summary.logins] == [u for u, _, _ in DEMO_LOGINS]
    assert _count(demo_session, Person) == persons
    admin = demo_session.execute(select(User).where(User.username == "admin")).scalar_one()
    assert verify_password(admin.password_hash, DEMO_PASSWORD)


def test_planted_problems_survive_the_import(demo_session) -> None:  # type: ignore[no-untyped-def]
    planted: dict[str, PlantedProblem] = {}
    for p in PLANTED_PROBLEMS:
        planted.setdefault(p.check, p)  # the first of each check
    outside = demo_session.execute(select(Building).where(Building.source_id == planted["G3"].subject_id)).scalar_one()
    assert outside.grid_id is None and outside.fire_plan is not None
    assert (
        demo_session.execute(select(Building).where(Building.source_id == planted["F1"].subject_id))
        .scalar_one()
        .fire_plan
        is None
    )
    stray = demo_session.execute(select(Grid).where(Grid.source_id == planted["G4"].subject_id)).scalar_one()
    assert stray.parent_id is None and stray.level == 1
    # stored as the file has them, not refused and not repaired
    rootless, skipping, foreign = (
        demo_session.execute(select(Grid).where(Grid.source_id == p.subject_id)).scalar_one()
        for p in PLANTED_PROBLEMS
        if p.check == "G4" and p.school_id != planted["G4"].school_id
    )
    assert rootless.parent_id is None and rootless.level == 3
    assert skipping.level == 3 and skipping.parent.level == 1 and skipping.parent.school_id == skipping.school_id
    assert foreign.parent.school_id != foreign.school_id
    empty = [
        demo_session.execute(select(PostAssignment).where(PostAssignment.source_id == p.subject_id)).scalar_one()
        for p in PLANTED_PROBLEMS
        if p.check == "P1" and "declares empty" in p.description
    ]
    assert empty[0].safety_duties == [] and empty[1].business_duty == ""  # declared empty, kept so
    assert empty[1].safety_duties and empty[0].business_duty  # the other duty is declared
    assert empty[0].post_type is not None and empty[0].post_type.safety_duties  # the catalogue has text
    orphan = demo_session.execute(select(Grid).where(Grid.source_id == planted["G1"].subject_id)).scalar_one()
    assert orphan.current_owner is None
    moved = (
        demo_session.execute(
            select(PostAssignment)
            .join(School, PostAssignment.org_id == School.id)
            .where(School.source_id == "SCH015", PostAssignment.valid_to.is_not(None))
        )
        .scalars()
        .all()
    )
    assert len(moved) == 2 and {pa.valid_to.isoformat() for pa in moved} == {"2025-01-13"}


def test_export_json_writes_the_generated_county(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "county.json"
    result = runner.invoke(args=["demo", "export-json", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == build_demo_county()
    big = tmp_path / "big.json"
    result = runner.invoke(args=["demo", "export-json", str(big), "--scale", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(big.read_text(encoding="utf-8"))
    assert len(data["schools"]) == 120 and "120 schools" in result.output
    assert runner.invoke(args=["demo", "export-json", str(big), "--scale", "0"]).exit_code == 2
