"""Issuing the cascade after the school agreement is countersigned; signing a post agreement."""

from __future__ import annotations

import pytest
from fixtures.cascade_workflow import cascade, countersigned
from fixtures.signing_workflow import TODAY, enrol_person, holder, issue_schools, school, sign_as, store_of
from sqlalchemy import select

from responsibility.agreements.cascade import post_agreements, supervision_links
from responsibility.agreements.signers_required import required_signers
from responsibility.errors import Forbidden, InvalidState
from responsibility.models import Agreement, Grid

SCH = "SCH001"


def test_supervision_links_follow_leadership_and_grid_tree(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    sch = school(cc_session, SCH)
    principal, deputy = holder(cc_session, sch, "S01"), holder(cc_session, sch, "S03")
    links = {(link.superior.id, link.holder.id): link for link in supervision_links(cc_session, sch, TODAY)}
    assert (principal.id, deputy.id) in links and "leader" in links[(principal.id, deputy.id)].reasons
    grids = cc_session.scalars(select(Grid).where(Grid.school_id == sch.id)).all()
    checked = 0
    for grid in grids:
        owner = grid.owner_on(TODAY)
        if owner is None or grid.level != 3 or grid.parent is None:
            continue
        parent_owner = grid.parent.owner_on(TODAY)
        if parent_owner is None or parent_owner.id == owner.id:
            continue
        assert grid.source_id in links[(parent_owner.id, owner.id)].grid_ids
        checked += 1
    assert checked > 0
    for grid in grids:
        owner = grid.owner_on(TODAY)
        if grid.level == 2 and owner is not None and owner.id != deputy.id:
            assert grid.source_id in links[(deputy.id, owner.id)].grid_ids
    assert all(link.superior.id != link.holder.id for link in links.values())


def test_issue_before_countersign_is_refused(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    issue_schools(cc_app, cc_session, [SCH])
    principal = holder(cc_session, school(cc_session, SCH), "S01")
    with pytest.raises(InvalidState):
        cascade(cc_app, cc_session, SCH, principal)


def test_cascade_issues_and_a_holder_signs(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    parent = countersigned(cc_app, cc_session, SCH)
    sch = school(cc_session, SCH)
    principal, deputy = holder(cc_session, sch, "S01"), holder(cc_session, sch, "S03")
    teacher = holder(cc_session, sch, "S09")
    with pytest.raises(Forbidden):
        cascade(cc_app, cc_session, SCH, teacher)
    cc_session.rollback()
    summary = cascade(cc_app, cc_session, SCH, deputy)
    issued = post_agreements(cc_session, parent)
    assert len(issued) == len(summary.issued) == len(supervision_links(cc_session, sch, TODAY)) > 3
    assert all(a.state == "issued" and a.kind == "post" for a in issued)
    assert all([r.kind for r in a.revisions] == ["generated", "certified"] for a in issued)
    again = cascade(cc_app, cc_session, SCH, principal)
    assert again.issued == () and again.skipped == len(issued)

    mine = next(a for a in issued if a.superior_person_id == principal.id and a.holder_person_id == deputy.id)
    plan = required_signers(cc_session, mine, TODAY, store=store_of(cc_app))
    assert [(s.field, s.person_id, s.signed) for s in plan.signatures] == [
        ("sig_superior", principal.id, False),
        ("sig_holder", deputy.id, False),
    ]
    enrol_person(cc_app, cc_session, deputy)
    with pytest.raises(InvalidState):  # the superior signs first
        sign_as(cc_app, cc_session, mine.id, deputy)
    enrol_person(cc_app, cc_session, principal)
    assert sign_as(cc_app, cc_session, mine.id, principal).state == "school_signed"
    outcome = sign_as(cc_app, cc_session, mine.id, deputy)
    assert outcome.state == "archived"
    row = cc_session.get(Agreement, mine.id)
    assert [(r.kind, r.field_name) for r in row.revisions][2:] == [
        ("signed", "sig_superior"),
        ("countersigned", "sig_holder"),
        ("timestamped", "sig_archive_timestamp"),
    ]
    assert row.revisions[2].signer_person_id == principal.id and row.revisions[3].signer_person_id == deputy.id
