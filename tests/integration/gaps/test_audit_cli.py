"""`flask audit gaps` and `flask audit verify-log` on the demo county."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import update

from responsibility.chain.gaps import CHECK_CODES
from responsibility.demo import PLANTED_PROBLEMS
from responsibility.models import AuditEvent

PLANTED = {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}


def test_gaps_json(demo_runner) -> None:
    result = demo_runner.invoke(args=["audit", "gaps", "--at", "2025-01-31", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["at"] == "2025-01-31" and doc["campaign"] is None
    assert {(f["check"], f["school_id"], f["subject_id"]) for f in doc["findings"]} == PLANTED
    assert all({"check", "school_id", "subject_id", "message"} <= set(f) for f in doc["findings"])
    assert sum(doc["counts"].values()) == len(PLANTED)


def test_gaps_text_and_subset(demo_runner) -> None:
    result = demo_runner.invoke(args=["audit", "gaps", "--at", "2025-01-31", "--check", "g1,F2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t")[:3] == ["G1", "SCH025", "G01270"]
    assert lines[1].split("\t")[:3] == ["F2", "SCH018", "BLD0071"]
    assert lines[2].startswith("2 findings on 2025-01-31")


def test_gaps_xlsx(demo_runner, tmp_path) -> None:
    out = tmp_path / "gaps.xlsx"
    result = demo_runner.invoke(args=["audit", "gaps", "--at", "2025-01-31", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["汇总", *CHECK_CODES]
    rows = list(wb["G3"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["SCH022"] and rows[0][3] == "BLD0094"
    assert wb["G3"]["A2"].value == "学校编号"
    assert wb["G3"].cell(row=3, column=7).hyperlink.target == "http://127.0.0.1:5000/org/schools/SCH022#buildings"
    found = {(code, r[0], r[3]) for code in CHECK_CODES for r in wb[code].iter_rows(min_row=3, values_only=True)}
    assert found == PLANTED


def test_gaps_bad_input(demo_runner) -> None:
    for args, text in (
        (["--check", "Z9"], "unknown gap check Z9"),
        (["--at", "2025-13-01"], "bad date"),
        (["--campaign", "no such campaign"], "no campaign"),
    ):
        result = demo_runner.invoke(args=["audit", "gaps", *args])
        assert result.exit_code == 2
        assert text in result.output
        assert "Traceback" not in result.output


def test_verify_log(demo_app, demo_runner) -> None:
    ok = demo_runner.invoke(args=["audit", "verify-log"])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output
    from responsibility.extensions import db

    with demo_app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(action="account.tampered"))
        db.session.commit()
    broken = demo_runner.invoke(args=["audit", "verify-log"])
    assert broken.exit_code == 1
    assert "event 2" in broken.output
