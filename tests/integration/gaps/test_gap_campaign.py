"""A1/A2 over a campaign's signed-PDF agreements (``--campaign``): judged by agreement state and
the signature fields the accepted revisions filled. Rows are made by hand (no PDF needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from gap_county import AT, clean_county, load
from sqlalchemy import select

from responsibility.chain.gaps import run_gap_checks
from responsibility.errors import NotFound
from responsibility.models import Agreement, AgreementRevision, Campaign, School

SCHOOL_FIELDS = ("sig_school_party_head", "sig_school_principal")
BUREAU_FIELDS = ("sig_bureau_party_secretary", "sig_bureau_chief")


def _campaign(session) -> Campaign:
    c = Campaign(
        name="2025—2026年冬春季",
        season="2025—2026年冬春季",
        term_start=dt.date(2024, 11, 15),
        term_end=dt.date(2025, 4, 30),
        due_date=dt.date(2024, 12, 15),
        template_version="winter_spring/2025-v1",
        template_hash="0" * 64,
        parameters={},
        document_prefix="T-2025",
        state="issued",
        created_by="test",
    )
    session.add(c)
    session.flush()
    return c


def _agreement(session, campaign: Campaign, school_sid: str, state: str, fields: tuple[str, ...]) -> Agreement:
    school = session.scalars(select(School).where(School.source_id == school_sid)).one()
    a = Agreement(
        campaign_id=campaign.id,
        school_id=school.id,
        document_number=f"T-2025-{school_sid}",
        state=state,
        template_version=campaign.template_version,
        template_hash="0" * 64,
        data_hash="0" * 64,
        as_of=AT,
        pdf_sha256="1" * 64,
        pdf_size=1,
    )
    session.add(a)
    session.flush()
    for seq, name in enumerate(("sig_bureau_seal", *fields), start=1):
        session.add(
            AgreementRevision(agreement_id=a.id, seq=seq, sha256=f"{seq:064d}", size=1, kind="signed", field_name=name)
        )
    session.flush()
    return a


def test_campaign_states_and_signatures(session) -> None:
    load(session, clean_county())
    campaign = _campaign(session)
    _agreement(session, campaign, "SCH011", "countersigned", (SCHOOL_FIELDS[1], *BUREAU_FIELDS))
    report = run_gap_checks(session, at=AT, campaign_id=campaign.id, checks={"A1", "A2", "A3", "A4"})
    assert report.campaign == campaign.name
    # A4: the countersigned school's cascade was never issued, so no grid owner is bound.
    assert report.finding_keys() == {
        ("A1", "SCH011", "T-2025-SCH011"),
        ("A2", "SCH029", "SCH029"),
        ("A4", "SCH011", "T-2025-SCH011"),
    }
    a1 = report.by_check("A1")[0]
    assert "只有校长一人签字" in a1.message
    assert "名网格长未签订岗位安全责任书或补充确认" in report.by_check("A4")[0].message
    assert any("A3对电子责任书不适用" in note for note in report.notes)  # A3 is said not to apply


def test_campaign_complete_and_in_progress(session) -> None:
    load(session, clean_county())
    campaign = _campaign(session)
    _agreement(session, campaign, "SCH011", "archived", ("sig_school_heads", "sig_bureau_heads"))
    _agreement(session, campaign, "SCH029", "issued", (SCHOOL_FIELDS[0],))
    report = run_gap_checks(session, at=AT, campaign_id=campaign.id, checks={"A1", "A2"})
    # One head signed while the agreement is still out for signature: in progress, not A1.
    assert report.finding_keys() == {("A2", "SCH029", "T-2025-SCH029")}


def test_campaign_countersigned_without_bureau_heads(session) -> None:
    load(session, clean_county())
    campaign = _campaign(session)
    _agreement(session, campaign, "SCH011", "countersigned", SCHOOL_FIELDS)
    _agreement(session, campaign, "SCH029", "countersigned", (*SCHOOL_FIELDS, *BUREAU_FIELDS))
    report = run_gap_checks(session, at=AT, campaign_id=campaign.id, checks={"A1", "A2"})
    assert report.finding_keys() == {("A1", "SCH011", "T-2025-SCH011")}
    assert "缺甲方签字" in report.findings[0].message


def test_unknown_campaign(session) -> None:
    with pytest.raises(NotFound):
        run_gap_checks(session, at=AT, campaign_id=999)
