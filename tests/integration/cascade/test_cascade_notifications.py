"""Notifications of the cascade: a complete school agreement tells its heads to issue the post
agreements; each post agreement tells its superior, then its holder; issuing again tells nobody
twice; a complete post agreement tells both parties and asks for no further cascade."""

from __future__ import annotations

from fixtures.cascade_workflow import cascade, countersigned
from fixtures.signing_workflow import enrol_person, holder, school, sign_as
from sqlalchemy import func, select

from responsibility.agreements.cascade import post_agreements
from responsibility.models import Notification

SCH = "SCH001"


def _to(session, kind: str, agreement_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(
        session.scalars(
            select(Notification.recipient_person_id).where(
                Notification.kind == kind, Notification.agreement_id == agreement_id
            )
        ).all()
    )


def test_cascade_notifies_each_turn(cc_app, cc_session) -> None:  # type: ignore[no-untyped-def]
    parent = countersigned(cc_app, cc_session, SCH)
    sch = school(cc_session, SCH)
    principal, party_head, deputy = (holder(cc_session, sch, p) for p in ("S01", "S02", "S03"))
    assert _to(cc_session, "cascade_needed", parent.id) == sorted({principal.id, party_head.id})
    cascade_note = cc_session.scalars(select(Notification).where(Notification.kind == "cascade_needed")).first()
    assert cascade_note.url == f"/cascade/{SCH}" and "岗位安全责任书" in cascade_note.message

    cascade(cc_app, cc_session, SCH, deputy)
    issued = post_agreements(cc_session, parent)
    for agreement in issued:
        assert _to(cc_session, "agreement_issued", agreement.id) == [agreement.superior_person_id]
    before = cc_session.scalar(select(func.count(Notification.id)))
    cascade(cc_app, cc_session, SCH, principal)  # nothing new to issue, nobody told twice
    assert cc_session.scalar(select(func.count(Notification.id))) == before

    mine = next(a for a in issued if a.superior_person_id == principal.id and a.holder_person_id == deputy.id)
    enrol_person(cc_app, cc_session, principal)
    enrol_person(cc_app, cc_session, deputy)
    sign_as(cc_app, cc_session, mine.id, principal)
    assert _to(cc_session, "signing_turn", mine.id) == [deputy.id]
    sign_as(cc_app, cc_session, mine.id, deputy)
    assert _to(cc_session, "agreement_complete", mine.id) == sorted({principal.id, deputy.id})
    assert _to(cc_session, "cascade_needed", mine.id) == []
