"""PAdES signing on bytes: the bureau seal's certification, approval signatures, the document timestamp.

Every signature made here is PAdES (``ETSI.CAdES.detached``, never pyHanko's default subfilter),
carries an RFC 3161 signature timestamp, embeds the revocation information of its chains in the DSS
of the same revision (B-LT in one incremental update), names a reason and a location, and shows a
visible appearance in the embedded CJK font. Signatures only go into signature fields that already
exist; nothing here creates a field. Each call returns the input bytes followed by one incremental
update, so earlier signatures stay intact.

The tuned path of PERFORMANCE.md: the caller opens the key once (:class:`KeySigner`), shares one
validation context and one timestamper per request, and ``bytes_reserved`` is fixed, so pyHanko
does not sign a dummy CMS to measure it.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import ExternalSigner, PdfSignatureMetadata, PdfSigner, PdfTimeStamper, Signer
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import (
    DSSContentSettings,
    PdfTBSDocument,
    SigDSSPlacementPreference,
    TimestampDSSContentSettings,
)
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    InsufficientRevinfoError,
    InvalidCertificateError,
    PathBuildingError,
    PathValidationError,
)

from responsibility.errors import BadInput, DomainError
from responsibility.signing.appearance import Appearance, stamp_style
from responsibility.signing.errors import (
    FieldUnavailable,
    SignerCertificateRejected,
    SigningFailed,
    TimestampUnavailable,
)
from responsibility.signing.witness import write_witness

__all__ = [
    "BYTES_RESERVED",
    "PreparedSignature",
    "TIMESTAMP_BYTES_RESERVED",
    "add_document_timestamp",
    "certify",
    "finish_signature",
    "prepare_signature",
    "sign",
    "sign_attributes",
]

#: Room for a timestamped CMS with the chain (≈ 6.6–8 KB). 12,288 was measured too small; larger
#: values slow validation down (pyHanko's hex tokenizer is per character).
BYTES_RESERVED = 16384
#: Room for a document timestamp token (≈ 2.5 KB with the TSA certificate).
TIMESTAMP_BYTES_RESERVED = 8192
MD_ALGORITHM = "sha256"
_DSS_IN_SAME_REVISION = DSSContentSettings(
    placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
)


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    except Exception as exc:  # pyHanko raises PdfReadError, PdfStrictReadError, ValueError …
        raise BadInput(f"the document is not a readable PDF: {exc}") from exc


def _signature_fields(writer: IncrementalPdfFileWriter) -> dict[str, tuple[object, generic.Reference]]:
    return {name: (value, ref) for name, value, ref in enumerate_sig_fields(writer)}


def _empty_field(writer: IncrementalPdfFileWriter, field: str) -> generic.Reference:
    fields = _signature_fields(writer)
    if field not in fields:
        raise FieldUnavailable(f"the document has no signature field {field!r}")
    value, ref = fields[field]
    if value is not None:
        raise FieldUnavailable(f"signature field {field!r} is already signed")
    return ref


def _field_size(ref: generic.Reference) -> tuple[float, float]:
    """Size of the field's widget (the field itself, or its only kid)."""
    field_dict = ref.get_object()
    if not isinstance(field_dict, generic.DictionaryObject):
        raise BadInput("the signature field is malformed")
    # pyHanko leaves DictionaryObject.__init__ unannotated
    empty = generic.DictionaryObject()  # type: ignore[no-untyped-call]
    widget = field_dict if "/Rect" in field_dict else field_dict.get("/Kids", [empty])[0]
    x1, y1, x2, y2 = (float(v) for v in widget.get_object().get("/Rect", [0, 0, 0, 0]))
    width, height = abs(x2 - x1), abs(y2 - y1)
    if width < 1 or height < 1:
        raise BadInput("the signature field is invisible; signatures here must have a visible appearance")
    return width, height


def _require_timestamper(timestamper: TimeStamper | None) -> TimeStamper:
    if timestamper is None:
        raise TimestampUnavailable("no time-stamping authority configured; signing needs a trusted timestamp")
    return timestamper


def _find_cause(exc: BaseException, kinds: type | tuple[type, ...]) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


_CERTIFICATE_ERRORS = (PathValidationError, PathBuildingError, InsufficientRevinfoError)


def _check_signer(signer: Signer, validation_context: ValidationContext) -> None:
    """Validate the signer's certificate first, so that a revoked, expired or foreign certificate is
    told apart from a TSA whose certificate fails (both surface from pyHanko as path errors).
    The result stays cached in the shared validation context for pyHanko's own check."""
    validator = CertificateValidator(
        signer.signing_cert, intermediate_certs=signer.cert_registry, validation_context=validation_context
    )
    try:
        # pyhanko-certvalidator leaves async_validate_usage unannotated
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))  # type: ignore[no-untyped-call]
    except (*_CERTIFICATE_ERRORS, InvalidCertificateError) as exc:
        raise SignerCertificateRejected(f"the signing certificate is not valid now: {exc}") from exc


