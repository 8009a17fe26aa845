"""External signing: a signer downloads the current PDF, signs it in another PAdES tool, and
uploads it. The upload is accepted only if it passes the acceptance gate (ARCHITECTURE §4)
against the current revision, signs exactly one of the fields that are the uploader's to sign
now, and was made with the uploader's pinned enrolled certificate (a county certificate, or an
external CA's certificate enrolled with ``flask keys import-p12``).

Refusals raise (``Forbidden``, ``InvalidState``, ``SignatureRejected``) and store nothing; the
entry point then records ``agreement.upload_rejected`` with :func:`record_upload_rejection` in a
transaction of its own, so the audit trail keeps the refused attempt.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..audit import append_event
from ..errors import Forbidden
from ..models import Person
from ..models.pki import ENROLMENT_REVOKED
from ..pki.enrolment import enrolment_of
from ..pki.registry import certificate_of
from .agreement_lock import claim_agreement
from .notices import agreement_advanced
from .signers_required import SCHOOL_STAGE, authorise, required_signers
from .signing_env import SigningEnvironment
from .signing_flow import SignOutcome, accept_revision, advance
from .signing_window import check_signing_window

__all__ = ["accept_upload", "record_upload_rejection"]


def accept_upload(
    session: Session,
    env: SigningEnvironment,
    agreement_id: int,
    person: Person,
    data: bytes,
    *,
    day: dt.date,
    actor: str,
) -> SignOutcome:
    """Accept ``data`` as ``person``'s signature on ``agreement_id`` (see the module docstring).
    Writes ``agreement.signed`` / ``agreement.countersigned`` with ``"external": true``; after
    the last countersignature the archive timestamp follows as for the sign page. The caller
    commits."""
    enrolment = enrolment_of(session, person)
    if enrolment is None or enrolment.state == ENROLMENT_REVOKED or enrolment.certificate.revoked_at is not None:
        raise Forbidden(
            f"{person.name} 没有有效的签名证书，不能上传签署文件 (no valid enrolled certificate for {person.source_id})"
        )
    certificate = certificate_of(enrolment.certificate)
    agreement = claim_agreement(session, agreement_id)
    previous = env.store.read(agreement.pdf_sha256)
    plan = required_signers(session, agreement, day, pdf=previous)
    todo = authorise(plan, person, agreement.document_number)
    check_signing_window(agreement, day, grace_days=env.grace_days, zone_name=env.zone)
    stage = todo[0].stage
    revision = accept_revision(
        session, env, agreement, previous, data,
        expected_fields={s.field for s in todo}, signer_certificate=certificate,
        kind="signed" if stage == SCHOOL_STAGE else "countersigned", field=None, signer=person,
    )  # fmt: skip
    append_event(
        session,
        actor=actor,
        action="agreement.signed" if stage == SCHOOL_STAGE else "agreement.countersigned",
        subject=f"agreement:{agreement.id}",
        data={
            "document_number": agreement.document_number,
            "field": revision.field,
            "person": person.source_id,
            "certificate_serial": enrolment.certificate.serial_hex,
            "seq": revision.seq,
            "sha256": revision.sha256,
            "external": True,
        },
    )
    plan = required_signers(session, agreement, day, pdf=data)
    added = [revision, *advance(session, env, agreement, plan, data, actor)]
    agreement_advanced(session, agreement, day, env.store)
    return SignOutcome(agreement.id, agreement.document_number, agreement.state, tuple(added))


def record_upload_rejection(
    session: Session, agreement_id: int, person: Person | None, reason: str, *, actor: str, size: int
) -> None:
    """Audit a refused upload (``agreement.upload_rejected``); the caller commits."""
    append_event(
        session,
        actor=actor,
        action="agreement.upload_rejected",
        subject=f"agreement:{agreement_id}",
        data={"person": person.source_id if person else None, "reason": reason[:2000], "size": size},
    )
