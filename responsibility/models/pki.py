"""Certificates the county CA issued and each person's signing-key custody (no business rules).

``IssuedCertificate`` is the CA's register: every certificate ever issued, with its revocation; the
CRLs are built from it. ``SigningEnrolment`` is one row per person: the private key sealed under a
key derived from the person's signing PIN (``responsibility.pki.custody``), the current certificate,
and the wrong-PIN counter and lock. The PIN itself is never stored anywhere.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import Person

ENROLMENT_ACTIVE = "active"
ENROLMENT_REVOKED = "revoked"


class IssuedCertificate(Base):
    """A certificate issued by one of the county's CAs (person certificates by ``issuing``), or an
    external CA's certificate a person brought (``ca == "external"``; never on our CRLs)."""

    __tablename__ = "issued_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    ca: Mapped[str] = mapped_column(String(16), default="issuing", index=True)
    # Hex of the X.509 serial number (up to 159 bits: too wide for an integer column).
    serial_hex: Mapped[str] = mapped_column(String(48), unique=True)
    fingerprint_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    key_kind: Mapped[str] = mapped_column(String(16))
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(String(32))

    person: Mapped[Person | None] = relationship()

    @property
    def serial(self) -> int:
        return int(self.serial_hex, 16)

    def __repr__(self) -> str:
        return f"<IssuedCertificate {self.serial_hex} person={self.person_id}>"


class SigningEnrolment(Base):
    """A person's signing key in custody: sealed under their PIN, with the certificate it belongs to."""

    __tablename__ = "signing_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("issued_certificates.id"))
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    # PEM of the certificates between an external certificate and its root (bring-your-own
    # PKCS#12); null for certificates of the county CA, whose chain is the PKI's.
    chain_pem: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=ENROLMENT_ACTIVE)
    failed_pin_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship()
    certificate: Mapped[IssuedCertificate] = relationship()

    def __repr__(self) -> str:
        return f"<SigningEnrolment person={self.person_id} {self.state}>"
