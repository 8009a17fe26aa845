"""Notifications through the real services and database: issue → both school heads; the heads
sign → the chief's turn; the chief countersigns (archived) → everyone, and the heads hear that
the cascade is theirs. Idempotent, in the transaction of the change, and mailed only after the
commit through a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import time

from fixtures.signing_workflow import TODAY, enrol_person, issue_schools, sign_as, signers_of, store_of
from sqlalchemy import func, select

from responsibility.agreements.notices import MSG_ISSUED, agreement_issued
from responsibility.jobs.mail_outbox import deliver_pending, take_committed
from responsibility.models import MailAddress, Notification
from responsibility.notify import Event, publish
from responsibility.pdf.field_pages import signature_field_pages
from responsibility.settings import MailSettings


def _notes(session, kind: str | None = None) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    query = select(Notification.recipient_person_id, Notification.kind).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return [tuple(r) for r in session.execute(query).all()]  # type: ignore[misc]


def test_every_turn_notifies_the_right_people_once(pki_demo_app, pki_demo_session) -> None:  # type: ignore[no-untyped-def]
    session = pki_demo_session
    (agreement,) = issue_schools(pki_demo_app, session, ["SCH001"])
    people = signers_of(session, agreement)
    heads = {people.principal.id, people.party_head.id}
    issued = _notes(session)
    assert sorted(p for p, _ in issued) == sorted(heads) and {k for _, k in issued} == {"agreement_issued"}
    row = session.scalars(select(Notification).where(Notification.recipient_person_id == people.principal.id)).one()
    assert row.msgid == MSG_ISSUED and row.params["number"] == agreement.document_number
    assert row.message == f"{agreement.school.name}的安全责任书 {agreement.document_number} 已签发给您，请签署。"
    assert row.url == f"/sign/{agreement.id}"

    agreement_issued(session, agreement, TODAY, store_of(pki_demo_app))  # issuing again notifies nobody twice
    session.commit()
    assert len(_notes(session)) == 2

    for who in (people.principal, people.party_head, people.chief):
        enrol_person(pki_demo_app, session, who)
    sign_as(pki_demo_app, session, agreement.id, people.principal)
    assert _notes(session, "signing_turn") == []  # the bureau waits for both heads
    sign_as(pki_demo_app, session, agreement.id, people.party_head)
    assert _notes(session, "signing_turn") == [(people.chief.id, "signing_turn")]
    turn = session.scalars(select(Notification).where(Notification.kind == "signing_turn")).one()
    assert "（已签 2/3）" in turn.message

    sign_as(pki_demo_app, session, agreement.id, people.chief)
    assert sorted(p for p, _ in _notes(session, "agreement_complete")) == sorted(heads | {people.chief.id})
    assert sorted(p for p, _ in _notes(session, "cascade_needed")) == sorted(heads)
    assert len(_notes(session)) == 2 + 1 + 3 + 2


def test_a_rolled_back_change_leaves_no_notification_and_no_mail_mark(pki_demo_session) -> None:  # type: ignore[no-untyped-def]
    from responsibility.models import Person

    session = pki_demo_session
    person = session.scalars(select(Person).order_by(Person.id)).first()
    event = Event(kind="test", key="test:1", recipients=[person.id, person.id, None], msgid="Open")
    assert len(publish(session, event)) == 1
    session.rollback()
    assert session.scalar(select(func.count(Notification.id))) == 0
    assert take_committed(session) is False
    publish(session, event)
    session.commit()
    assert take_committed(session) is True and take_committed(session) is False
    assert publish(session, event) == []  # the same key again: nothing


def test_mail_goes_out_after_commit_and_survives_smtp_down(pki_demo_app, pki_demo_session, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    sink, port = smtp_sink
    session = pki_demo_session
    (agreement,) = issue_schools(pki_demo_app, session, ["SCH001"])
    people = signers_of(session, agreement)
    session.add(MailAddress(person_id=people.principal.id, email="principal@example.cn"))
    session.commit()

    down = deliver_pending(db.engine, MailSettings(host="127.0.0.1", port=1, timeout=2))
    assert down.failed and down.sent == 0 and down.no_address == 1  # the party head has no address
    assert session.scalar(select(func.count(Notification.id)).where(Notification.emailed_at.is_not(None))) == 0

    settings = MailSettings(host="127.0.0.1", port=port, base_url="https://anquan.example.cn")
    summary = deliver_pending(db.engine, settings)
    assert summary.sent == 1 and summary.no_address == 0 and not summary.failed
    deadline = time.monotonic() + 5
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    (mail_from, to, content), *_ = sink.messages
    mail = email.message_from_string(content, policy=email.policy.default)
    body = mail.get_body().get_content()  # type: ignore[union-attr]
    assert to == ["principal@example.cn"] and "安全责任书" in str(mail["Subject"])
    assert f"{agreement.document_number} 已签发给您，请签署" in body
    assert f"https://anquan.example.cn/sign/{agreement.id}" in body
    assert deliver_pending(db.engine, settings).sent == 0  # never twice
    session.expire_all()
    mailed = session.scalars(select(Notification).where(Notification.recipient_person_id == people.principal.id))
    assert all(n.emailed_at is not None for n in mailed)


def test_the_preview_knows_the_page_of_each_signature_field(pki_demo_app, pki_demo_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(pki_demo_app, pki_demo_session, ["SCH001"])
    pages = signature_field_pages(store_of(pki_demo_app).read(agreement.pdf_sha256))
    assert {"sig_school_principal", "sig_school_party_head", "sig_bureau_seal"} <= set(pages)
    assert all(page >= 1 for page in pages.values())
    assert signature_field_pages(b"not a pdf") == {}
