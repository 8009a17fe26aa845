"""Generating a campaign's agreements: compose from the database, render, store, record.

Each school is its own unit of work: its file is written (atomically, content-addressed) before
its rows are flushed inside a savepoint, and a school that fails at any step leaves nothing
behind — no row, no new file — while the batch goes on. The summary lists every refused school
with its reason. A whole-campaign problem (a broken or changed template, no bureau heads) is a
``BadInput`` before anything is written. Services never commit; ``progress`` is called after
each school, and a runner may commit there to publish progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..audit import append_event
from ..models import Agreement, AgreementRevision, Campaign, School
from ..models.agreements import AGREEMENT_DRAFT, AGREEMENT_KIND_SCHOOL, CAMPAIGN_DRAFT
from ..models.base import utcnow
from ..pdf import AgreementContent, AgreementTemplate, ContentError, load_template
from ..pdf.template import DEFAULT_ROOT
from .compose import BureauSigners, bureau_signers, compose_agreement, school_records
from .errors import BadInput, CampaignFrozen
from .parameters import agreement_parameters, data_day, document_number
from .rendering import RenderResult, renderer
from .storage import PdfStore, sha256_hex

__all__ = [
    "GeneratedAgreement",
    "GenerationSummary",
    "ProgressStep",
    "SchoolFailure",
    "campaign_template",
    "generate",
]


@dataclass(frozen=True)
class SchoolFailure:
    school_id: str
    school_name: str
    message: str


@dataclass(frozen=True)
class GeneratedAgreement:
    agreement_id: int
    document_number: str
    school_id: str
    sha256: str
    changed: bool
    """False when regeneration gave the very same bytes (nothing was updated)."""


@dataclass(frozen=True)
class ProgressStep:
    """Passed to ``progress`` after each school."""

    done: int
    total: int
    school_id: str
    generated: GeneratedAgreement | None = None
    failure: SchoolFailure | None = None


@dataclass(frozen=True)
class GenerationSummary:
    campaign_id: int
    total: int
    generated: tuple[GeneratedAgreement, ...] = ()
    failures: tuple[SchoolFailure, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.failures


Progress = Callable[[ProgressStep], None]

CHUNK = 32
"""Schools composed and rendered at a time: bounds memory for a province-sized batch while the
process pool stays up for the whole batch."""


def campaign_template(campaign: Campaign, root: Path = DEFAULT_ROOT) -> AgreementTemplate:
    """The campaign's template, refused (``BadInput``) when broken or changed since creation."""
    template = load_template(campaign.template_version, root)
    if template.content_hash != campaign.template_hash:
        raise BadInput(
            f"agreement template {campaign.template_version} changed since campaign {campaign.name!r} was "
            f"created (hash {template.content_hash[:12]}…, expected {campaign.template_hash[:12]}…)"
        )
    return template


