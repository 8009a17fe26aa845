"""Overdue hazards: H2 before and after close, escalation up the grid's chain in order, the
ledger (filters, .xlsx in the import format) and the QR posters."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hazard_tools import DEPUTY, GRID, LEADER, PRINCIPAL, RECTIFIER, SCHOOL
from openpyxl import load_workbook
from sqlalchemy import func, select

from responsibility.extensions import db
from responsibility.models import Grid, Notification, Person, School


def _overdue_hazard(hz) -> str:  # type: ignore[no-untyped-def]
    """Found 2024-12-01, deadline 2024-12-10 (the demo's posts hold from 2024-11-15)."""
    args = ["--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "消防通道堆放杂物", "--by", DEPUTY]
    file_no = hz("report", *args, "--found", "2024-12-01", "--on", "2024-12-01").output.strip().splitlines()[-1]
    plan = ["--level", "一般", "--measures", "清理", "--rectifier", RECTIFIER, "--deadline", "2024-12-10"]
    assert hz("plan", file_no, "--by", DEPUTY, *plan, "--on", "2024-12-02").exit_code == 0
    return file_no


def _h2(runner, at: str) -> set[str]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["audit", "gaps", "--at", at, "--check", "H2", "--json"])
    assert result.exit_code == 0, result.output
    return {f["subject_id"] for f in json.loads(result.output)["findings"] if f["check"] == "H2"}


def test_h2_shows_an_open_overdue_hazard_and_not_after_it_closed(hz, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    runner = pki_demo_app.test_cli_runner()
    file_no = _overdue_hazard(hz)
    assert file_no not in _h2(runner, "2024-12-10")  # not yet overdue
    assert file_no in _h2(runner, "2024-12-20")
    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "已清理", "--done", "--on", "2024-12-21").exit_code == 0
    assert hz("accept", file_no, "--by", LEADER, "--on", "2024-12-22").exit_code == 0
    assert file_no in _h2(runner, "2024-12-20")  # it was still open then
    assert file_no not in _h2(runner, "2024-12-23")


def test_escalation_climbs_the_grid_chain_in_order(hz, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    runner = pki_demo_app.test_cli_runner()
    file_no = _overdue_hazard(hz)

    def raised(at: str) -> list[dict]:  # type: ignore[type-arg]
        result = runner.invoke(args=["hazard", "escalate", "--at", at, "--json"])
        assert result.exit_code == 0, result.output
        return [r for r in json.loads(result.output)["raised"] if r["file_no"] == file_no]

    expected = [
        ("2024-12-11", 1, {RECTIFIER, "P00087"}),  # the rectifier and the grid's owner
        ("2024-12-14", 2, {DEPUTY}),
        ("2024-12-17", 3, {PRINCIPAL, "P00028"}),
        ("2024-12-20", 4, {"P00010", "P00009"}),  # liaison person and section chief
        ("2024-12-23", 5, {"P00001"}),  # the school's bureau leader
    ]
    for at, level, people in expected:
        first = raised(at)
        assert [(r["level"], set(r["recipients"])) for r in first] == [(level, people)], at
        assert raised(at) == [], at  # never twice on the same day
    result = runner.invoke(args=["hazard", "show", file_no, "--json"])
    assert json.loads(result.output)["state"] == "planned"

    with pki_demo_app.app_context():
        rows = db.session.execute(
            select(Notification.level, Person.source_id)
            .join(Person, Person.id == Notification.recipient_person_id)
            .where(Notification.kind == "overdue_hazard", Notification.message.contains(file_no))
            .order_by(Notification.id)
        ).all()
    by_level: dict[int, set[str]] = {}
    for level, sid in rows:
        by_level.setdefault(level, set()).add(sid)
    assert by_level == {level: people for _, level, people in expected}
    assert [level for level, _ in rows] == sorted(level for level, _ in rows)
    assert raised("2024-12-13") == [] and raised("2025-01-30") == []  # nothing above level 5


def test_ledger_filters_and_xlsx_in_the_import_format(hz, pki_demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = pki_demo_app.test_cli_runner()
    file_no = _overdue_hazard(hz)
    result = hz("ledger", "--school", SCHOOL, "--overdue", "--at", "2024-12-20", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["file_no"] for r in rows] == [file_no] and rows[0]["days_overdue"] == 10
    assert json.loads(hz("ledger", "--school", SCHOOL, "--state", "closed", "--json").output) != rows
    assert hz("ledger", "--state", "nonsense").exit_code == 2
    out = tmp_path / "ledger.xlsx"
    assert hz("ledger", "--school", SCHOOL, "--xlsx", str(out)).exit_code == 0
    book = load_workbook(out, read_only=True)
    ids = [row[0] for row in book["隐患"].iter_rows(min_row=2, values_only=True)]
    assert file_no in ids and all(str(i).startswith(("HZ", SCHOOL)) for i in ids)
    full = tmp_path / "county.xlsx"
    assert runner.invoke(args=["org", "export", str(full)]).exit_code == 0
    exported = load_workbook(full, read_only=True)
    for sheet in ("隐患", "隐患记录"):  # the same columns and, for these hazards, the same rows
        mine = list(book[sheet].iter_rows(values_only=True))
        theirs = list(exported[sheet].iter_rows(values_only=True))
        assert mine[0] == theirs[0]
        key = 0
        assert mine[1:] == [r for r in theirs[1:] if r[key] in ids]


def test_posters_one_a5_page_per_grid_with_the_report_qr(hz, pki_demo_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "posters.pdf"
    result = hz("posters", SCHOOL, str(out))
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "419.528 x 595.276 pts" in info  # A5
    with pki_demo_app.app_context():
        grids = db.session.scalar(
            select(func.count(Grid.id)).join(School, School.id == Grid.school_id).where(School.source_id == SCHOOL)
        )
    assert f"Pages:           {grids}\n" in info
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("poppler-utils / zbar-tools are not installed")
    subprocess.run(["pdftoppm", "-f", "3", "-l", "3", "-r", "100", "-png", str(out), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()
    base = pki_demo_app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert decoded == f"{base}/hazards/report?grid=G00003"
    assert hz("posters", "SCH999", str(tmp_path / "x.pdf")).exit_code == 2
