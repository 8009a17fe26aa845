"""Helpers of the cascade tests: a countersigned school agreement, the cascade issued, post
agreements signed, a grid handed over mid-season."""

from __future__ import annotations

import datetime as dt

from fixtures.signing_workflow import (
    TODAY,
    enrol_person,
    environment,
    issue_schools,
    school,
    sign_as,
    signers_of,
    store_of,
)
from sqlalchemy import select

from responsibility.agreements.cascade import issue_cascade, post_agreements
from responsibility.agreements.certification import certification_hook
from responsibility.agreements.seal import ensure_seal
from responsibility.models import Agreement, Grid, GridOwnership, Person, PostAssignment
from responsibility.pki.enrolment import enrolment_of


def countersigned(app, session, source_id: str) -> Agreement:  # type: ignore[no-untyped-def]
    """``source_id``'s school agreement, issued and signed by both school heads and the chief."""
    (agreement,) = issue_schools(app, session, [source_id])
    people = signers_of(session, agreement)
    done = set()
    for who in (people.principal, people.party_head, people.chief):
        if who.id in done:
            continue
        done.add(who.id)
        enrol_person(app, session, who)
        sign_as(app, session, agreement.id, who)
    session.refresh(agreement)
    assert agreement.state == "archived"
    return agreement


def cascade(app, session, source_id: str, issuer, day: dt.date = TODAY):  # type: ignore[no-untyped-def]
    """Issue the cascade of ``source_id`` as ``issuer`` on ``day``; committed."""
    env = environment(app, session)
    seal = ensure_seal(session, env.pki, app.config)
    summary = issue_cascade(
        session,
        school(session, source_id),
        storage=store_of(app),
        certify=certification_hook(env, seal),
        actor="test",
        day=day,
        issuer=issuer,
    )
    session.commit()
    return summary


def post_agreement_of(session, parent: Agreement, superior, holder_) -> Agreement:  # type: ignore[no-untyped-def]
    """The post agreement of the (superior, holder) pair under the school agreement ``parent``."""
    return next(
        a
        for a in post_agreements(session, parent)
        if (a.superior_person_id, a.holder_person_id) == (superior.id, holder_.id)
    )


def sign_by(app, session, agreement: Agreement, *people, day: dt.date = TODAY) -> None:  # type: ignore[no-untyped-def]
    """``people`` sign ``agreement`` in turn (each enrolled first when not yet)."""
    for who in people:
        if enrolment_of(session, who) is None:
            enrol_person(app, session, who)
        sign_as(app, session, agreement.id, who, day=day)


def level3_grid(session, sch, deputy) -> Grid:  # type: ignore[no-untyped-def]
    """A level-3 grid of ``sch`` whose owner, parent owner and the safety deputy are three people."""
    for grid in session.scalars(select(Grid).where(Grid.school_id == sch.id, Grid.level == 3).order_by(Grid.id)):
        owner, parent_owner = grid.owner_on(TODAY), grid.parent.owner_on(TODAY) if grid.parent else None
        if owner and parent_owner and len({owner.id, parent_owner.id, deputy.id}) == 3:
            return grid
    raise AssertionError("no level-3 grid with distinct owners")


def hand_over_grid(session, grid: Grid, sch, day: dt.date) -> Person:  # type: ignore[no-untyped-def]
    """Another class teacher of ``sch`` owns ``grid`` from ``day`` (the owner's period ends then)."""
    owner = grid.owner_on(day - dt.timedelta(days=1))
    successor = session.scalars(
        select(Person)
        .join(PostAssignment, PostAssignment.person_id == Person.id)
        .where(PostAssignment.org_id == sch.id, PostAssignment.post_code == "S09", Person.id != owner.id)
        .order_by(Person.id)
    ).first()
    current = next(o for o in grid.ownerships if o.person_id == owner.id and o.valid_to is None)
    current.valid_to = day
    session.add(GridOwnership(grid_id=grid.id, person_id=successor.id, valid_from=day, valid_to=None))
    session.commit()
    return successor
