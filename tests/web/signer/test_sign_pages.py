"""The signer's pages: inbox, sign page (preview, confirmation, PIN), result; refusals with their
status codes (403 another person, 409 twice / bureau before school) and messages; the PIN lock."""

from __future__ import annotations

from fixtures.signing_workflow import PIN, holder
from sqlalchemy import select

from responsibility.models import Agreement, AuditEvent, School


def _agreement(app, agreement_id: int) -> Agreement:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        row = db.session.get(Agreement, agreement_id)
        db.session.expunge(row)
        return row


def test_principal_signs_from_inbox_to_result(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    principal = login(ids["principal"])
    inbox = principal.get("/sign/inbox").get_data(as_text=True)
    assert f"/sign/{agreement_id}" in inbox and "JTAQ" in inbox
    page = principal.get(f"/sign/{agreement_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'src="/sign/{agreement_id}/pages/1.png' in html and f'href="/sign/{agreement_id}/pdf"' in html
    assert 'name="confirm"' in html and 'name="pin"' in html
    assert "我已阅读并同意" in html
    preview = principal.get(f"/sign/{agreement_id}/pdf")
    assert preview.mimetype == "application/pdf" and preview.headers["Content-Disposition"].startswith("inline")

    missing_confirm = principal.post(f"/sign/{agreement_id}", data={"pin": PIN})
    assert missing_confirm.status_code == 400
    wrong = principal.post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"})
    assert wrong.status_code == 403 and "签名密码错误" in wrong.get_data(as_text=True)

    done = principal.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert done.status_code == 302 and f"/sign/{agreement_id}/done" in done.headers["Location"]
    row = _agreement(signer_app, agreement_id)
    result = principal.get(done.headers["Location"]).get_data(as_text=True)
    assert row.pdf_sha256 in result and f"/verify/{row.document_number}" in result
    assert f"/sign/{agreement_id}" not in principal.get("/sign/inbox").get_data(as_text=True)
    again = principal.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert again.status_code == 409 and "已签署" in again.get_data(as_text=True)


def test_refusals_have_their_status_and_a_clear_message(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    agreement_id, ids = issued
    chief = login(ids["chief"])
    early = chief.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert early.status_code == 409 and "学校方签署完成后局方才能会签" in early.get_data(as_text=True)
    with signer_app.app_context():
        school = db.session.scalars(select(School).where(School.source_id == "SCH001")).one()
        deputy = holder(db.session, school, "S03").source_id
    other = login(deputy).post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert other.status_code == 403 and "无权签署" in other.get_data(as_text=True)
    with signer_app.app_context():  # the refused person's PIN was never tried
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "pki.pin_wrong" not in actions


def test_not_enrolled_signer_is_sent_to_the_enrolment_page(signer_app, login) -> None:  # type: ignore[no-untyped-def]
    from fixtures.signing_workflow import issue_schools

    from responsibility.extensions import db

    with signer_app.app_context():
        (agreement,) = issue_schools(signer_app, db.session, ["SCH002"])
        principal = holder(db.session, agreement.school, "S01").source_id
        agreement_id = agreement.id
    page = login(principal).get(f"/sign/{agreement_id}").get_data(as_text=True)
    assert 'id="not-enrolled"' in page and "/pki/enrol" in page and 'name="pin"' not in page


def test_five_wrong_pins_lock_signing_on_the_page(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    agreement_id, ids = issued
    head = login(ids["party_head"])
    codes = [head.post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"}).status_code for _ in range(5)]
    assert codes == [403, 403, 403, 403, 409]
    locked = head.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert locked.status_code == 409 and "锁定" in locked.get_data(as_text=True)
    with signer_app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("pki.pin_locked") == 1
    assert _agreement(signer_app, agreement_id).state == "issued"
