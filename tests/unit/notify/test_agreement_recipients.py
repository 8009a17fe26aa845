"""Who is notified of what in an agreement's life (``agreements.notices``), on plain plans: no
database, no app. Person ids: 1 principal, 2 party head, 9 the bureau's chief."""

from __future__ import annotations

import datetime as dt

from responsibility.agreements.notices import (
    MSG_CASCADE,
    MSG_COMPLETE,
    MSG_ISSUED,
    MSG_TURN,
    complete_events,
    issued_event,
    turn_event,
)
from responsibility.agreements.signers_required import BUREAU_STAGE, SCHOOL_STAGE, RequiredSignature, SigningPlan
from responsibility.models import Agreement, School
from responsibility.models.agreements import AGREEMENT_KIND_POST, AGREEMENT_KIND_SCHOOL
from responsibility.notify.catalogue import render

DAY = dt.date(2026, 12, 2)


def _sig(field: str, stage: str, person: int | None, posts: tuple[str, ...], signed: bool = False) -> RequiredSignature:
    return RequiredSignature(
        field=field, stage=stage, posts=posts, organisation="org", person_id=person,
        person_name=f"P{person}", signed=signed, signed_by=person if signed else None,
    )  # fmt: skip


def _plan(*signed: str) -> SigningPlan:
    sigs = (
        _sig("sig_school_principal", SCHOOL_STAGE, 1, ("校长",), "principal" in signed),
        _sig("sig_school_party_head", SCHOOL_STAGE, 2, ("党组织书记",), "party_head" in signed),
        _sig("sig_bureau_heads", BUREAU_STAGE, 9, ("党组书记", "局长"), "chief" in signed),
    )
    return SigningPlan(agreement_id=7, state="issued", day=DAY, certified=True, signatures=sigs, archive_field=None)


def _agreement(kind: str = AGREEMENT_KIND_SCHOOL) -> Agreement:
    return Agreement(
        id=7, document_number="JTAQ-2026-001", kind=kind, school=School(name="城关一小", source_id="SCH001")
    )


def test_issue_notifies_each_school_head_once_and_nobody_else() -> None:
    event = issued_event(_agreement(), _plan())
    assert list(event.recipients) == [1, 2]
    assert event.key == "agreement_issued:7" and event.msgid == MSG_ISSUED and event.url == "/sign/7"
    assert event.params["number"] == "JTAQ-2026-001" and event.params["school"] == "城关一小"


def test_one_head_signed_the_other_is_still_told_but_the_bureau_waits() -> None:
    plan = _plan("principal")
    assert turn_event(_agreement(), plan) is None
    assert list(issued_event(_agreement(), plan).recipients) == [2]


def test_after_the_school_the_chief_gets_his_turn_with_the_count() -> None:
    event = turn_event(_agreement(), _plan("principal", "party_head"))
    assert event is not None
    assert list(event.recipients) == [9] and event.key == "signing_turn:7:bureau" and event.msgid == MSG_TURN
    assert (event.params["signed"], event.params["total"]) == (2, 3)


def test_complete_tells_everyone_and_the_school_heads_the_cascade() -> None:
    complete, cascade = complete_events(_agreement(), _plan("principal", "party_head", "chief"))
    assert sorted(complete.recipients) == [1, 2, 9] and complete.msgid == MSG_COMPLETE  # type: ignore[type-var]
    assert sorted(cascade.recipients) == [1, 2] and cascade.msgid == MSG_CASCADE  # type: ignore[type-var]
    assert cascade.url == "/cascade/SCH001" and cascade.key == "cascade_needed:7"


def test_a_post_agreement_has_no_cascade_notice() -> None:
    events = complete_events(_agreement(AGREEMENT_KIND_POST), _plan("principal", "party_head", "chief"))
    assert [e.msgid for e in events] == [MSG_COMPLETE]


def test_messages_render_from_the_catalogue_in_both_languages() -> None:
    params = {"number": "JTAQ-2026-001", "school": "城关一小", "signed": 2, "total": 3}
    assert render(MSG_TURN, params, "zh_CN") == "轮到您签署城关一小的安全责任书 JTAQ-2026-001（已签 2/3）。"
    assert render(MSG_TURN, params, "en").startswith("It is your turn to sign agreement JTAQ-2026-001")
    assert render("Not in the catalogue %(x)s.", {"x": 1}, "zh_CN") == "Not in the catalogue 1."
