"""Successors' supplementary confirmations (补充确认) on the demo county, through the real
services, PDFs and signatures: a grid owner replaced mid-season (command, PDF, board, A4,
escalation, signature, ``flask verify``, trace), a principal replaced after the school agreement
was signed, and a handover before the predecessor's agreement was complete (no confirmation)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from fixtures.cascade_workflow import cascade, countersigned, hand_over_grid, level3_grid, post_agreement_of, sign_by
from fixtures.signing_workflow import TODAY, environment, holder, school, store_of
from sqlalchemy import select

from responsibility.agreements.certification import certification_hook
from responsibility.agreements.confirmations import issue_confirmations
from responsibility.agreements.seal import ensure_seal
from responsibility.agreements.signers_required import required_signers
from responsibility.chain.escalation import run_escalation
from responsibility.chain.gaps import run_gap_checks
from responsibility.chain.subjects import ChainSubject
from responsibility.chain.trace import PENDING, SIGNED, trace
from responsibility.models import Agreement, Confirmation, Person, PostAssignment
from responsibility.pdf.content import cn_date

SCH = "SCH001"
CHANGE = TODAY + dt.timedelta(days=10)


def _confirm(app, session, campaign, day=CHANGE):  # type: ignore[no-untyped-def]
    env = environment(app, session)
    summary = issue_confirmations(
        session,
        campaign,
        storage=store_of(app),
        certify=certification_hook(env, ensure_seal(session, env.pki, app.config)),
        actor="test",
        day=day,
    )
    session.commit()
    return summary


def _a4(session, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    report = run_gap_checks(session, at=day, checks={"A4"}, live_campaign=True)
    return " ".join(f.message for f in report.findings if f.school_id == SCH)


def test_a_grid_owner_replaced_mid_season_confirms_the_signed_agreement(  # type: ignore[no-untyped-def]
    cc_app, cc_session, demo_login, tmp_path: Path
) -> None:
    s = cc_session
    parent = countersigned(cc_app, s, SCH)
    campaign_id = parent.campaign_id
    sch = school(s, SCH)
    principal, deputy = holder(s, sch, "S01"), holder(s, sch, "S03")
    grid = level3_grid(s, sch, deputy)
    owner, level2 = grid.owner_on(TODAY), grid.parent.owner_on(TODAY)
    cascade(cc_app, s, SCH, principal)
    mine = post_agreement_of(s, parent, level2, owner)
    sign_by(cc_app, s, mine, level2, owner)
    successor = hand_over_grid(s, grid, sch, CHANGE)

    runner = cc_app.test_cli_runner()
    args = ["cascade", "confirmations", str(campaign_id), "--school", SCH, "--at", CHANGE.isoformat()]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    (number,) = first.stdout.split()
    again = runner.invoke(args=args)
    assert again.exit_code == 0 and again.stdout == "" and "(1 already issued" in again.stderr
    s.expire_all()

    confirmation = s.scalars(select(Agreement).where(Agreement.document_number == number)).one()
    facts = s.scalars(select(Confirmation).where(Confirmation.agreement_id == confirmation.id)).one()
    assert (confirmation.kind, confirmation.state, confirmation.holder_person_id) == (
        "confirmation",
        "issued",
        successor.id,
    )
    assert (facts.bound_agreement_id, facts.bound_sha256, facts.bound_document_number) == (
        mine.id,
        mine.pdf_sha256,
        mine.document_number,
    )
    assert (facts.predecessor_person_id, facts.subject_key, facts.change_date) == (owner.id, grid.source_id, CHANGE)
    assert [r.kind for r in confirmation.revisions] == ["generated", "certified"]
    pdf_path = tmp_path / "confirmation.pdf"
    pdf_path.write_bytes(store_of(cc_app).read(confirmation.pdf_sha256))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout.replace("\n", "")
    for wanted in (mine.document_number, mine.pdf_sha256, owner.name, successor.name, grid.source_id, cn_date(CHANGE)):
        assert wanted in text, wanted
    plan = required_signers(s, confirmation, CHANGE, store=store_of(cc_app))
    assert [(x.field, x.person_id) for x in plan.signatures] == [("sig_holder", successor.id)]

    # Unsigned: the board, A4 and escalation count it.
    admin = demo_login("admin")
    board = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "补充确认：已签 0 / 已签发 1 份" in board
    assert "补充确认已签0/1份，1份未签" in _a4(s, CHANGE)
    late = facts.due_date + dt.timedelta(days=1)
    escalated = run_escalation(s, at=late, config={})
    assert number in {r.document_number for r in escalated.raised}
    s.rollback()

    # The successor signs with their own key and PIN; the signed file verifies.
    sign_by(cc_app, s, confirmation, successor, day=CHANGE)
    s.refresh(confirmation)
    assert confirmation.state == "archived"
    pdf_path.write_bytes(store_of(cc_app).read(confirmation.pdf_sha256))
    verified = runner.invoke(args=["verify", str(pdf_path), "--json"])
    assert verified.exit_code == 0, verified.output
    assert number in verified.stdout
    board = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "补充确认：已签 1 / 已签发 1 份" in board
    assert "补充确认" not in _a4(s, CHANGE)
    assert number not in {r.document_number for r in run_escalation(s, at=late, config={}).raised}
    s.rollback()

    before = trace(s, ChainSubject.grid(grid.source_id), CHANGE - dt.timedelta(days=1)).links[0]
    after = trace(s, ChainSubject.grid(grid.source_id), CHANGE).links[0]
    assert (before.link.person_id, before.agreement_id, before.agreement_state) == (
        owner.source_id,
        mine.document_number,
        SIGNED,
    )
    assert (after.link.person_id, after.agreement_id, after.agreement_state) == (successor.source_id, number, SIGNED)


def test_a_new_principal_confirms_the_school_agreement(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    s = cc_session
    parent = countersigned(cc_app, s, SCH)
    sch = school(s, SCH)
    old = holder(s, sch, "S01")
    new = holder(s, sch, "S04")
    held = s.scalars(
        select(PostAssignment).where(
            PostAssignment.org_id == sch.id, PostAssignment.post_code == "S01", PostAssignment.person_id == old.id
        )
    ).one()
    held.valid_to = CHANGE
    s.add(PostAssignment(source_id="PA-NEW-S01", org_id=sch.id, post_code="S01", person_id=new.id, valid_from=CHANGE))
    s.commit()

    summary = _confirm(cc_app, s, parent.campaign)
    (number,) = summary.issued
    assert _confirm(cc_app, s, parent.campaign).issued == ()
    facts = s.scalars(select(Confirmation).where(Confirmation.subject_key == "S01")).one()
    assert (facts.bound_agreement_id, facts.predecessor_person_id, facts.successor_person_id) == (
        parent.id,
        old.id,
        new.id,
    )

    def principal_link(day: dt.date):  # type: ignore[no-untyped-def]
        return next(t for t in trace(s, ChainSubject.school(SCH), day).links if t.link.role == "principal")

    earlier = principal_link(CHANGE - dt.timedelta(days=1))
    assert (earlier.link.person_id, earlier.agreement_id, earlier.agreement_state) == (
        old.source_id,
        parent.document_number,
        SIGNED,
    )
    later = principal_link(CHANGE)
    assert (later.link.person_id, later.agreement_id, later.agreement_state) == (new.source_id, number, PENDING)
    confirmation = s.scalars(select(Agreement).where(Agreement.document_number == number)).one()
    sign_by(cc_app, s, confirmation, new, day=CHANGE)
    assert principal_link(CHANGE).agreement_state == SIGNED


def test_no_confirmation_before_the_predecessor_s_agreement_is_complete(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    s = cc_session
    parent = countersigned(cc_app, s, SCH)
    sch = school(s, SCH)
    principal, deputy = holder(s, sch, "S01"), holder(s, sch, "S03")
    grid = level3_grid(s, sch, deputy)
    level2 = grid.parent.owner_on(TODAY)
    cascade(cc_app, s, SCH, principal)  # nobody signs
    successor = hand_over_grid(s, grid, sch, CHANGE)
    summary = cascade(cc_app, s, SCH, deputy, day=CHANGE)
    assert summary.confirmations == ()
    waiting = _confirm(cc_app, s, parent.campaign)
    assert waiting.issued == () and any(grid.source_id in text for text in waiting.unbound)
    # The successor is bound the ordinary way: a post agreement of their own with the grid's parent owner.
    assert post_agreement_of(s, parent, level2, successor).state == "issued"
    assert s.scalars(select(Confirmation)).first() is None
    assert s.get(Person, successor.id) is not None
