"""The guided ceremony by role: counts on the home page and the inbox, who signed and who is next,
the preview opened at the signer's field, the numeric PIN keypad, tries left next to the PIN
field, the lock on reload, enrolment returning to the agreement, the completion page and the
notifications each signer sees (zh_CN and en)."""

from __future__ import annotations

import re

from fixtures.signing_workflow import PIN, holder, issue_schools
from support import DEMO_PASSWORD

from responsibility.extensions import db
from responsibility.models import Person


def _name(app, source_id: str) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    with app.app_context():
        return db.session.scalars(select(Person.name).where(Person.source_id == source_id)).one()


def _progress(html: str) -> str:
    found = re.search(r'id="sign-progress">(.*?)</p>', html, re.S)
    assert found, "no progress line"
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


def test_counts_next_signer_and_completion_page(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    principal = login(ids["principal"])
    assert "待我签署 1" in principal.get("/").get_data(as_text=True)
    assert "待我签署 1" in principal.get("/sign/inbox").get_data(as_text=True)
    html = principal.get(f"/sign/{agreement_id}").get_data(as_text=True)
    line = _progress(html)
    assert line.startswith("0/3已签，下一位：")
    assert _name(signer_app, ids["principal"]) in line and _name(signer_app, ids["party_head"]) in line
    assert "校长" in line and _name(signer_app, ids["chief"]) not in line
    assert re.search(
        r'<input[^>]*inputmode="numeric"[^>]*name="pin"|<input[^>]*name="pin"[^>]*inputmode="numeric"', html
    )
    # the preview (page images) names the signer's field page for sign.js to scroll to
    assert re.search(r'id="pdf-pages"[^>]*data-signature-page="\d+"', html) and "sign.js" in html

    done = principal.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    result = principal.get(done.headers["Location"]).get_data(as_text=True)
    line = _progress(result)
    assert line.startswith("1/3已签，下一位：") and _name(signer_app, ids["party_head"]) in line
    assert re.search(r'id="document-number">JTAQ[^<]+<', result) and 'href="/verify/' in result
    assert len(re.findall(r'class="hash">[0-9a-f]{64}<', result)) == 1 and "sig_school" not in result
    assert "待我签署 0" in principal.get("/").get_data(as_text=True)

    head = login(ids["party_head"])
    head.post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    chief = login(ids["chief"])
    assert "待我签署 1" in chief.get("/sign/inbox").get_data(as_text=True)
    chief_page = chief.get(f"/sign/{agreement_id}").get_data(as_text=True)
    assert _progress(chief_page).startswith("2/3已签，下一位：" + _name(signer_app, ids["chief"]))
    notes = chief.get("/notifications").get_data(as_text=True)
    assert "轮到您签署" in notes and "（已签 2/3）" in notes and f'href="/sign/{agreement_id}"' in notes
    english = chief.get("/notifications?lang=en").get_data(as_text=True)
    assert "It is your turn to sign agreement" in english and "轮到您" not in english


def test_the_school_heads_see_the_issue_notification_and_the_bell(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    head = login(ids["party_head"])
    home = head.get("/").get_data(as_text=True)
    assert re.search(r'class="count unread">1<', home)
    notes = head.get("/notifications").get_data(as_text=True)
    assert "已签发给您，请签署" in notes and f'href="/sign/{agreement_id}"' in notes
    assert "已签发给您" not in login(ids["chief"]).get("/notifications").get_data(as_text=True)
    english = head.get(f"/sign/{agreement_id}?lang=en").get_data(as_text=True)
    found = re.search(r'id="sign-progress">(.*?)</p>', english, re.S)
    assert found
    line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()
    assert (
        line.startswith("0/3 signed, next: ") and "; " in line and "（" not in line and "、" not in line.split("(")[0]
    )
    assert "To sign: 1" in head.get("/sign/inbox").get_data(as_text=True)


def test_wrong_pin_says_the_tries_left_next_to_the_field_and_the_lock_stays(signer_app, login, issued) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    head = login(ids["party_head"])
    for left in (4, 3, 2, 1):
        wrong = head.post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"})
        html = wrong.get_data(as_text=True)
        assert wrong.status_code == 403
        field = re.search(r'<div class="form-field has-error">\s*<label for="pin">.*?</div>', html, re.S)
        assert field and f"还可再试 {left} 次" in field.group(0)
        assert 'value="000001"' not in html
    locked = head.post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"})
    assert locked.status_code == 409
    reload = head.get(f"/sign/{agreement_id}").get_data(as_text=True)
    lock = re.search(r'id="pin-lock">(.*?)</p>', reload, re.S)
    assert lock and "锁定至" in lock.group(1) and "北京时间" in lock.group(1)
    assert re.search(r"\d{2}:\d{2}", lock.group(1)) and 'name="pin"' not in reload


def test_enrolment_returns_to_the_agreement_being_signed(signer_app, login) -> None:  # type: ignore[no-untyped-def]
    with signer_app.app_context():
        (agreement,) = issue_schools(signer_app, db.session, ["SCH002"])
        principal = holder(db.session, agreement.school, "S01").source_id
        agreement_id = agreement.id
    client = login(principal)
    page = client.get(f"/sign/{agreement_id}").get_data(as_text=True)
    assert f'href="/pki/enrol?next=/sign/{agreement_id}"' in page
    form = client.get(f"/pki/enrol?next=/sign/{agreement_id}").get_data(as_text=True)
    assert f'action="/pki/enrol?next=/sign/{agreement_id}"' in form and 'inputmode="numeric"' in form
    data = {"password": DEMO_PASSWORD, "pin": PIN, "confirm": PIN}
    done = client.post(f"/pki/enrol?next=/sign/{agreement_id}", data=data)
    assert done.status_code == 302 and done.headers["Location"] == f"/sign/{agreement_id}"
    assert 'name="pin"' in client.get(f"/sign/{agreement_id}").get_data(as_text=True)
    evil = client.post("/pki/enrol?next=//evil.example/x", data={**data, "pin": "583920", "confirm": "583920"})
    assert evil.status_code == 302 and evil.headers["Location"] == "/pki/enrol"


def test_the_sign_page_mails_the_next_signer_after_its_commit(
    signer_app, login, issued, smtp_sink, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import email
    import email.policy
    import time

    from sqlalchemy import select

    from responsibility.instance import instance_of
    from responsibility.models import MailAddress, Notification
    from responsibility.settings import MailSettings

    sink, port = smtp_sink
    agreement_id, ids = issued
    context = instance_of(signer_app)
    mail = MailSettings(host="127.0.0.1", port=port, base_url="https://anquan.example.cn")
    monkeypatch.setattr(context, "settings", dataclasses.replace(context.settings, mail=mail))
    with signer_app.app_context():
        chief_id = db.session.scalars(select(Person.id).where(Person.source_id == ids["chief"])).one()
        db.session.add(MailAddress(person_id=chief_id, email="chief@example.cn"))
        db.session.commit()
    login(ids["party_head"]).post(f"/sign/{agreement_id}", data={"pin": "000001", "confirm": "y"})  # refused
    login(ids["principal"]).post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    assert not any("chief@example.cn" in to for _, to, _ in sink.messages)
    login(ids["party_head"]).post(f"/sign/{agreement_id}", data={"pin": PIN, "confirm": "y"})
    deadline = time.monotonic() + 20
    while not any(to == ["chief@example.cn"] for _, to, _ in sink.messages) and time.monotonic() < deadline:
        time.sleep(0.1)
    (content,) = [c for _, to, c in sink.messages if to == ["chief@example.cn"]]
    body = email.message_from_string(content, policy=email.policy.default).get_body().get_content()  # type: ignore[union-attr]
    assert "轮到您签署" in body and f"https://anquan.example.cn/sign/{agreement_id}" in body
    with signer_app.app_context():
        turn = db.session.scalars(select(Notification).where(Notification.recipient_person_id == chief_id)).one()
        assert turn.kind == "signing_turn" and turn.emailed_at is not None
