"""Enrolment and key custody in the database: certificate contents, sealed key, PIN never stored,
re-enrolment, unlocking, the wrong-PIN counter and the 15-minute lock."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select

from responsibility.errors import BadInput, InvalidState
from responsibility.jobs.transactions import unlock_and_commit
from responsibility.models import AuditEvent, Base, IssuedCertificate, SigningEnrolment
from responsibility.pki import WeakPin, WrongPin, open_private_key
from responsibility.pki.enrolment import (
    LOCK_DURATION,
    MAX_PIN_FAILURES,
    CertificateUnusable,
    NotEnrolled,
    SigningLocked,
    enrol,
    min_pin_digits,
    unlock_signing_key,
)
from responsibility.pki.registry import certificate_of, revoke_person

PIN = "739184"
OTHER_PIN = "582047"


def _name(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    return cert.subject.get_attributes_for_oid(oid)[0].value  # type: ignore[return-value]


def _actions(session) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_enrolment_issues_the_person_certificate_and_seals_the_key(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    now = dt.datetime.now(dt.UTC)
    enrolment = enrol(session, pki, person, PIN, actor="test", now=now)
    session.commit()

    cert = certificate_of(enrolment.certificate)
    assert _name(cert, NameOID.COMMON_NAME) == "王校长"
    assert _name(cert, NameOID.ORGANIZATION_NAME) == "测试县第一中学"
    assert _name(cert, NameOID.SERIAL_NUMBER) == "P-T01"
    assert cert.issuer == pki.issuing_certificate.subject
    assert 364 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 366
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)

    row = session.scalar(select(IssuedCertificate).where(IssuedCertificate.person_id == person.id))
    assert row is not None and row.serial == cert.serial_number and row.key_kind == "ecdsa-p256"
    assert row.revoked_at is None and enrolment.state == "active" and enrolment.failed_pin_count == 0
    assert open_private_key(enrolment.sealed_key, PIN).public_key() == cert.public_key()
    assert _actions(session)[-1] == "pki.enrolled"


def test_a_person_without_org_gets_the_bureau_as_organisation(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(session, pki, school_people["clerk"], PIN, actor="test")
    assert _name(certificate_of(enrolment.certificate), NameOID.ORGANIZATION_NAME) == pki.bureau_name


def test_rsa_key_kind(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(session, pki, school_people["secretary"], PIN, key_kind="rsa-2048", actor="test")
    assert isinstance(certificate_of(enrolment.certificate).public_key(), rsa.RSAPublicKey)
    assert enrolment.certificate.key_kind == "rsa-2048"
    with pytest.raises(BadInput):
        enrol(session, pki, school_people["secretary"], PIN, key_kind="dsa-1024", actor="test")


@pytest.mark.parametrize("pin", ["12345", "111111", "123456", "98765a", ""])
def test_weak_pins_are_refused_and_nothing_is_written(session, pki, school_people, pin: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WeakPin):
        enrol(session, pki, school_people["principal"], pin, actor="test")
    session.rollback()
    assert session.scalar(select(IssuedCertificate.id)) is None
    assert session.scalar(select(SigningEnrolment.id)) is None


def test_pin_minimum_length_is_configurable(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    assert min_pin_digits({}) == 6
    assert min_pin_digits({"PIN_MIN_DIGITS": 8}) == 8
    assert min_pin_digits({"PIN_MIN_DIGITS": 4}) == 6  # never below the issue's floor
    with pytest.raises(WeakPin, match="8"):
        enrol(session, pki, school_people["principal"], PIN, actor="test", min_digits=8)
    enrol(session, pki, school_people["principal"], "73918462", actor="test", min_digits=8)


def test_the_pin_is_never_stored_or_logged(session, pki, school_people, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    with pytest.raises(WrongPin):
        unlock_and_commit(session, person, OTHER_PIN, pki=pki)
    unlock_and_commit(session, person, PIN, pki=pki)

    needles = (PIN, OTHER_PIN)
    for table in Base.metadata.sorted_tables:
        for row in session.execute(table.select()):
            for value in row:
                blob = value if isinstance(value, bytes) else str(value).encode("utf-8")
                for needle in needles:
                    assert needle.encode() not in blob, f"PIN found in {table.name}"
    audit_text = " ".join(f"{e.actor} {e.subject} {e.data}" for e in session.scalars(select(AuditEvent)))
    assert "pki.enrolled" in _actions(session) and "pki.pin_wrong" in _actions(session)
    assert not any(needle in audit_text for needle in needles)
    assert not any(needle in caplog.text for needle in needles)


def test_re_enrolment_replaces_and_revokes_the_old_certificate(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    first = enrol(session, pki, person, PIN, actor="test")
    old_serial = first.certificate.serial_hex
    session.commit()
    second = enrol(session, pki, person, OTHER_PIN, actor="test")
    session.commit()

    assert second.id == first.id and second.certificate.serial_hex != old_serial
    old = session.scalar(select(IssuedCertificate).where(IssuedCertificate.serial_hex == old_serial))
    assert old is not None and old.revoked_at is not None and old.revocation_reason == "superseded"
    with pytest.raises(WrongPin):
        unlock_signing_key(session, person, PIN, pki=pki)
    session.rollback()
    key, cert, _chain = unlock_signing_key(session, person, OTHER_PIN, pki=pki)
    assert cert.serial_number == second.certificate.serial
    assert "pki.certificate_revoked" in _actions(session)


def test_unlock_returns_key_certificate_and_chain(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["secretary"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    unlocked = unlock_and_commit(session, person, PIN, pki=pki)
    key, cert, chain = unlocked
    assert key.public_key() == cert.public_key()
    assert chain == (pki.issuing_certificate, pki.root_certificate)


def test_not_enrolled(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotEnrolled):
        unlock_signing_key(session, school_people["clerk"], PIN, pki=pki)


def _fresh_enrolment(app, person_id: int) -> SigningEnrolment:  # type: ignore[no-untyped-def]
    """The row as another request would see it (a new session)."""
    from sqlalchemy.orm import Session as OrmSession

    from responsibility.extensions import db

    with OrmSession(db.engine) as other:
        row = other.scalar(select(SigningEnrolment).where(SigningEnrolment.person_id == person_id))
        assert row is not None
        other.expunge(row)
        return row


def test_wrong_pin_count_survives_the_callers_rollback(pki_app, session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    for expected in (1, 2):
        with pytest.raises(WrongPin):
            unlock_and_commit(session, person, OTHER_PIN, pki=pki)
        session.rollback()  # the caller's request fails and rolls back
        assert _fresh_enrolment(pki_app, person.id).failed_pin_count == expected
    # A right PIN resets the count, committed even if the signing that follows fails.
    unlock_and_commit(session, person, PIN, pki=pki)
    session.rollback()
    assert _fresh_enrolment(pki_app, person.id).failed_pin_count == 0


def test_five_wrong_pins_lock_signing_for_fifteen_minutes(pki_app, session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    start = dt.datetime.now(dt.UTC)
    for attempt in range(1, MAX_PIN_FAILURES):
        with pytest.raises(WrongPin):
            unlock_and_commit(session, person, OTHER_PIN, pki=pki, now=start)
        assert _fresh_enrolment(pki_app, person.id).failed_pin_count == attempt
    with pytest.raises(SigningLocked) as locked:
        unlock_and_commit(session, person, OTHER_PIN, pki=pki, now=start)
    until = start + LOCK_DURATION
    assert locked.value.until == until
    assert f"{until:%H:%M}" in str(locked.value) and locked.value.http_status == 409
    assert _actions(session)[-1] == "pki.pin_locked"
    assert _fresh_enrolment(pki_app, person.id).locked_until is not None

    # Even the right PIN is refused while locked, and the attempt is not counted.
    with pytest.raises(SigningLocked):
        unlock_and_commit(session, person, PIN, pki=pki, now=start + dt.timedelta(minutes=14))
    # After the lock, the right PIN works and clears it.
    unlock_and_commit(session, person, PIN, pki=pki, now=start + dt.timedelta(minutes=16))
    row = _fresh_enrolment(pki_app, person.id)
    assert row.locked_until is None and row.failed_pin_count == 0


def test_revoked_or_expired_certificate_refuses_to_unlock(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    with pytest.raises(CertificateUnusable, match="not valid now"):
        unlock_signing_key(session, person, PIN, pki=pki, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=400))
    revoke_person(session, person, reason="key_compromise", actor="test")
    session.commit()
    with pytest.raises(CertificateUnusable, match="revoked") as err:
        unlock_signing_key(session, person, PIN, pki=pki)
    assert err.value.http_status == 403


def test_unlock_and_commit_refuses_pending_changes(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    from responsibility.models import Person

    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    session.add(Person(source_id="P-T09", name="未提交"))  # someone else's unfinished work
    with pytest.raises(InvalidState):
        unlock_and_commit(session, person, PIN, pki=pki)
    session.rollback()
    assert session.scalar(select(Person.id).where(Person.source_id == "P-T09")) is None
