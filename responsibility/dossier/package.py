"""The dossier as a ZIP that verifies offline, like the evidence package it extends.

What makes the JSON checkable without our server: its SHA-256 is written into the audit chain
(``dossier.built``, in the caller's transaction), and a checkpoint of the chain is sealed at once
by the bureau, so the checkpoint's head is that event (or a later one, with every event between in
the archive). Offline a reader hashes ``dossier.json``, finds the event carrying that digest in
``audit-events.jsonl``, recomputes the events' hashes up to the checkpoint's ``head_hash`` and checks
the checkpoint's ``.p7s`` with ``root.pem`` (``DOSSIER.txt`` gives the commands). The agreements
binding the links are in ``agreements/`` with their verification reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.instance import InstanceContext
from ..agreements.registry import DatabaseRegistry
from ..audit import append_event
from ..clock import iso_utc
from ..evidence.package import build_evidence, event_subjects
from ..evidence.sealing import checkpoint_now, report_sealer
from ..models import Agreement, AuditEvent
from .build import Dossier

__all__ = ["DOSSIER_ACTION", "dossier_json", "dossier_zip"]

DOSSIER_ACTION = "dossier.built"


def dossier_json(dossier: Dossier, subject: str, extra: dict[str, object] | None = None) -> bytes:
    """The dossier's JSON exactly as archived (sorted keys, UTF-8)."""
    body = {"subject": subject, **(extra or {}), **dossier.as_dict()}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def dossier_zip(
    session: Session,
    instance: InstanceContext,
    dossier: Dossier,
    *,
    subject: str,
    actor: str,
    now: dt.datetime,
    extra: dict[str, object] | None = None,
) -> bytes:
    """The ZIP; logs ``dossier.built`` and seals a checkpoint in the caller's transaction (the
    caller commits once the file is written or sent)."""
    data = dossier_json(dossier, subject, extra)
    digest = hashlib.sha256(data).hexdigest()
    event = append_event(
        session,
        actor=actor,
        action=DOSSIER_ACTION,
        subject=subject,
        data={"sha256": digest, "place": dossier.subject.source_id, "at": iso_utc(dossier.at)},
        at=now,
    )
    session.flush()
    checkpoint = checkpoint_now(session, instance, actor=actor, now=now)
    ids = sorted({t.link.agreement_db_id for t in dossier.links if t.link.agreement_db_id is not None})
    agreements = list(session.scalars(select(Agreement).where(Agreement.id.in_(ids)))) if ids else []
    subjects = [*event_subjects(agreements), subject]
    events = session.scalars(
        select(AuditEvent)
        .where((AuditEvent.subject.in_(subjects)) | (AuditEvent.seq.between(event.seq, checkpoint.seq)))
        .order_by(AuditEvent.seq)
    )
    store = instance.store
    return build_evidence(
        session,
        agreements=agreements,
        store=store,
        trust=instance.trust(session),
        registry=DatabaseRegistry(session, store),
        audit_events=list(events),
        seal_signer=report_sealer(session, instance),
        now=now,
        scope=f"事故档案 {subject}",
        extra_files={"dossier.json": data, "DOSSIER.txt": _readme(digest, event.seq, checkpoint.id).encode("utf-8")},
    )


def _readme(digest: str, seq: int, checkpoint_id: int) -> str:
    return f"""事故档案（dossier.json）的离线核验 / Checking dossier.json offline

1. sha256sum dossier.json
   应为 / must be: {digest}
2. 在 audit-events.jsonl 中找到 seq={seq}、action="{DOSSIER_ACTION}" 的事件，其 data.sha256 等于上面的摘要。
   Find the event seq={seq}, action "{DOSSIER_ACTION}", in audit-events.jsonl: its data.sha256 is that digest.
3. 从该事件起逐条核对 hash = sha256(prev_hash + 规范JSON)，直至 checkpoints/{checkpoint_id:06d}.json 的 head_hash。
   Recompute each event's hash from that one to the head_hash of checkpoints/{checkpoint_id:06d}.json.
4. 核验检查点签章 / Check the checkpoint's seal:
   openssl cms -verify -binary -inform DER -in checkpoints/{checkpoint_id:06d}.p7s \\
       -content checkpoints/{checkpoint_id:06d}.json -CAfile root.pem -purpose any
5. agreements/ 中各环节的责任书按 README.txt 的步骤核验。
   The agreements of the links in agreements/ verify as README.txt says.
"""
