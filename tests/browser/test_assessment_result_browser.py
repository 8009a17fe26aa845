"""The season-end assessment result (考核结果) in a real browser: the principal finds the school's
result in the inbox on a phone (390 px) and signs it with the PIN; the party secretary signs it on
the desktop; the completion page shows the signed revision."""

from __future__ import annotations

from fixtures.signing_browser import log_in, off_main_thread
from fixtures.signing_workflow import PIN

SCH = "SCH001"
AT = "2025-03-20"


def _prepare(app, template) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """A campaign of the demo season, SCH001's result issued and sealed, both heads enrolled."""
    import datetime as dt

    from fixtures.instance_pki import install_pki
    from fixtures.signing_workflow import enrol_person, environment, holder, school, store_of
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.agreements import create_campaign
    from responsibility.agreements.certification import certification_hook
    from responsibility.agreements.seal import ensure_seal
    from responsibility.assessment.results import issue_results
    from responsibility.clock import today as county_today
    from responsibility.extensions import db
    from responsibility.models import User

    install_pki(template, app.instance_path)

    def work() -> dict:  # type: ignore[type-arg]
        with app.app_context():
            s = db.session
            campaign = create_campaign(
                s, name="考核结果浏览器", start=dt.date(2024, 11, 15), end=dt.date(2025, 4, 30),
                due=dt.date(2024, 12, 1), actor="test", base_url="https://anquan.example.cn",
            )  # fmt: skip
            s.commit()
            env = environment(app, s)
            certify = certification_hook(env, ensure_seal(s, env.pki, app.config))
            sch = school(s, SCH)
            summary = issue_results(
                s, campaign, at=dt.date.fromisoformat(AT), day=county_today(), storage=store_of(app),
                certify=certify, actor="test", school_ids=[sch.id],
            )  # fmt: skip
            s.commit()
            heads = {"principal": holder(s, sch, "S01"), "party_head": holder(s, sch, "S02")}
            for who in heads.values():
                enrol_person(app, s, who)
                user = s.scalars(select(User).where(User.person_id == who.id)).one()
                set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
            s.commit()
            (number,) = summary.issued
            from responsibility.models import Agreement

            doc = s.scalars(select(Agreement).where(Agreement.document_number == number)).one()
            result = {"number": number, "id": doc.id, **{k: v.source_id for k, v in heads.items()}}
            db.session.remove()
            return result

    return off_main_thread(work)


def _sign(tab, live_server, ids: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    tab.goto(live_server("/sign/inbox"))
    assert ids["number"] in tab.inner_text("#inbox")
    tab.click(f"#inbox a[href='/sign/{ids['id']}']")
    tab.wait_for_url(live_server(f"/sign/{ids['id']}"))
    tab.check("input[name=confirm]")
    tab.fill("input[name=pin]", PIN)
    tab.click("#sign-form button[type=submit]")
    tab.wait_for_url(f"**/sign/{ids['id']}/done**")
    assert "签署完成" in tab.inner_text("h1")
    assert len(tab.inner_text("#current-hash").strip()) == 64


def test_both_heads_sign_the_result_from_their_inbox(browser, page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    ids = _prepare(live_server.app, instance_pki_template)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.set_default_timeout(30_000)
    try:
        log_in(mobile, live_server, ids["principal"])
        mobile.goto(live_server(f"/sign/{ids['id']}"))
        assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        _sign(mobile, live_server, ids)
    finally:
        phone.close()

    page.set_default_timeout(30_000)
    log_in(page, live_server, ids["party_head"])
    _sign(page, live_server, ids)
    page.goto(live_server("/sign/inbox"))
    assert ids["number"] not in page.inner_text("body")  # signed by both: nothing left to sign
