"""The bureau chief's batch countersign in a real browser: the board, tick agreements, PIN once,
the progress page refreshes until every agreement is countersigned and archived."""

from __future__ import annotations

from fixtures.screens import shoot
from fixtures.signing_browser import prepare
from fixtures.signing_workflow import PIN
from playwright.sync_api import expect


def test_chief_countersigns_a_batch_with_progress(page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    ids = prepare(live_server.app, instance_pki_template, ["SCH001", "SCH002"], sign_schools=True)
    page.goto(live_server("/login"))
    page.fill("input[name=username]", ids["chief"])
    page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(live_server("/"))

    page.goto(live_server(f"/sign/board/{ids['campaign']}"))
    assert page.locator("#progress-by-town .town-bar").count() >= 1
    boxes = page.locator("#board input[name=agreement]")
    assert boxes.count() == 2
    expect(page.locator("#batch-count")).to_have_text("0")
    boxes.nth(0).check()
    expect(page.locator("#batch-count")).to_have_text("1")  # the live count (static board.js)
    page.check("#select-all")
    expect(page.locator("#batch-count")).to_have_text("2")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    shoot(page, "board")
    page.check("#batch input[name=confirm]")
    page.fill("#batch input[name=pin]", PIN)
    page.click("#batch button[type=submit]")
    page.wait_for_url("**/sign/jobs/**")
    # A locator assertion, not wait_for_function("…"): the CSP (no 'unsafe-eval') refuses string eval.
    expect(page.locator("#progress .percent")).to_have_text("100%", timeout=120_000)
    assert "已处理 2 / 2 份，0 份被拒绝" in page.inner_text("#progress")
    assert page.locator("#batch-items tr[data-status=signed]").count() == 2
    shoot(page, "countersign-job")

    from responsibility.extensions import db
    from responsibility.models import Agreement

    with live_server.app.app_context():
        states = {db.session.get(Agreement, i).state for i in ids["agreements"]}
    assert states == {"archived"}
