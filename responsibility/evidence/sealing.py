"""The bureau seal as a signer for the audit trail: checkpoints and evidence reports.

One place that opens the seal (``agreements.seal.ensure_seal``) and the configured timestamper
(``pki.instance.timestamper_for``) for the CLI and the web, so both sign the same way.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy.orm import Session

from ..agreements.seal import SEAL_POST, BureauSeal, ensure_seal
from ..agreements.signing_env import stamp_font
from ..models import AuditCheckpoint
from ..pki.ca import Pki
from ..pki.instance import load_instance_pki, timestamper_for
from ..pki.registry import current_crls
from ..signing import Appearance, build_validation_context
from .checkpoints import create_checkpoint
from .report_pdf import ReportSealer

__all__ = ["SealKit", "checkpoint_now", "open_seal", "report_sealer"]


@dataclass(frozen=True)
class SealKit:
    """The opened bureau seal, its PKI and the timestamper to use with it."""

    pki: Pki
    seal: BureauSeal
    timestamper: TimeStamper


def open_seal(
    session: Session, config: Mapping[str, Any], instance_path: str | os.PathLike[str], *, actor: str
) -> SealKit:
    """The instance's seal (made on first use, ``PkiMissing`` before ``flask pki init``)."""
    pki = load_instance_pki(instance_path, config)
    seal = ensure_seal(session, pki, config, actor=actor)
    return SealKit(pki, seal, timestamper_for(config, pki))


def checkpoint_now(
    session: Session,
    config: Mapping[str, Any],
    instance_path: str | os.PathLike[str],
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> AuditCheckpoint:
    """Sign a checkpoint of the chain's head with the bureau seal; the caller commits."""
    kit = open_seal(session, config, instance_path, actor=actor)
    return create_checkpoint(session, signer=kit.seal.signer(), timestamper=kit.timestamper, actor=actor, now=now)


def report_sealer(
    session: Session, config: Mapping[str, Any], instance_path: str | os.PathLike[str], *, actor: str
) -> ReportSealer:
    """The bureau seal ready to certify verification reports (our root, the current CRLs)."""
    kit = open_seal(session, config, instance_path, actor=actor)
    seal = kit.seal
    return ReportSealer(
        signer=seal.signer(),
        timestamper=kit.timestamper,
        validation_context=build_validation_context([kit.pki.root_certificate], current_crls(session, kit.pki)),
        appearance=Appearance(
            name=seal.bureau_name,
            posts=(SEAL_POST,),
            organisation=seal.bureau_name,
            font=stamp_font(config, instance_path),
            seal=True,
        ),
        location=seal.bureau_name,
    )
