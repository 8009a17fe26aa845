"""Work documents (考核结果、问责决定、排查结果): the one way a season document is issued for signing.

A domain package (``assessment``, ``accountability``, ``inspections``) composes a
:class:`WorkRequest` — what the document is about, the texts and table rows it prints, the facts
it embeds and its signature fields — and :func:`issue_work_document` renders it with the kind's
template (``pdf_templates/<kind>/2025-v1``), stores it, certifies it with the bureau seal
(DocMDP P2, FieldMDP locks, RFC 3161 timestamp: the same hook as every agreement) and issues it
as an ``Agreement`` of kind ``work`` with a ``WorkDocument`` row. From there it is signed through
``signing_flow.sign_agreement`` by each required person with their own key and PIN — the school
heads' fields (``sig_school_*``) first, the bureau heads' (``sig_bureau_*``) after; an inspector
signs ``sig_superior`` — and ``flask verify`` reads it like any agreement (document number and
expected signers from the embedded matrix).

Idempotent per subject: the same facts again return the live document; changed facts (an
assessor's adjustment) issue a new one and supersede the earlier one (kept, ``superseded``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import as_utc
from ..errors import InvalidState
from ..messages import N_
from ..models import Agreement, Campaign, Organization, WorkDocument
from ..models.agreements import AGREEMENT_DRAFT, AGREEMENT_KIND_WORK, AGREEMENT_SUPERSEDED, AGREEMENT_VOID
from ..models.base import utcnow
from ..models.work_documents import WORK_KINDS
from ..pdf.content import SignatureFieldSpec
from ..pdf.template import DEFAULT_ROOT
from ..pdf.work_document import WorkDocumentContent, load_work_template, render_work_document
from .campaigns import CertificationHook, issue_generated
from .notices import agreement_issued
from .parameters import agreement_parameters
from .states import transition
from .storage import PdfStore

__all__ = [
    "WORK_TEMPLATE_VERSION",
    "IssuedWork",
    "WorkRequest",
    "campaign_on",
    "issue_work_document",
    "live_work_document",
]

WORK_TEMPLATE_VERSION = "2025-v1"
_DEAD = (AGREEMENT_VOID, AGREEMENT_SUPERSEDED)


@dataclass(frozen=True)
class WorkRequest:
    """One work document to issue (plain data; the domain package composes it)."""

    kind: str
    """One of ``models.work_documents.WORK_KINDS``: also the template's directory."""
    subject_key: str
    campaign: Campaign
    organisation: Organization
    """The school the document is about, or the bureau."""
    number_stem: str
    """The document number is ``<campaign prefix>-<stem>`` (``-2``… when taken)."""
    texts: Mapping[str, str]
    rows: Mapping[str, tuple[tuple[str, ...], ...]]
    data: Mapping[str, Any]
    signature_fields: tuple[SignatureFieldSpec, ...]
    placeholders: frozenset[str]
    """The kind's own placeholders (checked against its template)."""
    names: Mapping[str, str] = field(default_factory=dict)
    superior_person_id: int | None = None
    """Who signs ``sig_superior`` (an inspector), when the document has that field."""


@dataclass(frozen=True)
class IssuedWork:
    agreement: Agreement
    created: bool
    """False: the live document already says the same (nothing written)."""
    superseded: str | None = None
    """Document number of the earlier document this one replaced."""


def live_work_document(session: Session, kind: str, subject_key: str) -> WorkDocument | None:
    """The newest document of the subject that is neither void nor superseded."""
    return session.scalars(
        select(WorkDocument)
        .join(Agreement, Agreement.id == WorkDocument.agreement_id)
        .where(WorkDocument.kind == kind, WorkDocument.subject_key == subject_key, Agreement.state.not_in(_DEAD))
        .order_by(WorkDocument.id.desc())
        .limit(1)
    ).first()


