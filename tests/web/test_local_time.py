"""Pages show stored (UTC) times in the configured zone, labelled with it: a known instant,
2026-01-05 02:03:04 UTC, is 10:03:04 in Beijing on the audit log, the job page and the campaign
page, in both languages, and never appears as the UTC wall time."""

from __future__ import annotations

import datetime as dt

import pytest

INSTANT = dt.datetime(2026, 1, 5, 2, 3, 4, tzinfo=dt.UTC)
LOCAL = "2026-01-05 10:03"
UTC_WALL = "2026-01-05 02:03"


@pytest.fixture
def timed(demo_app, make_campaign):  # type: ignore[no-untyped-def]
    """A campaign created, and a generation job queued/started/finished, at ``INSTANT``; an audit
    event appended at ``INSTANT``."""
    from responsibility.audit import append_event
    from responsibility.extensions import db
    from responsibility.jobs.batches import queue_generation
    from responsibility.models import Campaign

    campaign_id = make_campaign("SCH001", name="时间测试")
    with demo_app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.created_at = INSTANT
        job = queue_generation(db.session, campaign, actor="user:admin", backend="foreground")
        job.created_at = job.started_at = job.finished_at = INSTANT
        append_event(db.session, actor="user:admin", action="campaign.created", subject="time-test", at=INSTANT)
        db.session.commit()
        return campaign_id, job.id


@pytest.mark.parametrize(("lang", "label"), [("zh_CN", "（北京时间）"), ("en", " (Beijing time)")])
def test_stored_times_show_in_the_zone_with_its_label(timed, demo_login, lang: str, label: str) -> None:  # type: ignore[no-untyped-def]
    campaign_id, job_id = timed
    admin = demo_login("admin")
    admin.get(f"/campaigns/?lang={lang}")
    pages = {
        "job": admin.get(f"/campaigns/jobs/{job_id}").get_data(as_text=True),
        "campaign": admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True),
    }
    auditor = demo_login("auditor")
    auditor.get(f"/audit/log?lang={lang}")
    pages["log"] = auditor.get("/audit/log?action=campaign.created").get_data(as_text=True)
    for name, body in pages.items():
        assert LOCAL in body, name
        assert UTC_WALL not in body, name
    assert f"{LOCAL}:04{label}" in pages["job"] and f"{LOCAL}:04{label}" in pages["log"]
    assert f"{LOCAL}{label}" in pages["campaign"]


def test_the_zone_is_the_configured_one(timed, demo_app, demo_login) -> None:  # type: ignore[no-untyped-def]
    demo_app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    _campaign_id, job_id = timed
    body = demo_login("admin").get(f"/campaigns/jobs/{job_id}").get_data(as_text=True)
    assert "2026-01-05 03:03:04（Europe/Berlin 时间）" in body
    assert LOCAL not in body
