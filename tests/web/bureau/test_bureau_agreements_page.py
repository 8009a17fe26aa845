"""The campaign page lists the bureau's internal agreements once the campaign is issued."""

from __future__ import annotations

from sqlalchemy import select
from support import issue_and_wait

from responsibility.models import Agreement, AgreementBinding


def test_issue_lists_the_bureau_agreements_by_role(demo_app, login, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign = make_campaign("SCH001")
    admin = login("admin")
    before = admin.get(f"/campaigns/{campaign}").get_data(as_text=True)
    assert 'id="bureau-agreements"' in before and "局内部责任书随签订活动一并签发。" in before
    issue_and_wait(demo_app, admin, campaign, allow_missing="1")

    with demo_app.app_context():
        bureau = db.session.scalars(
            select(Agreement).where(Agreement.campaign_id == campaign, Agreement.kind == "bureau")
        ).all()
        rows = {a.document_number: (a.post_code, a.superior.name, a.holder.name, a.state) for a in bureau}
        bound = db.session.scalars(
            select(AgreementBinding.role).join(Agreement).where(Agreement.campaign_id == campaign)
        ).all()
    assert {tier for tier, *_ in rows.values()} == {"leader", "section", "liaison"}
    assert {"deputy_in_charge", "bureau_leader", "section_chief", "liaison"} <= set(bound)
    for username in ("admin", "auditor", "P00001"):
        html = login(username).get(f"/campaigns/{campaign}").get_data(as_text=True)
        panel = html[html.index('id="bureau-agreements"') :]
        assert f"({len(rows)})" in panel
        for number, (_tier, superior, holder, _state) in rows.items():
            assert number in panel and superior in panel and holder in panel
        assert "局长与班子成员（包片）" in panel and "股室负责人与包抓责任人" in panel and "已签发" in panel
    assert login("P00010").get(f"/campaigns/{campaign}").status_code == 404


def test_the_english_page_labels_the_tiers(demo_app, login, make_campaign) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH001")
    admin = login("admin")
    issue_and_wait(demo_app, admin, campaign, allow_missing="1")
    html = admin.get(f"/campaigns/{campaign}?lang=en").get_data(as_text=True)
    assert "Bureau agreements" in html and "Leader with a section chief" in html
