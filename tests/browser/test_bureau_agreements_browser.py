"""The bureau admin issues a campaign in a real browser and finds the bureau's internal
agreements listed on the campaign page, at desktop width and on a 390 px phone."""

from __future__ import annotations

from sqlalchemy import func, select


def test_issue_lists_the_bureau_agreements_desktop_and_phone(page, live_server, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Agreement
    from responsibility.web.campaigns.routes import ISSUE_RUNNERS_KEY

    campaign = make_campaign("SCH001")
    page.goto(live_server("/login"))
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(live_server("/"))

    page.goto(live_server(f"/campaigns/{campaign}"))
    assert "局内部责任书随签订活动一并签发" in page.inner_text("#bureau-agreements")
    page.check("input[name=allow_missing]")
    page.click("#issue-form [type=submit]")  # 签发（冻结）责任书: a confirmation step first
    page.wait_for_url(f"**/campaigns/{campaign}/issue?allow_missing=1")
    page.click("#confirm-issue [type=submit]")  # then issuing runs in the background
    page.wait_for_url("**/campaigns/jobs/*")
    assert page.locator("#progress").get_attribute("data-kind") == "issue"
    # the job page refreshes itself until the batch ends; issuing renders every bureau agreement
    page.wait_for_selector("#progress .state-finished, #progress .state-failed", timeout=300_000)
    assert page.locator("#progress .state-finished").count() == 1, page.inner_text("#progress")
    job_id = int(page.url.rsplit("/", 1)[1])
    assert live_server.app.extensions[ISSUE_RUNNERS_KEY][job_id].join(timeout=60)
    page.click("text=返回签订活动")
    page.wait_for_url(live_server(f"/campaigns/{campaign}"))
    page.wait_for_selector("#bureau-agreements tbody tr")
    with live_server.app.app_context():
        count = db.session.scalar(
            select(func.count(Agreement.id)).where(Agreement.campaign_id == campaign, Agreement.kind == "bureau")
        )
    rows = page.locator("#bureau-agreements tbody tr")
    assert count and rows.count() == count
    panel = page.inner_text("#bureau-agreements")
    assert "局长与班子成员（包片）" in panel and "班子成员与股室负责人" in panel and "已签发" in panel

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server(f"/campaigns/{campaign}"))
    box = page.locator("#bureau-agreements").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("#bureau-agreements tbody tr").count() == count
    first_link = page.locator("#bureau-agreements tbody a").first
    first_link.scroll_into_view_if_needed()
    assert first_link.is_visible()
