"""Campaign services: create a campaign, generate its agreements, issue (freeze) them.

Every function takes an explicit session, writes one audit event per state change in the same
transaction, and never commits. Issuing freezes the agreements: from then on a data change is
reported as *stale* (see :mod:`.staleness`) and never alters an issued PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..audit import append_event
from ..messages import N_
from ..models import Agreement, AgreementRevision, Bureau, Campaign, County, School
from ..models.agreements import (
    AGREEMENT_DRAFT,
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_SCHOOL,
    CAMPAIGN_DRAFT,
    CAMPAIGN_ISSUED,
)
from ..models.base import utcnow
from ..pdf import AgreementTemplate, load_template
from ..pdf.template import DEFAULT_ROOT
from .errors import BadInput, CampaignNotFound, InvalidState
from .generation import GenerationSummary, SchoolFailure, campaign_template, generate
from .notices import agreement_issued
from .parameters import parameters_snapshot
from .staleness import stale_agreements, stale_refusal
from .states import transition
from .storage import PdfStore

__all__ = [
    "DEFAULT_TEMPLATE",
    "CertificationHook",
    "CertifiedRevision",
    "GenerationSummary",
    "IssueSummary",
    "SchoolFailure",
    "add_certification",
    "check_issue",
    "create_campaign",
    "find_campaign",
    "generate",
    "freeze_campaign",
    "issue_campaign",
    "issue_drafts",
]

DEFAULT_TEMPLATE = "winter_spring/2025-v1"


def find_campaign(session: Session, key: str | int) -> Campaign:
    """A campaign by database id or by exact name; ``CampaignNotFound`` otherwise."""
    campaign = None
    text = str(key).strip()
    if text.isdigit():
        campaign = session.get(Campaign, int(text))
    if campaign is None:
        campaign = session.scalars(select(Campaign).where(Campaign.name == text)).first()
    if campaign is None:
        raise CampaignNotFound(N_("no campaign %(key)s"), key=repr(text))
    return campaign


def _default_season(start: dt.date, end: dt.date) -> str:
    return f"{start.year}—{end.year}年冬春季"


def _free_prefix(session: Session, wanted: str | None, start: dt.date) -> str:
    taken = set(session.scalars(select(Campaign.document_prefix)).all())
    if wanted is not None:
        wanted = wanted.strip()
        if not wanted or not all(c.isalnum() or c in "-_" for c in wanted):
            raise BadInput(
                N_("document-number prefix %(prefix)s: use letters, digits, “-” and “_” only"), prefix=repr(wanted)
            )
        if wanted in taken:
            raise BadInput(
                N_("document-number prefix %(prefix)s is already used by another campaign"), prefix=repr(wanted)
            )
        return wanted
    base = f"JTAQ-{start.year}DC"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _check_terms(
    session: Session, *, name: str, start: dt.date, end: dt.date, due: dt.date | None, copies: int, base_url: str
) -> str:
    """The campaign's normalised name, after refusing (``BadInput``) a duplicate name, a term,
    due date, number of copies or base URL that cannot be printed."""
    name = " ".join((name or "").split())
    if not name:
        raise BadInput(N_("a campaign needs a name"))
    if session.scalars(select(Campaign.id).where(Campaign.name == name)).first() is not None:
        raise BadInput(N_("a campaign named %(name)s already exists"), name=repr(name))
    due = due or start + dt.timedelta(days=15)
    if end <= start:
        raise BadInput(
            N_("the term must end after it starts (%(start)s – %(end)s)"), start=start.isoformat(), end=end.isoformat()
        )
    if not start <= due <= end:
        raise BadInput(N_("the due date %(day)s must fall inside the term"), day=due.isoformat())
    if not 1 <= copies <= 10:
        raise BadInput(N_("copies must be between 1 and 10"))
    if not base_url.startswith(("http://", "https://")):
        raise BadInput(N_("base URL %(url)s must start with http:// or https://"), url=repr(base_url))
    return name


def _target_values(template: AgreementTemplate, targets: Mapping[str, str] | None) -> dict[str, str]:
    """The template's suggested targets with ``targets`` applied; unknown keys are refused."""
    values = template.suggested_targets()
    unknown = sorted(set(targets or {}) - set(values))
    if unknown:
        raise BadInput(
            N_("unknown target(s) for template %(version)s: %(names)s"),
            version=template.version,
            names=", ".join(unknown),
        )
    values.update({k: str(v) for k, v in (targets or {}).items()})
    return values


