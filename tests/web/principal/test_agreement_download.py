"""A school's leaders open and download their own school's issued agreement; another school's
agreement, a draft, or a staff member who is not a leader: 404."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from responsibility.models import Campaign


def _issue(demo_app, campaign_id: int) -> None:  # type: ignore[no-untyped-def]
    from responsibility.agreements import PdfStore, issue_campaign
    from responsibility.extensions import db

    with demo_app.app_context():
        campaign = db.session.scalars(select(Campaign).where(Campaign.id == campaign_id)).one()
        store = PdfStore(Path(demo_app.instance_path) / "agreements")
        issue_campaign(db.session, campaign, actor="test", storage=store, allow_missing=True)
        db.session.commit()


def test_principal_downloads_own_agreement_only(demo_app, login, make_campaign, agreement_id) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH001", "SCH002")
    own, other = agreement_id(campaign, "SCH001"), agreement_id(campaign, "SCH002")
    principal = login("P00027")  # principal of SCH001

    assert principal.get(f"/campaigns/agreements/{own}").status_code == 404  # still a draft
    assert "本校暂无已签发的责任书" in principal.get("/campaigns/").get_data(as_text=True)
    _issue(demo_app, campaign)

    listing = principal.get("/campaigns/").get_data(as_text=True)
    assert "JTAQ-2024DC-SCH001" in listing and "JTAQ-2024DC-SCH002" not in listing
    page = principal.get(f"/campaigns/agreements/{own}")
    assert page.status_code == 200 and "岚川县第一高级中学" in page.get_data(as_text=True)
    download = principal.get(f"/campaigns/agreements/{own}/pdf?download=1")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="JTAQ-2024DC-SCH001.pdf"'
    assert download.data.startswith(b"%PDF-")

    for url in (f"/campaigns/agreements/{other}", f"/campaigns/agreements/{other}/pdf", f"/campaigns/{campaign}"):
        assert principal.get(url).status_code == 404, url
    assert principal.post(f"/campaigns/agreements/{own}/regenerate").status_code == 404


def test_party_secretary_opens_it_and_a_teacher_does_not(demo_app, login, make_campaign, agreement_id) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH001")
    own = agreement_id(campaign, "SCH001")
    _issue(demo_app, campaign)
    secretary = login("P00028")
    assert secretary.get(f"/campaigns/agreements/{own}/pdf").status_code == 200
    teacher = login("P00047")  # a class teacher and grid owner of the same school
    assert teacher.get(f"/campaigns/agreements/{own}").status_code == 404
    assert teacher.get(f"/campaigns/agreements/{own}/pdf").status_code == 404