def _run(step: Callable[[], io.BytesIO]) -> bytes:
    """Run a pyHanko step and map its failures to domain errors. The signer's certificate was
    checked before, so a certificate failure here is the TSA's."""
    try:
        return step().getvalue()
    except DomainError:
        raise
    except Exception as exc:
        unavailable = _find_cause(exc, TimestampUnavailable)
        if unavailable is not None:
            raise TimestampUnavailable(str(unavailable)) from exc
        rejected = _find_cause(exc, _CERTIFICATE_ERRORS)
        if rejected is not None:
            raise TimestampUnavailable(f"the time-stamping authority is not trusted: {rejected}") from exc
        raise SigningFailed(f"the signature could not be made: {exc}") from exc


def _metadata(
    field: str, reason: str, location: str, validation_context: ValidationContext, *, certify: bool
) -> PdfSignatureMetadata:
    if not reason.strip() or not location.strip():
        raise BadInput("a signature needs a reason and a location")
    return PdfSignatureMetadata(
        field_name=field,
        md_algorithm=MD_ALGORITHM,
        reason=reason,
        location=location,
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=False,
        validation_context=validation_context,
        certify=certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        dss_settings=_DSS_IN_SAME_REVISION,
    )


def _sign_field(
    writer: IncrementalPdfFileWriter,
    ref: generic.Reference,
    meta: PdfSignatureMetadata,
    signer: Signer,
    timestamper: TimeStamper,
    appearance: Appearance,
) -> bytes:
    width, height = _field_size(ref)
    if meta.validation_context is None:  # _metadata always sets one
        raise ValueError("signing needs a validation context")
    _check_signer(signer, meta.validation_context)
    style = stamp_style(appearance, when=datetime.now(UTC), width=width, height=height)
    pdf_signer = PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style)
    return _run(lambda: pdf_signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED))


def _write_locks(writer: IncrementalPdfFileWriter, locked_fields: Mapping[str, Collection[str]]) -> None:
    """Give each named field a FieldMDP ``/Lock`` (Include) over the listed fields; pyHanko applies a
    field's lock when that field is signed, and the diff analysis enforces it afterwards."""
    fields = _signature_fields(writer)
    for owner, locked in locked_fields.items():
        unknown = sorted({owner, *locked} - fields.keys())
        if unknown:
            raise BadInput(f"cannot lock unknown signature fields: {', '.join(unknown)}")
        if not locked:
            continue
        ref = fields[owner][1]
        field_dict = ref.get_object()
        if not isinstance(field_dict, generic.DictionaryObject):
            raise BadInput(f"signature field {owner!r} is malformed")
        field_dict["/Lock"] = generic.DictionaryObject(  # type: ignore[no-untyped-call]  # unannotated in pyHanko
            {
                pdf_name("/Type"): pdf_name("/SigFieldLock"),
                pdf_name("/Action"): pdf_name("/Include"),
                pdf_name("/Fields"): generic.ArrayObject(generic.TextStringObject(name) for name in sorted(locked)),
            }
        )
        writer.mark_update(ref)


def certify(
    pdf: bytes,
    *,
    field: str,
    signer: Signer,
    timestamper: TimeStamper | None,
    validation_context: ValidationContext,
    appearance: Appearance,
    locked_fields: Mapping[str, Collection[str]],
    reason: str,
    location: str,
    witness: str | None = None,
) -> bytes:
    """The bureau seal's certification signature (DocMDP P2: later form filling and signing allowed).

    ``locked_fields`` maps a signature field to the fields locked (FieldMDP) once it is signed; the
    certification field's own entry takes effect now, the others when those fields are signed.
    The document must not be signed yet. ``witness`` (the audit log's latest checkpoint, see
    :data:`WITNESS_KEY`) goes into the document information the signature covers.
    """
    writer = _open(pdf)
    ref = _empty_field(writer, field)
    if any(value is not None for value, _ in _signature_fields(writer).values()):
        raise FieldUnavailable("the document is already signed; the certification signature must come first")
    _write_locks(writer, locked_fields)
    write_witness(writer, witness)
    meta = _metadata(field, reason, location, validation_context, certify=True)
    return _sign_field(writer, ref, meta, signer, _require_timestamper(timestamper), appearance)


def sign(
    pdf: bytes,
    *,
    field: str,
    signer: Signer,
    timestamper: TimeStamper | None,
    validation_context: ValidationContext,
    appearance: Appearance,
    reason: str,
    location: str,
    witness: str | None = None,
) -> bytes:
    """An approval signature in the existing empty signature field ``field``; ``witness`` as
    for :func:`certify`."""
    writer, ref, meta = _approval(pdf, field, reason, location, validation_context, witness)
    return _sign_field(writer, ref, meta, signer, _require_timestamper(timestamper), appearance)


def _approval(
    pdf: bytes, field: str, reason: str, location: str, validation_context: ValidationContext, witness: str | None
) -> tuple[IncrementalPdfFileWriter, generic.Reference, PdfSignatureMetadata]:
    """The update an approval signature goes into: the empty field, the witness, the metadata."""
    writer = _open(pdf)
    ref = _empty_field(writer, field)
    write_witness(writer, witness)
    return writer, ref, _metadata(field, reason, location, validation_context, certify=False)