def campaign_on(session: Session, day: dt.date) -> Campaign:
    """The campaign whose term holds ``day`` (the newest such), else the newest one begun by then,
    else the newest: whose numbering and parameters a work document of ``day`` takes."""
    newest = select(Campaign).order_by(Campaign.term_start.desc(), Campaign.id.desc()).limit(1)
    found = (
        session.scalars(newest.where(Campaign.term_start <= day, Campaign.term_end >= day)).first()
        or session.scalars(newest.where(Campaign.term_start <= day)).first()
        or session.scalars(newest).first()
    )
    if found is None:
        raise InvalidState(N_("There is no campaign yet: a document of the season cannot be numbered."))
    return found


def _number(session: Session, campaign: Campaign, stem: str) -> str:
    base = f"{campaign.document_prefix}-{stem}"
    number, n = base, 1
    while session.scalar(select(Agreement.id).where(Agreement.document_number == number)) is not None:
        n += 1
        number = f"{base}-{n}"
    return number


def _content(request: WorkRequest, number: str, day: dt.date) -> WorkDocumentContent:
    params = agreement_parameters(request.campaign, number)
    created = as_utc(dt.datetime.combine(day, dt.time(0, 0)))
    params = type(params)(**{**params.__dict__, "created_at": created})
    return WorkDocumentContent(
        kind=request.kind, parameters=params, organisation=request.organisation.name, texts=dict(request.texts),
        rows=dict(request.rows), data=dict(request.data), signature_fields=request.signature_fields,
        names=dict(request.names),
    )  # fmt: skip


def issue_work_document(
    session: Session, request: WorkRequest, *, storage: PdfStore, certify: CertificationHook | None, actor: str,
    day: dt.date, template_root: Path = DEFAULT_ROOT,
) -> IssuedWork:  # fmt: skip
    """Issue ``request`` (certified with ``certify``), or return the live document when it says
    the same; flushed, not committed. ``InvalidState`` without a PKI (no hook); ``TemplateError``
    for a broken template. One ``work_document.issued`` event (and ``agreement.certified``)."""
    if request.kind not in WORK_KINDS:
        raise InvalidState(f"unknown work document kind {request.kind!r}")
    live = live_work_document(session, request.kind, request.subject_key)
    probe = _content(request, "-", day)
    if live is not None and live.facts_hash == probe.facts_hash:
        return IssuedWork(live.agreement, created=False)
    if certify is None:
        raise InvalidState(
            N_("This instance has no signing PKI yet (flask pki init): nothing can be issued for signing.")
        )
    template = load_work_template(f"{request.kind}/{WORK_TEMPLATE_VERSION}", request.placeholders, template_root)
    number = _number(session, request.campaign, request.number_stem)
    content = _content(request, number, day)
    pdf = render_work_document(template, content)
    sha, _ = storage.put(pdf)
    agreement = Agreement(
        campaign_id=request.campaign.id, school_id=request.organisation.id, document_number=number,
        state=AGREEMENT_DRAFT, kind=AGREEMENT_KIND_WORK, superior_person_id=request.superior_person_id,
        template_version=template.version, template_hash=template.content_hash, data_hash=content.facts_hash,
        as_of=day, pdf_sha256=sha, pdf_size=len(pdf), generated_at=utcnow(),
    )  # fmt: skip
    issue_generated(session, agreement, certify, storage)
    earlier = live.agreement if live is not None else None
    if earlier is not None:
        transition(earlier, AGREEMENT_SUPERSEDED)
    session.add(
        WorkDocument(
            agreement_id=agreement.id, kind=request.kind, subject_key=request.subject_key,
            facts_hash=content.facts_hash, facts=dict(request.data),
            supersedes_agreement_id=earlier.id if earlier is not None else None,
        )
    )  # fmt: skip
    session.flush()
    append_event(
        session, actor=actor, action="work_document.issued", subject=f"agreement:{agreement.id}",
        data={"kind": request.kind, "subject": request.subject_key, "document_number": number,
              "sha256": agreement.pdf_sha256, "facts_hash": content.facts_hash, "template_version": template.version,
              "template_hash": template.content_hash,
              "supersedes": earlier.document_number if earlier is not None else None},
    )  # fmt: skip
    agreement_issued(session, agreement, day, storage)
    return IssuedWork(agreement, created=True, superseded=earlier.document_number if earlier is not None else None)