def create_campaign(
    session: Session,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    due: dt.date | None = None,
    template_version: str = DEFAULT_TEMPLATE,
    actor: str,
    base_url: str,
    season: str | None = None,
    copies: int = 3,
    targets: Mapping[str, str] | None = None,
    document_prefix: str | None = None,
    signing_date: dt.date | None = None,
    template_root: Path = DEFAULT_ROOT,
    now: dt.datetime | None = None,
) -> Campaign:
    """Create a draft campaign; its template must load and validate.

    ``due`` defaults to 15 days after ``start``; ``targets`` override the template's suggested
    values (unknown keys are refused). The template's content hash and every printed parameter
    are frozen in the campaign.
    """
    name = _check_terms(session, name=name, start=start, end=end, due=due, copies=copies, base_url=base_url)
    due = due or start + dt.timedelta(days=15)
    template = load_template(template_version, template_root)
    values = _target_values(template, targets)
    county = session.scalars(select(County).order_by(County.id).limit(1)).first()
    bureau = session.scalars(select(Bureau).order_by(Bureau.id).limit(1)).first()
    if county is None or bureau is None:
        raise BadInput(N_("no county and bureau on file: import the organisation first"))
    created_at = (now or utcnow()).replace(microsecond=0)
    campaign = Campaign(
        name=name,
        season=(season or _default_season(start, end)).strip(),
        term_start=start,
        term_end=end,
        due_date=due,
        template_version=template.version,
        template_hash=template.content_hash,
        parameters=parameters_snapshot(
            county=county.name,
            bureau=bureau.name,
            signing_date=signing_date or start,
            copies=copies,
            base_url=base_url.rstrip("/"),
            created_at=created_at,
            targets=values,
        ),
        document_prefix=_free_prefix(session, document_prefix, start),
        state=CAMPAIGN_DRAFT,
        created_at=created_at,
        created_by=actor,
    )
    session.add(campaign)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="campaign.created",
        subject=f"campaign:{campaign.id}",
        data={
            "name": campaign.name,
            "season": campaign.season,
            "term": [start.isoformat(), end.isoformat()],
            "due": due.isoformat(),
            "template_version": campaign.template_version,
            "template_hash": campaign.template_hash,
            "document_prefix": campaign.document_prefix,
        },
    )
    return campaign


@dataclass(frozen=True)
class CertifiedRevision:
    """What a certification hook returns: the certified PDF and the field it signed."""

    pdf: bytes
    field_name: str


CertificationHook = Callable[[Session, Agreement, bytes], CertifiedRevision]
"""Issue 4 plugs the bureau seal's certification signature in here (DocMDP P2 + FieldMDP)."""


@dataclass(frozen=True)
class IssueSummary:
    campaign_id: int
    issued: tuple[str, ...]
    """Document numbers issued."""
    missing: tuple[str, ...]
    """Schools (source ids) without an agreement, issued anyway only with ``allow_missing``."""
    certified: bool


