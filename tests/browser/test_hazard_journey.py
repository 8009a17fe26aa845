"""The hazard loop in Chromium, at phone width and on a desktop: scan the grid's poster URL → log
in → report with a photo → the principal plans → the rectifier finishes → the party secretary
accepts → closed, with the sealed dossier to download."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from responsibility import clock

GRID = "G00043"  # 高一（1）班 of SCH001, owned by the demo login P00047
SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-hazard-report-390.png"


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


def _no_horizontal_scroll(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _open_menu(tab, width: int) -> None:  # type: ignore[no-untyped-def]
    """At phone width the header menu folds behind one button: open it before using its links."""
    if width < 600:
        tab.click(".site-nav .menu-toggle")
        tab.wait_for_selector("#site-menu", state="visible")


@pytest.mark.parametrize("width", [390, 1280])
def test_scan_report_plan_rectify_accept(browser, live_server, pki_demo_app, tmp_path, width) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "socket.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 20, 20)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    contexts = []
    try:
        context, owner = _context(browser, width)
        contexts.append(context)
        _log_in(owner, live_server, "P00047", f"/hazards/report?grid={GRID}")
        if "/hazards/report" not in owner.url:  # the login page may land on home: scan again
            owner.goto(live_server(f"/hazards/report?grid={GRID}"))
        assert GRID in owner.inner_text(".page-head")
        owner.select_option("#area", "R03")
        owner.fill("#description", "教室插座松动")
        owner.set_input_files("#photo", str(photo))
        if width < 600:
            _no_horizontal_scroll(owner)
            owner.screenshot(path=str(SCREENSHOT))
        owner.click("#report-submit")
        owner.wait_for_url("**/hazards/SCH001-YH-*")
        file_no = owner.url.rsplit("/", 1)[-1]
        assert owner.get_attribute("#hazard-state", "data-state") == "reported"

        context, principal = _context(browser, width)
        contexts.append(context)
        _log_in(principal, live_server, "P00027", f"/hazards/{file_no}")
        principal.goto(live_server(f"/hazards/{file_no}"))
        principal.fill("#measures", "更换插座")
        principal.select_option("#rectifier", "P00047")
        deadline = clock.today(clock.DEFAULT_ZONE) + dt.timedelta(days=7)
        principal.fill("#deadline", deadline.isoformat())
        principal.click("#plan-form [type=submit]")
        principal.wait_for_load_state()
        assert principal.get_attribute("#hazard-state", "data-state") == "planned"

        owner.goto(live_server(f"/hazards/{file_no}"))
        owner.fill("#note", "已更换")
        owner.check("#done")
        owner.click("#progress-form [type=submit]")
        owner.wait_for_load_state()
        assert owner.get_attribute("#hazard-state", "data-state") == "awaiting_acceptance"
        assert owner.locator("#accept-form").count() == 0  # the rectifier is not offered acceptance

        context, secretary = _context(browser, width)
        contexts.append(context)
        _log_in(secretary, live_server, "P00028", f"/hazards/{file_no}")
        secretary.goto(live_server(f"/hazards/{file_no}"))
        secretary.click("#accept-form [type=submit]")
        secretary.wait_for_load_state()
        assert secretary.get_attribute("#hazard-state", "data-state") == "closed"
        kinds = secretary.eval_on_selector_all("#records li", "els => els.map(e => e.dataset.kind)")
        assert kinds == ["report", "file", "plan", "done", "accept"]
        with secretary.expect_download() as download:
            secretary.click("#dossier-link")
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"%PDF") and data.count(b"/ByteRange") == 2
        if width < 600:
            _no_horizontal_scroll(secretary)
        _open_menu(secretary, width)
        secretary.click(".site-nav a[href='/hazards']")  # the header menu leads to the ledger
        secretary.wait_for_url("**/hazards")
        assert secretary.locator(f"a[href='/hazards/{file_no}']").count() == 1
        _open_menu(secretary, width)
        secretary.click(".site-nav a[href='/hazards/board']")
        secretary.wait_for_url("**/hazards/board")
        assert "隐患治理看板" in secretary.inner_text("h1")
    finally:
        for context in contexts:
            context.close()
