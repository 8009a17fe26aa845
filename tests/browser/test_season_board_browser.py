"""The season board in Chromium at phone width and on a desktop: the bureau chief follows the
county home page's link to the board, reads the county's figures and the per-town bar charts
(no page scrolls sideways at 390 px, the CSP refuses nothing), and follows the round figure to
the round's completion page. With ``SCREENSHOTS=1`` it also shoots the targets county table,
the assessment county page and the dossier page for the README."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.screens import shoot
from sqlalchemy import select

from responsibility import clock

CHIEF = "P00001"
DEPUTY = "P00029"  # SCH001 safety deputy


def _prepare(app) -> str:  # type: ignore[no-untyped-def]
    """A live campaign, a round with SCH001 submitted (one fail), an incident; the chief's password."""
    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    today = clock.today(clock.DEFAULT_ZONE)
    runner = app.test_cli_runner()

    def ok(*args: str) -> str:
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return str(result.output)

    ok("campaign", "create", "2026—2027年冬春季", "--start", (today - dt.timedelta(days=30)).isoformat(),
       "--end", (today + dt.timedelta(days=120)).isoformat())  # fmt: skip
    opened = ok("round", "open", "冬季安全大排查", "--start", (today - dt.timedelta(days=2)).isoformat(),
                "--end", (today + dt.timedelta(days=14)).isoformat(), "--areas", "R05,R12")  # fmt: skip
    round_id = opened.strip().splitlines()[-1]
    ok("round", "answer", round_id, "SCH001", "R05-06", "--by", DEPUTY, "--result", "pass")
    ok("round", "answer", round_id, "SCH001", "R05-07", "--by", DEPUTY, "--result", "fail", "--note", "无减速带")
    ok("round", "submit", round_id, "SCH001", "--by", DEPUTY)
    day = (today - dt.timedelta(days=1)).isoformat()
    ok("incident", "report", "--school", "SCH001", "--place", "G00002", "--severity", "ordinary", "--kind", "E02",
       "--description", "学生摔伤", "--at", f"{day} 08:00", "--reported", f"{day} 10:30")  # fmt: skip
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == CHIEF)).one()
        set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
        db.session.commit()
        db.session.remove()
    return round_id


def _log_in(tab, live_server) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server("/login"))
    tab.fill("input[name=username]", CHIEF)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_url(live_server("/"))


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.evaluate("window.innerWidth") + 1, width


@pytest.mark.parametrize("shape", ["phone", "desktop"])
def test_the_chief_reads_the_season_board(request, live_server, shape: str) -> None:  # type: ignore[no-untyped-def]
    tab = request.getfixturevalue("phone_page" if shape == "phone" else "page")
    round_id = _prepare(live_server.app)
    _log_in(tab, live_server)
    with tab.expect_navigation():
        tab.click("nav.season-links a[href='/season']")
    assert tab.inner_text("h1") == "季度工作看板"
    assert tab.inner_text("#fig-incidents dd").startswith("1")
    assert "迟报 1" in tab.inner_text("#fig-incidents")
    assert "1/" in tab.inner_text("#fig-round")
    town = tab.locator("#chart-round .value[data-town=T01]")
    assert "1/21" in town.inner_text()
    assert tab.locator("#chart-round rect.bar-done").first.get_attribute("width") != "0.0"
    assert "50.0%" in tab.inner_text("#chart-areas .value[data-area=R05]")
    assert tab.locator("#chart-attendance svg").count() >= 1
    _fits(tab)
    shoot(tab, "season")
    with tab.expect_navigation():
        tab.click("#fig-round a")
    assert tab.url.endswith(f"/rounds/{round_id}")
    for path, name in (
        ("/targets", "targets"),
        ("/assessment", "assessment"),
        ("/chain/dossier?grid=G00002", "dossier"),
    ):
        response = tab.goto(live_server(path))
        assert response is not None and response.status == 200, path
        _fits(tab)
        shoot(tab, name)


@pytest.mark.parametrize("shape", ["phone", "desktop"])
def test_the_chief_computes_and_pages_the_stored_board(request, live_server, monkeypatch, shape: str) -> None:  # type: ignore[no-untyped-def]
    """The demo county read as a province (``LIVE_REPORT_SCHOOLS`` 0, issue 16): the board is not
    computed yet, 计算看板 computes it, the figures are the live ones, and the second page of
    schools comes from the stored rows; nothing scrolls sideways."""
    import responsibility.web.season.routes as routes
    from responsibility.instance import install_instance

    tab = request.getfixturevalue("phone_page" if shape == "phone" else "page")
    _prepare(live_server.app)
    _log_in(tab, live_server)
    tab.goto(live_server("/season"))
    live_round, live_incidents = tab.inner_text("#fig-round"), tab.inner_text("#fig-incidents")
    live_town = tab.inner_text("#by-town tr[data-town=T01]")
    live_server.app.config["LIVE_REPORT_SCHOOLS"] = 0
    install_instance(live_server.app)
    monkeypatch.setattr(routes, "SCHOOLS_PER_PAGE", 25)
    tab.goto(live_server("/season"))
    assert "该日的看板尚未计算" in tab.inner_text("#stored-board")
    assert tab.locator("#county-figures").count() == 0
    _fits(tab)
    with tab.expect_navigation():
        tab.click("#refresh-board button")
    assert "季度工作看板已计算" in tab.inner_text("body") and "本看板计算于" in tab.inner_text("#stored-board")
    assert tab.inner_text("#fig-round") == live_round and tab.inner_text("#fig-incidents") == live_incidents
    assert tab.inner_text("#by-town tr[data-town=T01]") == live_town
    first = tab.locator("#schools tbody tr").first.get_attribute("data-school")
    assert tab.locator("#schools tbody tr").count() == 25
    _fits(tab)
    with tab.expect_navigation():
        tab.click("#schools-pager a[rel=next]")
    assert tab.locator("#schools tbody tr").count() > 0
    assert tab.locator("#schools tbody tr").first.get_attribute("data-school") != first
    assert "本看板计算于" in tab.inner_text("#stored-board")
    _fits(tab)
