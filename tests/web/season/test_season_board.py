"""The season board (``/season``): the bureau reads the county's figures per town in both
languages, each linking to the page behind it; a check-in and an incident move its numbers; a
school's principal gets 404; a bad day is 400."""

from __future__ import annotations

import datetime as dt
import re

from responsibility import clock

CHIEF = "P00001"  # bureau chief: sees every school
PRINCIPAL = "P00027"  # SCH001 principal


def _campaign(demo_runner) -> None:  # type: ignore[no-untyped-def]
    today = clock.today(clock.DEFAULT_ZONE)
    start, end = (today - dt.timedelta(days=30)).isoformat(), (today + dt.timedelta(days=120)).isoformat()
    made = demo_runner.invoke(args=["campaign", "create", "看板批次", "--start", start, "--end", end])
    assert made.exit_code == 0, made.output


def _figure(page: str, key: str) -> str:
    return page.split(f'id="fig-{key}"')[1].split("</div>")[0]


def test_board_in_both_languages_with_links(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    chief = demo_login(CHIEF)
    page = chief.get("/season?lang=zh_CN")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    text = page.get_data(as_text=True)
    assert "季度工作看板" in text and 'id="by-town"' in text and 'data-school="SCH001"' in text
    assert 'href="/rosters/attendance?' in _figure(text, "attendance")
    assert 'href="/education/county?at=' in _figure(text, "visits")
    assert 'href="/incidents"' in _figure(text, "incidents")
    assert "/patrols/schools/SCH001?start=" in text and "/schools/SCH001/fire-files" in text
    assert "/targets?" in text and "style=" not in text.split('id="county-figures"')[1]
    english = chief.get("/season?lang=en").get_data(as_text=True)
    assert "Season board" in english and "Grids patrolled without gaps" in english and "季度工作看板" not in english
    home = chief.get("/?lang=zh_CN").get_data(as_text=True)
    assert 'href="/season"' in home


def test_school_people_and_bad_days_are_refused(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    assert demo_login(PRINCIPAL).get("/season").status_code == 404
    bad = demo_login(CHIEF).get("/season?at=2026-13-01&lang=en")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_data(as_text=True)


def test_no_campaign_is_404(demo_login) -> None:  # type: ignore[no-untyped-def]
    assert demo_login(CHIEF).get("/season").status_code == 404


def _fraction(cell: str) -> tuple[int, int] | None:
    found = re.search(r"(\d+)/(\d+)", cell)
    return (int(found[1]), int(found[2])) if found else None


def test_recorded_visits_and_education_show_as_on_the_county_table(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    principal = demo_login(PRINCIPAL)
    sent = principal.post("/schools/SCH001/visits", data={"class_name": "七年级1班", "category": "留守儿童",
                                                           "planned": "4", "done": "3", "version": "0"})  # fmt: skip
    assert sent.status_code == 302
    day = (clock.today(clock.DEFAULT_ZONE) - dt.timedelta(days=1)).isoformat()
    form = {"topic": "anti_fraud", "date": day, "class_name": "七年级1班", "attendance": "38", "enrolled": "40"}
    assert principal.post("/schools/SCH001/education", data=form).status_code == 302
    chief = demo_login(CHIEF)
    board = chief.get("/season").get_data(as_text=True)
    table = chief.get("/education/county").get_data(as_text=True)
    town = board.split('<tr data-town="T01">')[1].split("</tr>")[0]
    county_town = table.split('<tr data-town="城关镇">')[1].split("</tr>")[0].split("<td>")
    assert _fraction(town.split('class="visits"')[1]) == _fraction(county_town[2])
    assert _fraction(town.split('class="fraud"')[1]) == _fraction(county_town[3])
    assert _fraction(town.split('class="fraud"')[1]) is not None


def test_a_liaison_section_sees_only_its_schools(demo_runner, demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from responsibility.accounts.access import visible_school_ids
    from responsibility.extensions import db
    from responsibility.models import School, User

    _campaign(demo_runner)
    liaison = "P00010"  # section staff with liaison schools
    with demo_app.app_context():
        user = db.session.scalars(select(User).where(User.username == liaison)).one()
        visible = visible_school_ids(db.session, user, clock.today(clock.DEFAULT_ZONE))
        assert visible  # some schools, not the whole county
        mine = set(db.session.scalars(select(School.source_id).where(School.id.in_(visible))))
    page = demo_login(liaison).get("/season").get_data(as_text=True)
    shown = set(re.findall(r'<tr data-school="([^"]+)"', page))
    with demo_app.app_context():
        county = len(db.session.scalars(select(School.id)).all())
    assert shown == mine and 0 < len(mine) < county
    assert f"{len(mine)} 所学校" in page


def test_the_school_table_is_listed_in_pages(demo_runner, demo_login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The schools are listed a page at a time (a province has 20,000); the county figures above
    them are of every school on every page."""
    import responsibility.web.season.routes as routes

    monkeypatch.setattr(routes, "SCHOOLS_PER_PAGE", 25)
    _campaign(demo_runner)
    chief = demo_login(CHIEF)
    pages = [chief.get(f"/season?page={n}&lang=en").get_data(as_text=True) for n in (1, 2, 3)]
    listed = [re.findall(r'<tr data-school="([^"]+)">', page) for page in pages]
    assert [len(rows) for rows in listed] == [25, 25, 10]  # the demo county's 60 schools
    assert len({s for rows in listed for s in rows}) == 60
    assert listed[0][0] == "SCH001"
    figures = {page.split('id="county-figures"')[1].split("</section>")[0] for page in pages}
    assert len(figures) == 1
    assert "1–25 of 60" in pages[0] and 'rel="next"' in pages[0] and 'rel="next"' not in pages[2]
    refused = chief.get("/season?page=abc&lang=en")
    assert refused.status_code == 400 and "The page must be a whole number from 1." in refused.get_data(as_text=True)


def test_a_province_s_towns_are_listed_in_pages_without_town_charts(demo_runner, demo_login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Thousands of towns (a province) are a table a page at a time (``?towns=N``, the school
    table's page kept), not thousands of bars; the risk areas' chart stays."""
    import responsibility.web.season.routes as routes

    _campaign(demo_runner)
    chief = demo_login(CHIEF)
    whole = chief.get("/season?lang=en").get_data(as_text=True)
    towns = re.findall(r'<tr data-town="([^"]*)">', whole)
    assert len(towns) > 2 and 'id="chart-patrols"' in whole and 'id="no-town-charts"' not in whole
    monkeypatch.setattr(routes, "TOWNS_PER_PAGE", 2)
    monkeypatch.setattr(routes, "CHART_TOWNS", 1)
    monkeypatch.setattr(routes, "SCHOOLS_PER_PAGE", 25)
    first = chief.get("/season?page=2&lang=en").get_data(as_text=True)
    assert 'id="chart-patrols"' not in first and f"{len(towns)} towns: too many for a bar each" in first
    assert re.findall(r'<tr data-town="([^"]*)">', first) == towns[:2]
    pager = first.split('id="towns-pager"')[1].split("</nav>")[0]
    assert "towns=2" in pager and "page=2" in pager and 'rel="next"' in pager
    second = chief.get("/season?page=2&towns=2&lang=en").get_data(as_text=True)
    assert re.findall(r'<tr data-town="([^"]*)">', second) == towns[2:4]
    schools = second.split('id="schools-pager"')[1].split("</nav>")[0]
    assert "towns=2" in schools  # the school table's pager keeps the towns' page
    assert chief.get("/season?towns=0").status_code == 400
