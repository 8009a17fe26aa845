"""Issuing one two-party agreement in one go: render, store, certify, issue, bind, audit.

Shared by the cascade (post agreements, kind ``post``) and the bureau's internal agreements
(kind ``bureau``): unlike a school agreement, neither has a draft stage — it is rendered from the
data of the issue day and issued at once, certified with the campaign's seal hook (none on an
instance without a PKI: then it is issued uncertified and the signing flow refuses it, as for
school agreements). The superior signs ``sig_superior`` first, then the holder ``sig_holder``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import Agreement, AgreementBinding, AgreementRevision, Person
from ..models.agreements import AGREEMENT_DRAFT, AGREEMENT_ISSUED
from ..models.base import utcnow
from ..pdf import AgreementContent, AgreementTemplate, render_agreement
from .campaigns import CertificationHook, add_certification
from .errors import BadInput
from .notices import agreement_issued
from .states import transition
from .storage import PdfStore

__all__ = ["Binding", "TwoPartyAgreement", "issue_two_party"]


@dataclass(frozen=True)
class Binding:
    """A chain role and the place (school or grid database id) an agreement binds."""

    role: str
    school_id: int | None = None
    grid_id: int | None = None


@dataclass(frozen=True)
class TwoPartyAgreement:
    """What to issue: who, where, the composed content and what it binds."""

    kind: str
    campaign_id: int
    org_id: int
    """The school (post agreement) or the bureau (bureau agreement)."""
    number: str
    superior: Person
    holder: Person
    post_code: str
    content: AgreementContent
    bindings: tuple[Binding, ...] = ()
    parent_id: int | None = None


def issue_two_party(
    session: Session,
    spec: TwoPartyAgreement,
    template: AgreementTemplate,
    *,
    storage: PdfStore,
    certify: CertificationHook | None,
    actor: str,
    day: dt.date,
    action: str,
    data: Mapping[str, Any],
) -> Agreement:
    """Render ``spec.content``, store the PDF, certify it (when ``certify``), issue it, write its
    bindings and one ``action`` audit event carrying ``data`` (flushed, not committed).
    ``BadInput`` naming the document number when the PDF cannot be made."""
    try:
        pdf = render_agreement(template, spec.content)
    except BadInput as exc:
        raise BadInput(f"{spec.number}: {exc}") from exc
    sha, _ = storage.put(pdf)
    now = utcnow()
    agreement = Agreement(
        campaign_id=spec.campaign_id,
        school_id=spec.org_id,
        document_number=spec.number,
        state=AGREEMENT_DRAFT,
        kind=spec.kind,
        parent_id=spec.parent_id,
        superior_person_id=spec.superior.id,
        holder_person_id=spec.holder.id,
        post_code=spec.post_code[:16],
        template_version=template.version,
        template_hash=template.content_hash,
        data_hash=spec.content.content_hash,
        as_of=day,
        pdf_sha256=sha,
        pdf_size=len(pdf),
        generated_at=now,
    )
    agreement.revisions.append(AgreementRevision(seq=1, sha256=sha, size=len(pdf), kind="generated", created_at=now))
    agreement.bindings.extend(_rows(spec.bindings))
    session.add(agreement)
    session.flush()
    if certify is not None:
        add_certification(session, agreement, certify, storage)
    transition(agreement, AGREEMENT_ISSUED)
    agreement.issued_at = now
    session.flush()
    agreement_issued(session, agreement, day, storage)
    append_event(
        session,
        actor=actor,
        action=action,
        subject=f"agreement:{agreement.id}",
        data={
            "document_number": spec.number,
            "superior": spec.superior.source_id,
            "holder": spec.holder.source_id,
            **data,
            "sha256": agreement.pdf_sha256,
            "template_version": template.version,
            "template_hash": template.content_hash,
            "certified": certify is not None,
        },
    )
    return agreement


def _rows(bindings: Iterable[Binding]) -> list[AgreementBinding]:
    return [AgreementBinding(role=b.role, school_id=b.school_id, grid_id=b.grid_id) for b in dict.fromkeys(bindings)]
