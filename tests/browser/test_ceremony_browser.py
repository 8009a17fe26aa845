"""The guided signing ceremony in Chromium at desktop and phone width (390 px): the principal sees
the count and the issue notification, the sign page's "0/3 已签，下一位：…", a wrong PIN's tries
left beside the field, the completion page (document number, hash, local time, verifier link);
after the party head signs, the chief gets the turn notification and "2/3 已签".

Screenshots go to ``$SCREENSHOT_DIR`` (default /tmp; the README's come from ``docs/screens``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fixtures.signing_browser import off_main_thread, prepare
from fixtures.signing_workflow import PIN
from playwright.sync_api import expect

SCREENS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _log_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(live_server("/login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(live_server("/"))


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    for selector in ("#sign-progress", "#sign-form", ".site-header"):
        box = page.locator(selector).first.bounding_box()
        if box is not None:
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, selector


def _sign_as_party_head(app, agreement_id: int) -> None:  # type: ignore[no-untyped-def]
    from fixtures.signing_workflow import holder, sign_as

    from responsibility.extensions import db
    from responsibility.models import Agreement

    def work() -> None:
        with app.app_context():
            agreement = db.session.get(Agreement, agreement_id)
            sign_as(app, db.session, agreement_id, holder(db.session, agreement.school, "S02"))
            db.session.remove()

    off_main_thread(work)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_guided_ceremony(browser, live_server, instance_pki_template, width: str) -> None:  # type: ignore[no-untyped-def]
    ids = prepare(live_server.app, instance_pki_template, ["SCH001"], sign_schools=False)
    agreement_id = ids["agreements"][0]
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], is_mobile=width == "phone")
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    _log_in(page, live_server, ids["principal"])
    assert page.inner_text("#home-to-sign").strip() == "待我签署 1"
    assert page.inner_text(".notification-bell .count").strip() == "1"
    page.goto(live_server("/notifications"))
    assert "已签发给您，请签署" in page.inner_text(".notifications")
    page.click(f".notifications a[href='/sign/{agreement_id}']")
    page.wait_for_url(live_server(f"/sign/{agreement_id}"))
    progress = page.inner_text("#sign-progress")
    assert re.match(r"^0/3 已签，下一位：.+（.+）、.+（.+）$", progress.strip()), progress
    assert page.locator("input[name=pin]").get_attribute("inputmode") == "numeric"
    assert re.fullmatch(r"\d+", page.get_attribute("#pdf-pages", "data-signature-page") or "")

    page.check("input[name=confirm]")
    page.fill("input[name=pin]", "000001")
    page.click("#sign-form button[type=submit]")
    expect(page.locator("#sign-form .form-field.has-error .field-error")).to_contain_text("还可再试 4 次")
    if width == "phone":
        _no_sideways_scroll(page)
    page.screenshot(path=str(SCREENS / f"sign-wrong-pin-{width}.png"), full_page=False)

    page.check("input[name=confirm]")
    page.fill("input[name=pin]", PIN)
    page.click("#sign-form button[type=submit]")
    page.wait_for_url(f"**/sign/{agreement_id}/done**")
    assert page.inner_text("#document-number").startswith("JTAQ")
    assert re.fullmatch(r"[0-9a-f]{64}", page.inner_text("#result td.hash").strip())
    assert "北京时间" in page.inner_text("#result td.date")
    assert page.inner_text("#sign-progress").startswith("1/3 已签，下一位：")
    assert page.locator("#result a[href^='/verify/']").count() == 1
    page.screenshot(path=str(SCREENS / f"sign-complete-{width}.png"), full_page=True)

    _sign_as_party_head(live_server.app, agreement_id)
    _log_in(page, live_server, ids["chief"])
    assert page.inner_text("#home-to-sign").strip() == "待我签署 1"
    page.goto(live_server("/notifications"))
    assert "轮到您签署" in page.inner_text(".notifications") and "（已签 2/3）" in page.inner_text(".notifications")
    page.goto(live_server(f"/sign/{agreement_id}"))
    assert page.inner_text("#sign-progress").startswith("2/3 已签，下一位：")
    page.screenshot(path=str(SCREENS / f"sign-next-signer-{width}.png"), full_page=False)
    context.close()
    assert refused == [], refused


def test_a_head_enrols_from_the_sign_page_and_comes_back_to_sign(browser, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    """Not enrolled yet, at phone width: the sign page's link → enrolment → back on the agreement."""
    from fixtures.instance_pki import install_pki
    from fixtures.signing_workflow import holder, issue_schools

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    app = live_server.app
    install_pki(instance_pki_template, app.instance_path)

    def work() -> tuple[int, str]:
        with app.app_context():
            (agreement,) = issue_schools(app, db.session, ["SCH002"])
            head = holder(db.session, agreement.school, "S02")
            user = db.session.query(User).filter(User.person_id == head.id).one()
            set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
            db.session.commit()
            result = agreement.id, head.source_id
            db.session.remove()
            return result

    agreement_id, head = off_main_thread(work)
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS["phone"], is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, head)
    page.goto(live_server(f"/sign/{agreement_id}"))
    page.click("#enrol-link")
    page.wait_for_url(live_server(f"/pki/enrol?next=/sign/{agreement_id}"))
    assert page.locator("input[name=pin]").get_attribute("inputmode") == "numeric"
    page.fill("input[name=password]", app.config["DEMO_PASSWORD"])
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=confirm]", PIN)
    page.click("form.enrol-form [type=submit]")
    page.wait_for_url(live_server(f"/sign/{agreement_id}"))
    assert "签名密码已设置" in page.inner_text(".flashes")
    expect(page.locator("#sign-form input[name=pin]")).to_be_visible()
    page.screenshot(path=str(SCREENS / "sign-after-enrol-phone.png"), full_page=False)
    context.close()
