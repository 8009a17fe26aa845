"""The stored gap report (issue 16): above ``LIVE_REPORT_SCHOOLS`` schools the gap report
page reads the newest stored run of the checks, filtered, counted and paged in the database. Held
here to the live page on the demo county (the limit set to 0 so that its 60 schools count as a
province): the same findings, filters, counts and pages; a refresh replaces the stored report;
the workbook reads it; the CLI and an RQ worker store it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from fixtures.rq_workers import refresh_on_a_worker
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from responsibility.chain.gaps import CHECK_CODES, run_gap_checks
from responsibility.demo import PLANTED_PROBLEMS
from responsibility.extensions import db
from responsibility.instance import install_instance
from responsibility.models import GapSnapshot, GapSnapshotFinding, Grid, GridOwnership, School

PLANTED = {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}
ROW = re.compile(r'<tr data-check="([A-Z]\d)" data-school="([^"]+)" data-subject="([^"]+)">')
AS_OF = "2025-01-31"


def _login(app, username: str = "auditor"):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302
    return client


@pytest.fixture
def province(demo_app):  # type: ignore[no-untyped-def]
    """The demo county read as a province: every view of the gap report reads the stored one."""
    demo_app.config["LIVE_REPORT_SCHOOLS"] = 0
    install_instance(demo_app)  # the settings are frozen: rebuild them after the change
    return demo_app


def _summary(html: str) -> str:
    return html.split('id="summary"')[1].split("</section>")[0]


def test_before_a_refresh_the_page_says_so_and_offers_it(province) -> None:  # type: ignore[no-untyped-def]
    client = _login(province)
    html = client.get(f"/audit/gaps?at={AS_OF}&lang=en").get_data(as_text=True)
    assert "has not been computed yet" in html and 'id="refresh-gaps"' in html
    assert not ROW.findall(html) and "Download Excel" not in html
    zh = client.get(f"/audit/gaps?at={AS_OF}&lang=zh_CN").get_data(as_text=True)
    assert "该日的缺口报告尚未计算" in zh and "计算报告" in zh
    refused = client.get(f"/audit/gaps.xlsx?at={AS_OF}&lang=en")
    assert refused.status_code == 409 and "compute it on the gap report page first" in refused.get_data(as_text=True)
    with province.app_context():
        assert db.session.scalar(select(func.count(GapSnapshot.id))) == 0  # a view writes nothing


def test_the_stored_report_is_the_live_one_filtered_and_paged(province, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import responsibility.web.audit.routes as routes

    client = _login(province)
    done = client.post(f"/audit/gaps/refresh?at={AS_OF}&lang=en", follow_redirects=True).get_data(as_text=True)
    assert f"Gap report computed: {len(PLANTED)} findings" in done
    assert "This one was computed at" in done and "(Beijing time)" in done
    assert set(ROW.findall(done)) == PLANTED
    with province.app_context():
        live = run_gap_checks(db.session, at=dt.date.fromisoformat(AS_OF), live_campaign=True)
        expected_counts = live.counts()
        db.session.rollback()
    summary = _summary(done)
    for code in CHECK_CODES:
        assert f"{code} " in summary and f"</a>: {expected_counts[code]}" in summary
    assert set(ROW.findall(client.get(f"/audit/gaps?at={AS_OF}&check=p2").get_data(as_text=True))) == {
        k for k in PLANTED if k[0] == "P2"
    }
    by_school = client.get(f"/audit/gaps?at={AS_OF}&school=sch015").get_data(as_text=True)
    assert set(ROW.findall(by_school)) == {k for k in PLANTED if k[1] == "SCH015"}
    with province.app_context():
        school = db.session.scalars(select(School).where(School.source_id == "SCH025")).one()
        name_part, town_sid = school.name[:4], school.town.source_id
        town_schools = {s.source_id for s in school.town.schools}
        named = {s.source_id for s in db.session.scalars(select(School)) if name_part in s.name}
    assert not ROW.findall(client.get(f"/audit/gaps?at={AS_OF}&school=%25").get_data(as_text=True))  # LIKE escaped
    by_name = client.get(f"/audit/gaps?at={AS_OF}&school={name_part}").get_data(as_text=True)
    assert set(ROW.findall(by_name)) == {k for k in PLANTED if k[1] in named}
    by_town = client.get(f"/audit/gaps?at={AS_OF}&town={town_sid}").get_data(as_text=True)
    assert set(ROW.findall(by_town)) == {k for k in PLANTED if k[1] in town_schools} and by_town.count(
        "data-check"
    ) < len(PLANTED)
    monkeypatch.setattr(routes, "FINDINGS_PER_PAGE", 4)
    seen: list[tuple[str, str, str]] = []
    pages = -(-len(PLANTED) // 4)
    for number in range(1, pages + 1):
        html = client.get(f"/audit/gaps?at={AS_OF}&page={number}&lang=en").get_data(as_text=True)
        assert _summary(html) == summary and (f"of {len(PLANTED)}" in html)
        seen += ROW.findall(html)
        assert ('rel="next"' in html) == (number < pages)
    assert len(seen) == len(set(seen)) and set(seen) == PLANTED
    book = load_workbook(io.BytesIO(client.get(f"/audit/gaps.xlsx?at={AS_OF}").data))
    found = {(code, r[0], r[3]) for code in CHECK_CODES for r in book[code].iter_rows(min_row=3, values_only=True)}
    assert found == PLANTED


def test_the_page_shows_the_stored_report_until_it_is_computed_again(province) -> None:  # type: ignore[no-untyped-def]
    client = _login(province)
    assert client.post(f"/audit/gaps/refresh?at={AS_OF}").status_code == 302
    with province.app_context():
        grid = db.session.scalars(
            select(Grid).join(School, School.id == Grid.school_id).where(School.source_id == "SCH001").order_by(Grid.id)
        ).first()
        assert grid is not None
        gone = ("G1", "SCH001", grid.source_id)
        db.session.execute(delete(GridOwnership).where(GridOwnership.grid_id == grid.id))
        db.session.commit()
    assert gone not in set(ROW.findall(client.get(f"/audit/gaps?at={AS_OF}").get_data(as_text=True)))
    assert client.post(f"/audit/gaps/refresh?at={AS_OF}").status_code == 302
    assert gone in set(ROW.findall(client.get(f"/audit/gaps?at={AS_OF}").get_data(as_text=True)))
    with province.app_context():
        stored = db.session.scalars(select(GapSnapshot)).all()
        assert [(s.at.isoformat(), s.season_key, s.finding_count) for s in stored] == [
            (AS_OF, "live", len(PLANTED) + 1)
        ]  # the newer report replaced the older one of the same day, findings and all
        assert db.session.scalar(select(func.count(GapSnapshotFinding.id))) == len(PLANTED) + 1


def test_the_cli_stores_the_report(province) -> None:  # type: ignore[no-untyped-def]
    runner = province.test_cli_runner()
    result = runner.invoke(args=["audit", "refresh-gaps", "--at", AS_OF])
    assert result.exit_code == 0, result.output
    assert f"stored the gap report of {AS_OF} (live): {len(PLANTED)} findings" in result.output
    imported = runner.invoke(args=["audit", "refresh-gaps", "--at", AS_OF, "--imported-only"])
    assert imported.exit_code == 0 and "(imported)" in imported.output
    bad = runner.invoke(args=["audit", "refresh-gaps", "--at", "2025-02-30"])
    assert bad.exit_code == 2 and "bad date" in bad.output
    assert set(ROW.findall(_login(province).get(f"/audit/gaps?at={AS_OF}").get_data(as_text=True))) == PLANTED


def test_with_redis_a_worker_computes_it_once(province) -> None:  # type: ignore[no-untyped-def]
    client = _login(province)
    refresh_on_a_worker(
        province, client, f"/audit/gaps/refresh?at={AS_OF}&lang=en", "responsibility.jobs.tasks.refresh_gaps_task"
    )
    html = client.get(f"/audit/gaps?at={AS_OF}").get_data(as_text=True)
    assert set(ROW.findall(html)) == PLANTED
    with province.app_context():
        assert db.session.scalars(select(GapSnapshot.computed_by)).all() == ["auditor"]


def test_an_unreachable_queue_is_a_clear_message(province) -> None:  # type: ignore[no-untyped-def]
    province.config.update(REDIS_URL="redis://127.0.0.1:1/0")
    install_instance(province)
    html = _login(province).post(f"/audit/gaps/refresh?at={AS_OF}&lang=en", follow_redirects=True)
    assert html.status_code == 200
    assert "The report was not computed: the job queue cannot be reached" in html.get_data(as_text=True)


def test_school_people_cannot_compute_it(province) -> None:  # type: ignore[no-untyped-def]
    assert _login(province, "P00027").post(f"/audit/gaps/refresh?at={AS_OF}").status_code == 404
    with province.app_context():
        assert db.session.scalar(select(func.count(GapSnapshot.id))) == 0


def test_two_reports_of_one_day_at_once_one_wins(province, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The day's report is unique: a second row of it is a ConcurrentChange (inside a savepoint,
    the session still usable), and the page that lost says so instead of failing."""
    import responsibility.web.audit.routes as routes
    from responsibility.db_unique import add_unique
    from responsibility.errors import ConcurrentChange

    client = _login(province)
    assert client.post(f"/audit/gaps/refresh?at={AS_OF}").status_code == 302
    with province.app_context():
        winner = db.session.scalars(select(GapSnapshot)).one()
        twin = GapSnapshot(
            at=winner.at, season_key=winner.season_key, computed_at=winner.computed_at, seconds=0.0,
            checks=[], season={}, notes=[], finding_count=0, computed_by="twin",
        )  # fmt: skip
        with pytest.raises(ConcurrentChange):
            add_unique(db.session, twin)
        assert db.session.scalar(select(func.count(GapSnapshot.id))) == 1  # still usable
        db.session.rollback()

    def lost(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConcurrentChange("someone else computed this report at the same moment; the page shows theirs")

    monkeypatch.setattr(routes, "compute_snapshot", lost)
    page = client.post(f"/audit/gaps/refresh?at={AS_OF}&lang=en", follow_redirects=True)
    assert page.status_code == 200
    assert "The report was not computed: someone else computed this report" in page.get_data(as_text=True)
    assert set(ROW.findall(page.get_data(as_text=True))) == PLANTED  # the winner's report is shown
