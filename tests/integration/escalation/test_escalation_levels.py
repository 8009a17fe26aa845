"""run_escalation: level 1 to the liaison section, level 2 to the bureau leader after N days,
idempotent; deliver_mail sends the e-mail copies to a local SMTP sink."""

from __future__ import annotations

import datetime as dt
import email

from sqlalchemy import func, select
from trace_data import DUE, make_agreement, make_campaign

from responsibility.chain.escalation import run_escalation
from responsibility.models import AuditEvent, EscalationStep, MailAddress, Notification
from responsibility.notify import MailSettings, deliver_mail, mark_read, notifications_for, unread_count

CONFIG = {"ESCALATION_DAYS": 3}


def overdue_county(county):
    s = county.session
    campaign = make_campaign(s)
    agreement = make_agreement(
        s, campaign, county.orgs["SCH-A"], "issued", {"sig_school_principal": county.persons["P-PRIN"].id}
    )
    s.commit()
    return agreement


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def recipients(session, level):
    rows = session.scalars(select(Notification).where(Notification.level == level)).all()
    return sorted(n.recipient_person_id for n in rows)


def test_levels_and_idempotence(county):
    s = county.session
    agreement = overdue_county(county)
    p = county.persons
    assert run_escalation(s, at=DUE, config=CONFIG).raised == []  # on the due date: not overdue yet

    first = run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    assert first.overdue == 1
    assert [(r.document_number, r.level, set(r.recipients)) for r in first.raised] == [
        (agreement.document_number, 1, {"P-LIA", "P-SECCHIEF"})
    ]
    assert recipients(s, 1) == sorted([p["P-LIA"].id, p["P-SECCHIEF"].id])
    message = s.scalars(select(Notification)).first().message
    assert agreement.document_number in message and "姓名P-PARTY" in message  # names who still must sign
    assert count(s, AuditEvent) >= 1

    again = run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    assert again.raised == [] and count(s, Notification) == 2
    assert run_escalation(s, at=DUE + dt.timedelta(days=3), config=CONFIG).raised == []  # 2 days after level 1

    second = run_escalation(s, at=DUE + dt.timedelta(days=4), config=CONFIG)
    assert [(r.level, r.recipients) for r in second.raised] == [(2, ("P-LEAD",))]
    assert recipients(s, 2) == [p["P-LEAD"].id]
    assert run_escalation(s, at=DUE + dt.timedelta(days=40), config=CONFIG).raised == []
    assert count(s, Notification) == 3 and count(s, EscalationStep) == 2


def test_late_first_run_still_waits_before_level_two(county):
    s = county.session
    overdue_county(county)
    late = DUE + dt.timedelta(days=30)
    assert [r.level for r in run_escalation(s, at=late, config=CONFIG).raised] == [1]
    assert [
        r.level for r in run_escalation(s, at=late + dt.timedelta(days=1), config={"ESCALATION_DAYS": 1}).raised
    ] == [2]


def test_complete_and_void_agreements_are_not_overdue(county):
    s = county.session
    campaign = make_campaign(s)
    make_agreement(s, campaign, county.orgs["SCH-A"], "countersigned")
    other = make_campaign(s, "另一季", prefix="T-OTHER")
    make_agreement(s, other, county.orgs["SCH-A"], "void")
    assert run_escalation(s, at=DUE + dt.timedelta(days=10), config=CONFIG).overdue == 0


def test_no_liaison_is_recorded_and_escalates_on_time(county):
    s = county.session
    from responsibility.models import LiaisonAssignment

    for la in s.scalars(select(LiaisonAssignment)).all():
        s.delete(la)
    overdue_county(county)
    first = run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    assert [(r.level, r.recipients) for r in first.raised] == [(1, ())]
    assert [r.level for r in run_escalation(s, at=DUE + dt.timedelta(days=4), config=CONFIG).raised] == [2]


def test_inbox_read_marking(county):
    s = county.session
    overdue_county(county)
    run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    lia = county.persons["P-LIA"].id
    assert unread_count(s, lia) == 1
    (note,) = notifications_for(s, lia)
    assert mark_read(s, county.persons["P-SECCHIEF"].id, [note.id]) == 0  # not theirs
    assert mark_read(s, lia, [note.id]) == 1
    assert unread_count(s, lia) == 0 and unread_count(s, county.persons["P-SECCHIEF"].id) == 1


def test_mail_to_local_sink(county, smtp_sink):
    sink, port = smtp_sink
    s = county.session
    agreement = overdue_county(county)
    s.add(MailAddress(person_id=county.persons["P-LIA"].id, email="lia@example.org"))
    run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    s.commit()
    settings = MailSettings(host="127.0.0.1", port=port, sender="bureau@example.org", base_url="http://x.test")
    summary = deliver_mail(s, settings)
    s.commit()
    assert (summary.sent, summary.no_address, summary.failed) == (1, 1, [])
    ((sender, to, raw),) = sink.messages
    assert sender == "bureau@example.org" and to == ["lia@example.org"]
    body = email.message_from_string(raw).get_payload(decode=True).decode("utf-8")
    assert agreement.document_number in body and "http://x.test/chain?school=SCH-A" in body
    assert deliver_mail(s, settings).sent == 0 and len(sink.messages) == 1  # never twice


def test_mail_disabled_without_smtp_host(county):
    s = county.session
    overdue_county(county)
    run_escalation(s, at=DUE + dt.timedelta(days=1), config=CONFIG)
    summary = deliver_mail(s, MailSettings.from_config({"SMTP_HOST": None}))
    assert summary.sent == 0 and summary.no_address == 0
    assert all(n.emailed_at is None and n.email_error is None for n in s.scalars(select(Notification)))
