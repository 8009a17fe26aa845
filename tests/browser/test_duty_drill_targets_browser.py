"""The principal's scorecard in Chromium at phone width and on a desktop: the 值班到岗率 shortfall
opens the roster on the day without check-ins, the 全员疏散演练 shortfall the school's sessions."""

from __future__ import annotations

import pytest

SCHOOL = "SCH001"
PRINCIPAL = "P00027"  # SCH001 校长


def _log_in(tab, live_server, then: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server(then))
    tab.fill("input[name=username]", PRINCIPAL)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_load_state()
    if then not in tab.url:
        tab.goto(live_server(then))


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_shortfalls_open_the_roster_day_and_the_sessions(browser, live_server, demo_runner, width) -> None:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(args=["campaign", "create", "浏览器到岗", "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    scorecard = f"/targets/{made.output.split()[-1]}/{SCHOOL}?at=2025-01-29"
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 600 else 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        _log_in(tab, live_server, scorecard)
        duty = tab.locator("#target-duty_rate")
        assert duty.get_attribute("data-status") == "behind"
        _fits(tab)
        duty.locator("summary").click()
        duty.locator('a[href*="day=2025-01-27"]').click()
        tab.wait_for_load_state()
        assert tab.url.endswith(f"/rosters/{SCHOOL}?day=2025-01-27")
        assert "2025-01-27" in tab.locator("#day-form h2").inner_text()
        _fits(tab)
        tab.go_back()
        tab.wait_for_load_state()
        drills = tab.locator("#target-drills")
        assert drills.get_attribute("data-status") == "behind"
        drills.locator("summary").click()
        drills.locator("a", has_text="本学期已登记 0 次").click()
        tab.wait_for_load_state()
        assert tab.url.endswith(f"/schools/{SCHOOL}/education")
        _fits(tab)
    finally:
        context.close()
