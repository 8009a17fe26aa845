"""From the file's facts and the registry's facts to one verdict (runs in the caller's process).

Verdicts, strictest first:

* ``unreadable`` — the file could not be analysed (not a PDF, encrypted, too large, time limit).
* ``invalid`` — any broken rule: a signature that is not valid (every signature must be), a field
  changed outside the expected signature fields, the wrong signer or an unpinned certificate,
  bytes after ``%%EOF``, an unsigned revision after the last signature, a file that is not a
  registered revision (nor a genuine earlier one), an agreement void or superseded, a document
  number the registry does not know, a file that is not ours at all.
* ``incomplete`` — nothing is broken but it is not the final document: required signatures are
  missing (党政同责: both heads of each party), it is a genuine *earlier* accepted revision, or the
  registry was not consulted (a file the registry cannot vouch for is at best incomplete).
* ``valid`` — every signature valid, every required signature present, and the file is byte for
  byte the latest accepted revision in the registry.
"""

from __future__ import annotations

import hashlib

from responsibility.verify.facts import PdfFacts, SignatureFacts
from responsibility.verify.reasons import Reason, reason
from responsibility.verify.registry import ExpectedSignature, RegistryFacts
from responsibility.verify.report import (
    INCOMPLETE,
    INVALID,
    UNREADABLE,
    VALID,
    CertificateInfo,
    DocumentReport,
    RequiredSignature,
    SignatureReport,
    VerificationReport,
)

__all__ = ["judge", "unreadable_report"]

VOID_STATES = frozenset({"void", "superseded"})
TIMESTAMP_POST = "文档时间戳"


def unreadable_report(data: bytes, why: Reason) -> VerificationReport:
    document = DocumentReport(hashlib.sha256(data).hexdigest(), len(data), None, registry_consulted=False)
    return VerificationReport(UNREADABLE, (why,), document)


def _expected(facts: PdfFacts, registry: RegistryFacts | None) -> tuple[ExpectedSignature, ...]:
    if registry is not None:
        return registry.expected
    return tuple(
        ExpectedSignature(s.field, s.role_codes, s.person_source_id, s.person_name, s.post_name)
        for s in facts.matrix_signers
    )


def _field_reasons(
    sig: SignatureFacts, expected: dict[str, ExpectedSignature], allowed_changes: set[str]
) -> list[Reason]:
    found = []
    late = sorted(set(sig.changed_fields) - allowed_changes)
    if late:
        found.append(reason("unexpected_field_change", field=sig.field, detail="、".join(late[:10])))
    if sig.kind == "document_timestamp":
        return found
    want = expected.get(sig.field)
    if want is None:
        found.append(reason("unexpected_signature", field=sig.field))
        return found
    if want.person_source_id is not None and sig.subject_serial_number != want.person_source_id:
        detail = (
            f"应为 {want.person_name or ''}（{want.person_source_id}），"
            f"实为 {sig.signer_name or '未知'}（{sig.subject_serial_number or '无编号'}）"
        )
        found.append(reason("wrong_signer", field=sig.field, detail=detail))
    if want.pinned_certificates and sig.certificate not in want.pinned_certificates:
        found.append(reason("certificate_not_pinned", field=sig.field))
    return found


def _signature_report(sig: SignatureFacts, post: str | None, extra: list[Reason]) -> SignatureReport:
    return SignatureReport(
        field=sig.field,
        kind=sig.kind,
        signer=CertificateInfo(sig.signer_name, sig.subject, sig.serial, sig.issuer, sig.fingerprint),
        post=post,
        signed_at=sig.signed_at,
        timestamp_trusted=sig.timestamp_trusted,
        intact=sig.intact,
        trusted=sig.trusted,
        revoked=sig.revoked,
        modification_level=sig.modification_level,
        changed_fields=sig.changed_fields,
        coverage=sig.coverage,
        valid=sig.valid and not extra,
        reasons=(*sig.reasons, *extra),
    )


