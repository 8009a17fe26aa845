"""Certification at issue: the bureau seal's certification signature and the hook that
``campaign issue`` (command and page) and the cascade pass to ``issue_campaign``.

When the instance has a PKI, every agreement is certified with the bureau seal at issue. Without
one (an instance where ``flask init`` / ``flask pki init`` has not run yet) there is no hook and
the agreements are issued uncertified — never with a fake signature — and the signing workflow
refuses them (``InvalidState``: issued without certification) until they are superseded.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import TYPE_CHECKING

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from sqlalchemy.orm import Session

from ..audit import append_event
from ..errors import InvalidState
from ..models import Agreement
from ..signing import Appearance, certify
from ..verify.acceptance import check_revision
from .campaigns import CertificationHook, CertifiedRevision
from .seal import SEAL_POST, BureauSeal
from .signers_required import ARCHIVE_FIELD, BUREAU_STAGE, FIELD_ROLES, SCHOOL_STAGE, SEAL_FIELD, signature_fields_of
from .signing_env import SigningEnvironment

if TYPE_CHECKING:
    from .instance import InstanceContext

__all__ = ["REASON_SEAL", "certification_for_issue", "certification_hook", "certify_agreement", "signature_location"]

REASON_SEAL = "签发本责任书"


def signature_location(agreement: Agreement, env: SigningEnvironment) -> str:
    """The /Location of a signature on ``agreement``: the campaign's county, else the PKI's names."""
    params = agreement.campaign.parameters or {}
    return str(params.get("county") or env.pki.county_name or env.pki.bureau_name)


def _with_archive_field(pdf: bytes) -> bytes:
    """``pdf`` plus an invisible, empty archive-timestamp field (one incremental update)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    append_signature_field(writer, SigFieldSpec(sig_field_name=ARCHIVE_FIELD, on_page=0))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _locks(fields: Collection[str]) -> dict[str, list[str]]:
    """FieldMDP locks: the seal locks itself; each school field locks the seal and itself; each
    bureau field locks the seal, the school fields and itself."""
    school = sorted(f for f in fields if FIELD_ROLES.get(f, ("",))[0] == SCHOOL_STAGE)
    bureau = sorted(f for f in fields if FIELD_ROLES.get(f, ("",))[0] == BUREAU_STAGE)
    locks = {SEAL_FIELD: [SEAL_FIELD]}
    locks.update({f: [SEAL_FIELD, f] for f in school})
    locks.update({f: [SEAL_FIELD, *school, f] for f in bureau})
    return locks


def certify_agreement(
    session: Session, env: SigningEnvironment, seal: BureauSeal, agreement: Agreement, pdf: bytes
) -> CertifiedRevision:
    """The bureau seal's certification of the generated ``pdf``: an invisible archive-timestamp
    field is added first, then the certification signature (DocMDP P2, FieldMDP locks, red round
    seal, RFC 3161 timestamp, embedded CRLs). The result must pass ``check_revision`` (against
    the file with the added field; it extends ``pdf`` byte for byte) or ``SignatureRejected``."""
    fields = signature_fields_of(pdf)
    if fields.get(SEAL_FIELD) is not False:
        raise InvalidState(f"{agreement.document_number}: no empty bureau-seal field to certify")
    base = _with_archive_field(pdf) if ARCHIVE_FIELD not in fields else pdf
    certified = certify(
        base,
        field=SEAL_FIELD,
        signer=seal.signer(),
        timestamper=env.timestamper,
        validation_context=env.context,
        appearance=Appearance(
            name=seal.bureau_name, posts=(SEAL_POST,), organisation=seal.bureau_name, font=env.font, seal=True
        ),
        locked_fields=_locks(fields),
        reason=REASON_SEAL,
        location=signature_location(agreement, env),
        witness=env.witness,
    )
    check_revision(
        base,
        certified,
        expected_fields={SEAL_FIELD},
        trust_roots=env.trust_roots,
        crls=env.crls,
        signer_certificate=seal.certificate,
        max_bytes=env.max_bytes,
    ).raise_if_rejected()
    append_event(
        session,
        actor="seal:bureau",
        action="agreement.certified",
        subject=f"agreement:{agreement.id}",
        data={"document_number": agreement.document_number, "seal_serial": format(seal.certificate.serial_number, "x")},
    )
    return CertifiedRevision(certified, SEAL_FIELD)


def certification_hook(env: SigningEnvironment, seal: BureauSeal) -> CertificationHook:
    """The ``certify`` hook ``agreements.issue_campaign`` calls for each agreement."""

    def hook(session: Session, agreement: Agreement, pdf: bytes) -> CertifiedRevision:
        return certify_agreement(session, env, seal, agreement, pdf)

    return hook


def certification_for_issue(session: Session, instance: InstanceContext) -> CertificationHook | None:
    """The bureau seal's certification hook, or None when the instance has no PKI. Opens the
    seal, never makes one (``PkiMissing`` when the PKI exists without a usable seal)."""
    if not instance.has_pki():
        return None
    env = instance.signing_environment(session)
    return certification_hook(env, instance.seal(session))
