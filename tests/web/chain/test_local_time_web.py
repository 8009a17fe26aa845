"""Pages show stored UTC times in the county's zone, labelled with the zone in the reader's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import refresh
from sqlalchemy import select

from responsibility.models import Notification, Person
from responsibility.pki.enrolment import SigningLocked

# 17:05 UTC on 2 December is 01:05 on 3 December in Beijing: date and hour both move.
STORED = dt.datetime(2026, 12, 2, 17, 5, tzinfo=dt.UTC)


def test_notification_time_is_shown_in_beijing_time_with_label(demo_app, demo_session, login):
    s = demo_session
    person = s.scalars(select(Person).where(Person.source_id == "P00010")).one()
    s.add(
        Notification(recipient_person_id=person.id, kind="overdue_signature", message="本地时间测试", created_at=STORED)
    )
    s.commit()
    client = login("P00010")
    zh = client.get("/notifications").get_data(as_text=True)
    assert "本地时间测试" in zh
    assert "2026-12-03 01:05（北京时间）" in zh
    assert "2026-12-02 17:05" not in zh
    refresh()  # the demo session's app context outlives requests and would keep the cached locale
    en = client.get("/notifications?lang=en").get_data(as_text=True)
    assert "2026-12-03 01:05 (Beijing time)" in en


def test_lock_message_names_the_local_time_and_zone(demo_app):
    from responsibility.web.sign.common import refusal_message

    locked = SigningLocked("locked", STORED)
    with demo_app.test_request_context("/?lang=zh_CN"):
        assert refusal_message(locked) == "签名密码错误次数过多：签署已锁定至 01:05（北京时间）。"
    with demo_app.test_request_context("/?lang=en"):
        assert refusal_message(locked) == "Too many wrong signing PINs: signing is locked until 01:05 (Beijing time)."


def test_another_configured_zone_is_named(demo_app):
    from responsibility.web.clock import local_today, localtime

    old = demo_app.config["BABEL_DEFAULT_TIMEZONE"]
    demo_app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    try:
        with demo_app.test_request_context("/?lang=en"):
            assert localtime(STORED) == "2026-12-02 18:05 (Europe/Berlin time)"
            assert local_today() == dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    finally:
        demo_app.config["BABEL_DEFAULT_TIMEZONE"] = old
