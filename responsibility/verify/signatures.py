"""One embedded signature through pyHanko, judged by our rules (ARCHITECTURE §4).

pyHanko's ``bottom_line`` must hold, and it is not enough: the diff analysis always runs and must
have produced a result (``bottom_line`` forgives a missing one), the signature must cover its whole
revision, ``docmdp_ok`` must be true, and every approval signature needs a trusted RFC 3161
timestamp. A certificate revoked or expired *after* a trusted timestamp leaves the signature valid:
such a signature is judged again at the time of its timestamp (the diff result is reused, not
skipped). Field-level rules that need the registry (who signs which field, which fields may change)
are applied later, in :mod:`.judge`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypedDict

from asn1crypto import x509 as asn1_x509
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import ModificationInfo, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from responsibility.verify.facts import SignatureFacts
from responsibility.verify.reasons import Reason, reason

__all__ = ["AtMoment", "analyse_signature", "signer_certificate", "validation_context"]

AtMoment = Callable[[datetime], ValidationContext]
"""Gives the validation context judging a signature at a past moment (its trusted timestamp)."""


def validation_context(
    roots: list[asn1_x509.Certificate],
    crls: list[bytes],
    *,
    revocation_required: bool = True,
    moment: datetime | None = None,
) -> ValidationContext:
    """Our roots, our CRLs, nothing fetched; ``moment`` judges at a past time with the CRLs given
    (issued later, so ``retroactive_revinfo``)."""
    return ValidationContext(
        trust_roots=roots,
        crls=crls,
        allow_fetching=False,
        revocation_mode="require" if revocation_required else "soft-fail",
        moment=moment,
        retroactive_revinfo=moment is not None,
    )


class _CertificateFacts(TypedDict):
    """The certificate part of :class:`SignatureFacts`, spread into it by keyword."""

    signer_name: str | None
    subject: str | None
    subject_serial_number: str | None
    serial: str | None
    issuer: str | None
    fingerprint: str | None
    certificate: bytes | None


def _certificate_facts(cert: asn1_x509.Certificate | None) -> _CertificateFacts:
    if cert is None:
        return _CertificateFacts(
            signer_name=None,
            subject=None,
            subject_serial_number=None,
            serial=None,
            issuer=None,
            fingerprint=None,
            certificate=None,
        )
    subject = cert.subject.native
    der = cert.dump()
    return {
        "signer_name": subject.get("common_name"),
        "subject": cert.subject.human_friendly,
        "subject_serial_number": subject.get("serial_number"),
        "serial": format(cert.serial_number, "x"),
        "issuer": cert.issuer.human_friendly,
        "fingerprint": hashlib.sha256(der).hexdigest(),
        "certificate": der,
    }


def signer_certificate(sig: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    """The signature's signer certificate, or None when the CMS names none that can be read or
    matched (malformed, or a signing-certificate attribute of another certificate: pyHanko raises)."""
    try:
        return sig.signer_cert
    except Exception:  # SignatureValidationError and malformed CMS alike
        return None


def _modification(status: ModificationInfo, field: str) -> tuple[str | None, tuple[str, ...], list[Reason]]:
    """(level name, changed fields, reasons) of the coverage and the diff analysis."""
    diff = status.diff_result
    coverage = status.coverage
    problems: list[Reason] = []
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append(reason("coverage", field=field))
    if isinstance(diff, DiffResult):
        level = diff.modification_level
        changed = tuple(sorted(diff.changed_form_fields))
    elif diff is None:
        level, changed = None, ()
        if coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append(reason("diff_missing", field=field))
    else:  # SuspiciousModification
        level, changed = ModificationLevel.OTHER, ()
        problems.append(reason("modified_after", field=field, detail=str(diff)[:200]))
    if status.docmdp_ok is False and not any(p.code == "modified_after" for p in problems):
        problems.append(reason("modified_after", field=field, detail=f"修改级别 {level.name if level else '未知'}"))
    return (level.name if level is not None else None), changed, problems


def _failed(sig: EmbeddedPdfSignature, field: str, kind: str, detail: str) -> SignatureFacts:
    return SignatureFacts(
        field=field,
        kind=kind,
        signed_revision=_safe_revision(sig),
        **_certificate_facts(signer_certificate(sig)),
        signed_at=None,
        timestamp_trusted=False,
        intact=False,
        valid=False,
        trusted=False,
        revoked=False,
        modification_level=None,
        changed_fields=(),
        coverage=None,
        reasons=(reason("signature_invalid", field=field, detail=detail[:200]),),
    )


def _safe_revision(sig: EmbeddedPdfSignature) -> int:
    try:
        return int(sig.signed_revision)
    except Exception:
        return -1


def _document_timestamp(sig: EmbeddedPdfSignature, field: str, context: ValidationContext) -> SignatureFacts:
    status = validate_pdf_timestamp(sig, validation_context=context)
    level, changed, problems = _modification(status, field)
    if not (status.intact and status.valid and status.trusted):
        problems.insert(0, reason("timestamp_invalid", field=field))
    return SignatureFacts(
        field=field,
        kind="document_timestamp",
        signed_revision=sig.signed_revision,
        **_certificate_facts(status.signing_cert),
        signed_at=status.timestamp,
        timestamp_trusted=bool(status.intact and status.valid and status.trusted),
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid and status.trusted and not problems),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        modification_level=level,
        changed_fields=changed,
        coverage=status.coverage.name if status.coverage is not None else None,
        reasons=tuple(problems),
    )


def _approval_signature(
    sig: EmbeddedPdfSignature, field: str, context: ValidationContext, at_moment: AtMoment
) -> SignatureFacts:
    status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    tsv = status.timestamp_validity
    ts_trusted = bool(tsv is not None and tsv.intact and tsv.valid and tsv.trusted)
    signed_at = tsv.timestamp if tsv is not None and ts_trusted else status.signer_reported_dt
    if status.intact and status.valid and not status.trusted and tsv is not None and ts_trusted:
        # Revoked or expired now: what matters is the state at the trusted time of signing.
        status = validate_pdf_signature(
            sig, signer_validation_context=at_moment(tsv.timestamp), ts_validation_context=context, skip_diff=True
        )
    level, changed, problems = _modification(status, field)
    if not status.intact:
        problems.insert(0, reason("signature_broken", field=field))
    elif not status.valid:
        problems.insert(0, reason("signature_invalid", field=field, detail=status.summary()))
    elif status.revoked:
        problems.insert(0, reason("revoked", field=field))
    elif not status.trusted:
        problems.insert(0, reason("untrusted", field=field))
    if not ts_trusted:
        problems.append(reason("no_timestamp", field=field))
    if not status.bottom_line and not problems:
        problems.append(reason("signature_invalid", field=field, detail=status.summary()))
    return SignatureFacts(
        field=field,
        kind="signature",
        signed_revision=sig.signed_revision,
        **_certificate_facts(status.signing_cert),
        signed_at=signed_at,
        timestamp_trusted=ts_trusted,
        intact=bool(status.intact),
        valid=bool(status.bottom_line and not problems),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        modification_level=level,
        changed_fields=changed,
        coverage=status.coverage.name if status.coverage is not None else None,
        reasons=tuple(problems),
    )


def analyse_signature(sig: EmbeddedPdfSignature, context: ValidationContext, at_moment: AtMoment) -> SignatureFacts:
    """Validate one signature with diff analysis on; never raises for a malformed signature.

    ``at_moment(datetime) -> ValidationContext`` gives the context to judge a signature at the
    time of its trusted timestamp.
    """
    try:
        field = str(sig.field_name)
    except Exception:
        field = "?"
    try:
        kind = sig.sig_object_type
    except Exception as exc:
        return _failed(sig, field, "signature", str(exc))
    try:
        if kind == "/DocTimeStamp":
            return _document_timestamp(sig, field, context)
        return _approval_signature(sig, field, context, at_moment)
    except Exception as exc:  # malformed CMS, bad subfilter, broken byte range …: invalid, not a crash
        return _failed(sig, field, "document_timestamp" if kind == "/DocTimeStamp" else "signature", str(exc))
