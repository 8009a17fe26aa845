"""The chain trace uses the signed post agreements; a grid owner replaced mid-season is bound by
the supplementary confirmation the re-issued cascade gives the successor."""

from __future__ import annotations

import datetime as dt

from fixtures.cascade_workflow import cascade, countersigned, hand_over_grid, level3_grid, post_agreement_of, sign_by
from fixtures.signing_workflow import TODAY, holder, school

from responsibility.agreements.cascade import post_agreements
from responsibility.chain.subjects import ChainSubject
from responsibility.chain.trace import MISSING, PENDING, SIGNED, trace
from responsibility.models import Agreement

SCH = "SCH001"
CHANGE = TODAY + dt.timedelta(days=10)


def test_trace_shows_signed_links_and_a_mid_season_change(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    s = cc_session
    parent = countersigned(cc_app, s, SCH)
    sch = school(s, SCH)
    principal, deputy = holder(s, sch, "S01"), holder(s, sch, "S03")
    grid = level3_grid(s, sch, deputy)
    owner, level2 = grid.owner_on(TODAY), grid.parent.owner_on(TODAY)
    before = {t.link.role: t for t in trace(s, ChainSubject.grid(grid.source_id), TODAY).links}
    assert before["safety_deputy"].agreement_state == MISSING  # no cascade yet

    cascade(cc_app, s, SCH, principal)
    sign_by(cc_app, s, post_agreement_of(s, parent, principal, deputy), principal, deputy)
    sign_by(cc_app, s, post_agreement_of(s, parent, deputy, level2), deputy, level2)
    mine = post_agreement_of(s, parent, level2, owner)
    pending = trace(s, ChainSubject.grid(grid.source_id), TODAY).links
    assert pending[0].link.person_id == owner.source_id and pending[0].agreement_state == PENDING
    sign_by(cc_app, s, mine, level2, owner)

    result = trace(s, ChainSubject.grid(grid.source_id), TODAY)
    owners = [t for t in result.links if t.link.role == "grid_owner"]
    assert [t.link.person_id for t in owners[:2]] == [owner.source_id, level2.source_id]
    assert all(t.agreement_state == SIGNED for t in owners)
    assert owners[0].agreement_id == mine.document_number and owners[0].agreement_kind == "post"
    deputy_link = next(t for t in result.links if t.link.role == "safety_deputy")
    assert deputy_link.agreement_state == SIGNED and deputy_link.link.person_id == deputy.source_id
    assert next(t for t in result.links if t.link.role == "principal").agreement_state == SIGNED

    # Mid-season: another teacher of the school takes the grid over from CHANGE; the cascade
    # issued again that day gives them a confirmation of the signed agreement, not a new one.
    successor = hand_over_grid(s, grid, sch, CHANGE)
    pairs_before = {(a.superior_person_id, a.holder_person_id) for a in post_agreements(s, parent)}
    summary = cascade(cc_app, s, SCH, deputy, day=CHANGE)
    (number,) = summary.confirmations
    assert summary.confirmed >= 1
    if (level2.id, successor.id) not in pairs_before:
        assert (level2.id, successor.id) not in {
            (a.superior_person_id, a.holder_person_id) for a in post_agreements(s, parent)
        }

    old_day = trace(s, ChainSubject.grid(grid.source_id), CHANGE - dt.timedelta(days=1)).links[0]
    assert (old_day.link.person_id, old_day.agreement_state, old_day.agreement_id) == (
        owner.source_id,
        SIGNED,
        mine.document_number,
    )
    new_day = trace(s, ChainSubject.grid(grid.source_id), CHANGE).links[0]
    assert (new_day.link.person_id, new_day.agreement_state, new_day.agreement_id) == (
        successor.source_id,
        PENDING,
        number,
    )
    assert new_day.agreement_kind == "confirmation" and mine.document_number in (new_day.note or "")
    confirmation = s.query(Agreement).filter_by(document_number=number).one()
    sign_by(cc_app, s, confirmation, successor, day=CHANGE)
    after = trace(s, ChainSubject.grid(grid.source_id), CHANGE).links[0]
    assert (after.agreement_state, after.agreement_id) == (SIGNED, number)
    assert trace(s, ChainSubject.grid(grid.source_id), CHANGE - dt.timedelta(days=1)).links[0].agreement_id == (
        mine.document_number
    )
