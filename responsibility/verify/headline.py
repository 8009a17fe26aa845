"""What a non-expert reads first about a verified file: one plain sentence, then the details.

The verdict (``valid``, ``incomplete``, ``invalid``, ``unreadable``) is exact but ``invalid`` covers
very different stories: a file changed after signing, a signature by a certificate the county did
not issue, or a file that is simply not the registered agreement. :func:`headline` names exactly
one of them per report, from the reasons the judge gave, so the public page can open with a
sentence a principal or a parent understands. Codes here are stable; the web layer turns them into
words through the translation catalogue.

The signature rows follow the same rule: under a broken file no signature is shown as plainly
"signed" (:func:`required_status`), and each certificate says whether the county's own CA issued
it (:func:`certificate_trust`).
"""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import x509 as asn1_x509

from responsibility.verify.report import (
    INCOMPLETE,
    INVALID,
    UNREADABLE,
    VALID,
    SignatureReport,
    VerificationReport,
)

__all__ = [
    "HEADLINES",
    "INCOMPLETE_CODES",
    "NOT_REGISTERED_CODES",
    "TAMPERED_CODES",
    "UNREADABLE_CODES",
    "UNTRUSTED_CODES",
    "certificate_trust",
    "county_issuer_names",
    "headline",
    "required_status",
]

#: Every headline, in the order the judge's strictness suggests.
HEADLINES = ("valid", "incomplete", "tampered", "untrusted", "not_registered", "unreadable")

#: The file's bytes were changed after a signature, or a signature's own data is broken.
TAMPERED_CODES = frozenset(
    {
        "signature_broken",
        "signature_invalid",
        "coverage",
        "diff_missing",
        "modified_after",
        "unexpected_field_change",
        "unsigned_revision",
        "data_after_eof",
        "non_signature_fields",
        "unknown_signature",
        "unexpected_signature",
    }
)
#: The signatures are intact but who signed, or with what certificate, cannot be trusted.
UNTRUSTED_CODES = frozenset(
    {"untrusted", "revoked", "no_timestamp", "timestamp_invalid", "wrong_signer", "certificate_not_pinned"}
)
#: Intact and trusted, but not the agreement the registry holds.
NOT_REGISTERED_CODES = frozenset(
    {
        "not_in_registry",
        "number_mismatch",
        "not_a_registered_revision",
        "unregistered_update",
        "not_our_document",
        "agreement_void",
        "no_signatures",
    }
)
#: Nothing broken, but not the finished document.
INCOMPLETE_CODES = frozenset({"missing_signatures", "earlier_revision", "registry_unavailable"})
#: The file could not be analysed at all.
UNREADABLE_CODES = frozenset({"too_large", "time_limit", "not_pdf", "encrypted", "worker_failed", "busy"})

_INVALID_ORDER = (
    ("tampered", TAMPERED_CODES),
    ("untrusted", UNTRUSTED_CODES),
    ("not_registered", NOT_REGISTERED_CODES),
)


def headline(report: VerificationReport) -> str:
    """The one plain sentence's code for ``report`` (a member of :data:`HEADLINES`).

    ``invalid`` reports name the gravest story among their reasons: tampering before an untrusted
    signer before a file the registry does not hold (a tampered file is never "just unregistered",
    though its hash matches no registered revision either). A signature or document timestamp
    whose bytes no longer match (not intact) is tampering whatever reason code it carries.
    """
    if report.verdict == VALID:
        return "valid"
    if report.verdict == INCOMPLETE:
        return "incomplete"
    if report.verdict == UNREADABLE:
        return "unreadable"
    if report.verdict != INVALID:
        raise ValueError(f"unknown verdict {report.verdict!r}")
    codes = report.codes
    if any(not s.intact for s in report.signatures):
        return "tampered"
    for name, members in _INVALID_ORDER:
        if codes & members:
            return name
    return "not_registered"


def required_status(report: VerificationReport, field: str, signed: bool) -> str:
    """How a required signature is shown: ``signed``, ``missing``, ``broken`` (present, not valid)
    or ``unconfirmed`` (present and valid by itself, in a file that is invalid as a whole: never
    "signed" under a broken file)."""
    if not signed:
        return "missing"
    row = next((s for s in report.signatures if s.field == field), None)
    if row is not None and not row.valid:
        return "broken"
    if report.verdict in (INVALID, UNREADABLE):
        return "unconfirmed"
    return "signed"


def county_issuer_names(certificates_der: Iterable[bytes]) -> frozenset[str]:
    """The issuer names (as the report writes them) of the county's own CA certificates."""
    return frozenset(asn1_x509.Certificate.load(der).subject.human_friendly for der in certificates_der)


def certificate_trust(signature: SignatureReport, county_issuers: frozenset[str]) -> str:
    """``county`` (trusted, issued by the county's CA), ``other`` (trusted through another
    configured root), ``county_untrusted`` (the county's CA, but not trusted at signing time:
    revoked or expired) or ``foreign`` (not a certificate of this county)."""
    ours = signature.signer.issuer is not None and signature.signer.issuer in county_issuers
    if signature.trusted:
        return "county" if ours else "other"
    return "county_untrusted" if ours else "foreign"