def add_document_timestamp(
    pdf: bytes,
    *,
    timestamper: TimeStamper | None,
    validation_context: ValidationContext,
    field: str | None = None,
    witness: str | None = None,
) -> bytes:
    """Append the TSA's validation data and a document timestamp: the signatures become PAdES B-LTA.

    With ``field`` the timestamp goes into that existing empty field (create it before certifying,
    as every field); without, pyHanko adds an invisible timestamp field. ``witness`` as for
    :func:`certify`.
    """
    writer = _open(pdf)
    if field is not None:
        _empty_field(writer, field)
    write_witness(writer, witness)
    stamper = PdfTimeStamper(_require_timestamper(timestamper), field_name=field)
    return _run(
        lambda: stamper.timestamp_pdf(
            writer,
            MD_ALGORITHM,
            validation_context,
            bytes_reserved=TIMESTAMP_BYTES_RESERVED,
            # The TSA's validation data goes in before the timestamp, not in an unsigned revision after it.
            dss_settings=TimestampDSSContentSettings(update_before_ts=True, include_vri=False),
        )
    )


@dataclass(frozen=True)
class PreparedSignature:
    """An approval signature prepared ahead, without the key (pyHanko's interrupted signing): the
    update (appearance, metadata, DSS, empty ``/Contents``) written and digested, the CMS signed
    attributes fixed. The moment of signing is then the key over :attr:`signed_attributes`
    (:func:`sign_attributes`) and :func:`finish_signature` (CMS, RFC 3161 timestamp, placeholder
    filled). Plain bytes and numbers: another process can store and finish it, the key stays put."""

    pdf: bytes
    """The whole document with the new revision, ``/Contents`` still zeros."""
    document_digest: bytes
    region_start: int
    region_end: int
    """The ``/Contents`` placeholder the CMS goes into (outside the ``/ByteRange``)."""
    signed_attributes: bytes
    """DER of the CMS signed attributes (message digest, signing certificate): what the key signs."""


def prepare_signature(
    pdf: bytes,
    *,
    field: str,
    signer: Signer,
    timestamper: TimeStamper | None,
    validation_context: ValidationContext,
    appearance: Appearance,
    reason: str,
    location: str,
    witness: str | None = None,
) -> PreparedSignature:
    """Everything of :func:`sign` but the signature value. ``signer`` needs only its certificate
    and chain (a :class:`~pyhanko.sign.signers.ExternalSigner`, say): its key is never used here.
    The signer's certificate is validated now, as :func:`sign` does."""
    writer, ref, meta = _approval(pdf, field, reason, location, validation_context, witness)
    width, height = _field_size(ref)
    _check_signer(signer, validation_context)
    style = stamp_style(appearance, when=datetime.now(UTC), width=width, height=height)
    pdf_signer = PdfSigner(meta, signer, timestamper=_require_timestamper(timestamper), stamp_style=style)

    async def digest() -> tuple[PreparedByteRangeDigest, bytes, bytes]:
        prepared, _, output = await pdf_signer.async_digest_doc_for_signing(
            writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED
        )
        attributes = await signer.signed_attrs(prepared.document_digest, MD_ALGORITHM, use_pades=True)
        output.seek(0)
        return prepared, output.read(), attributes.dump()

    try:
        prepared, body, attributes = asyncio.run(digest())
    except DomainError:
        raise
    except Exception as exc:  # pyHanko's own failures while writing the revision
        raise SigningFailed(f"the signature could not be prepared: {exc}") from exc
    return PreparedSignature(body, prepared.document_digest, prepared.reserved_region_start,
                             prepared.reserved_region_end, attributes)  # fmt: skip


def sign_attributes(signer: Signer, signed_attributes: bytes) -> bytes:
    """The raw signature of ``signer``'s key over a prepared signature's signed attributes
    (:attr:`PreparedSignature.signed_attributes`): the moment of signing."""
    return asyncio.run(signer.async_sign_raw(signed_attributes, MD_ALGORITHM))


def finish_signature(
    prepared: PreparedSignature, *, signer: Signer, signature: bytes, timestamper: TimeStamper | None
) -> bytes:
    """The signed document: the CMS around ``signature`` (made by :func:`sign_attributes`; a
    wrong one is caught by the acceptance gate, which verifies every signature) with its
    signature timestamp, written into the placeholder. ``signer`` gives the certificate and chain."""
    stamper = _require_timestamper(timestamper)
    external = ExternalSigner(signer.signing_cert, signer.cert_registry, signature_value=signature,
                              embed_roots=signer.embed_roots)  # fmt: skip

    async def finish() -> io.BytesIO:
        attributes = cms.CMSAttributes.load(prepared.signed_attributes)
        container = await external.async_sign_prescribed_attributes(
            MD_ALGORITHM, signed_attrs=attributes, timestamper=stamper
        )
        output = io.BytesIO(prepared.pdf)
        digest = PreparedByteRangeDigest(prepared.document_digest, prepared.region_start, prepared.region_end)
        await PdfTBSDocument.async_finish_signing(output, prepared_digest=digest, signature_cms=container)
        return output

    return _run(lambda: asyncio.run(finish()))
