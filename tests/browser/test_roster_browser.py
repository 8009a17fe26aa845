"""The duty roster in Chromium at phone width and on a desktop: the principal plans today's duty
in the form, uploads an .xlsx with an error (refused, listed, nothing written) and then a good
one, and the dorm keeper on duty checks in (到岗) from 今日值班."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from responsibility import clock
from responsibility.accounts.passwords import set_password
from responsibility.extensions import db
from responsibility.models import User

SCHOOL = "SCH001"
PRINCIPAL = "P00027"  # SCH001 校长 (S01)
GUARD = "P00038"  # SCH001 门卫
DORM = "P00043"  # SCH001 宿管


def _prepare(demo_app, demo_runner) -> dt.date:  # type: ignore[no-untyped-def]
    today = clock.today()
    made = demo_runner.invoke(
        args=["campaign", "create", "浏览器值班批次", "--start", str(today - dt.timedelta(days=10)),
              "--end", str(today + dt.timedelta(days=40))]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    with demo_app.app_context():
        user = db.session.scalars(select(User).where(User.username == DORM)).one()
        set_password(user, demo_app.config["DEMO_PASSWORD"], must_change=False)
        db.session.commit()
    return today


def _xlsx(path, rows):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "班次", "带班领导", "值班人员", "门卫", "宿管"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return str(path)


def _log_in(tab, live_server, username: str, then: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(live_server(then))
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    tab.click("form [type=submit]")
    tab.wait_for_load_state()
    if then not in tab.url:
        tab.goto(live_server(then))


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_plan_upload_and_check_in(browser, live_server, demo_app, demo_runner, tmp_path, width) -> None:  # type: ignore[no-untyped-def]
    today = _prepare(demo_app, demo_runner)
    tomorrow = today + dt.timedelta(days=1)
    viewport = {"width": width, "height": 844 if width < 600 else 900}
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        _log_in(tab, live_server, PRINCIPAL, f"/rosters/{SCHOOL}")
        assert tab.locator("#day-form h2").inner_text().endswith(f"{today.isoformat()} 的值班")
        _fits(tab)
        form = tab.locator("form.day-edit").first
        form.locator("select.leader").select_option(PRINCIPAL)
        form.locator("select.staff").select_option([GUARD])
        form.locator("select.post-1").select_option(DORM)
        form.locator("button[type=submit]").click()
        tab.wait_for_load_state()
        assert "值班安排已保存" in tab.locator(".flashes").inner_text()
        row = tab.locator(f"#d-{today.isoformat()}")
        assert PRINCIPAL in row.inner_text() and DORM in row.inner_text()
        bad = _xlsx(tmp_path / "bad.xlsx", [(str(tomorrow), "24h", GUARD, "", "", "")])
        tab.set_input_files("#roster-file", bad)
        tab.click("#upload-submit")
        tab.wait_for_load_state()
        assert "不担任领导岗位" in tab.locator(".flash-error").inner_text()
        assert tab.locator(f"#d-{tomorrow.isoformat()}").first.get_attribute("data-uncovered") is not None
        good = _xlsx(tmp_path / "good.xlsx", [(str(tomorrow), "24h", PRINCIPAL, GUARD, GUARD, "")])
        tab.set_input_files("#roster-file", good)
        tab.click("#upload-submit")
        tab.wait_for_load_state()
        assert "已导入 1 个班次" in tab.locator(".flashes").inner_text()
        assert tab.locator(f"#d-{tomorrow.isoformat()}").first.get_attribute("data-uncovered") is None
        _fits(tab)
        context.clear_cookies()
        _log_in(tab, live_server, DORM, "/duty")
        button = tab.locator(f'.duty-row[data-org="{SCHOOL}"] .checkin-button')
        assert button.is_visible()
        box = button.bounding_box()
        assert box is not None and box["height"] >= 48  # a big thumb target on the phone
        button.click()
        tab.wait_for_load_state()
        assert "已于" in tab.locator(".checked-in").inner_text()
        assert tab.locator(".checkin-button").count() == 0
        _fits(tab)
    finally:
        context.close()
