"""A successor's supplementary confirmation (补充确认) in a real browser: on a phone (390 px) the
teacher who took a grid over finds it in the inbox, signs it with their PIN, and the bureau
admin's campaign board (desktop) counts it signed."""

from __future__ import annotations

import datetime as dt

from fixtures.signing_browser import log_in, off_main_thread
from fixtures.signing_workflow import PIN, TODAY

SCH = "SCH001"


def _prepare(app, template) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The school agreement signed, the cascade issued five days ago and one grid owner's post
    agreement signed; the grid handed over today, the cascade issued again: one confirmation."""
    from fixtures.cascade_workflow import (
        cascade,
        countersigned,
        hand_over_grid,
        level3_grid,
        post_agreement_of,
        sign_by,
    )
    from fixtures.instance_pki import install_pki
    from fixtures.signing_workflow import enrol_person, holder, school
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import Agreement, User

    install_pki(template, app.instance_path)

    def work() -> dict:  # type: ignore[type-arg]
        with app.app_context():
            s = db.session
            parent = countersigned(app, s, SCH)
            sch = school(s, SCH)
            principal, deputy = holder(s, sch, "S01"), holder(s, sch, "S03")
            grid = level3_grid(s, sch, deputy)
            owner, level2 = grid.owner_on(TODAY), grid.parent.owner_on(TODAY)
            cascade(app, s, SCH, principal, day=TODAY - dt.timedelta(days=5))
            sign_by(app, s, post_agreement_of(s, parent, level2, owner), level2, owner)
            successor = hand_over_grid(s, grid, sch, TODAY)
            (number,) = cascade(app, s, SCH, deputy, day=TODAY).confirmations
            enrol_person(app, s, successor)
            user = s.scalars(select(User).where(User.person_id == successor.id)).one()
            set_password(user, app.config["DEMO_PASSWORD"], must_change=False)
            s.commit()
            confirmation = s.scalars(select(Agreement).where(Agreement.document_number == number)).one()
            result = {
                "campaign": parent.campaign_id,
                "confirmation": confirmation.id,
                "number": number,
                "successor": successor.source_id,
            }
            db.session.remove()
            return result

    return off_main_thread(work)


def test_successor_signs_the_confirmation_on_a_phone(browser, page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    ids = _prepare(live_server.app, instance_pki_template)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.set_default_timeout(30_000)
    try:
        log_in(mobile, live_server, ids["successor"])
        mobile.goto(live_server("/sign/inbox"))
        assert ids["number"] in mobile.inner_text("#inbox")
        mobile.click(f"#inbox a[href='/sign/{ids['confirmation']}']")
        mobile.wait_for_url(live_server(f"/sign/{ids['confirmation']}"))
        assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        mobile.check("input[name=confirm]")
        mobile.fill("input[name=pin]", PIN)
        mobile.click("#sign-form button[type=submit]")
        mobile.wait_for_url(f"**/sign/{ids['confirmation']}/done**")
        assert "签署完成" in mobile.inner_text("h1")
        assert len(mobile.inner_text("#current-hash").strip()) == 64
    finally:
        phone.close()

    log_in(page, live_server, "admin")
    page.goto(live_server(f"/campaigns/{ids['campaign']}"))
    cell = page.inner_text(f"#agreements td.cascade[data-school='{SCH}']")
    assert "补充确认：已签 1 / 已签发 1 份" in cell