def _schools(session: Session, school: School | None, school_ids: Sequence[int] | None) -> list[School]:
    if school is not None:
        return [school]
    query = select(School).order_by(School.source_id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    return list(session.scalars(query).all())


def _existing_agreements(session: Session, campaign: Campaign, schools: Sequence[School]) -> dict[int, Agreement]:
    """The campaign's school agreements of ``schools`` by school id (regenerated in place while a
    draft); only those, so a chunk of a province-sized batch never loads the whole campaign."""
    ids = [s.id for s in schools]
    found: dict[int, Agreement] = {}
    for start in range(0, len(ids), 500):  # bound the IN list on either database
        found.update(
            (a.school_id, a)
            for a in session.scalars(
                select(Agreement).where(
                    Agreement.campaign_id == campaign.id,
                    Agreement.kind == AGREEMENT_KIND_SCHOOL,
                    Agreement.school_id.in_(ids[start : start + 500]),
                )
            ).all()
        )
    return found


def _compose_chunk(
    session: Session,
    campaign: Campaign,
    schools: Sequence[School],
    template: AgreementTemplate,
    day: dt.date,
    bureau: BureauSigners,
    report: Callable[[School, GeneratedAgreement | None, SchoolFailure | None], None],
) -> list[tuple[School, AgreementContent]]:
    """Compose each school's content; a school whose data cannot make an agreement is reported
    as a failure and left out, the others go on to rendering."""
    composed: list[tuple[School, AgreementContent]] = []
    records = school_records(session, schools, day)
    for s in schools:
        try:
            params = agreement_parameters(campaign, document_number(campaign, s))
            content = compose_agreement(
                session, s, template=template, parameters=params, day=day, bureau=bureau, records=records[s.id]
            )
            composed.append((s, content))
        except ContentError as exc:  # names the school itself; keep only what it lacks
            report(s, None, SchoolFailure(s.source_id, s.name, "; ".join(exc.problems)))
        except BadInput as exc:
            report(s, None, SchoolFailure(s.source_id, s.name, str(exc)))
    return composed


def generate(
    session: Session,
    campaign: Campaign,
    *,
    storage: PdfStore,
    actor: str,
    school: School | None = None,
    school_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    template_root: Path = DEFAULT_ROOT,
    workers: int = 1,
    today: dt.date | None = None,
) -> GenerationSummary:
    """Generate (or regenerate, while the campaign is a draft) every school's agreement, or only
    ``school``'s, or only those of ``school_ids`` (one chunk of a batch on RQ workers).
    ``workers`` > 1 renders on that many processes."""
    if campaign.state != CAMPAIGN_DRAFT:
        raise CampaignFrozen(f"campaign {campaign.name!r} is {campaign.state}: its agreements are frozen")
    template = campaign_template(campaign, template_root)
    day = data_day(campaign, today or clock.today())
    bureau = bureau_signers(session, day)
    schools = _schools(session, school, school_ids)
    total = len(schools)
    existing = _existing_agreements(session, campaign, schools)
    generated: list[GeneratedAgreement] = []
    failures: list[SchoolFailure] = []
    done = 0

    def report(school: School, result: GeneratedAgreement | None, failure: SchoolFailure | None) -> None:
        nonlocal done
        done += 1
        if failure is not None:
            failures.append(failure)
            agreement = existing.get(school.id)
            if agreement is not None:
                agreement.last_error = failure.message
        if result is not None:
            generated.append(result)
        if progress is not None:
            progress(ProgressStep(done, total, school.source_id, result, failure))

    with renderer(template, template_root=template_root, workers=workers if total > 1 else 1) as render:
        for start in range(0, total, CHUNK):
            composed = _compose_chunk(session, campaign, schools[start : start + CHUNK], template, day, bureau, report)
            results = render([c for _, c in composed])
            for (s, content), rendered in zip(composed, results, strict=True):
                outcome = _store(session, campaign, s, content, rendered, existing.get(s.id), storage, actor, day)
                if isinstance(outcome, SchoolFailure):
                    report(s, None, outcome)
                else:
                    existing[s.id] = session.get_one(Agreement, outcome.agreement_id)
                    report(s, outcome, None)

    summary = GenerationSummary(campaign.id, total, tuple(generated), tuple(failures))
    append_event(
        session,
        actor=actor,
        action="campaign.generated",
        subject=f"campaign:{campaign.id}",
        data={
            "school": school.source_id if school is not None else None,
            "total": total,
            "generated": [g.document_number for g in generated if g.changed],
            "unchanged": [g.document_number for g in generated if not g.changed],
            "failures": [{"school_id": f.school_id, "message": f.message} for f in failures],
        },
    )
    return summary


def _store(
    session: Session,
    campaign: Campaign,
    school: School,
    content: AgreementContent,
    rendered: RenderResult,
    agreement: Agreement | None,
    storage: PdfStore,
    actor: str,
    day: dt.date,
) -> GeneratedAgreement | SchoolFailure:
    """Write the file, then the rows in a savepoint; undo both if anything fails."""
    if rendered.pdf is None:
        return SchoolFailure(school.source_id, school.name, rendered.error or "rendering refused")
    if agreement is not None and agreement.state != AGREEMENT_DRAFT:
        return SchoolFailure(school.source_id, school.name, f"agreement is {agreement.state}; only drafts regenerate")
    pdf = rendered.pdf
    if agreement is not None and agreement.pdf_sha256 == sha256_hex(pdf) and storage.exists(agreement.pdf_sha256):
        agreement.last_error = None
        return GeneratedAgreement(
            agreement.id, agreement.document_number, school.source_id, agreement.pdf_sha256, False
        )
    sha, created = storage.put(pdf)
    try:
        with session.begin_nested():
            agreement = _write_rows(session, campaign, school, content, agreement, sha, len(pdf), day)
            append_event(
                session,
                actor=actor,
                action="agreement.generated",
                subject=f"agreement:{agreement.document_number}",
                data={
                    "campaign_id": campaign.id,
                    "school_id": school.source_id,
                    "sha256": sha,
                    "size": len(pdf),
                    "template_version": campaign.template_version,
                    "template_hash": campaign.template_hash,
                    "data_hash": content.content_hash,
                    "as_of": day.isoformat(),
                },
            )
    except Exception as exc:
        if created and not _referenced(session, sha):
            storage.discard(sha)
        if isinstance(exc, BadInput):
            return SchoolFailure(school.source_id, school.name, str(exc))
        raise
    return GeneratedAgreement(agreement.id, agreement.document_number, school.source_id, sha, True)


def _write_rows(
    session: Session,
    campaign: Campaign,
    school: School,
    content: AgreementContent,
    agreement: Agreement | None,
    sha: str,
    size: int,
    day: dt.date,
) -> Agreement:
    now = utcnow()
    if agreement is None:
        agreement = Agreement(
            campaign_id=campaign.id,
            school_id=school.id,
            document_number=content.parameters.document_number,
            state=AGREEMENT_DRAFT,
        )
        session.add(agreement)
    else:
        for revision in list(agreement.revisions):
            agreement.revisions.remove(revision)
        session.flush()
    agreement.template_version = campaign.template_version
    agreement.template_hash = campaign.template_hash
    agreement.data_hash = content.content_hash
    agreement.as_of = day
    agreement.pdf_sha256 = sha
    agreement.pdf_size = size
    agreement.generated_at = now
    agreement.last_error = None
    agreement.revisions.append(AgreementRevision(seq=1, sha256=sha, size=size, kind="generated", created_at=now))
    session.flush()
    return agreement


def _referenced(session: Session, sha: str) -> bool:
    return (
        session.scalar(select(AgreementRevision.id).where(AgreementRevision.sha256 == sha).limit(1)) is not None
        or session.scalar(select(Agreement.id).where(Agreement.pdf_sha256 == sha).limit(1)) is not None
    )
