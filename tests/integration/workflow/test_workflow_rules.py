"""Who may sign (403) and when (409): another person, a person no longer holding the post on the
signing date, signing twice, the bureau before the school, void / superseded / draft / uncertified
agreements. A refusal stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.signing_workflow import (
    TODAY,
    TWO_HEADS,
    enrol_person,
    holder,
    issue_schools,
    make_campaign,
    school,
    sign_as,
    signers_of,
    store_of,
)
from sqlalchemy import select

from responsibility.agreements import generate, issue_campaign
from responsibility.agreements.states import transition
from responsibility.errors import Forbidden, InvalidState
from responsibility.models import Agreement, Person, PostAssignment


def _revisions(session, agreement_id: int) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return len(session.get(Agreement, agreement_id).revisions)


@pytest.fixture
def issued(wf_app, wf_session):  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    for who in (people.party_head, people.principal, people.chief):
        enrol_person(wf_app, wf_session, who)
    return agreement, people


def test_another_person_of_the_school_is_forbidden(wf_app, wf_session, issued) -> None:  # type: ignore[no-untyped-def]
    agreement, _ = issued
    deputy = holder(wf_session, agreement.school, "S03")
    enrol_person(wf_app, wf_session, deputy)
    with pytest.raises(Forbidden, match="does not hold a post that must sign this agreement"):
        sign_as(wf_app, wf_session, agreement.id, deputy)
    assert _revisions(wf_session, agreement.id) == 2


def test_a_former_post_holder_is_forbidden_and_the_new_one_signs(wf_app, wf_session, issued) -> None:  # type: ignore[no-untyped-def]
    agreement, people = issued
    assignment = wf_session.scalars(
        select(PostAssignment).where(PostAssignment.person_id == people.principal.id, PostAssignment.post_code == "S01")
    ).first()
    # Handed over tomorrow (half-open: no longer held then). Tomorrow rather than today because
    # no signature may be dated before the agreement's issue (agreements.signing_window).
    handover = TODAY + dt.timedelta(days=1)
    assignment.valid_to = handover
    newcomer = Person(source_id="P-NEW-PRINCIPAL", name="新校长", org_id=agreement.school_id)
    wf_session.add(newcomer)
    wf_session.flush()
    wf_session.add(
        PostAssignment(
            source_id="A-NEW-PRINCIPAL", person_id=newcomer.id, org_id=agreement.school_id, post_code="S01",
            valid_from=handover, business_duty="主持学校全面工作", safety_duties=["学校安全第一责任人"],
        )
    )  # fmt: skip
    wf_session.commit()
    with pytest.raises(Forbidden):
        sign_as(wf_app, wf_session, agreement.id, people.principal, day=handover)
    # … yet on a date when they still held it (today) the same person was the signer.
    outcome = sign_as(wf_app, wf_session, agreement.id, people.principal, day=TODAY)
    assert [r.field for r in outcome.revisions] == ["sig_school_principal"]


def test_signing_twice_is_a_conflict(wf_app, wf_session, issued) -> None:  # type: ignore[no-untyped-def]
    agreement, people = issued
    sign_as(wf_app, wf_session, agreement.id, people.principal)
    with pytest.raises(InvalidState, match="has already signed this agreement"):
        sign_as(wf_app, wf_session, agreement.id, people.principal)
    assert _revisions(wf_session, agreement.id) == 3


def test_the_bureau_cannot_countersign_before_the_school(wf_app, wf_session, issued) -> None:  # type: ignore[no-untyped-def]
    agreement, people = issued
    sign_as(wf_app, wf_session, agreement.id, people.principal)
    with pytest.raises(InvalidState, match="countersigns after the school has signed"):
        sign_as(wf_app, wf_session, agreement.id, people.chief)
    assert _revisions(wf_session, agreement.id) == 3


@pytest.mark.parametrize("state", ["void", "superseded"])
def test_void_and_superseded_agreements_cannot_be_signed(wf_app, wf_session, issued, state) -> None:  # type: ignore[no-untyped-def]
    agreement, people = issued
    transition(wf_session.get(Agreement, agreement.id), state)
    wf_session.commit()
    with pytest.raises(InvalidState, match="is void" if state == "void" else "superseded"):
        sign_as(wf_app, wf_session, agreement.id, people.principal)


def test_drafts_and_uncertified_agreements_cannot_be_signed(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign(wf_session)
    store = store_of(wf_app)
    generate(wf_session, campaign, storage=store, actor="test", school=school(wf_session, TWO_HEADS))
    wf_session.commit()
    agreement = wf_session.query(Agreement).one()
    principal = holder(wf_session, agreement.school, "S01")
    enrol_person(wf_app, wf_session, principal)
    with pytest.raises(InvalidState, match="not issued yet"):
        sign_as(wf_app, wf_session, agreement.id, principal)
    issue_campaign(wf_session, campaign, actor="test", storage=store, allow_missing=True)  # no seal
    wf_session.commit()
    with pytest.raises(InvalidState, match="without the bureau seal's certification"):
        sign_as(wf_app, wf_session, agreement.id, principal)
