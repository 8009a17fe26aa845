"""trace(): the agreement binding each link and its state, over the hand-made county."""

from __future__ import annotations

import datetime as dt

from chain_county import DAY
from sqlalchemy import select
from trace_data import make_agreement, make_campaign

from responsibility.chain import ChainSubject
from responsibility.chain.trace import INVALID, MISSING, PENDING, SIGNED, campaign_for_day, trace
from responsibility.models import AgreementRevision, PostAssignment

SIGNING_ROLES = {"principal", "school_party_secretary", "bureau_chief"}


def states(result):
    return {t.link.role: t.agreement_state for t in result.links if t.link.role != "grid_owner"}


def test_no_campaign_everything_missing(county):
    result = trace(county.session, ChainSubject.grid("G-3"), DAY)
    assert result.campaign_id is None
    assert {t.agreement_state for t in result.links} == {MISSING}
    assert all(t.note for t in result.links)


def test_signed_pending_and_cascade_missing(county):
    s = county.session
    campaign = make_campaign(s)
    make_agreement(s, campaign, county.orgs["SCH-A"], "issued", {"sig_school_principal": county.persons["P-PRIN"].id})
    result = trace(s, ChainSubject.grid("G-3"), DAY)
    assert result.campaign_name == campaign.name
    got = states(result)
    assert got["principal"] == SIGNED
    assert got["school_party_secretary"] == PENDING
    assert got["bureau_chief"] == PENDING
    for role in ("safety_deputy", "liaison", "section_chief", "bureau_leader", "deputy_in_charge"):
        assert got[role] == MISSING
    grid_links = [t for t in result.links if t.link.role == "grid_owner"]
    assert len(grid_links) == 3
    # The principal owning the top grid answers through the school agreement he signed; the other
    # owners have no post agreement (the cascade was not issued).
    head = [t for t in grid_links if t.link.person_id == county.persons["P-PRIN"].source_id]
    assert all(t.agreement_state == SIGNED and t.agreement_id == "T-2025-SCH-A" for t in head)
    assert all(t.agreement_state == MISSING and "cascade" in t.note for t in grid_links if t not in head)
    bound = {t.agreement_id for t in result.links if t.link.role in SIGNING_ROLES}
    assert bound == {"T-2025-SCH-A"}


def test_combined_fields_sign_both_heads(county):
    s = county.session
    campaign = make_campaign(s)
    make_agreement(
        s,
        campaign,
        county.orgs["SCH-A"],
        "countersigned",
        {
            "sig_school_party_head": county.persons["P-PARTY"].id,
            "sig_school_principal": county.persons["P-PRIN"].id,
            "sig_bureau_heads": county.persons["P-CHIEF"].id,
        },
    )
    got = states(trace(s, ChainSubject.school("SCH-A"), DAY))
    assert {got[r] for r in SIGNING_ROLES} == {SIGNED}


def test_void_is_invalid_and_draft_is_missing(county):
    s = county.session
    campaign = make_campaign(s)
    agreement = make_agreement(s, campaign, county.orgs["SCH-A"], "void")
    assert {states(trace(s, ChainSubject.school("SCH-A"), DAY))[r] for r in SIGNING_ROLES} == {INVALID}
    agreement.state = "draft"
    s.flush()
    assert {states(trace(s, ChainSubject.school("SCH-A"), DAY))[r] for r in SIGNING_ROLES} == {MISSING}


def test_person_who_changes_post_mid_season(county):
    """Before the change: the old principal with their signed agreement; after: the new one, pending."""
    s = county.session
    change = dt.date(2025, 2, 1)
    old = s.scalars(select(PostAssignment).where(PostAssignment.source_id == "PA-PRIN")).one()
    old.valid_to = change
    county.person("P-NEWPRIN", "SCH-A")
    county.post("P-NEWPRIN", "SCH-A", "S01", valid_from=change)
    campaign = make_campaign(s)
    make_agreement(s, campaign, county.orgs["SCH-A"], "issued", {"sig_school_principal": county.persons["P-PRIN"].id})

    def principal(day):
        (link,) = [t for t in trace(s, ChainSubject.building("BLD-A"), day).links if t.link.role == "principal"]
        return link.link.person_id, link.agreement_state

    assert principal(DAY) == ("P-PRIN", SIGNED)
    assert principal(change) == ("P-NEWPRIN", PENDING)
    agreement_id = trace(s, ChainSubject.school("SCH-A"), change).links[-1].agreement_db_id
    new_principal = county.persons["P-NEWPRIN"].id
    s.add(
        AgreementRevision(
            agreement_id=agreement_id,
            seq=9,
            sha256="9" * 64,
            size=1,
            kind="signed",
            field_name="sig_school_principal",
            signer_person_id=new_principal,
        )
    )
    s.flush()
    s.expire_all()
    assert principal(change) == ("P-NEWPRIN", SIGNED)


def test_campaign_for_day_picks_the_covering_term(county):
    s = county.session
    campaign = make_campaign(s)
    assert campaign_for_day(s, DAY) == campaign
    assert campaign_for_day(s, dt.date(2025, 6, 1)) is None
