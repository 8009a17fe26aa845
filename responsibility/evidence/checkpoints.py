"""Sealing the audit chain's checkpoints: the bureau seal's CMS signature with an RFC 3161 token.

``audit.checkpoints`` keeps the record (the payload, the row, the comparison with the chain); the
signature needs the seal and the trust settings, which live above ``audit``, so it is made and
checked here. The signed bytes are the checkpoint's canonical JSON (stored verbatim in
``payload``), so a third party can check one offline::

    openssl cms -verify -binary -inform DER -in checkpoint.p7s -content checkpoint.json \
        -CAfile root.pem -purpose any
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from asn1crypto import cms
from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.orm import Session

from ..agreements.seal import SEAL_SERIAL
from ..audit.checkpoints import CheckpointCheck, checkpoint_head, record_checkpoint, verify_checkpoints
from ..models import AuditCheckpoint
from ..verify.settings import TrustConfig
from .witness_files import highest_file_number, write_witness_file

__all__ = ["create_checkpoint", "verify_checkpoint_signature", "verify_sealed_checkpoints"]

DIGEST = "sha256"


def create_checkpoint(
    session: Session,
    *,
    signer: Signer,
    timestamper: TimeStamper,
    actor: str,
    now: dt.datetime | None = None,
    witness_directory: Path | None = None,
) -> AuditCheckpoint:
    """Sign the chain's current head with ``signer`` (the bureau seal) and a timestamp; the caller
    commits. Refuses (``InvalidState``) when the chain does not check: signing it would launder a
    rewrite. Appends ``audit.checkpoint`` after the checkpointed head. With ``witness_directory``
    (``witness_files.witness_dir`` of the instance) the signed checkpoint is also written there,
    before the commit, under a number no file has yet."""
    used = highest_file_number(witness_directory) if witness_directory is not None else 0
    head = checkpoint_head(session, now=now, numbers_used=used)
    signed = asyncio.run(
        signer.async_sign_general_data(head.payload.encode("utf-8"), DIGEST, detached=True, timestamper=timestamper)
    )
    row = record_checkpoint(session, head, signed.dump(), actor=actor)
    if witness_directory is not None:
        write_witness_file(witness_directory, row)
    return row


def verify_sealed_checkpoints(session: Session, trust: TrustConfig) -> CheckpointCheck:
    """``audit.checkpoints.verify_checkpoints`` with the bureau seal's signature checked against
    ``trust``."""

    def check(payload: bytes, cms_der: bytes) -> str | None:
        return verify_checkpoint_signature(payload, cms_der, trust)[0]

    return verify_checkpoints(session, check)


def _context(trust: TrustConfig, moment: dt.datetime | None) -> ValidationContext:
    from asn1crypto import x509 as asn1_x509

    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust.roots],
        crls=list(trust.crls),
        allow_fetching=False,
        revocation_mode="require" if trust.revocation_required else "soft-fail",
        moment=moment,
        retroactive_revinfo=moment is not None,
    )


def verify_checkpoint_signature(
    payload: bytes, cms_der: bytes, trust: TrustConfig
) -> tuple[str | None, dt.datetime | None]:
    """``(problem, timestamp)``: ``problem`` is None when the CMS over ``payload`` is intact, made
    by a bureau seal certificate that chains to ``trust`` (valid and unrevoked at the timestamp),
    and carries a trusted timestamp token over it."""
    try:
        info = cms.ContentInfo.load(cms_der)
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" or not isinstance(signed_data, cms.SignedData):
            return "not a CMS SignedData", None
        first = asyncio.run(
            async_validate_detached_cms(
                payload,
                signed_data,
                signer_validation_context=_context(trust, None),
                ts_validation_context=_context(trust, None),
            )
        )
    except Exception as exc:  # any malformed structure is a failed check, never a crash
        return f"unreadable signature ({type(exc).__name__})", None
    if not first.intact or not first.valid:
        return "signature does not match the checkpoint", None
    ts = first.timestamp_validity
    if ts is None:
        return "no timestamp token", None
    if not (ts.intact and ts.valid and ts.trusted):
        return "timestamp token does not verify", None
    moment = ts.timestamp
    # Judge the seal at the timestamp: a seal renewed or revoked later does not void old checkpoints.
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                payload,
                signed_data,
                signer_validation_context=_context(trust, moment),
                ts_validation_context=_context(trust, None),
            )
        )
    except Exception as exc:
        return f"unreadable signature ({type(exc).__name__})", moment
    if not status.trusted:
        return "signer certificate is not trusted at the timestamp", moment
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    serials = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    if SEAL_SERIAL not in serials:
        return "not signed by the bureau seal", moment
    return None, moment
