"""The admin's certificate page: list, revoke with a reason (CSRF), admins only."""

from __future__ import annotations

import re

from cryptography import x509
from sqlalchemy import select
from support import DEMO_PASSWORD

from responsibility.models import AuditEvent, IssuedCertificate

PIN = "739184"


def _enrol(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/pki/enrol", data={"password": DEMO_PASSWORD, "pin": PIN, "confirm": PIN})
    assert response.status_code == 302


def _certificate(app) -> IssuedCertificate:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        row = db.session.scalars(select(IssuedCertificate).order_by(IssuedCertificate.id.desc())).first()
        db.session.expunge_all()
        return row  # type: ignore[return-value]


def test_only_admins_see_the_page(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    assert login("P00027").get("/admin/pki").status_code == 404
    assert login("auditor").get("/admin/pki").status_code == 404
    assert login("admin").get("/admin/pki").status_code == 200


def test_admin_revokes_a_certificate(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    _enrol(login("P00027"))
    row = _certificate(pki_demo_app)
    admin = login("admin")
    listing = admin.get("/admin/pki").get_data(as_text=True)
    assert row.serial_hex in listing and "P00027" in listing

    assert (
        login("P00027").post(f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "superseded"}).status_code
        == 404
    )
    response = admin.post(f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "key_compromise"})
    assert response.status_code == 302
    revoked = _certificate(pki_demo_app)
    assert revoked.revoked_at is not None and revoked.revocation_reason == "key_compromise"
    crl = x509.load_der_x509_crl(pki_demo_app.test_client().get("/pki/crl/issuing.crl").data)
    assert row.serial in {entry.serial_number for entry in crl}
    from responsibility.extensions import db

    with pki_demo_app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event.action == "pki.certificate_revoked" and event.actor == "user:admin"

    again = admin.post(
        f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "key_compromise"}, follow_redirects=True
    )
    assert "已被吊销" in again.get_data(as_text=True)
    assert admin.post(f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "bored"}).status_code == 400
    assert admin.post("/admin/pki/certificates/999999/revoke", data={"reason": "unspecified"}).status_code == 404


def test_revocation_needs_the_csrf_token(pki_demo_app, login) -> None:  # type: ignore[no-untyped-def]
    _enrol(login("P00027"))
    row = _certificate(pki_demo_app)
    admin = login("admin")
    pki_demo_app.config["WTF_CSRF_ENABLED"] = True
    assert admin.post(f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "unspecified"}).status_code == 400
    assert _certificate(pki_demo_app).revoked_at is None
    page = admin.get("/admin/pki").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = admin.post(
        f"/admin/pki/certificates/{row.id}/revoke", data={"reason": "unspecified", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302 and _certificate(pki_demo_app).revoked_at is not None
