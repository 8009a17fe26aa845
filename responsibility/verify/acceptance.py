"""Acceptance of a NEW signed revision (ARCHITECTURE §4): the gate before a revision is stored.

pyHanko's defaults are not enough. A candidate is accepted only if it extends the last accepted
revision byte for byte, ends at its final ``%%EOF``, adds exactly one signature (or document
timestamp) in an expected field, changes no other field, carries only signature fields, and every
signature in the file — old and new — validates with diff analysis on, trusted by our roots, with
revocation information required and nothing fetched. The new signature must be PAdES with a
trusted RFC 3161 timestamp, embedded revocation data, and the pinned signer certificate.

Earlier signatures are validated at the time of their own timestamp (with the CRLs given, which
may be newer): a certificate revoked after it signed leaves that signature valid.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodeLimits
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import ModificationInfo, SignatureCoverageLevel

from responsibility.messages import N_, Message, msg
from responsibility.signing.context import build_validation_context
from responsibility.verify.errors import RevisionRejected
from responsibility.verify.library_errors import pdf_problem
from responsibility.verify.signatures import signer_certificate as embedded_signer

__all__ = [
    "DEFAULT_MAX_BYTES",
    "AcceptanceReport",
    "SignatureCheck",
    "bytes_after_final_eof",
    "check_revision",
    "form_fields",
    "read_pdf",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
PADES_SUBFILTER = "/ETSI.CAdES.detached"
_EOL_AFTER_EOF = (b"", b"\n", b"\r\n", b"\r")


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature of the candidate."""

    field: str
    """Fully qualified name of the signature field."""
    kind: str
    """``signature`` or ``document_timestamp``."""
    signed_revision: int
    signer: str
    """Subject of the signing (or TSA) certificate, RFC 4514."""
    timestamp: datetime | None
    """Time of the trusted RFC 3161 timestamp (signature timestamp, or the document timestamp)."""
    problems: tuple[Message, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class AcceptanceReport:
    """Whether the candidate may be stored as the next revision, and why not."""

    reasons: tuple[Message, ...]
    """Every rule the candidate breaks; empty when accepted."""
    new_fields: frozenset[str] = frozenset()
    """Signature fields signed in the new revision."""
    signatures: tuple[SignatureCheck, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        return not self.reasons

    def raise_if_rejected(self) -> None:
        """Raise :class:`SignatureRejected` with every reason on one line."""
        if self.reasons:
            raise RevisionRejected(self.reasons)


def _walk_fields(
    fields: Iterable[generic.PdfObject], parent_ft: object = None, prefix: str = ""
) -> Iterator[tuple[str, object]]:
    """(fully qualified name, field type) of every terminal form field."""
    for ref in fields:
        node = ref.get_object()  # type: ignore[no-untyped-call]  # pyHanko leaves PdfObject.get_object unannotated
        ft = node.get("/FT", parent_ft)
        name = f"{prefix}{node.get('/T', '')}"
        kids = [kid for kid in node.get("/Kids", []) if "/T" in kid.get_object()]
        if kids:
            yield from _walk_fields(kids, ft, f"{name}.")
        else:
            yield name, ft


def _form_fields(reader: PdfFileReader) -> dict[str, object]:
    acroform = reader.root.get("/AcroForm")
    if acroform is None:
        return {}
    return dict(_walk_fields(acroform.get_object().get("/Fields", [])))


def _filled(reader: PdfFileReader) -> set[str]:
    return {sig.field_name for sig in reader.embedded_signatures}


def _timestamp_time(sig: EmbeddedPdfSignature) -> datetime | None:
    try:
        token = find_unique_cms_attribute(sig.signer_info["unsigned_attrs"], "signature_time_stamp_token")
    except Exception:  # pyHanko raises NonexistentAttributeError / MultivaluedAttributeError
        return None
    # asn1crypto is untyped; a GeneralizedTime's native value is an aware datetime.
    return cast(datetime, token["content"]["encap_content_info"]["content"].parsed["gen_time"].native)


def _subject(sig: EmbeddedPdfSignature) -> str:
    cert = embedded_signer(sig)
    try:
        return _to_crypto(cert).subject.rfc4514_string() if cert is not None else "?"
    except Exception:  # a certificate cryptography cannot load
        return "?"


def _is_certificate(found: asn1_x509.Certificate | None, pinned: x509.Certificate) -> bool:
    return found is not None and found.dump() == pinned.public_bytes(serialization.Encoding.DER)


def _to_crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def _coverage_problems(status: ModificationInfo, *, newest: bool) -> list[Message]:
    needed = SignatureCoverageLevel.ENTIRE_FILE if newest else SignatureCoverageLevel.ENTIRE_REVISION
    if status.coverage is None or status.coverage < needed:
        return [msg(N_("does not cover the whole file")) if newest else msg(N_("does not cover its revision"))]
    return []


def _check_signature(
    sig: EmbeddedPdfSignature, *, newest: bool, is_new: bool, trust_roots: list[x509.Certificate], crls: list[bytes]
) -> SignatureCheck:
    problems: list[Message] = []
    when = _timestamp_time(sig)
    now_context = build_validation_context(trust_roots, crls)
    if sig.sig_object_type == "/DocTimeStamp":
        ts = validate_pdf_timestamp(sig, validation_context=now_context)
        if not (ts.intact and ts.valid):
            problems.append(msg(N_("document timestamp is broken")))
        if not ts.trusted:
            problems.append(msg(N_("document timestamp is not trusted")))
        problems += _coverage_problems(ts, newest=newest)
        if ts.docmdp_ok is False:
            problems.append(msg(N_("modified after the document timestamp in a way that is not allowed")))
        return SignatureCheck(sig.field_name, "document_timestamp", sig.signed_revision, _subject(sig),
                              ts.timestamp, tuple(problems))  # fmt: skip
    if when is None:
        problems.append(msg(N_("has no RFC 3161 signature timestamp")))
    # A new signature must be valid now; an earlier one at the time of its trusted timestamp.
    signer_context = (
        now_context
        if is_new or when is None
        else build_validation_context(trust_roots, crls, moment=when, retroactive_revinfo=True)
    )
    status = validate_pdf_signature(sig, signer_validation_context=signer_context, ts_validation_context=now_context)
    if not status.bottom_line:
        problems.append(msg(N_("is not valid (%(summary)s)"), summary=status.summary()))
    if not status.docmdp_ok:
        problems.append(msg(N_("was followed by changes its permissions do not allow")))
    tsv = status.timestamp_validity
    if when is not None and (tsv is None or not (tsv.intact and tsv.valid and tsv.trusted)):
        problems.append(msg(N_("has no valid, trusted signature timestamp")))
    problems += _coverage_problems(status, newest=newest)
    if is_new and sig.sig_object.get("/SubFilter") != PADES_SUBFILTER:
        problems.append(msg(N_("is not a PAdES signature (SubFilter ETSI.CAdES.detached)")))
    if is_new and not (sig.sig_object.get("/Reason") and sig.sig_object.get("/Location")):
        problems.append(msg(N_("has no reason or location")))
    return SignatureCheck(sig.field_name, "signature", sig.signed_revision, _subject(sig), when, tuple(problems))


def bytes_after_final_eof(data: bytes) -> bool:
    """True when anything but one end-of-line follows the file's last ``%%EOF`` (or it has none)."""
    eof = data.rfind(b"%%EOF")
    return eof < 0 or data[eof + 5 :] not in _EOL_AFTER_EOF


def _prefix_reasons(previous: bytes | None, candidate: bytes, max_bytes: int) -> list[Message]:
    reasons = []
    if len(candidate) > max_bytes:
        reasons.append(msg(N_("the file is larger than %(limit)s bytes"), limit=max_bytes))
    if previous is not None and (len(candidate) <= len(previous) or not candidate.startswith(previous)):
        reasons.append(msg(N_("the file does not start with the last accepted revision")))
    if bytes_after_final_eof(candidate):
        reasons.append(msg(N_("there are bytes after the final %%EOF")))
    return reasons


def _read(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=True, decode_limits=DecodeLimits())


#: Public names of the readers above, shared with the public verifier (``verify.inspect``).
read_pdf = _read
form_fields = _form_fields


def check_revision(
    previous: bytes | None,
    candidate: bytes,
    *,
    expected_fields: set[str],
    trust_roots: Iterable[x509.Certificate],
    crls: Iterable[bytes],
    signer_certificate: x509.Certificate | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> AcceptanceReport:
    """Check ``candidate`` as the revision following ``previous`` (``None``: no pinning, e.g. the
    first signed revision of a file whose unsigned original is not kept).

    ``expected_fields``: the signature fields that may be signed now; ``signer_certificate``: the
    pinned certificate of the person who must have signed (``None`` for a document timestamp).
    Never raises for a bad candidate: the reasons are in the report.
    """
    trust_roots, crls = list(trust_roots), list(crls)
    reasons = _prefix_reasons(previous, candidate, max_bytes)
    if len(candidate) > max_bytes:
        return AcceptanceReport(tuple(reasons))
    try:
        reader = _read(candidate)
        before = _read(previous) if previous is not None else None
        old_revisions = before.xrefs.total_revisions if before is not None else 0
        sigs = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
        fields = _form_fields(reader)
    except Exception as exc:  # any parse failure of untrusted input is a rejection, not a crash
        return AcceptanceReport(
            (*reasons, msg(N_("the file cannot be read as a PDF (%(problem)s)"), problem=pdf_problem(exc)))
        )

    non_signature = ", ".join(sorted(name for name, ft in fields.items() if ft != "/Sig"))
    if non_signature:
        reasons.append(
            msg(N_("the file contains form fields that are not signature fields: %(fields)s"), fields=non_signature)
        )
    if before is not None and set(fields) != set(_form_fields(before)):
        reasons.append(msg(N_("form fields were added or removed")))
    new_sigs = [s for s in sigs if s.signed_revision >= old_revisions]
    new_fields = frozenset(s.field_name for s in new_sigs)
    if len(new_sigs) != 1:
        reasons.append(
            msg(N_("the new revision must add exactly one signature, it adds %(count)s"), count=len(new_sigs))
        )
    changed = _filled(reader) - (_filled(before) if before is not None else set())
    unexpected = sorted((changed | new_fields) - expected_fields)
    if unexpected:
        reasons.append(msg(N_("fields signed outside the expected ones: %(fields)s"), fields=", ".join(unexpected)))

    checks: list[SignatureCheck] = []
    for sig in sigs:
        try:
            check = _check_signature(
                sig, newest=sig is sigs[-1], is_new=sig in new_sigs, trust_roots=trust_roots, crls=crls
            )
        except Exception as exc:  # malformed CMS and similar: the signature is invalid
            check = SignatureCheck(
                sig.field_name,
                "signature",
                sig.signed_revision,
                "?",
                None,
                (msg(N_("cannot be validated (%(problem)s)"), problem=pdf_problem(exc)),),
            )
        checks.append(check)
        reasons += [
            msg(N_("signature %(field)s %(problem)s"), field=repr(check.field), problem=p) for p in check.problems
        ]

    # Whatever changed after the last earlier signature is what the new revision changed.
    old = [s for s in sigs if s not in new_sigs]
    if old and isinstance(old[-1].diff_result, DiffResult):
        late = sorted(set(old[-1].diff_result.changed_form_fields) - expected_fields)
        if late:
            reasons.append(msg(N_("fields changed outside the expected ones: %(fields)s"), fields=", ".join(late)))

    if new_sigs:
        reasons += _new_signature_reasons(reader, new_sigs[-1], signer_certificate)
    return AcceptanceReport(tuple(reasons), new_fields, tuple(checks))


def _new_signature_reasons(
    reader: PdfFileReader, sig: EmbeddedPdfSignature, signer_certificate: x509.Certificate | None
) -> list[Message]:
    reasons = []
    if sig.sig_object_type == "/Sig":
        if signer_certificate is None:
            reasons.append(msg(N_("a signature was added where a document timestamp was expected")))
        elif not _is_certificate(embedded_signer(sig), signer_certificate):
            reasons.append(msg(N_("the new signature was not made with the signer's enrolled certificate")))
    elif signer_certificate is not None:
        reasons.append(msg(N_("a document timestamp was added where a signature was expected")))
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    if dss is None or not dss.crls:
        reasons.append(msg(N_("the file embeds no revocation information (PAdES B-LT)")))
    return reasons
