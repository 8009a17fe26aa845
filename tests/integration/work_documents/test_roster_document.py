"""`flask roster submit`: the roster of the season becomes the 值班表 PDF, sealed by the bureau and
signed by the principal at submission (报局); `flask verify` finds it valid. Refused, with one line
and nothing written, while a day has no leader, for anyone but the principal and on a wrong PIN;
a changed roster supersedes the earlier document (kept); the bureau's list shows who reported."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select
from tools import enrol, ok, refused, verify

from responsibility.clock import today as county_today
from responsibility.instance import install_instance
from responsibility.models import Agreement, AuditEvent, Notification, WorkDocument
from responsibility.season.roster_reports import roster_reports

SCHOOL, PRINCIPAL, DEPUTY, GUARD = "SCH001", "P00027", "P00029", "P00038"
BUREAU, CHIEF = "ORG-BUREAU", "P00001"
TODAY = county_today()
START, END = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=3)


def _roster(path: Path, leader: str, days: list[dt.date], guard: str = GUARD) -> str:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "班次", "带班领导", "值班人员", "门卫", "宿管"])
    for day in days:
        sheet.append([day.isoformat(), "24h", leader, guard, guard, ""])
    book.save(path)
    return str(path)


def _term(skip: dt.date | None = None) -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range((END - START).days + 1) if START + dt.timedelta(days=i) != skip]


def _campaign(runner) -> None:  # type: ignore[no-untyped-def]
    ok(runner, "campaign", "create", "值班批次", "--start", START.isoformat(), "--end", END.isoformat(),
       "--due", END.isoformat())  # fmt: skip


def _roster_documents(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count(WorkDocument.id)).where(WorkDocument.kind == "roster")) or 0


def test_submit_signs_the_roster_and_supersedes_on_change(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wd_app.config["ROSTER_WINTER_BREAK"] = f"{TODAY}/{END}"
    wd_app.config["ROSTER_SPRING_FESTIVAL"] = f"{END}/{END}"
    install_instance(wd_app)  # the settings are frozen: rebuild them after the change
    runner = wd_app.test_cli_runner()
    _campaign(runner)
    pin = enrol(runner, tmp_path, PRINCIPAL, DEPUTY)
    gap = TODAY + dt.timedelta(days=1)
    ok(runner, "roster", "import", SCHOOL, _roster(tmp_path / "a.xlsx", DEPUTY, _term(skip=gap)))

    line = refused(runner, "roster", "submit", SCHOOL, "--by", PRINCIPAL, "--pin-file", pin)
    assert gap.isoformat() in line and "1 day" in line
    ok(runner, "roster", "import", SCHOOL, _roster(tmp_path / "b.xlsx", DEPUTY, [gap]))
    assert "Only the" in refused(runner, "roster", "submit", SCHOOL, "--by", DEPUTY, "--pin-file", pin)
    wrong = tmp_path / "wrong"
    wrong.write_text("000000\n", encoding="utf-8")
    refused(runner, "roster", "submit", SCHOOL, "--by", PRINCIPAL, "--pin-file", str(wrong))
    assert _roster_documents(wd_session) == 0

    number = ok(runner, "roster", "submit", SCHOOL, "--by", PRINCIPAL, "--pin-file", pin).split()[-1]
    wd_session.expire_all()
    doc = wd_session.query(Agreement).filter_by(document_number=number).one()
    kinds = [(r.kind, r.field_name) for r in doc.revisions]
    assert kinds[:3] == [("generated", None), ("certified", "sig_bureau_seal"), ("signed", "sig_school_principal")]
    assert doc.state == "archived"
    row = wd_session.query(WorkDocument).filter_by(agreement_id=doc.id).one()
    assert len(row.facts["days"]) == len(_term()) and row.facts["uncovered"] == []
    assert {d["leader"] for d in row.facts["days"]} == {DEPUTY} and row.facts["signer"] == PRINCIPAL
    code, report = verify(runner, tmp_path, number)
    assert code == 0, report
    assert row.facts["winter_break"] == [d.isoformat() for d in _term() if d >= TODAY]
    assert row.facts["spring_festival"] == [END.isoformat()]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / f"{number}.pdf"), "-"],
                              capture_output=True, check=True, text=True).stdout  # fmt: skip
        lines = {line.split()[0]: line for line in text.splitlines() if line.strip()[:4].isdigit()}
        assert "寒假" in lines[TODAY.isoformat()] and "寒假、" in text  # END: 寒假、春节 (wrapped in its cell)
        assert "寒假" not in lines[START.isoformat()] and f"{DEPUTY}" in lines[START.isoformat()]
        assert "寒假4天，春节1天" in text
    events = wd_session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "roster.reported"))
    assert events == 1
    assert wd_session.query(Notification).filter_by(kind="roster_reported", agreement_id=doc.id).count() >= 1

    again = ok(runner, "roster", "submit", SCHOOL, "--by", PRINCIPAL, "--pin-file", pin).split()
    assert again[-1] == number and "unchanged" in " ".join(again)
    assert _roster_documents(wd_session) == 1

    ok(runner, "roster", "import", SCHOOL, _roster(tmp_path / "b2.xlsx", DEPUTY, [gap]))  # the same again
    assert not {r.org_id: r for r in roster_reports(wd_session).rows}[SCHOOL].changed
    ok(runner, "roster", "import", SCHOOL, _roster(tmp_path / "c.xlsx", PRINCIPAL, [TODAY]))
    wd_session.expire_all()
    changed = {r.org_id: r for r in roster_reports(wd_session).rows}[SCHOOL]
    assert changed.changed and changed.document_number == number and roster_reports(wd_session).changed == 1
    assert wd_session.query(Notification).filter_by(kind="roster_changed", agreement_id=doc.id).count() >= 2
    out = ok(runner, "roster", "submit", SCHOOL, "--by", PRINCIPAL, "--pin-file", pin)
    newer = out.split()[-1]
    assert newer != number and f"{number} 已被取代" in out
    wd_session.expire_all()
    assert wd_session.query(Agreement).filter_by(document_number=number).one().state == "superseded"
    successor = wd_session.query(WorkDocument).filter_by(supersedes_agreement_id=doc.id).one()
    assert successor.agreement.document_number == newer
    assert verify(runner, tmp_path, newer)[0] == 0

    reports = {r.org_id: r for r in roster_reports(wd_session).rows}
    assert reports[SCHOOL].document_number == newer and reports[SCHOOL].reported_at is not None
    assert not reports[SCHOOL].changed  # the new report shows the roster as it is
    assert not reports["SCH002"].reported and not reports[BUREAU].reported


def test_the_bureau_chief_reports_the_bureau_roster(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    _campaign(runner)
    pin = enrol(runner, tmp_path, CHIEF)
    ok(runner, "roster", "import", BUREAU, _roster(tmp_path / "a.xlsx", CHIEF, _term(), guard="P00002"))
    number = ok(runner, "roster", "submit", BUREAU, "--by", CHIEF, "--pin-file", pin).split()[-1]
    wd_session.expire_all()
    doc = wd_session.query(Agreement).filter_by(document_number=number).one()
    assert ("signed", "sig_bureau_chief") in [(r.kind, r.field_name) for r in doc.revisions] or (
        "countersigned", "sig_bureau_chief") in [(r.kind, r.field_name) for r in doc.revisions]  # fmt: skip
    assert doc.state == "archived"
    assert verify(runner, tmp_path, number)[0] == 0
    reports = {r.org_id: r for r in roster_reports(wd_session).rows}
    assert reports[BUREAU].document_number == number
