"""A person who has left service tries to log in with a real browser, at desktop width and at
390 px: the login page tells them since when, in Chinese, and they stay logged out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select


def _mark_left(app, username: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Person

    with app.app_context():
        person = db.session.execute(select(Person).where(Person.source_id == username)).scalar_one()
        person.left_on, person.left_reason = day, "rotation"
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_person_who_left_is_told_why_the_login_fails(browser, live_server, width: int) -> None:  # type: ignore[no-untyped-def]
    _mark_left(live_server.app, "P00027", dt.date(2025, 2, 1))
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server("/login"))
        page.fill("input[name=username]", "P00027")
        page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
        page.click("form [type=submit]")
        page.wait_for_load_state()
        message = page.locator("text=您已于 2025-02-01 离岗，此账户不能再登录。")
        assert message.count() == 1 and message.first.is_visible()
        box = message.first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1  # fits the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(live_server("/"))
        assert page.url.startswith(live_server("/login"))
    finally:
        context.close()
