"""The answer of a verification: one frozen :class:`VerificationReport`, the same for every door.

The public page renders it, ``POST /api/verify`` returns :meth:`VerificationReport.as_json`, and
``flask verify`` prints one or the other and maps the verdict to its exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from responsibility.verify.reasons import Reason

__all__ = [
    "INCOMPLETE",
    "INVALID",
    "UNREADABLE",
    "VALID",
    "VERDICT_LABELS",
    "CertificateInfo",
    "DocumentReport",
    "RequiredSignature",
    "SignatureReport",
    "VerificationReport",
]

VALID, INCOMPLETE, INVALID, UNREADABLE = "valid", "incomplete", "invalid", "unreadable"
VERDICT_LABELS = {
    VALID: "有效且完整",
    INCOMPLETE: "有效但未完成签署",
    INVALID: "无效",
    UNREADABLE: "无法读取",
}


@dataclass(frozen=True)
class CertificateInfo:
    """Who signed, as the signing certificate says."""

    name: str | None
    subject: str | None
    serial: str | None
    """Certificate serial number, hex."""
    issuer: str | None
    fingerprint: str | None
    """SHA-256 of the certificate, hex."""

    def as_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "subject": self.subject,
            "serial": self.serial,
            "issuer": self.issuer,
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class SignatureReport:
    """One signature (or document timestamp) of the file."""

    field: str
    kind: str
    """``signature`` or ``document_timestamp``."""
    signer: CertificateInfo
    post: str | None
    """The post signed for, from the registry (or the embedded matrix when not consulted)."""
    signed_at: datetime | None
    timestamp_trusted: bool
    intact: bool
    trusted: bool
    """A path to a configured root, valid at the time of signing."""
    revoked: bool
    modification_level: str | None
    """pyHanko's diff-analysis level of everything after this signature (``NONE``, ``LTA_UPDATES``,
    ``FORM_FILLING``, ``ANNOTATIONS``, ``OTHER``)."""
    changed_fields: tuple[str, ...]
    coverage: str | None
    valid: bool
    reasons: tuple[Reason, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer.as_json(),
            "post": self.post,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamp_trusted": self.timestamp_trusted,
            "intact": self.intact,
            "trusted": self.trusted,
            "revoked": self.revoked,
            "modification_level": self.modification_level,
            "changed_fields": list(self.changed_fields),
            "valid": self.valid,
        }


@dataclass(frozen=True)
class RequiredSignature:
    """A signature the agreement needs (党政同责: both heads of each party)."""

    field: str
    post: str | None
    person: str | None
    signed: bool

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "post": self.post, "person": self.person, "signed": self.signed}


@dataclass(frozen=True)
class DocumentReport:
    """The file as a whole and what the registry says about it."""

    sha256: str
    size: int
    document_number: str | None
    registry_consulted: bool
    registry_found: bool = False
    state: str | None = None
    """The agreement's state in the registry."""
    match: str | None = None
    """``latest`` (equals the current accepted revision), ``earlier`` (an earlier accepted one),
    ``extends`` (an accepted revision plus unregistered updates), ``none``; ``None`` when unknown."""
    revision: int | None = None
    """The accepted revision this file equals (or extends)."""
    revisions: int = 0
    required: tuple[RequiredSignature, ...] = ()

    @property
    def missing(self) -> tuple[RequiredSignature, ...]:
        return tuple(r for r in self.required if not r.signed)

    def as_json(self) -> dict[str, Any]:
        return {
            "document_number": self.document_number,
            "sha256": self.sha256,
            "size": self.size,
            "registry": {
                "consulted": self.registry_consulted,
                "found": self.registry_found,
                "state": self.state,
                "match": self.match,
                "revision": self.revision,
                "revisions": self.revisions,
            },
            "required_signatures": [r.as_json() for r in self.required],
            "missing_signatures": [r.field for r in self.missing],
        }


@dataclass(frozen=True)
class VerificationReport:
    """The one answer about one file."""

    verdict: str
    """``valid``, ``incomplete``, ``invalid`` or ``unreadable``."""
    reasons: tuple[Reason, ...]
    document: DocumentReport
    signatures: tuple[SignatureReport, ...] = ()
    from_registry_cache: bool = False
    """True when this report is the one made earlier for the same bytes under the same trust,
    revocation and registry state (``agreements.verification_cache``), not a fresh analysis."""

    @property
    def label(self) -> str:
        """The verdict in plain Chinese (有效且完整 …)."""
        return VERDICT_LABELS[self.verdict]

    @property
    def exit_code(self) -> int:
        """``flask verify``: 0 valid and complete, 1 invalid or incomplete, 2 unreadable."""
        return {VALID: 0, INCOMPLETE: 1, INVALID: 1}.get(self.verdict, 2)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.reasons)

    def as_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "reasons": [r.as_json() for r in self.reasons],
            "document": self.document.as_json(),
            "signatures": [s.as_json() for s in self.signatures],
            "from_registry_cache": self.from_registry_cache,
        }
