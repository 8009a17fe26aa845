"""Reporting an incident in Chromium, at phone width and on a desktop: the principal fills the
form (place from the school's grids and buildings, local time) → the incident's page shows it as
迟报 → the bureau's deputy in charge of safety finds it in the county list filtered by status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-incident-report-390.png"


def _context(browser, width: int):  # type: ignore[no-untyped-def]
    height = 844 if width < 600 else 900
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return context, tab


def _log_in(tab, live_server, username: str, then: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server(then))
    assert "/login" in tab.url
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_load_state()
    if then not in tab.url:
        tab.goto(live_server(then))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_school_reports_an_incident_the_bureau_sees(browser, live_server, width) -> None:  # type: ignore[no-untyped-def]
    contexts = []
    try:
        context, principal = _context(browser, width)
        contexts.append(context)
        _log_in(principal, live_server, "P00027", "/incidents/report")
        assert "报告事故/事件" in principal.inner_text(".page-head")
        principal.select_option("#place", "BLD0001")
        principal.select_option("#kind", "E02")
        principal.fill("#occurred_at", "2025-01-15T08:30")
        principal.select_option("#severity", "ordinary")
        principal.fill("#injuries", "0")
        principal.fill("#description", "一号教学楼配电箱冒烟起火，已扑灭")
        if width < 600:
            assert principal.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            principal.screenshot(path=str(SCREENSHOT))
        principal.click("#incident-submit")
        principal.wait_for_url("**/incidents/SG-2025-*")
        number = principal.url.rsplit("/", 1)[-1]
        assert "迟报" in principal.inner_text("#status") and "配电箱冒烟" in principal.inner_text("#description")
        if width < 600:
            assert principal.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        context, deputy = _context(browser, width)
        contexts.append(context)
        _log_in(deputy, live_server, "P00002", "/incidents")
        deputy.select_option("select[name=status]", "late")
        deputy.click(".filters button[type=submit]")
        deputy.wait_for_load_state()
        row = deputy.locator(f'tr[data-incident="{number}"]')
        assert "火灾" in row.inner_text() and "迟报" in row.inner_text()
        deputy.click(f'tr[data-incident="{number}"] a')
        deputy.wait_for_url(f"**/incidents/{number}")
        assert "一号教学楼" in deputy.inner_text("main")
    finally:
        for context in contexts:
            context.close()
