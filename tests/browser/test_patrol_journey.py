"""A grid patrol in Chromium, at phone width and on a desktop: scan the grid's poster URL → log in
→ tap 巡查正常 → the grid's history shows today's patrol (and the page no longer offers the button);
at 390 px neither page scrolls sideways."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from responsibility import clock

GRID = "G00043"  # 高一（1）班 of SCH001, owned by the demo login P00047
SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-patrol-390.png"


def _no_horizontal_scroll(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_scan_patrol_normal_then_history(browser, live_server, width) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 600 else 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.goto(live_server(f"/hazards/report?grid={GRID}"))
        assert "/login" in tab.url
        tab.fill("input[name=username]", "P00047")
        tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
        tab.click("form [type=submit]")
        tab.wait_for_load_state()
        if "/hazards/report" not in tab.url:  # the login page may land on home: scan again
            tab.goto(live_server(f"/hazards/report?grid={GRID}"))
        button = tab.locator("#patrol-normal")
        assert button.inner_text().strip() == "巡查正常"
        if width < 600:
            box = button.bounding_box()
            assert box is not None and box["width"] >= 300  # a thumb-sized, full-width button
            _no_horizontal_scroll(tab)
            tab.screenshot(path=str(SCREENSHOT))
        tab.fill("#patrol-note", "门窗、插座正常")
        button.click()
        tab.wait_for_url(f"**/patrols/grids/{GRID}")
        today = clock.today(clock.DEFAULT_ZONE).isoformat()
        row = tab.locator(f'#history li[data-day="{today}"]')
        assert "巡查正常" in row.inner_text() and "门窗、插座正常" in row.inner_text()
        assert "gap" not in (row.get_attribute("class") or "")
        if width < 600:
            _no_horizontal_scroll(tab)
        tab.goto(live_server(f"/hazards/report?grid={GRID}"))
        assert tab.locator("#patrolled").is_visible() and tab.locator("#patrol-normal").count() == 0
    finally:
        context.close()
