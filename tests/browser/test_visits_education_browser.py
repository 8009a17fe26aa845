"""Home visits and safety education in Chromium, at phone width and on a desktop: the principal
records a class's visit counts and an anti-fraud session, sees the visit rate on the school's
page, and the bureau chief sees the school's rate and coverage in the county table."""

from __future__ import annotations

import datetime as dt

import pytest

from responsibility.clock import today as county_today


def _context(browser, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 600 else 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return context, tab


def _log_in(tab, live_server, username: str, then: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server("/login"))
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_load_state()
    tab.goto(live_server(then))


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_record_visits_and_a_session_then_see_the_rate(browser, live_server, width) -> None:  # type: ignore[no-untyped-def]
    today = county_today()
    runner = live_server.app.test_cli_runner()
    made = runner.invoke(args=["campaign", "create", "家访浏览器批次", "--start",
                               (today - dt.timedelta(days=30)).isoformat(), "--end",
                               (today + dt.timedelta(days=120)).isoformat()])  # fmt: skip
    assert made.exit_code == 0, made.output
    context, tab = _context(browser, width)
    try:
        _log_in(tab, live_server, "P00027", "/schools/SCH001/visits")
        tab.fill("#class_name", "七年级1班")
        tab.select_option("#category", "留守儿童")
        tab.fill("#planned", "4")
        tab.fill("#done", "3")
        _fits(tab)
        tab.click("#visits-submit")
        tab.wait_for_selector('tr[data-class="七年级1班"]')
        assert tab.inner_text("#visit-rate-value") == "75.0%"
        _fits(tab)

        tab.goto(live_server("/schools/SCH001/education"))
        tab.select_option("#topic", "anti_fraud")
        tab.fill("#date", (today - dt.timedelta(days=3)).isoformat())
        tab.fill("#class_name", "七年级1班")
        tab.fill("#attendance", "38")
        tab.fill("#enrolled", "40")
        _fits(tab)
        tab.click("#session-submit")
        tab.wait_for_selector('tr[data-topic="anti_fraud"]')
        assert "38/40" in tab.inner_text('tr[data-topic="anti_fraud"]')
        _fits(tab)
    finally:
        context.close()
    context, chief = _context(browser, width)
    try:
        _log_in(chief, live_server, "P00001", "/education/county")
        row = chief.locator('tr[data-school="SCH001"]')
        assert "95.0%" in row.locator(".fraud-coverage").inner_text()
        assert "%" in row.locator(".visit-rate").inner_text()
        _fits(chief)
    finally:
        context.close()
