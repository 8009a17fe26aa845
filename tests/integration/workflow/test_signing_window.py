"""No signature outside the campaign's signing window (issue 15, item 6): from the issue day to
the term's end plus ``SIGNING_GRACE_DAYS``; refused with 409 and a clear message, nothing stored;
the web refuses before the PIN is tried, the CLI with one line and exit 2."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.signing_workflow import TODAY, TWO_HEADS, enrol_person, issue_schools, sign_as, signers_of
from sqlalchemy import select

from responsibility.agreements.signing_window import OutsideSigningWindow, signing_window
from responsibility.instance import install_instance
from responsibility.models import Agreement, AgreementRevision, AuditEvent


def _issued(app, session):  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(app, session, [TWO_HEADS])
    people = signers_of(session, agreement)
    enrol_person(app, session, people.principal)
    return agreement, people


def _revisions(session, agreement_id: int) -> int:  # type: ignore[no-untyped-def]
    return len(session.scalars(select(AgreementRevision).where(AgreementRevision.agreement_id == agreement_id)).all())


def test_a_day_after_the_term_is_refused_and_the_grace_extends_it(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    agreement, people = _issued(wf_app, wf_session)
    term_end = agreement.campaign.term_end
    assert signing_window(agreement) == (TODAY, term_end)
    before = _revisions(wf_session, agreement.id)
    after_term = term_end + dt.timedelta(days=1)
    with pytest.raises(OutsideSigningWindow) as refused:
        sign_as(wf_app, wf_session, agreement.id, people.principal, day=after_term)
    assert refused.value.http_status == 409 and term_end.isoformat() in str(refused.value)
    assert _revisions(wf_session, agreement.id) == before
    with pytest.raises(OutsideSigningWindow) as early:
        sign_as(wf_app, wf_session, agreement.id, people.principal, day=TODAY - dt.timedelta(days=1))
    assert early.value.early

    wf_app.config["SIGNING_GRACE_DAYS"] = 3
    install_instance(wf_app)  # settings are frozen: rebuild them after the change
    outcome = sign_as(wf_app, wf_session, agreement.id, people.principal, day=after_term)
    assert outcome.revisions and _revisions(wf_session, agreement.id) == before + 1


def test_the_sign_page_refuses_after_the_term_before_the_pin_is_tried(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    from support import DEMO_PASSWORD

    from responsibility.accounts.passwords import set_password
    from responsibility.models import User

    agreement, people = _issued(wf_app, wf_session)
    agreement.campaign.term_end = TODAY - dt.timedelta(days=1)
    user = wf_session.scalars(select(User).where(User.person_id == people.principal.id)).one()
    set_password(user, DEMO_PASSWORD, must_change=False)
    agreement_id, username = agreement.id, user.username
    wf_session.commit()
    client = wf_app.test_client()
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    # (The fixture's app context is shared by the requests, so the locale is the default one.)
    response = client.post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "签署期限已于" in page and (TODAY - dt.timedelta(days=1)).isoformat() in page
    wf_session.expire_all()
    assert wf_session.get(Agreement, agreement_id).state == "issued"
    actions = wf_session.scalars(select(AuditEvent.action)).all()
    assert "pki.pin_wrong" not in actions


def test_the_command_refuses_after_the_term_with_one_line_and_exit_2(wf_app, wf_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fixtures.signing_workflow import PIN

    agreement, people = _issued(wf_app, wf_session)
    agreement.campaign.term_end = TODAY - dt.timedelta(days=1)
    agreement_id, source_id = agreement.id, people.principal.source_id
    wf_session.commit()
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    result = wf_app.test_cli_runner().invoke(
        args=["sign", str(agreement_id), "--as", source_id, "--pin-file", str(pin_file)]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "签署期限已于" in lines[0]
    wf_session.expire_all()
    assert wf_session.get(Agreement, agreement_id).state == "issued"  # nothing was signed
