"""Importing the shared demo county: counts, idempotence, updates with history, accounts."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from responsibility.chain.gaps import run_gap_checks
from responsibility.extensions import db
from responsibility.models import (
    AuditEvent,
    BureauLeader,
    Grid,
    GridOwnership,
    Person,
    PostAssignment,
    School,
    User,
)
from responsibility.org.importing import import_county, refresh_statistics
from responsibility.org.stats import content_dump

AUDIT = ("audit_events", "audit_chain_head")


@pytest.fixture(scope="module")
def demo_source(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "domain" / "demo_county.json"
    if not path.is_file():
        pytest.skip("demo_county.json is not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def demo_data(demo_source: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(demo_source)


def dump(app: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    with app.app_context():
        try:
            return content_dump(db.session, skip=skip)
        finally:
            db.session.remove()


def stats(runner: Any) -> dict[str, int]:
    result = runner.invoke(args=["org", "stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def write(tmp_path: Path, data: dict[str, Any], name: str = "county.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_import_loads_the_demo_county_and_a_second_run_changes_nothing(app, runner, shared_dir):
    path = shared_dir / "domain" / "demo_county.json"
    first = runner.invoke(args=["org", "import", str(path)])
    assert first.exit_code == 0, first.output
    counts = stats(runner)
    assert (counts["schools"], counts["persons"], counts["post_assignments"], counts["grids"]) == (60, 1869, 1887, 2124)
    assert counts["towns"] == 10 and counts["sections"] == 7 and counts["buildings"] == 202
    assert counts["users"] == 1868  # every person holding a post; P00631 left and holds none
    with app.app_context():
        findings = run_gap_checks(db.session, at=dt.date(2025, 1, 31)).findings  # the file's meta.as_of
        db.session.remove()
    assert findings  # the shared county carries defects, imported as they are
    assert first.output.splitlines()[-1] == f"{len(findings)} findings; see flask audit gaps"
    before = dump(app)

    second = runner.invoke(args=["org", "import", str(path)])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert second.output.splitlines()[-1] == f"{len(findings)} findings; see flask audit gaps"
    assert dump(app) == before  # every table, the audit log included: no event for a no-op
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        db.session.remove()
    assert actions == ["org.import"]


def test_cli_import_refreshes_the_planner_statistics(app, runner, shared_dir):
    """After `flask org import` PostgreSQL's planner knows the rows (pg_class.reltuples, set by
    ANALYZE in its own transaction); on SQLite there is nothing to refresh."""
    with app.app_context():
        dialect = db.engine.dialect.name
        db.session.remove()
    result = runner.invoke(args=["org", "import", str(shared_dir / "domain" / "demo_county.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        if dialect == "postgresql":
            known = db.session.execute(
                text("SELECT relname, reltuples FROM pg_class WHERE relname IN ('persons', 'grids')")
            ).all()
            assert dict(known) == {"persons": 1869, "grids": 2124}
        else:
            assert refresh_statistics(db.session) is False
        db.session.remove()


def test_service_summary_counts_created_then_unchanged(session, demo_data):
    first = import_county(session, demo_data, source="demo_county.json")
    session.commit()
    assert first.counts("schools").created == 60
    assert first.counts("post_assignments").created == 1887
    assert first.counts("grids").created == 2124
    assert first.counts("users").created == 1868
    second = import_county(session, demo_data, source="demo_county.json")
    assert not second.changed
    assert second.counts("persons").unchanged == 1869
    assert second.counts("post_assignments").unchanged == 1887


def test_stored_values_use_code_names_and_keep_source_ids(session, demo_data):
    import_county(session, demo_data, source="demo_county.json")
    school = session.execute(select(School).where(School.source_id == "SCH001")).scalar_one()
    assert school.school_type == "bureau_direct"
    assert "boarding" in school.features
    roles = dict(
        session.execute(
            select(BureauLeader.post_code, BureauLeader.accountability_role).where(BureauLeader.position < 2)
        ).all()
    )
    assert roles == {"B01": "overall_responsibility", "B02": "deputy_in_charge"}
    instructor = session.execute(select(Person).where(Person.source_id == "P01177")).scalar_one()
    assert instructor.unit_source_id == "ORG-BUREAU-PARTY-INSTRUCTOR"
    assert instructor.org.source_id == "ORG-BUREAU"
    user = session.execute(select(User).where(User.username == "P00027")).scalar_one()
    assert user.display_name == instructor_name(demo_data, "P00027")
    assert user.password_hash is None and user.must_change_password and user.kind == "person"
    start = dt.date(2024, 11, 15)
    assert session.execute(select(func.min(PostAssignment.valid_from))).scalar_one() == start


def instructor_name(data: dict[str, Any], pid: str) -> str:
    return next(p["name"] for p in data["persons"] if p["id"] == pid)


def _pa(data: dict[str, Any], post_code: str) -> dict[str, Any]:
    return next(p for p in data["post_assignments"] if p["post_code"] == post_code and p["org_id"] == "SCH001")


def test_person_moving_to_another_post_closes_the_old_assignment_and_opens_a_new_one(session, demo_data):
    import_county(session, demo_data, source="v1.json")
    session.commit()
    moved = _pa(demo_data, "S09")
    moved["post_code"] = "S08"
    summary = import_county(session, demo_data, source="v2.json", effective=dt.date(2025, 2, 10))
    session.commit()
    assert summary.counts("post_assignments").closed == 1
    assert summary.counts("post_assignments").created == 1
    rows = (
        session.execute(
            select(PostAssignment).where(PostAssignment.source_id == moved["id"]).order_by(PostAssignment.valid_from)
        )
        .scalars()
        .all()
    )
    assert [(r.post_code, r.valid_from, r.valid_to) for r in rows] == [
        ("S09", dt.date(2024, 11, 15), dt.date(2025, 2, 10)),
        ("S08", dt.date(2025, 2, 10), None),
    ]
    assert rows[0].person_id == rows[1].person_id
    # the same file again changes nothing; the history stays
    again = import_county(session, demo_data, source="v2.json", effective=dt.date(2025, 3, 1))
    assert not again.changed


def test_without_effective_the_change_is_dated_as_of_the_file(session, demo_data):
    import_county(session, demo_data, source="v1.json")
    principal = _pa(demo_data, "S01")
    principal["person_id"] = "P00030"
    import_county(session, demo_data, source="v2.json")
    rows = session.execute(
        select(PostAssignment.valid_from, PostAssignment.valid_to)
        .where(PostAssignment.source_id == principal["id"])
        .order_by(PostAssignment.valid_from)
    ).all()
    as_of = dt.date.fromisoformat(demo_data["meta"]["as_of"])
    assert rows == [(dt.date(2024, 11, 15), as_of), (as_of, None)]


def test_absent_assignments_close_absent_persons_become_inactive_and_owners_keep_history(session, demo_data):
    import_county(session, demo_data, source="v1.json")
    dropped = _pa(demo_data, "S12")
    demo_data["post_assignments"].remove(dropped)
    person = next(p for p in demo_data["persons"] if p["id"] == "P00030")
    demo_data["persons"].remove(person)
    demo_data["post_assignments"] = [p for p in demo_data["post_assignments"] if p["person_id"] != "P00030"]
    grid = next(g for g in demo_data["grids"] if g["id"] == "G00001")
    old_owner, grid["owner_person_id"] = grid["owner_person_id"], "P00029"
    for g in demo_data["grids"]:
        g["member_person_ids"] = [m for m in g["member_person_ids"] if m != "P00030"]
        if g["owner_person_id"] == "P00030":
            g["owner_person_id"] = "P00029"
    summary = import_county(session, demo_data, source="v2.json", effective=dt.date(2025, 3, 1))
    assert summary.counts("persons").closed == 1
    assert session.execute(select(Person.left_on).where(Person.source_id == "P00030")).scalar_one() == dt.date(
        2025, 3, 1
    )
    closed = session.execute(
        select(PostAssignment.valid_to).where(PostAssignment.source_id == dropped["id"])
    ).scalar_one()
    assert closed == dt.date(2025, 3, 1)
    grid_id = session.execute(select(Grid.id).where(Grid.source_id == "G00001")).scalar_one()
    history = session.execute(
        select(Person.source_id, GridOwnership.valid_from, GridOwnership.valid_to)
        .join(Person, Person.id == GridOwnership.person_id)
        .where(GridOwnership.grid_id == grid_id)
        .order_by(GridOwnership.valid_from)
    ).all()
    assert history == [(old_owner, dt.date(2024, 11, 15), dt.date(2025, 3, 1)), ("P00029", dt.date(2025, 3, 1), None)]


def test_changed_field_updates_in_place(session, demo_data):
    import_county(session, demo_data, source="v1.json")
    demo_data["schools"][0]["name"] = "岚川县岚川高级中学"
    demo_data["schools"][0]["features"].append("school_bus")
    summary = import_county(session, demo_data, source="v2.json")
    assert summary.counts("schools").updated == 1
    assert summary.counts("schools").created == 0
    school = session.execute(select(School).where(School.source_id == demo_data["schools"][0]["id"])).scalar_one()
    assert school.name == "岚川县岚川高级中学" and school.has_feature("school_bus")
    events = session.execute(select(AuditEvent).where(AuditEvent.action == "org.import")).scalars().all()
    assert len(events) == 2 and events[-1].data["schools"]["updated"] == 1


def test_the_collector_is_paused_during_an_import_and_resumes_after_success_or_refusal(
    app: Any, demo_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import pauses the cyclic GC (its records are all alive until it ends) and must hand it
    back enabled whatever happens, or a web process would leak cycles from then on."""
    import gc

    from responsibility.errors import BadInput
    from responsibility.org.importing import importer

    seen: list[bool] = []
    real_write = importer._write

    def spying_write(w: Any) -> None:
        seen.append(gc.isenabled())
        real_write(w)

    monkeypatch.setattr(importer, "_write", spying_write)
    assert gc.isenabled()
    with app.app_context():
        import_county(db.session, demo_data, source="demo.json")
        db.session.rollback()
        assert seen == [False]
        assert gc.isenabled()
        broken = copy.deepcopy(demo_data)
        broken["grids"][0]["level"] = "not a level"
        with pytest.raises(BadInput):
            import_county(db.session, broken, source="broken.json")
        assert gc.isenabled()
        db.session.remove()
