"""The chain trace uses the signed post agreements; a grid owner replaced mid-season."""

from __future__ import annotations

import datetime as dt

from cascade_tools import cascade, countersigned
from fixtures.signing_workflow import TODAY, enrol_person, holder, school, sign_as
from sqlalchemy import select

from responsibility.agreements.cascade import post_agreements
from responsibility.chain.subjects import ChainSubject
from responsibility.chain.trace import MISSING, PENDING, SIGNED, trace
from responsibility.models import Agreement, Grid, GridOwnership, Person, PostAssignment

SCH = "SCH001"
CHANGE = TODAY + dt.timedelta(days=10)


def _agreement(session, parent, superior, holder_) -> Agreement:  # type: ignore[no-untyped-def]
    return next(
        a
        for a in post_agreements(session, parent)
        if (a.superior_person_id, a.holder_person_id) == (superior.id, holder_.id)
    )


def _sign_both(app, session, agreement: Agreement, superior, holder_) -> None:  # type: ignore[no-untyped-def]
    for who in (superior, holder_):
        if not _enrolled(session, who):
            enrol_person(app, session, who)
        sign_as(app, session, agreement.id, who)


def _enrolled(session, who) -> bool:  # type: ignore[no-untyped-def]
    from responsibility.pki.enrolment import enrolment_of

    return enrolment_of(session, who) is not None


def _level3_grid(session, sch, deputy) -> Grid:  # type: ignore[no-untyped-def]
    for grid in session.scalars(select(Grid).where(Grid.school_id == sch.id, Grid.level == 3).order_by(Grid.id)):
        owner, parent_owner = grid.owner_on(TODAY), grid.parent.owner_on(TODAY) if grid.parent else None
        if owner and parent_owner and len({owner.id, parent_owner.id, deputy.id}) == 3:
            return grid
    raise AssertionError("no level-3 grid with distinct owners")


def test_trace_shows_signed_links_and_a_mid_season_change(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    s = cc_session
    parent = countersigned(cc_app, s, SCH)
    sch = school(s, SCH)
    principal, deputy = holder(s, sch, "S01"), holder(s, sch, "S03")
    grid = _level3_grid(s, sch, deputy)
    owner, level2 = grid.owner_on(TODAY), grid.parent.owner_on(TODAY)
    before = {t.link.role: t for t in trace(s, ChainSubject.grid(grid.source_id), TODAY).links}
    assert before["safety_deputy"].agreement_state == MISSING  # no cascade yet

    cascade(cc_app, s, SCH, principal)
    _sign_both(cc_app, s, _agreement(s, parent, principal, deputy), principal, deputy)
    _sign_both(cc_app, s, _agreement(s, parent, deputy, level2), deputy, level2)
    mine = _agreement(s, parent, level2, owner)
    pending = trace(s, ChainSubject.grid(grid.source_id), TODAY).links
    assert pending[0].link.person_id == owner.source_id and pending[0].agreement_state == PENDING
    _sign_both(cc_app, s, mine, level2, owner)

    result = trace(s, ChainSubject.grid(grid.source_id), TODAY)
    owners = [t for t in result.links if t.link.role == "grid_owner"]
    assert [t.link.person_id for t in owners[:2]] == [owner.source_id, level2.source_id]
    assert all(t.agreement_state == SIGNED for t in owners)
    assert owners[0].agreement_id == mine.document_number and owners[0].agreement_kind == "post"
    deputy_link = next(t for t in result.links if t.link.role == "safety_deputy")
    assert deputy_link.agreement_state == SIGNED and deputy_link.link.person_id == deputy.source_id
    assert next(t for t in result.links if t.link.role == "principal").agreement_state == SIGNED

    # Mid-season: another teacher of the school takes the grid over from CHANGE.
    successor = s.scalars(
        select(Person)
        .join(PostAssignment, PostAssignment.person_id == Person.id)
        .where(PostAssignment.org_id == sch.id, PostAssignment.post_code == "S09", Person.id != owner.id)
        .order_by(Person.id)
    ).first()
    current = next(o for o in grid.ownerships if o.person_id == owner.id and o.valid_to is None)
    current.valid_to = CHANGE
    s.add(GridOwnership(grid_id=grid.id, person_id=successor.id, valid_from=CHANGE, valid_to=None))
    s.commit()
    cascade(cc_app, s, SCH, deputy, day=CHANGE)

    old_day = trace(s, ChainSubject.grid(grid.source_id), CHANGE - dt.timedelta(days=1)).links[0]
    assert (old_day.link.person_id, old_day.agreement_state, old_day.agreement_id) == (
        owner.source_id,
        SIGNED,
        mine.document_number,
    )
    new_day = trace(s, ChainSubject.grid(grid.source_id), CHANGE).links[0]
    assert (new_day.link.person_id, new_day.agreement_state) == (successor.source_id, PENDING)
    theirs = _agreement(s, parent, level2, successor)
    assert new_day.agreement_id == theirs.document_number
    _sign_both(cc_app, s, theirs, level2, successor)
    assert trace(s, ChainSubject.grid(grid.source_id), CHANGE).links[0].agreement_state == SIGNED
