"""Export an evidence package for one agreement or a whole campaign (CLI and web share this).

Takes the verification trust, the store and the sealed-report signer from the instance context
(one PKI load for the whole package), calls
:func:`.package.build_evidence`, and logs ``evidence.exported`` in the caller's transaction (the
caller commits once the file is written or sent).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import clock
from ..agreements import find_campaign
from ..agreements.errors import AgreementNotFound
from ..agreements.instance import InstanceContext
from ..agreements.registry import DatabaseRegistry, verification_limits
from ..audit import append_event
from ..models import Agreement
from .errors import BadInput, NothingToExport
from .package import build_evidence, entry_name, event_subjects, events_concerning
from .sealing import report_sealer

__all__ = ["EvidenceExport", "export_evidence"]


@dataclass(frozen=True)
class EvidenceExport:
    data: bytes
    """The ZIP."""
    file_name: str
    """A suggested name (``evidence-<number>.zip`` / ``evidence-campaign-<id>.zip``)."""
    agreements: int


def export_evidence(
    session: Session,
    instance: InstanceContext,
    *,
    actor: str,
    agreement_id: int | None = None,
    campaign_key: str | int | None = None,
    now: dt.datetime | None = None,
) -> EvidenceExport:
    """The package for exactly one of ``agreement_id`` or ``campaign_key`` (id or name)."""
    if (agreement_id is None) == (campaign_key is None):
        raise BadInput("give exactly one of an agreement or a campaign")
    now = now or dt.datetime.now(dt.UTC)
    campaign_ids: list[int] = []
    if agreement_id is not None:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise AgreementNotFound(f"no agreement {agreement_id}")
        agreements = [agreement]
        scope = f"协议 {agreement.document_number}"
        subject, file_name = f"agreement:{agreement.id}", f"evidence-{entry_name(agreement.document_number)}.zip"
    else:
        assert campaign_key is not None  # exactly one of the two was given (checked above)
        campaign = find_campaign(session, campaign_key)
        agreements = [a for a in campaign.agreements if a.kind == "school"]
        if not agreements:
            raise NothingToExport(f"campaign {campaign.name} has no agreements")
        campaign_ids = [campaign.id]
        scope = f"专项 {campaign.name}（{len(agreements)} 份协议）"
        subject, file_name = f"campaign:{campaign.id}", f"evidence-campaign-{campaign.id}.zip"
    store = instance.store
    data = build_evidence(
        session,
        agreements=agreements,
        store=store,
        trust=instance.trust(session),
        registry=DatabaseRegistry(session, store),
        audit_events=events_concerning(session, event_subjects(agreements, campaign_ids)),
        seal_signer=report_sealer(session, instance),
        now=now,
        scope=scope,
        limits=verification_limits(instance.settings.limits),
        zone=clock.zone(instance.settings.zone),
    )
    append_event(
        session,
        actor=actor,
        action="evidence.exported",
        subject=subject,
        data={
            "agreements": len(agreements),
            "document_numbers": sorted(a.document_number for a in agreements)[:50],
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        },
        at=now,
    )
    return EvidenceExport(data, file_name, len(agreements))
