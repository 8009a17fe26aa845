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

from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy.orm import Session

from ..audit.checkpoints import CheckpointCheck, checkpoint_head, record_checkpoint, verify_checkpoints
from ..models import AuditCheckpoint
from ..verify.settings import TrustConfig
from .checkpoint_signature import verify_checkpoint_signature
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
