"""Revocation (a revoked signer is refused; signatures made before stay valid), TSA failure (signing
fails with a clear message, nothing stored) and the PIN lock (five wrong PINs lock, audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.signing_workflow import TWO_HEADS, enrol_person, issue_schools, sign_as, signers_of, store_of
from sqlalchemy import func, select

from responsibility.errors import Forbidden
from responsibility.models import Agreement, AuditEvent
from responsibility.pki import ExternalTimeStamper, LocalTimeStamper, TimestampUnavailable, WrongPin
from responsibility.pki.enrolment import SigningLocked
from responsibility.pki.instance import load_instance_pki
from responsibility.pki.registry import revoke_person

DEAD_TSA = ExternalTimeStamper("http://127.0.0.1:9/tsa", timeout=2)


def _files(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.name for p in store_of(app).root.glob("*/*.pdf")}


def test_a_revoked_signer_is_refused_and_earlier_signatures_stay_valid(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    for who in (people.party_head, people.principal, people.chief):
        enrol_person(wf_app, wf_session, who)
    # Signed (and timestamped) two minutes before the revocation: CRL dates have one-second
    # resolution, so a revocation in the very second of signing would be ambiguous.
    pki = load_instance_pki(wf_app.instance_path, wf_app.config)
    earlier = LocalTimeStamper(pki, clock=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2))
    sign_as(wf_app, wf_session, agreement.id, people.principal, timestamper=earlier)
    revoke_person(wf_session, people.principal, reason="key_compromise", actor="test")
    wf_session.commit()
    # The party head signs on top: the gate re-validates the principal's signature at its
    # timestamp with the new CRL (which lists it revoked later) and keeps accepting it.
    assert sign_as(wf_app, wf_session, agreement.id, people.party_head).state == "school_signed"
    revoke_person(wf_session, people.chief, reason="affiliation_changed", actor="test")
    wf_session.commit()
    with pytest.raises(Forbidden, match="revoked"):
        sign_as(wf_app, wf_session, agreement.id, people.chief)
    wf_session.expire_all()
    assert wf_session.get(Agreement, agreement.id).state == "school_signed"


def test_tsa_failure_fails_signing_and_stores_nothing(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    enrol_person(wf_app, wf_session, people.principal)
    before = _files(wf_app)
    with pytest.raises(TimestampUnavailable) as caught:
        sign_as(wf_app, wf_session, agreement.id, people.principal, timestamper=DEAD_TSA)
    assert "time" in str(caught.value).lower()
    assert _files(wf_app) == before
    wf_session.expire_all()
    row = wf_session.get(Agreement, agreement.id)
    assert len(row.revisions) == 2 and row.state == "issued"
    assert wf_session.scalar(select(func.count()).where(AuditEvent.action == "agreement.signed")) == 0


def test_tsa_failure_at_issue_issues_nothing(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimestampUnavailable):
        issue_schools(wf_app, wf_session, [TWO_HEADS], timestamper=DEAD_TSA)
    wf_session.rollback()
    row = wf_session.scalars(select(Agreement)).one()
    assert row.state == "draft" and len(row.revisions) == 1


def test_five_wrong_pins_lock_signing_and_are_audited(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    enrol_person(wf_app, wf_session, people.principal)
    for _ in range(4):
        with pytest.raises(WrongPin):
            sign_as(wf_app, wf_session, agreement.id, people.principal, pin="000001")
    with pytest.raises(SigningLocked):
        sign_as(wf_app, wf_session, agreement.id, people.principal, pin="000001")
    with pytest.raises(SigningLocked):  # even the right PIN, while locked
        sign_as(wf_app, wf_session, agreement.id, people.principal)
    actions = list(wf_session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions.count("pki.pin_wrong") == 5 and actions.count("pki.pin_locked") == 1
    wf_session.expire_all()
    assert len(wf_session.get(Agreement, agreement.id).revisions) == 2
