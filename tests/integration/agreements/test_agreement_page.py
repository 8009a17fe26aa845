"""The campaign page's agreements come a page at a time (keyset on the document number), with
the total from one aggregate query: a province's campaign page never loads every agreement."""

from __future__ import annotations

from responsibility.agreements.queries import agreement_page
from responsibility.models import Campaign


def test_pages_follow_each_other_without_gaps_or_repeats(demo_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign_id = make_campaign("SCH001", "SCH002", "SCH003", "SCH004", "SCH005")
    with demo_app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        seen: list[str] = []
        after = None
        pages = 0
        while True:
            rows, after, total = agreement_page(db.session, campaign, after=after, size=2)
            pages += 1
            assert total == 5 and len(rows) <= 2
            seen += [a.document_number for a in rows]
            if after is None:
                break
        assert pages == 3 and seen == sorted(seen) and len(set(seen)) == 5
        db.session.remove()


def test_the_campaign_page_shows_the_total_and_a_next_link(make_campaign, demo_login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import responsibility.agreements.queries as queries

    campaign_id = make_campaign("SCH001", "SCH002", "SCH003")
    client = demo_login("admin")
    monkeypatch.setattr(queries, "CAMPAIGN_PAGE", 2)
    first = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "(3)" in first and 'id="agreements-pager"' in first and 'rel="next"' in first
    assert first.count("<tr data-agreement=") == 2
    after = first.split("after=")[1].split("#")[0].split('"')[0]
    second = client.get(f"/campaigns/{campaign_id}?after={after}").get_data(as_text=True)
    assert "第一页" in second  # the first-page link (Chinese first)
    assert 'rel="next"' not in second and second.count("<tr data-agreement=") == 1
    # the stale flags are fetched for the same page
    assert len(client.get(f"/campaigns/{campaign_id}/stale.json").get_json()["checked"]) == 2
    assert len(client.get(f"/campaigns/{campaign_id}/stale.json?after={after}").get_json()["checked"]) == 1
