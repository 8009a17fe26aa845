"""Create → generate → regenerate while draft → issue (freeze) → a data change marks stale."""

from __future__ import annotations

import datetime as dt

import pytest
from agreement_tools import TERM_END, TERM_START, school
from sqlalchemy import select, update

from responsibility.agreements import (
    CertifiedRevision,
    check_staleness,
    create_campaign,
    export_pdf,
    generate,
    issue_campaign,
)
from responsibility.agreements.states import transition
from responsibility.audit.log import verify_chain
from responsibility.errors import BadInput, InvalidState
from responsibility.models import Agreement, AuditEvent, PostAssignment


def _agreement(session, source_id: str) -> Agreement:  # type: ignore[no-untyped-def]
    return session.scalars(select(Agreement).where(Agreement.school_id == school(session, source_id).id)).one()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"end": TERM_START}, "must end after it starts"),
        ({"due": TERM_END + dt.timedelta(days=1)}, "must fall inside the term"),
        ({"name": "  "}, "needs a name"),
        ({"targets": {"no_such_target": "1"}}, "unknown target"),
        ({"base_url": "ftp://x"}, "must start with http"),
        ({"document_prefix": "A B"}, "document-number prefix"),
    ],
)
def test_create_campaign_refuses_bad_input(demo_session, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    args = {"name": "c", "start": TERM_START, "end": TERM_END, "actor": "t", "base_url": "https://a.example.cn"}
    args.update(kwargs)
    with pytest.raises(BadInput, match=message):
        create_campaign(demo_session, **args)


def test_names_and_prefixes_are_unique(demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    args = {"start": TERM_START, "end": TERM_END, "actor": "t", "base_url": "https://a.example.cn"}
    with pytest.raises(BadInput, match="already exists"):
        create_campaign(demo_session, name=campaign.name, **args)
    second = create_campaign(demo_session, name="second", **args)
    assert campaign.document_prefix == "JTAQ-2024DC" and second.document_prefix == "JTAQ-2024DC2"


def test_regenerate_in_draft_follows_the_data(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    target = school(demo_session, "SCH011")
    generate(demo_session, campaign, storage=store, actor="test", school=target)
    demo_session.commit()
    agreement = _agreement(demo_session, "SCH011")
    first_sha, first_hash = agreement.pdf_sha256, agreement.data_hash
    assert not check_staleness(demo_session, agreement).stale

    target.name = "岚川县青岗镇中心小学（更名）"
    demo_session.commit()
    assert check_staleness(demo_session, agreement).reason == "data changed"

    generate(demo_session, campaign, storage=store, actor="test", school=target)
    demo_session.commit()
    demo_session.refresh(agreement)
    assert agreement.pdf_sha256 != first_sha and agreement.data_hash != first_hash
    assert [(r.seq, r.sha256) for r in agreement.revisions] == [(1, agreement.pdf_sha256)]
    assert store.read(agreement.pdf_sha256) and store.exists(first_sha)
    assert not check_staleness(demo_session, agreement).stale


def test_issue_freezes_and_a_later_change_only_marks_stale(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    for sid in ("SCH001", "SCH031"):
        generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, sid))
    demo_session.commit()

    with pytest.raises(BadInput, match="no agreement for 58 school"):
        issue_campaign(demo_session, campaign, actor="test", storage=store)
    summary = issue_campaign(demo_session, campaign, actor="test", storage=store, allow_missing=True)
    demo_session.commit()
    assert len(summary.issued) == 2 and len(summary.missing) == 58 and not summary.certified
    assert campaign.state == "issued"
    agreement = _agreement(demo_session, "SCH001")
    assert agreement.state == "issued" and agreement.issued_at is not None
    frozen_sha, frozen_bytes = agreement.pdf_sha256, store.read(agreement.pdf_sha256)

    with pytest.raises(InvalidState, match="frozen"):
        generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, "SCH001"))
    with pytest.raises(InvalidState, match="already issued"):
        issue_campaign(demo_session, campaign, actor="test", storage=store)

    # The principal changes mid-term: the agreement is stale, and nothing about it changed.
    demo_session.execute(
        update(PostAssignment)
        .where(PostAssignment.org_id == agreement.school_id, PostAssignment.post_code == "S01")
        .values(valid_to=dt.date(2025, 3, 1))
    )
    demo_session.commit()
    check = check_staleness(demo_session, agreement)
    assert check.stale and "no 校长 on file" in (check.reason or "")
    demo_session.refresh(agreement)
    assert agreement.pdf_sha256 == frozen_sha and store.read(frozen_sha) == frozen_bytes
    assert agreement.state == "issued"
    assert not check_staleness(demo_session, _agreement(demo_session, "SCH031")).stale


def test_issue_refuses_a_stale_draft(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    target = school(demo_session, "SCH002")
    generate(demo_session, campaign, storage=store, actor="test", school=target)
    target.students = (target.students or 0) + 1
    demo_session.commit()
    with pytest.raises(BadInput, match="regenerate before issuing.*SCH002 \\(data changed\\)"):
        issue_campaign(demo_session, campaign, actor="test", storage=store, allow_missing=True)
    generate(demo_session, campaign, storage=store, actor="test", school=target)
    assert issue_campaign(demo_session, campaign, actor="test", storage=store, allow_missing=True).issued


def test_the_certification_hook_adds_revision_two(demo_session, campaign, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from responsibility.agreements import campaigns as campaigns_module

    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, "SCH003"))
    seen = []
    told = []  # the stand-in revision is no real signature, so who is notified is not read from it
    monkeypatch.setattr(campaigns_module, "agreement_issued", lambda _s, agreement, _d, _st: told.append(agreement.id))

    def certify(session, agreement, pdf: bytes) -> CertifiedRevision:  # type: ignore[no-untyped-def]
        seen.append(agreement.document_number)
        return CertifiedRevision(pdf + b"\n% incremental update stand-in\n%%EOF\n", "sig_bureau_seal")

    issue_campaign(demo_session, campaign, actor="test", storage=store, allow_missing=True, certify=certify)
    demo_session.commit()
    agreement = _agreement(demo_session, "SCH003")
    assert seen == [agreement.document_number] and told == [agreement.id]
    kinds = [(r.seq, r.kind, r.field_name) for r in agreement.revisions]
    assert kinds == [(1, "generated", None), (2, "certified", "sig_bureau_seal")]
    assert agreement.pdf_sha256 == agreement.revisions[1].sha256
    assert store.read(agreement.pdf_sha256).startswith(store.read(agreement.revisions[0].sha256))


def test_state_machine_refuses_skipping_states(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, "SCH004"))
    agreement = _agreement(demo_session, "SCH004")
    with pytest.raises(InvalidState, match="draft; it cannot become countersigned"):
        transition(agreement, "countersigned")
    transition(agreement, "issued")
    transition(agreement, "school_signed")
    assert agreement.state == "school_signed"


def test_every_step_is_in_the_audit_chain(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, "SCH009"))
    issue_campaign(demo_session, campaign, actor="test", storage=store, allow_missing=True)
    export_pdf(demo_session, _agreement(demo_session, "SCH009"), storage=store, actor="test", channel="test")
    demo_session.commit()
    actions = demo_session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    tail = [a for a in actions if a.split(".")[0] in ("campaign", "agreement")]
    assert tail == [
        "campaign.created",
        "agreement.generated",
        "campaign.generated",
        "campaign.issued",
        "agreement.exported",
    ]
    assert verify_chain(demo_session).ok
