"""Signed checkpoints of the audit chain: what a recomputed chain cannot fake.

The hash chain alone catches an edited, deleted or reordered event — unless whoever edits it also
recomputes every later hash and the head row, which anyone with database access can do. A
checkpoint pins ``(seq, head hash, event count, time)`` in a detached CMS SignedData made by the
bureau seal's key, with an RFC 3161 timestamp token as an unsigned attribute. Nobody without the
seal key can re-sign it, so after such a rewrite the event at a checkpoint's ``seq`` no longer has
the signed hash.

The signed bytes are the checkpoint's canonical JSON (stored verbatim in ``payload``), so a third
party can check one offline::

    openssl cms -verify -binary -inform DER -in checkpoint.p7s -content checkpoint.json \
        -CAfile root.pem -purpose any

Settings come in as arguments (the signer, the timestamper, the trust); nothing here imports the
seal module (``agreements`` imports ``audit``) or Flask.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..canonical import canonical_text
from ..clock import iso_utc
from ..errors import InvalidState
from ..models import AuditChainHead, AuditCheckpoint, AuditEvent
from ..verify.settings import TrustConfig
from .log import GENESIS_HASH, HEAD_ROW_ID, append_event, verify_chain

__all__ = [
    "CHECKPOINT_KIND",
    "CheckpointCheck",
    "checkpoint_payload",
    "create_checkpoint",
    "verify_checkpoint_signature",
    "verify_checkpoints",
]

CHECKPOINT_KIND = "responsibility.audit.checkpoint/1"
#: The bureau seal's certificate carries this subject serialNumber (``agreements.seal.SEAL_SERIAL``;
#: repeated here because ``agreements`` imports ``audit``).
SEAL_SERIAL = "BUREAU-SEAL"
DIGEST = "sha256"


def checkpoint_payload(seq: int, head_hash: str, event_count: int, created_at: dt.datetime) -> str:
    """The canonical JSON a checkpoint's signature covers."""
    body = {
        "kind": CHECKPOINT_KIND,
        "seq": seq,
        "head_hash": head_hash,
        "event_count": event_count,
        "created_at": iso_utc(created_at),
    }
    return canonical_text(body)


def create_checkpoint(
    session: Session, *, signer: Signer, timestamper: TimeStamper, actor: str, now: dt.datetime | None = None
) -> AuditCheckpoint:
    """Sign the chain's current head with ``signer`` (the bureau seal) and a timestamp; the caller
    commits. Refuses (``InvalidState``) when the chain does not check: signing it would launder a
    rewrite. Appends ``audit.checkpoint`` after the checkpointed head."""
    check = verify_chain(session)
    if not check.ok:
        raise InvalidState(f"the audit log is broken at event {check.first_broken_seq}; not signing a checkpoint")
    now = now or dt.datetime.now(dt.UTC)
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ROW_ID).with_for_update()
    ).scalar_one_or_none()
    seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
    count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= seq)) or 0
    payload = checkpoint_payload(seq, head_hash, count, now)
    signed = asyncio.run(
        signer.async_sign_general_data(payload.encode("utf-8"), DIGEST, detached=True, timestamper=timestamper)
    )
    row = AuditCheckpoint(
        seq=seq, head_hash=head_hash, event_count=count, created_at=now, actor=actor, payload=payload, cms=signed.dump()
    )
    session.add(row)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="audit.checkpoint",
        subject=f"checkpoint:{row.id}",
        data={"seq": seq, "head_hash": head_hash, "event_count": count},
    )
    return row


@dataclass(frozen=True)
class CheckpointCheck:
    """Result of checking every checkpoint against its signature and the chain."""

    ok: bool
    checkpoints: int
    """Number of checkpoints read."""
    first_broken_id: int | None = None
    first_broken_seq: int | None = None
    """The checkpoint's ``seq`` (the event it pins)."""
    reason: str | None = None
    """Why it fails, in English."""
    last_seq: int | None = None
    """``seq`` pinned by the newest good checkpoint (None when there is none)."""


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


def _payload_matches(row: AuditCheckpoint) -> bool:
    try:
        body = json.loads(row.payload)
    except ValueError:
        return False
    return (
        body.get("kind") == CHECKPOINT_KIND
        and body.get("seq") == row.seq
        and body.get("head_hash") == row.head_hash
        and body.get("event_count") == row.event_count
    )


def verify_checkpoints(session: Session, trust: TrustConfig) -> CheckpointCheck:
    """Check every checkpoint (oldest first): signature and timestamp verify, the signed payload is
    the row, and the chain still has the signed hash at the signed ``seq`` with the signed number
    of events up to it. Names the first checkpoint that fails."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq, AuditCheckpoint.id)).all()
    last_seq: int | None = None

    def broken(row: AuditCheckpoint, why: str) -> CheckpointCheck:
        return CheckpointCheck(False, len(rows), row.id, row.seq, why, last_seq)

    for row in rows:
        if not _payload_matches(row):
            return broken(row, "checkpoint row differs from what was signed")
        problem, _ = verify_checkpoint_signature(row.payload.encode("utf-8"), bytes(row.cms), trust)
        if problem is not None:
            return broken(row, problem)
        if row.seq == 0:
            actual_hash: str | None = GENESIS_HASH
        else:
            actual_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == row.seq))
        if actual_hash is None:
            return broken(row, f"event {row.seq} pinned by the checkpoint is missing")
        if actual_hash != row.head_hash:
            return broken(row, f"event {row.seq} no longer has the hash the checkpoint signed (history rewritten)")
        count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= row.seq)) or 0
        if count != row.event_count:
            return broken(row, f"{count} events up to {row.seq}, the checkpoint signed {row.event_count}")
        last_seq = row.seq
    return CheckpointCheck(True, len(rows), last_seq=last_seq)