def issue_campaign(
    session: Session,
    campaign: Campaign,
    *,
    actor: str,
    storage: PdfStore,
    template_root: Path = DEFAULT_ROOT,
    allow_missing: bool = False,
    certify: CertificationHook | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IssueSummary:
    """Freeze the campaign: every draft agreement becomes ``issued``.

    Refused when the campaign is not a draft, has no agreements, a draft no longer matches the
    data (regenerate it first), or — unless ``allow_missing`` — a school has no agreement.
    ``certify`` (issue 4) adds the bureau's certification signature as revision 2; without it
    no signature is added (never a fake one). Each school's heads are notified
    (``agreements.notices``) in the same transaction. ``progress(done, total)`` is called after each
    agreement (a background issue shows it; nothing is committed in between). The three steps
    (:func:`check_issue`, :func:`issue_drafts`, :func:`freeze_campaign`) are what a chunked issue
    on RQ workers runs in separate transactions (``jobs.issue_chunks``).
    """
    agreements, missing = check_issue(
        session, campaign, template_root=template_root, allow_missing=allow_missing, today=today
    )
    drafts = [a for a in agreements if a.state == AGREEMENT_DRAFT]
    issued = issue_drafts(session, drafts, storage=storage, certify=certify, today=today, progress=progress)
    freeze_campaign(session, campaign, actor=actor, issued=issued, missing=missing, certified=certify is not None)
    return IssueSummary(campaign.id, tuple(issued), missing, certify is not None)


def check_issue(
    session: Session,
    campaign: Campaign,
    *,
    template_root: Path = DEFAULT_ROOT,
    allow_missing: bool = False,
    today: dt.date | None = None,
    check_stale: bool = True,
) -> tuple[list[Agreement], tuple[str, ...]]:
    """Everything the issue checks before it changes anything: the campaign's school agreements
    (by document number) and the schools without one; refusals as in :func:`issue_campaign`.
    ``check_stale=False`` leaves out the costly part, composing every draft again to compare
    it with the data (the issue on RQ checks that in chunks: ``jobs.issue_chunks``)."""
    if campaign.state != CAMPAIGN_DRAFT:
        raise InvalidState(N_("campaign %(name)s is already issued"), name=repr(campaign.name))
    agreements = list(
        session.scalars(
            select(Agreement)
            .where(Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
            .order_by(Agreement.document_number)
        ).all()
    )
    if not agreements:
        raise BadInput(N_("campaign %(name)s has no agreements: generate them first"), name=repr(campaign.name))
    campaign_template(campaign, template_root)
    if check_stale:
        stale = stale_agreements(session, campaign, agreements, template_root=template_root, today=today)
        if stale:
            raise stale_refusal([(a.document_number, reason) for a, reason in stale])
    have = {a.school_id for a in agreements}
    missing = tuple(
        s
        for sid, s in session.execute(select(School.id, School.source_id).order_by(School.source_id))
        if sid not in have
    )
    if missing and not allow_missing:
        raise BadInput(
            N_("no agreement for %(count)s school(s): %(schools)s (fix and generate, or allow missing)"),
            count=len(missing),
            schools=", ".join(missing),
        )
    return agreements, missing


def issue_drafts(
    session: Session,
    drafts: list[Agreement],
    *,
    storage: PdfStore,
    certify: CertificationHook | None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Certify (when ``certify``) and issue each draft, notifying its first signers; flushed.
    Returns the document numbers issued. The campaign itself is frozen by :func:`freeze_campaign`."""
    now = utcnow()
    issued = []
    for done, agreement in enumerate(drafts, start=1):
        if certify is not None:
            add_certification(session, agreement, certify, storage)
        transition(agreement, AGREEMENT_ISSUED)
        agreement.issued_at = now
        issued.append(agreement.document_number)
        if progress is not None:
            progress(done, len(drafts))
    session.flush()
    for agreement in drafts:
        agreement_issued(session, agreement, today or clock.today(), storage)
    return issued


def freeze_campaign(
    session: Session, campaign: Campaign, *, actor: str, issued: list[str], missing: tuple[str, ...], certified: bool
) -> None:
    """Mark the campaign issued and append its one ``campaign.issued`` event (flushed)."""
    campaign.state = CAMPAIGN_ISSUED
    campaign.issued_at = utcnow()
    campaign.issued_by = actor
    session.flush()
    agreements = session.scalars(
        select(Agreement).where(Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
    ).all()
    append_event(
        session,
        actor=actor,
        action="campaign.issued",
        subject=f"campaign:{campaign.id}",
        data={
            "issued": issued,
            "sha256": {a.document_number: a.pdf_sha256 for a in agreements},
            "missing": list(missing),
            "certified": certified,
        },
    )


def add_certification(session: Session, agreement: Agreement, certify: CertificationHook, storage: PdfStore) -> None:
    """Certify the agreement's generated revision with ``certify`` and record the result as its
    next revision (flushed, not committed); shared by the campaign issue and the cascade."""
    base = storage.read(agreement.pdf_sha256)
    result = certify(session, agreement, base)
    if not result.pdf.startswith(base):
        raise BadInput(f"{agreement.document_number}: the certified file does not extend the generated one")
    sha, _ = storage.put(result.pdf)
    agreement.revisions.append(
        AgreementRevision(
            seq=len(agreement.revisions) + 1,
            sha256=sha,
            size=len(result.pdf),
            kind="certified",
            field_name=result.field_name,
        )
    )
    agreement.pdf_sha256 = sha
    agreement.pdf_size = len(result.pdf)


def issue_generated(session: Session, agreement: Agreement, certify: CertificationHook, storage: PdfStore) -> None:
    """Record a new ``agreement``'s generated file (``pdf_sha256``, already stored) as revision 1,
    certify it with ``certify`` and issue it (flushed, not committed): how the cascade's post
    agreements and the successors' confirmations are issued, one at a time."""
    now = agreement.generated_at
    agreement.revisions.append(
        AgreementRevision(seq=1, sha256=agreement.pdf_sha256, size=agreement.pdf_size, kind="generated", created_at=now)
    )
    session.add(agreement)
    session.flush()
    add_certification(session, agreement, certify, storage)
    transition(agreement, AGREEMENT_ISSUED)
    agreement.issued_at = now
    session.flush()
