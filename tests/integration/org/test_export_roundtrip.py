"""Export → import round trips: into the same database nothing changes; into an empty database
the same rows appear (history included)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from org_tools import dump
from sqlalchemy import select

from responsibility.extensions import db
from responsibility.models import AuditEvent, PostAssignment
from responsibility.org.importing import import_county


@pytest.fixture(scope="module")
def demo_source(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "domain" / "demo_county.json"
    if not path.is_file():
        pytest.skip("demo_county.json is not present")
    return json.loads(path.read_text(encoding="utf-8"))


def _load_with_history(app: Any, data: dict[str, Any]) -> None:
    """Import the demo, then a version where a teacher moved post, a grid changed owner and a
    liaison changed hands, so that closed history rows exist."""
    with app.app_context():
        import_county(db.session, data, source="v1.json")
        changed = copy.deepcopy(data)
        pa = next(p for p in changed["post_assignments"] if p["post_code"] == "S09")
        pa["post_code"] = "S08"
        grid = next(g for g in changed["grids"] if g["level"] == 3)
        grid["owner_person_id"] = "P00029"
        changed["liaison_assignments"][0]["liaison_person_id"] = "P00011"
        changed["post_assignments"].pop()
        import_county(db.session, changed, source="v2.json", effective=dt.date(2025, 2, 1))
        db.session.commit()
        db.session.remove()


def test_export_then_import_into_the_same_database_changes_nothing(app, runner, demo_source, tmp_path):
    _load_with_history(app, demo_source)
    out = tmp_path / "org.xlsx"
    result = runner.invoke(args=["org", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".org.xlsx")) == []  # no temp file left
    book = load_workbook(out, read_only=True)
    assert {"学校", "人员", "任职", "网格", "网格长历史"} <= set(book.sheetnames)
    headers = next(book["任职"].iter_rows(max_row=1, values_only=True))
    assert "有效期起" in headers and "有效期止" in headers
    book.close()
    before = dump(app, skip=())
    result = runner.invoke(args=["org", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert dump(app, skip=()) == before
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
        db.session.remove()
    assert actions == ["org.import", "org.import", "org.export"]


def test_export_then_import_into_an_empty_database_reproduces_every_row(app, runner, empty_app, demo_source, tmp_path):
    _load_with_history(app, demo_source)
    out = tmp_path / "org.xlsx"
    assert runner.invoke(args=["org", "export", str(out)]).exit_code == 0
    result = empty_app.test_cli_runner().invoke(args=["org", "import", str(out)])
    assert result.exit_code == 0, result.output
    original, copy_ = dump(app), dump(empty_app)
    # accounts are not organisation data and are not exported: the copy provisions one for each
    # current post holder; the original still has the account of the person whose only post ended
    users, copied_users = original.pop("users"), copy_.pop("users")
    assert copy_ == original
    assert set(copied_users) < set(users)
    (extra,) = set(users) - set(copied_users)
    assert ("username", repr(demo_source["post_assignments"][-1]["person_id"])) in extra
    with empty_app.app_context():
        closed = db.session.execute(select(PostAssignment).where(PostAssignment.valid_to.is_not(None))).scalars().all()
        assert len(closed) == 2  # the moved teacher's old row and the dropped assignment
        db.session.remove()
    # and a second import of the same workbook into the copy changes nothing
    again = empty_app.test_cli_runner().invoke(args=["org", "import", str(out)])
    assert "nothing changed" in again.output


def test_export_of_an_empty_database_is_refused(runner, tmp_path):
    result = runner.invoke(args=["org", "export", str(tmp_path / "org.xlsx")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: nothing to export")
    assert not (tmp_path / "org.xlsx").exists()


def test_dated_service_round_trips_into_an_empty_database(app, runner, empty_app, tmp_path):
    """Joined on, left on (dated and undated) and the reason come back row for row."""
    from integration.gaps.gap_county import clean_county

    data = clean_county()
    data["persons"][1].update(active=False, left_on="2025-01-20", left_reason="交流轮岗")
    data["persons"][2].update(joined_on="2024-12-02")
    data["persons"][3].update(active=False, left_reason="病休")
    data["persons"][4].update(active=False)
    with app.app_context():
        import_county(db.session, data, source="history.json")
        db.session.commit()
        db.session.remove()
    out = tmp_path / "org.xlsx"
    assert runner.invoke(args=["org", "export", str(out)]).exit_code == 0
    result = empty_app.test_cli_runner().invoke(args=["org", "import", str(out)])
    assert result.exit_code == 0, result.output
    persons, copied = dump(app)["persons"], dump(empty_app)["persons"]
    assert copied == persons
    left = [row for row in persons if "'rotation'" in repr(row)]
    assert len(left) == 1 and "2025, 1, 20" in repr(left[0])