def _registry_match(data: bytes, facts: PdfFacts, registry: RegistryFacts) -> tuple[str, int | None]:
    """How the file relates to the accepted revisions (prefix pinning)."""
    for rev in registry.revisions:
        if rev.sha256 == facts.sha256 and rev.size == facts.size:
            return ("latest" if rev == registry.latest else "earlier"), rev.seq
    for rev in sorted(registry.revisions, key=lambda r: r.size, reverse=True):
        if rev.size < len(data) and hashlib.sha256(data[: rev.size]).hexdigest() == rev.sha256:
            return "extends", rev.seq
    return "none", None


def _registry_reasons(
    data: bytes, facts: PdfFacts, registry: RegistryFacts
) -> tuple[list[Reason], list[Reason], str, int | None]:
    """(invalid reasons, incomplete reasons, match, revision) of the registry's view."""
    invalid: list[Reason] = []
    incomplete: list[Reason] = []
    if facts.document_number is not None and facts.document_number != registry.document_number:
        invalid.append(reason("number_mismatch", detail=f"{facts.document_number} ≠ {registry.document_number}"))
    match, seq = _registry_match(data, facts, registry)
    if match == "earlier":
        incomplete.append(reason("earlier_revision", detail=str(seq)))
    elif match == "extends":
        invalid.append(reason("unregistered_update"))
    elif match == "none":
        invalid.append(reason("not_a_registered_revision"))
    if registry.state in VOID_STATES:
        invalid.append(reason("agreement_void", detail=registry.state))
    return invalid, incomplete, match, seq


def judge(
    data: bytes, facts: PdfFacts, registry: RegistryFacts | None, *, registry_consulted: bool
) -> VerificationReport:
    """The verdict on ``data`` from its ``facts`` and the registry's view (``None``: unknown or not
    consulted, as ``registry_consulted`` tells)."""
    if facts.unreadable is not None:
        return unreadable_report(data, facts.unreadable)
    expected = _expected(facts, registry)
    by_field = {e.field: e for e in expected}
    timestamp_fields = {s.field for s in facts.signatures if s.kind == "document_timestamp"}
    if registry is not None:
        timestamp_fields |= set(registry.timestamp_fields)
    allowed_changes = set(by_field) | timestamp_fields

    invalid: list[Reason] = list(facts.reasons)
    incomplete: list[Reason] = []
    reports = []
    for sig in facts.signatures:
        extra = _field_reasons(sig, by_field, allowed_changes)
        post = (
            TIMESTAMP_POST if sig.kind == "document_timestamp" else getattr(by_field.get(sig.field), "post_name", None)
        )
        reports.append(_signature_report(sig, post, extra))
        invalid += [*sig.reasons, *extra]

    match = seq = None
    if registry is not None:
        bad, unfinished, match, seq = _registry_reasons(data, facts, registry)
        invalid += bad
        incomplete += unfinished
    elif registry_consulted:
        invalid.append(reason("not_in_registry", detail=facts.document_number or "无"))
    else:
        incomplete.append(reason("registry_unavailable"))
    if facts.document_number is None and registry is None:
        invalid.append(reason("not_our_document"))
    if not facts.signatures and match not in ("latest", "earlier"):
        invalid.append(reason("no_signatures"))

    signed = {s.field for s in facts.signatures}
    required = tuple(
        RequiredSignature(e.field, e.post_name, e.person_name, e.field in signed) for e in expected if e.required
    )
    missing = [r for r in required if not r.signed]
    if missing:
        names = "、".join(f"{r.post or r.field}{'（' + r.person + '）' if r.person else ''}" for r in missing)
        incomplete.append(reason("missing_signatures", detail=names))

    document = DocumentReport(
        sha256=facts.sha256,
        size=facts.size,
        document_number=facts.document_number or (registry.document_number if registry else None),
        registry_consulted=registry_consulted,
        registry_found=registry is not None,
        state=registry.state if registry else None,
        match=match,
        revision=seq,
        revisions=len(registry.revisions) if registry else 0,
        required=required,
    )
    verdict = INVALID if invalid else INCOMPLETE if incomplete else VALID
    reasons = tuple(_unique(invalid if invalid else incomplete))
    return VerificationReport(verdict, reasons, document, tuple(reports))


def _unique(reasons: list[Reason]) -> list[Reason]:
    return list(dict.fromkeys(reasons))  # first occurrence wins, order kept
