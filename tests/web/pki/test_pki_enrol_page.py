"""The enrolment page ("设置签名密码"): who may use it, the form's checks, CSRF, and the certificate
shown afterwards."""

from __future__ import annotations

import re

from sqlalchemy import select
from support import DEMO_PASSWORD

from responsibility.models import Person, SigningEnrolment

PRINCIPAL = "P00027"
PIN = "739184"


def _form(**overrides: str) -> dict[str, str]:
    data = {"password": DEMO_PASSWORD, "pin": PIN, "confirm": PIN}
    data.update(overrides)
    return data


def _enrolment(app, source_id: str) -> SigningEnrolment | None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        row = db.session.scalar(
            select(SigningEnrolment)
            .join(Person, Person.id == SigningEnrolment.person_id)
            .where(Person.source_id == source_id)
        )
        if row is not None:
            row.certificate  # noqa: B018 - load before the session closes
            db.session.expunge_all()
        return row


def test_page_needs_login(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    response = pki_demo_app.test_client().get("/pki/enrol")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_principal_sets_a_pin_and_sees_the_certificate(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    client = login(PRINCIPAL)
    page = client.get("/pki/enrol")
    assert page.status_code == 200
    assert "设置签名密码" in page.get_data(as_text=True)

    response = client.post("/pki/enrol", data=_form())
    assert response.status_code == 302
    enrolment = _enrolment(pki_demo_app, PRINCIPAL)
    assert enrolment is not None and enrolment.state == "active"
    shown = client.get("/pki/enrol").get_data(as_text=True)
    assert enrolment.certificate.serial_hex in shown
    assert enrolment.certificate.fingerprint_sha256 in shown
    assert "（编号 P00027）" in shown and "serialNumber=" not in shown  # the subject as a name, not a raw DN
    assert PIN not in shown


def test_form_errors_change_nothing(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    client = login(PRINCIPAL)
    cases = [
        (_form(confirm="739185"), "两次输入的签名密码不一致"),
        (_form(pin="123456", confirm="123456"), "位数字"),
        (_form(pin="12345", confirm="12345"), "位数字"),
        (_form(password="wrong-password"), "登录密码不正确"),
    ]
    for data, message in cases:
        response = client.post("/pki/enrol", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), (data, response.get_data(as_text=True)[-3000:])
    assert _enrolment(pki_demo_app, PRINCIPAL) is None


def test_re_enrolment_replaces_the_certificate(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    client = login(PRINCIPAL)
    client.post("/pki/enrol", data=_form())
    first = _enrolment(pki_demo_app, PRINCIPAL).certificate.serial_hex  # type: ignore[union-attr]
    client.post("/pki/enrol", data=_form(pin="582047", confirm="582047"))
    second = _enrolment(pki_demo_app, PRINCIPAL).certificate.serial_hex  # type: ignore[union-attr]
    assert second != first
    crl = pki_demo_app.test_client().get("/pki/crl/issuing.crl").data
    from cryptography import x509

    assert int(first, 16) in {entry.serial_number for entry in x509.load_der_x509_crl(crl)}


def test_accounts_without_a_post_are_refused(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    client = login("admin")
    assert client.get("/pki/enrol").status_code == 403
    assert client.post("/pki/enrol", data=_form()).status_code == 403


def test_csrf_token_is_required(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    client = login(PRINCIPAL)
    pki_demo_app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/pki/enrol", data=_form())
    assert refused.status_code == 400
    assert _enrolment(pki_demo_app, PRINCIPAL) is None
    page = client.get("/pki/enrol").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token is not None
    accepted = client.post("/pki/enrol", data=_form(csrf_token=token.group(1)))
    assert accepted.status_code == 302
    assert _enrolment(pki_demo_app, PRINCIPAL) is not None
