"""Campaign and agreement rows made by hand for trace/escalation tests (no PDF needed: the trace
reads states and signature revisions only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from responsibility.models import Agreement, AgreementRevision, Campaign, Organization

TERM_START, TERM_END, DUE = dt.date(2024, 11, 15), dt.date(2025, 4, 30), dt.date(2024, 12, 15)


def make_campaign(session: Session, name: str = "2024—2025年冬春季", *, prefix: str = "T-2025") -> Campaign:
    c = Campaign(
        name=name,
        season=name,
        term_start=TERM_START,
        term_end=TERM_END,
        due_date=DUE,
        template_version="winter_spring/2025-v1",
        template_hash="0" * 64,
        parameters={},
        document_prefix=prefix,
        state="issued",
        created_by="test",
    )
    session.add(c)
    session.flush()
    return c


def make_agreement(
    session: Session, campaign: Campaign, school: Organization, state: str, signed: dict[str, int] | None = None
) -> Agreement:
    """An agreement in ``state`` whose revisions fill ``signed`` (field name → signer person id)."""
    a = Agreement(
        campaign_id=campaign.id,
        school_id=school.id,
        document_number=f"{campaign.document_prefix}-{school.source_id}",
        state=state,
        template_version=campaign.template_version,
        template_hash="0" * 64,
        data_hash="0" * 64,
        as_of=campaign.term_start,
        pdf_sha256="1" * 64,
        pdf_size=1,
        issued_at=dt.datetime(2024, 11, 20, tzinfo=dt.UTC) if state != "draft" else None,
    )
    session.add(a)
    session.flush()
    session.add(
        AgreementRevision(
            agreement_id=a.id, seq=1, sha256="2" * 64, size=1, kind="certified", field_name="sig_bureau_seal"
        )
    )
    for seq, (name, person_id) in enumerate((signed or {}).items(), start=2):
        session.add(
            AgreementRevision(
                agreement_id=a.id,
                seq=seq,
                sha256=f"{seq:064d}",
                size=1,
                kind="signed",
                field_name=name,
                signer_person_id=person_id,
            )
        )
    session.flush()
    return a
