"""The principal's signing journey in a real browser: log in → inbox → sign page (PDF preview) →
tick "I have read and accept" → PIN → result page with the revision hash and a verify link."""

from __future__ import annotations

from fixtures.screens import shoot
from fixtures.signing_browser import log_in, prepare
from fixtures.signing_workflow import PIN


def test_principal_signs_in_the_browser(page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    ids = prepare(live_server.app, instance_pki_template, ["SCH001"], sign_schools=False)
    agreement_id = ids["agreements"][0]
    log_in(page, live_server, ids["principal"])
    page.goto(live_server("/sign/inbox"))
    page.click(f"#inbox a[href='/sign/{agreement_id}']")
    page.wait_for_url(live_server(f"/sign/{agreement_id}"))
    # the preview is page images (phones show no PDF frame), the PDF itself one link away
    assert page.locator("iframe").count() == 0
    assert page.locator(f"img#page-1[src^='/sign/{agreement_id}/pages/1.png']").count() == 1
    assert page.evaluate("document.getElementById('page-1').complete")
    shoot(page, "sign")
    assert "我已阅读并同意本责任书" in page.inner_text("#sign-form")

    page.fill("input[name=pin]", PIN)
    page.click("#sign-form button[type=submit]")  # not ticked: the browser does not submit
    assert page.url == live_server(f"/sign/{agreement_id}")
    assert page.locator("input[name=confirm]").get_attribute("required") is not None

    page.check("input[name=confirm]")
    page.fill("input[name=pin]", PIN)
    page.click("#sign-form button[type=submit]")
    page.wait_for_url(f"**/sign/{agreement_id}/done**")
    current = page.inner_text("#current-hash").strip()
    assert len(current) == 64
    assert page.locator("#result a[href^='/verify/']").count() == 1
    assert "签署完成" in page.inner_text("h1")
    shoot(page, "signed")

    from responsibility.extensions import db
    from responsibility.models import Agreement

    with live_server.app.app_context():
        row = db.session.get(Agreement, agreement_id)
        assert row.pdf_sha256 == current and row.revisions[-1].field_name == "sig_school_principal"
    page.goto(live_server("/sign/inbox"))
    assert page.locator("#inbox-empty").count() == 1
