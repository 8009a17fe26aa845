"""The bureau admin creates a campaign in a real browser, starts the generation and watches the
progress reach 100% (the job page refreshes itself; no JavaScript needed)."""

from __future__ import annotations

import os
from pathlib import Path

SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-campaign-progress.png"


def test_admin_creates_a_campaign_and_sees_progress_reach_100(page, live_server) -> None:  # type: ignore[no-untyped-def]
    from responsibility.web.campaigns.routes import DISPATCHER_KEY

    live_server.app.config["AGREEMENT_WORKERS"] = 2
    page.goto(live_server("/login"))
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(live_server("/"))

    page.goto(live_server("/campaigns/"))
    page.fill("input[name=name]", "2024—2025年冬春季（浏览器）")
    page.fill("input[name=start]", "2024-11-15")
    page.fill("input[name=end]", "2025-04-30")
    page.click("#create [type=submit]")
    page.wait_for_url("**/campaigns/*")
    assert "2024—2025年冬春季（浏览器）" in page.inner_text("h1")

    page.click("text=生成全部责任书")
    page.wait_for_url("**/campaigns/jobs/*")
    assert "正在生成责任书" in page.inner_text("h1")
    page.wait_for_function(
        "() => document.querySelector('[data-field=percent]')?.textContent.trim() === '100%'", timeout=300_000
    )
    assert "已处理 60 / 60 所学校，0 所被拒绝" in page.inner_text("#progress")
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    job_id = int(page.url.rsplit("/", 1)[1])
    assert live_server.app.extensions[DISPATCHER_KEY].join(job_id, timeout=60)

    page.click("text=返回签订活动")
    assert page.locator("#agreements tbody tr").count() == 60
    # the stale flags arrive after the page (campaign.js fetches stale.json): all current here
    page.wait_for_selector("#stale-flags[data-checked='1']", timeout=120_000)
    flags = page.locator("#agreements .stale-flag").all_inner_texts()
    assert len(flags) == 60 and set(flags) == {"最新"}
    gaps = page.locator("#agreements td.chain-gaps").all_inner_texts()  # and each school's chain gaps
    assert len(gaps) == 60 and all(text.isdigit() for text in gaps), gaps
    with page.expect_popup() as popup:
        page.locator("#agreements a", has_text="预览").first.click()
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.url.endswith("/pdf")
