"""The auditor pages on the demo county: the gap report with its filters and Excel download,
and the audit log with the chain check; only admins, auditors and bureau leaders get in."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from responsibility.chain.gaps import CHECK_CODES
from responsibility.demo import PLANTED_PROBLEMS
from responsibility.models import AuditEvent

PLANTED = {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}
ROW = re.compile(r'<tr data-check="([A-Z]\d)" data-school="([^"]+)" data-subject="([^"]+)">')
AS_OF = "2025-01-31"


def _login(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _rows(html: str) -> set[tuple[str, str, str]]:
    return set(ROW.findall(html))


def test_gap_page_lists_the_planted_problems_with_fix_links(demo_app) -> None:
    html = _login(demo_app, "auditor").get(f"/audit/gaps?at={AS_OF}").get_data(as_text=True)
    assert _rows(html) == PLANTED
    # links stay on the site being used, whatever PUBLIC_BASE_URL says (that one is for QR codes)
    assert 'href="/org/schools/SCH025#grids"' in html
    assert 'href="/org/schools/SCH022#buildings"' in html
    assert "127.0.0.1:5000" not in html
    assert "/audit/gaps.xlsx?at=2025-01-31" in html
    assert "缺口报告" in html  # Simplified Chinese first


def test_gap_page_filters(demo_app) -> None:
    client = _login(demo_app, "auditor")
    by_check = _rows(client.get(f"/audit/gaps?at={AS_OF}&check=p2").get_data(as_text=True))
    assert by_check == {k for k in PLANTED if k[0] == "P2"}
    by_school = _rows(client.get(f"/audit/gaps?at={AS_OF}&school=SCH015").get_data(as_text=True))
    assert by_school == {k for k in PLANTED if k[1] == "SCH015"}
    from responsibility.extensions import db
    from responsibility.models import School, Town

    with demo_app.app_context():
        town = db.session.get(Town, db.session.get(School, _school_pk(db, "SCH025")).town_id)
        town_schools = {s.source_id for s in town.schools}
        town_sid = town.source_id
    by_town = _rows(client.get(f"/audit/gaps?at={AS_OF}&town={town_sid}").get_data(as_text=True))
    assert by_town == {k for k in PLANTED if k[1] in town_schools}
    assert ("G1", "SCH025", "G01270") in by_town


def _school_pk(db, sid: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from responsibility.models import School

    return db.session.scalar(select(School.id).where(School.source_id == sid))


def test_gap_page_bad_filters(demo_app) -> None:
    client = _login(demo_app, "auditor")
    assert client.get("/audit/gaps?at=2025-02-30").status_code == 400
    assert client.get("/audit/gaps?check=Z9").status_code == 400
    assert client.get("/audit/gaps?campaign=77").status_code == 400


def test_excel_download(demo_app) -> None:
    client = _login(demo_app, "auditor")
    response = client.get(f"/audit/gaps.xlsx?at={AS_OF}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "gap-report-2025-01-31.xlsx" in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["汇总", *CHECK_CODES]
    found = {(code, r[0], r[3]) for code in CHECK_CODES for r in wb[code].iter_rows(min_row=3, values_only=True)}
    assert found == PLANTED
    link = wb["H4"].cell(row=3, column=7).hyperlink.target
    assert link == "http://127.0.0.1:5000/org/schools/SCH017#grids"
    only = load_workbook(io.BytesIO(client.get(f"/audit/gaps.xlsx?at={AS_OF}&check=H4").data))
    assert only.sheetnames == ["汇总", "H4"]


@pytest.mark.parametrize("username", ["admin", "P00001", "P00002"])
def test_county_wide_viewers_get_in(demo_app, username: str) -> None:
    client = _login(demo_app, username)
    for path in (f"/audit/gaps?at={AS_OF}&check=G1", "/audit/log"):
        assert client.get(path).status_code == 200, path
    assert "/audit/gaps" in client.get("/").get_data(as_text=True)  # linked from the navigation


@pytest.mark.parametrize("username", ["P00010", "P00027", "P00047"])
def test_others_get_404(demo_app, username: str) -> None:
    client = _login(demo_app, username)
    for path in ("/audit/gaps", "/audit/gaps.xlsx", "/audit/log"):
        assert client.get(path).status_code == 404, path
    assert "/audit/gaps" not in client.get("/").get_data(as_text=True)


def test_anonymous_is_sent_to_login(demo_app) -> None:
    response = demo_app.test_client().get("/audit/gaps")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_audit_log_filters_and_chain_check(demo_app) -> None:
    client = _login(demo_app, "auditor")
    html = client.get("/audit/log").get_data(as_text=True)
    assert 'class="chain-ok"' in html
    seqs = [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', html)]
    assert seqs == sorted(seqs, reverse=True) and 1 in seqs
    accounts = client.get("/audit/log?action=account.").get_data(as_text=True)
    assert (
        re.findall(r'<span class="id">(account\.[a-z_]+)</span>', accounts)
        and '<span class="id">org.import</span>' not in accounts
    )
    auditor = client.get("/audit/log?person=auditor").get_data(as_text=True)
    assert "账号 auditor" in auditor and "账号 admin" not in auditor  # actors labelled: user:auditor
    school = client.get("/audit/log?school=SCH999").get_data(as_text=True)
    assert "<tr data-seq=" not in school

    from responsibility.extensions import db

    with demo_app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(subject="user:someone"))
        db.session.commit()
    broken = client.get("/audit/log").get_data(as_text=True)
    assert 'class="warn chain-broken" data-broken-seq="3"' in broken


def test_gap_page_lists_its_findings_in_pages(demo_app, monkeypatch) -> None:
    """At a province's size the findings are listed a page at a time; the counts per check stay
    those of the whole report, and every finding is on exactly one page."""
    import responsibility.web.audit.routes as routes

    monkeypatch.setattr(routes, "FINDINGS_PER_PAGE", 4)
    client = _login(demo_app, "auditor")
    first = client.get(f"/audit/gaps?at={AS_OF}&lang=en").get_data(as_text=True)
    assert len(ROW.findall(first)) == 4
    assert f"1–4 of {len(PLANTED)}" in first
    assert f'href="/audit/gaps?page=2&amp;at={AS_OF}#findings" rel="next"' in first
    assert 'rel="prev"' not in first
    summary = first.split('id="summary"')[1].split("</section>")[0]
    seen: list[tuple[str, str, str]] = []
    pages = -(-len(PLANTED) // 4)
    for number in range(1, pages + 1):
        html = client.get(f"/audit/gaps?at={AS_OF}&page={number}&lang=en").get_data(as_text=True)
        assert html.split('id="summary"')[1].split("</section>")[0] == summary
        seen += ROW.findall(html)
        assert ('rel="next"' in html) == (number < pages)
    assert len(seen) == len(set(seen)) and set(seen) == PLANTED
    past = client.get(f"/audit/gaps?at={AS_OF}&page={pages + 1}&lang=en").get_data(as_text=True)
    assert "No findings on this page." in past and 'rel="prev"' in past
    for bad in ("0", "x", "-1"):
        refused = client.get(f"/audit/gaps?at={AS_OF}&page={bad}&lang=en")
        assert refused.status_code == 400 and "The page must be a whole number from 1." in refused.get_data(
            as_text=True
        )
