"""What the worker found in the file, before the registry is consulted: plain, picklable data.

The worker process parses the untrusted bytes and returns :class:`PdfFacts`; the caller's process
then adds the registry's view (:mod:`.judge`). Reasons found here are about the file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from responsibility.verify.reasons import Reason

__all__ = ["MatrixSigner", "PdfFacts", "SignatureFacts"]


@dataclass(frozen=True)
class SignatureFacts:
    """One signature (or document timestamp) of the file, as pyHanko and our rules see it."""

    field: str
    kind: str
    """``signature`` or ``document_timestamp``."""
    signed_revision: int
    signer_name: str | None
    """CN of the signing (or TSA) certificate."""
    subject: str | None
    subject_serial_number: str | None
    """The X.520 serialNumber of the subject: our person certificates carry the source id there."""
    serial: str | None
    """Certificate serial number, hex."""
    issuer: str | None
    fingerprint: str | None
    """SHA-256 of the certificate, hex."""
    certificate: bytes | None
    """DER of the signing certificate (pinning is checked by the caller)."""
    signed_at: datetime | None
    """Time of the trusted timestamp, else the time the signer claims."""
    timestamp_trusted: bool
    intact: bool
    valid: bool
    """Intact, cryptographically valid, and bottom line of pyHanko (for the time it is judged at)."""
    trusted: bool
    revoked: bool
    """Revoked at the time of signing (a later revocation does not count)."""
    modification_level: str | None
    changed_fields: tuple[str, ...]
    coverage: str | None
    reasons: tuple[Reason, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class MatrixSigner:
    """A signer listed in the embedded responsibility matrix (covered by every signature)."""

    field: str
    role_codes: tuple[str, ...]
    person_source_id: str | None
    person_name: str | None
    post_name: str | None


@dataclass(frozen=True)
class PdfFacts:
    """The file alone: its structure, its signatures and what it says it is."""

    sha256: str
    size: int
    unreadable: Reason | None = None
    """Set when the file could not be analysed at all; everything else is then empty."""
    document_number: str | None = None
    matrix_signers: tuple[MatrixSigner, ...] = ()
    total_revisions: int = 0
    signatures: tuple[SignatureFacts, ...] = ()
    reasons: tuple[Reason, ...] = ()
    """Structural problems of the whole file (bytes after %%EOF, unsigned revision, text fields…)."""
