"""The stored gap report in Chromium at phone width and on a desktop (issue 16): the demo county
read as a province (``LIVE_REPORT_SCHOOLS`` 0), an auditor opens the gap report, is told it
has not been computed, presses 计算报告, and reads the findings with the time they were computed;
a filter and the next page work on the stored report; nothing scrolls sideways at 390 px."""

from __future__ import annotations

import pytest

from responsibility.demo import PLANTED_PROBLEMS
from responsibility.instance import install_instance

AS_OF = "2025-01-31"


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.evaluate("window.innerWidth") + 1, width


@pytest.mark.parametrize("shape", ["phone", "desktop"])
def test_the_auditor_computes_and_reads_the_stored_report(request, live_server, monkeypatch, shape: str) -> None:  # type: ignore[no-untyped-def]
    import responsibility.web.audit.routes as routes

    tab = request.getfixturevalue("phone_page" if shape == "phone" else "page")
    live_server.app.config["LIVE_REPORT_SCHOOLS"] = 0
    install_instance(live_server.app)
    monkeypatch.setattr(routes, "FINDINGS_PER_PAGE", 5)
    tab.goto(live_server("/login"))
    tab.fill("input[name=username]", "auditor")
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    with tab.expect_navigation():
        tab.click("form [type=submit]")
    tab.goto(live_server(f"/audit/gaps?at={AS_OF}"))
    assert "该日的缺口报告尚未计算" in tab.inner_text("#stored-report")
    assert tab.locator("#findings").count() == 0
    _fits(tab)
    with tab.expect_navigation():
        tab.click("#refresh-gaps button")
    assert f"缺口报告已计算：{len(PLANTED_PROBLEMS)} 条问题" in tab.inner_text("body")
    assert "本报告计算于" in tab.inner_text("#stored-report") and "重新计算" in tab.inner_text("#refresh-gaps")
    assert tab.locator("#findings tbody tr").count() == 5
    assert f"({len(PLANTED_PROBLEMS)})" in tab.inner_text("h1")
    _fits(tab)
    with tab.expect_navigation():
        tab.click("a[rel=next]")
    assert tab.locator("#findings tbody tr").count() == min(5, len(PLANTED_PROBLEMS) - 5)
    tab.select_option("#check", "P2")
    with tab.expect_navigation():
        tab.click("#filters button[type=submit]")
    p2 = sum(1 for p in PLANTED_PROBLEMS if p.check == "P2")
    assert tab.locator("#findings tbody tr[data-check=P2]").count() == min(5, p2) > 0
    assert tab.locator("#findings tbody tr:not([data-check=P2])").count() == 0
    _fits(tab)
