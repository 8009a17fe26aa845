"""An inspection round in Chromium, at phone width and on a desktop: the bureau's deputy in charge
of safety opens a round (R05) → SCH001's safety deputy answers pass with a photo, na on one grid
and fail with a photo on another → sees the hazard's file number → submits → the bureau reads the
completion and the fail rate."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from responsibility import clock

SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-round-checklist-390.png"


def _context(browser, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 600 else 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return context, tab


def _log_in(tab, live_server, username: str, then: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server(then))
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_load_state()
    tab.goto(live_server(then))


def _enable(app, username: str) -> None:  # type: ignore[no-untyped-def]
    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
        db.session.commit()
        db.session.remove()


def _no_horizontal_scroll(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _answer(tab, item: str, result: str, note: str = "", photo: Path | None = None, target: int | None = None) -> None:  # type: ignore[no-untyped-def]
    form = tab.locator(f"#item-{item} form.answer-form")
    if target is not None:
        form.locator("select[name=target]").select_option(index=target)
    if note:
        form.locator("textarea[name=note]").fill(note)
    if photo is not None:
        form.locator("input[name=photo]").set_input_files(str(photo))
    with tab.expect_navigation():
        form.locator(f"button[value={result}]").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_open_answer_fail_submit_and_read_completion(browser, live_server, tmp_path, width) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "gate.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 20)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    _enable(live_server.app, "P00029")
    today = clock.today(clock.DEFAULT_ZONE)
    contexts = []
    try:
        context, bureau = _context(browser, width)
        contexts.append(context)
        _log_in(bureau, live_server, "P00002", "/rounds")
        bureau.fill("#round-name", "冬季安全大排查（浏览器）")
        bureau.fill("#round-start", (today - dt.timedelta(days=1)).isoformat())
        bureau.fill("#round-end", (today + dt.timedelta(days=14)).isoformat())
        for box in bureau.locator("input[name=area]").all():
            box.set_checked(box.get_attribute("value") == "R05")
        with bureau.expect_navigation():
            bureau.click("#open-round-button")
        round_id = bureau.url.rstrip("/").rsplit("/", 1)[-1]
        assert round_id.isdigit(), bureau.url

        context, deputy = _context(browser, width)
        contexts.append(context)
        _log_in(deputy, live_server, "P00029", f"/rounds/{round_id}/SCH001")
        assert "R05-06" in deputy.inner_text("#area-R05") and "逐网格" in deputy.inner_text("#item-R05-07")
        if width < 600:
            _no_horizontal_scroll(deputy)
            deputy.screenshot(path=str(SCREENSHOT), full_page=True)
        _answer(deputy, "R05-06", "pass", photo=photo)
        _answer(deputy, "R05-07", "na", note="该网格不临路", target=0)
        _answer(deputy, "R05-07", "fail", note="校门口无减速带", photo=photo, target=1)
        link = deputy.locator("#item-R05-07 a.hazard-link")
        file_no = link.inner_text().strip()
        assert file_no.startswith("SCH001-YH-") and file_no in deputy.inner_text(".flashes")
        if width < 600:
            _no_horizontal_scroll(deputy)
        with deputy.expect_navigation():
            deputy.click("#submit-button")
        assert deputy.get_attribute("#checklist-status", "data-status") == "submitted"
        link = deputy.locator("#item-R05-07 a.hazard-link")
        with deputy.expect_navigation():
            link.click()
        assert file_no in deputy.inner_text(".page-head")

        bureau.goto(live_server(f"/rounds/{round_id}"))
        row = bureau.locator("#schools tr[data-school=SCH001]")
        assert row.locator("[data-status]").get_attribute("data-status") == "submitted"
        assert "50.0%" in bureau.inner_text("#areas tr[data-area=R05]")
        if width < 600:
            _no_horizontal_scroll(bureau)
    finally:
        for context in contexts:
            context.close()
