"""What binds a link: the agreement that names the link's grid or school for its person, not any
agreement the person holds (hand-made rows; the states and bindings are all the trace reads)."""

from __future__ import annotations

from chain_county import DAY
from trace_data import make_campaign

from responsibility.chain import ChainSubject
from responsibility.chain.trace import MISSING, PENDING, SIGNED, trace
from responsibility.models import Agreement, AgreementBinding


def _two_party(s, campaign, org, number, superior, holder, kind, state, bindings):  # type: ignore[no-untyped-def]
    a = Agreement(
        campaign_id=campaign.id,
        school_id=org.id,
        document_number=number,
        state=state,
        kind=kind,
        superior_person_id=superior.id,
        holder_person_id=holder.id,
        template_version="t/1",
        template_hash="0" * 64,
        data_hash="0" * 64,
        as_of=campaign.term_start,
        pdf_sha256="1" * 64,
        pdf_size=1,
    )
    a.bindings = [AgreementBinding(**b) for b in bindings]
    s.add(a)
    s.flush()
    return a


def _by_role(result):  # type: ignore[no-untyped-def]
    return {t.link.role: t for t in result.links if t.link.role != "grid_owner"}


def test_a_grid_owner_is_bound_only_by_the_post_agreement_naming_that_grid(county) -> None:  # type: ignore[no-untyped-def]
    s, p, g = county.session, county.persons, county.grids
    campaign = make_campaign(s)
    school = county.orgs["SCH-A"]
    # P-G3 holds a complete post agreement about another grid: it does not bind G-3.
    _two_party(
        s,
        campaign,
        school,
        "T-P1",
        p["P-G2"],
        p["P-G3"],
        "post",
        "archived",
        [{"role": "grid_owner", "grid_id": g["G-2"].id}],
    )
    first = trace(s, ChainSubject.grid("G-3"), DAY).links[0]
    assert first.link.grid_source_id == "G-3" and first.agreement_state == MISSING and "cascade" in first.note
    named = _two_party(
        s,
        campaign,
        school,
        "T-P2",
        p["P-G2"],
        p["P-G3"],
        "post",
        "issued",
        [{"role": "grid_owner", "grid_id": g["G-3"].id}],
    )
    first = trace(s, ChainSubject.grid("G-3"), DAY).links[0]
    assert (first.agreement_id, first.agreement_state, first.agreement_kind) == ("T-P2", PENDING, "post")
    named.state = "archived"
    s.flush()
    assert trace(s, ChainSubject.grid("G-3"), DAY).links[0].agreement_state == SIGNED
    # The same grid named in another person's agreement binds nobody else.
    named.holder_person_id = p["P-SAFE"].id
    s.flush()
    assert trace(s, ChainSubject.grid("G-3"), DAY).links[0].agreement_state == MISSING


def test_the_bureau_links_are_bound_by_the_bureau_agreements_naming_the_school(county) -> None:  # type: ignore[no-untyped-def]
    s, p, o = county.session, county.persons, county.orgs
    campaign = make_campaign(s)
    bureau, school = o["ORG-B"], o["SCH-A"]
    before = _by_role(trace(s, ChainSubject.grid("G-3"), DAY))
    assert {before[r].agreement_state for r in ("liaison", "section_chief", "bureau_leader", "deputy_in_charge")} == {
        MISSING
    }
    sid = school.id
    _two_party(
        s,
        campaign,
        bureau,
        "T-B1",
        p["P-SECCHIEF"],
        p["P-LIA"],
        "bureau",
        "archived",
        [{"role": "liaison", "school_id": sid}],
    )
    _two_party(
        s,
        campaign,
        bureau,
        "T-B2",
        p["P-LEAD"],
        p["P-SECCHIEF"],
        "bureau",
        "school_signed",
        [{"role": "section_chief", "school_id": sid}],
    )
    _two_party(
        s,
        campaign,
        bureau,
        "T-B3",
        p["P-CHIEF"],
        p["P-LEAD"],
        "bureau",
        "archived",
        [{"role": "bureau_leader", "school_id": o["SEC-A"].id}],
    )
    _two_party(
        s, campaign, bureau, "T-B4", p["P-CHIEF"], p["P-DEP"], "bureau", "archived", [{"role": "deputy_in_charge"}]
    )
    got = _by_role(trace(s, ChainSubject.grid("G-3"), DAY))
    assert (got["liaison"].agreement_id, got["liaison"].agreement_state) == ("T-B1", SIGNED)
    assert (got["section_chief"].agreement_id, got["section_chief"].agreement_state) == ("T-B2", PENDING)
    # T-B3 names another place, not SCH-A: the leader's link stays unbound.
    assert got["bureau_leader"].agreement_state == MISSING and got["bureau_leader"].agreement_id is None
    assert (got["deputy_in_charge"].agreement_id, got["deputy_in_charge"].agreement_state) == ("T-B4", SIGNED)
    assert all(got[r].agreement_kind == "bureau" for r in ("liaison", "section_chief", "deputy_in_charge"))
