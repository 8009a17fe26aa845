"""报局 in Chromium at phone width and on a desktop: the principal opens the covered roster, enters
the signing PIN and reports it (the signed 值班表 is linked); the bureau chief sees the school
reported on /rosters/reported."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.signing_browser import log_in, off_main_thread
from fixtures.signing_workflow import PIN

from responsibility.clock import today as county_today

SCHOOL, PRINCIPAL, DEPUTY, GUARD, CHIEF = "SCH001", "P00027", "P00029", "P00038", "P00001"


def _prepare(app, template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A campaign around today, SCH001's roster covering it, the principal enrolled."""
    from fixtures.instance_pki import install_pki
    from openpyxl import Workbook
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    install_pki(template, app.instance_path)
    today = county_today()
    start, end = today - dt.timedelta(days=2), today + dt.timedelta(days=2)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "班次", "带班领导", "值班人员", "门卫", "宿管"])
    for i in range((end - start).days + 1):
        sheet.append([(start + dt.timedelta(days=i)).isoformat(), "24h", DEPUTY, GUARD, GUARD, ""])
    book.save(tmp_path / "r.xlsx")
    (tmp_path / "pin").write_text(PIN + "\n", encoding="utf-8")

    def work() -> None:
        runner = app.test_cli_runner()
        for args in (
            ["campaign", "create", "值班报局浏览器", "--start", str(start), "--end", str(end), "--due", str(end)],
            ["roster", "import", SCHOOL, str(tmp_path / "r.xlsx")],
            ["keys", "enroll", PRINCIPAL, "--pin-file", str(tmp_path / "pin")],
        ):
            done = runner.invoke(args=args)
            assert done.exit_code == 0, (args, done.output)
        with app.app_context():
            for username in (PRINCIPAL, CHIEF):
                user = db.session.scalars(select(User).where(User.username == username)).one()
                set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
            db.session.commit()
            db.session.remove()

    off_main_thread(work)


def _fits(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_principal_reports_the_roster(browser, live_server, instance_pki_template, tmp_path, width) -> None:  # type: ignore[no-untyped-def]
    _prepare(live_server.app, instance_pki_template, tmp_path)
    viewport = {"width": width, "height": 844 if width < 600 else 900}
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        log_in(tab, live_server, PRINCIPAL)
        tab.goto(live_server(f"/rosters/{SCHOOL}"))
        assert "尚未报局" in tab.inner_text("#report-status")
        _fits(tab)
        tab.fill("#report-pin", PIN)
        box = tab.locator("#report-submit").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        tab.click("#report-submit")
        tab.wait_for_url("**#report")
        assert "值班表已报局" in tab.inner_text(".flashes")
        number = tab.inner_text("#report-pdf").strip()
        assert "-ZB-" + SCHOOL in number and "报局" in tab.inner_text("#report-status")
        _fits(tab)
        context.clear_cookies()
        log_in(tab, live_server, CHIEF)
        tab.goto(live_server("/rosters/reported"))
        row = tab.locator(f'tr[data-org="{SCHOOL}"]')
        assert row.get_attribute("class") == "reported" and number in row.inner_text()
        assert "尚未报局" in tab.locator('tr[data-org="SCH002"]').inner_text()
        _fits(tab)
    finally:
        context.close()
