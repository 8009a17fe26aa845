"""The bureau seal as a signer for the audit trail: checkpoints and evidence reports.

One place that opens the seal and the configured timestamper from the instance context for the
CLI and the web, so both sign the same way. Nothing here makes a key: before ``flask pki init``
the seal raises ``PkiMissing``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy.orm import Session

from ..agreements.instance import InstanceContext
from ..agreements.seal import SEAL_POST, BureauSeal
from ..audit.witness import latest_witness
from ..models import AuditCheckpoint
from ..pki.ca import Pki
from ..pki.registry import current_crls
from ..signing import Appearance, build_validation_context
from .checkpoints import create_checkpoint
from .report_pdf import ReportSealer
from .witness_files import witness_dir

__all__ = ["SealKit", "checkpoint_now", "open_seal", "report_sealer"]


@dataclass(frozen=True)
class SealKit:
    """The opened bureau seal, its PKI and the timestamper to use with it."""

    pki: Pki
    seal: BureauSeal
    timestamper: TimeStamper


def open_seal(session: Session, instance: InstanceContext) -> SealKit:
    """The instance's seal (``PkiMissing`` before ``flask pki init``)."""
    return SealKit(instance.pki, instance.seal(session), instance.timestamper)


def checkpoint_now(
    session: Session, instance: InstanceContext, *, actor: str, now: dt.datetime | None = None
) -> AuditCheckpoint:
    """Sign a checkpoint of the chain's head with the bureau seal, also as a file in the instance
    (``witness_files``); the caller commits."""
    kit = open_seal(session, instance)
    return create_checkpoint(
        session,
        signer=kit.seal.signer(),
        timestamper=kit.timestamper,
        actor=actor,
        now=now,
        witness_directory=witness_dir(instance.settings.storage.instance_dir),
    )


def witness_text(session: Session) -> str | None:
    """What every signature made now carries: the latest checkpoint's witness string."""
    witness = latest_witness(session)
    return witness.text() if witness is not None else None


def report_sealer(session: Session, instance: InstanceContext) -> ReportSealer:
    """The bureau seal ready to certify verification reports (our root, the current CRLs)."""
    kit = open_seal(session, instance)
    seal = kit.seal
    return ReportSealer(
        signer=seal.signer(),
        timestamper=kit.timestamper,
        validation_context=build_validation_context([kit.pki.root_certificate], current_crls(session, kit.pki)),
        appearance=Appearance(
            name=seal.bureau_name,
            posts=(SEAL_POST,),
            organisation=seal.bureau_name,
            font=instance.font,
            seal=True,
        ),
        location=seal.bureau_name,
        witness=witness_text(session),
    )
