"""The fire-file journey in Chromium, at phone width and on a desktop: the principal opens the
school's fire files, edits a building's file and attaches the evacuation plan PDF, records the
monthly fire check, sees the new version in the history and downloads the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from fire_pdfs import plan_pdf

BUILDING = "BLD0001"


def _no_horizontal_scroll(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_edit_attach_check_and_history(browser, live_server, tmp_path, width) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "疏散预案.pdf"
    pdf.write_bytes(plan_pdf())
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 600 else 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.goto(live_server("/login"))
        tab.fill("input[name=username]", "P00027")
        tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
        tab.click("form [type=submit]")
        tab.wait_for_url(live_server("/"))
        tab.goto(live_server("/org/schools/SCH001"))
        tab.click("#fire-files-link")
        tab.wait_for_url("**/schools/SCH001/fire-files")
        _no_horizontal_scroll(tab)
        tab.click(f"[data-building={BUILDING}] .card-title")
        tab.wait_for_url(f"**/fire-files/{BUILDING}")
        assert tab.inner_text("#ff-version") == "0"
        tab.fill("#ff-extinguishers", "44")
        tab.set_input_files("#ff-plan", str(pdf))
        _no_horizontal_scroll(tab)
        tab.click("#fire-file-form [type=submit]")
        tab.wait_for_load_state()
        assert tab.inner_text("#ff-version") == "1"
        assert tab.inner_text("#ff-extinguishers-now") == "44"
        assert tab.locator("#fire-history li[data-version='1']").count() == 1

        tab.select_option("#fc-checker", "P00027")
        tab.fill("#fc-finding", "灭火器压力正常，疏散通道畅通")
        tab.click("#fire-check-form [type=submit]")
        tab.wait_for_load_state()
        assert "灭火器压力正常" in tab.inner_text("#fire-checks")
        assert tab.inner_text("#ff-last-check") == tab.get_attribute("#fc-date", "value")
        _no_horizontal_scroll(tab)
        with tab.expect_download() as download:
            tab.click("#plan-link")
        assert Path(download.value.path()).read_bytes() == pdf.read_bytes()
        tab.goto(live_server("/schools/SCH001/fire-files"))
        assert tab.get_attribute(f"[data-building={BUILDING}]", "data-status") == "ok"
    finally:
        context.close()
