"""Revocation and CRLs from the register: `flask pki revoke`, the CRL reflecting it, a revoked
certificate refusing to sign, and a signature made before the revocation staying valid."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from fixtures.pki import LOCATION, REASON, SCHOOL_FIELDS, make_agreement_pdf
from sqlalchemy import select

from responsibility.errors import BadInput, InvalidState, NotFound
from responsibility.jobs.transactions import unlock_and_commit
from responsibility.models import AuditEvent, IssuedCertificate
from responsibility.pki import LocalTimeStamper
from responsibility.pki.enrolment import CertificateUnusable, enrol, unlock_signing_key
from responsibility.pki.registry import CRL_VALIDITY, current_crl, current_crls, revoke_certificate, revoke_person
from responsibility.signing import Appearance, KeySigner, build_validation_context, load_stamp_font, sign
from responsibility.verify.acceptance import check_revision

PIN = "739184"
HEAD, PRINCIPAL = SCHOOL_FIELDS
FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


def _serials(der: bytes) -> set[int]:
    return {entry.serial_number for entry in x509.load_der_x509_crl(der)}


def test_crl_lists_revoked_certificates_of_its_ca(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    principal, secretary = school_people["principal"], school_people["secretary"]
    enrol(session, pki, principal, PIN, actor="test")
    enrol(session, pki, secretary, PIN, actor="test")
    session.commit()

    before = current_crl(session, pki, "issuing")
    assert _serials(before) == set()
    assert current_crl(session, pki, "issuing") == before  # cached while nothing changes

    row = revoke_person(session, principal, reason="key_compromise", actor="test")
    session.commit()
    after = current_crl(session, pki, "issuing")
    crl = x509.load_der_x509_crl(after)
    assert _serials(after) == {row.serial}
    assert crl.is_signature_valid(pki.issuing_certificate.public_key())  # type: ignore[arg-type]
    assert crl.issuer == pki.issuing_certificate.subject
    assert crl.next_update_utc - crl.last_update_utc == CRL_VALIDITY
    root_crl = x509.load_der_x509_crl(current_crl(session, pki, "root"))
    assert root_crl.is_signature_valid(pki.root_certificate.public_key()) and len(root_crl) == 0  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        current_crl(session, pki, "tsa")


def test_revocation_rules_and_audit(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrolment = enrol(session, pki, person, PIN, actor="test")
    session.commit()
    with pytest.raises(BadInput):
        revoke_certificate(session, enrolment.certificate, reason="bored", actor="test")
    revoke_certificate(session, enrolment.certificate, reason="affiliation_changed", actor="admin")
    session.commit()
    with pytest.raises(InvalidState):
        revoke_certificate(session, enrolment.certificate, reason="unspecified", actor="test")
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "pki.certificate_revoked" and event.actor == "admin"
    assert event.data["serial"] == enrolment.certificate.serial_hex and event.data["reason"] == "affiliation_changed"
    with pytest.raises(NotFound):
        revoke_person(session, school_people["clerk"], actor="test")


def test_flask_pki_revoke(pki_app, session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    enrol(session, pki, school_people["principal"], PIN, actor="test")
    session.commit()
    runner = pki_app.test_cli_runner()
    result = runner.invoke(args=["pki", "revoke", "P-T01", "--reason", "key_compromise"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    row = session.scalar(select(IssuedCertificate).where(IssuedCertificate.person_id == school_people["principal"].id))
    assert row.revoked_at is not None and row.revocation_reason == "key_compromise"
    assert row.serial in _serials(current_crl(session, pki, "issuing"))

    for args in (["pki", "revoke", "P-NOBODY"], ["pki", "revoke", "P-T03"], ["pki", "revoke", "P-T01"]):
        failed = runner.invoke(args=args)
        assert failed.exit_code == 2, args
        assert len(failed.output.strip().splitlines()) == 1 and "Traceback" not in failed.output


def _sign(pdf: bytes, field: str, unlocked, person, context, timestamper) -> bytes:  # type: ignore[no-untyped-def]
    key, certificate, chain = unlocked
    appearance = Appearance(
        name=person.name, posts=("校长",), organisation="测试县第一中学", font=load_stamp_font(FONT)
    )
    return sign(
        pdf,
        field=field,
        signer=KeySigner(certificate, key, chain),
        timestamper=timestamper,
        validation_context=context,
        appearance=appearance,
        reason=REASON,
        location=LOCATION,
    )


def test_signature_made_before_revocation_stays_valid(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    principal, secretary = school_people["principal"], school_people["secretary"]
    enrol(session, pki, principal, PIN, actor="test")
    enrol(session, pki, secretary, PIN, actor="test")
    session.commit()
    blank = make_agreement_pdf()

    # The principal signs (TSA time two minutes ago), then the certificate is revoked.
    earlier = LocalTimeStamper(pki, clock=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2))
    crls = current_crls(session, pki)
    unlocked = unlock_and_commit(session, principal, PIN, pki=pki)
    context = build_validation_context([pki.root_certificate], crls)
    signed = _sign(blank, PRINCIPAL, unlocked, principal, context, earlier)
    revoked = revoke_person(session, principal, reason="key_compromise", actor="test")
    session.commit()

    new_crls = current_crls(session, pki)
    assert revoked.serial in _serials(new_crls[1])
    with pytest.raises(CertificateUnusable):
        unlock_signing_key(session, principal, PIN, pki=pki)

    # The party secretary signs on top with the new CRLs; the principal's signature stays valid.
    new_context = build_validation_context([pki.root_certificate], new_crls)
    unlocked_secretary = unlock_and_commit(session, secretary, PIN, pki=pki)
    both = _sign(signed, HEAD, unlocked_secretary, secretary, new_context, LocalTimeStamper(pki))
    report = check_revision(
        signed,
        both,
        expected_fields={HEAD},
        trust_roots=[pki.root_certificate],
        crls=new_crls,
        signer_certificate=unlocked_secretary.certificate,
    )
    assert report.accepted, report.reasons
    assert {check.field for check in report.signatures if check.ok} == {PRINCIPAL, HEAD}

    # A new signature with the revoked key is refused by the signing layer too.
    from responsibility.signing import SignerCertificateRejected

    with pytest.raises(SignerCertificateRejected):
        _sign(blank, PRINCIPAL, unlocked, principal, new_context, LocalTimeStamper(pki))
