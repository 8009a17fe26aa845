"""Helpers of the cascade tests: a countersigned school agreement, then the cascade issued."""

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

from responsibility.agreements.cascade import issue_cascade
from responsibility.agreements.certification import certification_hook
from responsibility.agreements.seal import ensure_seal
from responsibility.models import Agreement


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
