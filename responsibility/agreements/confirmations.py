"""Supplementary confirmations (补充确认): issue one to each successor of the season.

For every handover of ``agreements.succession`` that has a bound agreement, the successor is
issued a short PDF (template ``confirmation/2025-v1``) that references the bound agreement's
document number and SHA-256, names the predecessor, the successor, the post or grid and the
change day. It is an ``Agreement`` of kind ``confirmation`` (``parent_id``: the bound agreement,
``holder_person_id``: the successor) with a ``Confirmation`` row of the facts; it is certified
with the campaign's seal hook at issue and signed by the successor alone, with their own key and
PIN, through ``signing_flow.sign_agreement`` (field ``sig_holder``: ``issued → archived``).

Idempotent: a handover that already has a confirmation is skipped (the ``confirmations`` table
keeps one per campaign, successor, post or grid and change day). A confirmation is due seven days after the change day
(never before the campaign's due date, :func:`due_date`); the row keeps it for escalation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import Agreement, Campaign, Confirmation, Grid, Person, PostAssignment, School
from ..models.agreements import (
    AGREEMENT_DRAFT,
    AGREEMENT_KIND_CONFIRMATION,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from ..models.base import utcnow
from ..models.confirmations import SUBJECT_GRID
from ..pdf.confirmation import (
    ConfirmationContent,
    ConfirmationTemplate,
    load_confirmation_template,
    render_confirmation,
)
from ..pdf.content import PersonRef
from ..pdf.signers import confirmation_signature_fields
from ..pdf.template import DEFAULT_ROOT
from .campaigns import CertificationHook, issue_generated
from .compose import KEY_POSTS, LEADER_POSTS
from .errors import BadInput, InvalidState
from .notices import agreement_issued
from .parameters import agreement_parameters
from .storage import PdfStore
from .succession import HEAD_POSTS, Handover, bound_agreement, handovers

__all__ = [
    "CONFIRMATION_DUE_DAYS",
    "CONFIRMATION_TEMPLATE",
    "CONFIRMED_POSTS",
    "ConfirmationSummary",
    "due_date",
    "issue_confirmations",
]

CONFIRMATION_TEMPLATE = "confirmation/2025-v1"
CONFIRMATION_DUE_DAYS = 7
CONFIRMED_POSTS = (*HEAD_POSTS, *LEADER_POSTS, *KEY_POSTS)
"""The school heads' posts and the cascade's."""
_DEAD = (AGREEMENT_VOID, AGREEMENT_SUPERSEDED)
_BOUND_KIND = {AGREEMENT_KIND_SCHOOL: "学校安全责任书"}


@dataclass(frozen=True)
class ConfirmationSummary:
    issued: tuple[str, ...]
    """Document numbers of the confirmations issued now."""
    skipped: int
    """Handovers that already had a confirmation."""
    unbound: tuple[str, ...]
    """Handovers without a complete agreement of the predecessor to confirm (described)."""


def due_date(campaign: Campaign, change_date: dt.date) -> dt.date:
    """When a confirmation for a change on ``change_date`` is due."""
    return max(campaign.due_date, change_date + dt.timedelta(days=CONFIRMATION_DUE_DAYS))


def _describe(session: Session, h: Handover) -> str:
    school = session.get(School, h.school_id)
    before, after = session.get(Person, h.predecessor_id), session.get(Person, h.successor_id)
    return (
        f"{school.source_id if school else h.school_id} {h.subject_key} {h.change_date.isoformat()} "
        f"{before.source_id if before else '?'} → {after.source_id if after else '?'}"
    )


def _subject(session: Session, h: Handover) -> tuple[str, str]:
    """(subject text of the PDF, the successor's title on it)."""
    if h.subject_kind == SUBJECT_GRID:
        grid = session.get(Grid, h.grid_id)
        name = grid.name if grid else h.subject_key
        return f"网格长：{name}（{h.subject_key}）", "网格长"
    assignment = session.scalars(
        select(PostAssignment).where(
            PostAssignment.org_id == h.school_id,
            PostAssignment.person_id == h.successor_id,
            PostAssignment.post_code == h.subject_key,
            PostAssignment.valid_from == h.change_date,
        )
    ).first()
    title = assignment.post_name if assignment is not None else h.subject_key
    return f"岗位：{title}", title


def _number(session: Session, campaign: Campaign, school: School, h: Handover, successor: Person) -> str:
    base = f"{campaign.document_prefix}-{school.source_id}-BC-{h.subject_key}-{successor.source_id}"
    number, n = base, 1
    while session.scalar(select(Agreement.id).where(Agreement.document_number == number)) is not None:
        n += 1
        number = f"{base}-{n}"
    return number


def _issue_one(
    session: Session, campaign: Campaign, h: Handover, bound: Agreement, *, storage: PdfStore,
    certify: CertificationHook, actor: str, template: ConfirmationTemplate,
) -> Agreement:  # fmt: skip
    """Render, store, certify and issue one confirmation (flushed)."""
    school = session.get(School, h.school_id)
    predecessor, successor = session.get(Person, h.predecessor_id), session.get(Person, h.successor_id)
    if school is None or predecessor is None or successor is None:
        raise BadInput(f"handover {h}: school or person vanished")
    number = _number(session, campaign, school, h, successor)
    params = agreement_parameters(campaign, number)
    subject, title = _subject(session, h)
    successor_ref = PersonRef(successor.source_id, successor.name)
    content = ConfirmationContent(
        parameters=params,
        school_name=school.name,
        subject=subject,
        predecessor=PersonRef(predecessor.source_id, predecessor.name),
        successor=successor_ref,
        successor_title=title,
        change_date=h.change_date,
        due_date=due_date(campaign, h.change_date),
        bound_kind=_BOUND_KIND.get(bound.kind, "岗位安全责任书"),
        bound_document_number=bound.document_number,
        bound_sha256=bound.pdf_sha256,
        signature_fields=confirmation_signature_fields(params.bureau, successor_ref, title),
    )
    pdf = render_confirmation(template, content)
    sha, _ = storage.put(pdf)
    now = utcnow()
    agreement = Agreement(
        campaign_id=campaign.id, school_id=school.id, document_number=number, state=AGREEMENT_DRAFT,
        kind=AGREEMENT_KIND_CONFIRMATION, parent_id=bound.id, holder_person_id=successor.id,
        post_code=(h.post_code or "GRID")[:16], template_version=template.version,
        template_hash=template.content_hash, data_hash=content.content_hash, as_of=h.change_date,
        pdf_sha256=sha, pdf_size=len(pdf), generated_at=now,
    )  # fmt: skip
    issue_generated(session, agreement, certify, storage)
    agreement_issued(session, agreement, h.change_date, storage)  # the successor is told it waits for them
    session.add(
        Confirmation(
            agreement_id=agreement.id, campaign_id=campaign.id, bound_agreement_id=bound.id,
            bound_document_number=bound.document_number, bound_sha256=bound.pdf_sha256,
            predecessor_person_id=predecessor.id, successor_person_id=successor.id, subject_kind=h.subject_kind,
            subject_key=h.subject_key, grid_id=h.grid_id, post_code=h.post_code, change_date=h.change_date,
            due_date=content.due_date,
        )
    )  # fmt: skip
    session.flush()
    append_event(
        session,
        actor=actor,
        action="agreement.confirmation_issued",
        subject=f"agreement:{agreement.id}",
        data={
            "document_number": number,
            "bound": bound.document_number,
            "bound_sha256": bound.pdf_sha256,
            "predecessor": predecessor.source_id,
            "successor": successor.source_id,
            "subject": h.subject_key,
            "change_date": h.change_date.isoformat(),
            "sha256": agreement.pdf_sha256,
            "template_version": template.version,
            "template_hash": template.content_hash,
        },
    )
    return agreement


def _existing(session: Session, campaign: Campaign) -> set[tuple[int, str, dt.date]]:
    rows = session.execute(
        select(Confirmation.successor_person_id, Confirmation.subject_key, Confirmation.change_date).where(
            Confirmation.campaign_id == campaign.id
        )
    ).all()
    return {(a, b, c) for a, b, c in rows}


def issue_confirmations(
    session: Session,
    campaign: Campaign,
    *,
    storage: PdfStore,
    certify: CertificationHook | None,
    actor: str,
    day: dt.date,
    school_ids: Collection[int] = (),
    template_root: Path = DEFAULT_ROOT,
) -> ConfirmationSummary:
    """Issue the pending confirmations of ``campaign`` for the handovers known on ``day`` (at
    ``school_ids``, all schools when empty), each certified with ``certify``. Does not commit.

    ``InvalidState`` without a PKI (no certification hook) when there is something to issue;
    ``TemplateError`` when the template is broken. Writes one ``agreement.confirmation_issued``
    event per confirmation."""
    found = handovers(session, campaign, day, CONFIRMED_POSTS, school_ids)
    existing = _existing(session, campaign)
    todo = [h for h in found if (h.successor_id, h.subject_key, h.change_date) not in existing]
    bound = bound_agreement(session, campaign, todo)
    issued: list[str] = []
    if any(h in bound for h in todo) and certify is None:
        raise InvalidState("本实例尚未初始化电子签名（flask pki init），不能签发补充确认书 (no PKI)")
    template = load_confirmation_template(CONFIRMATION_TEMPLATE, template_root) if bound else None
    for h in todo:
        target = bound.get(h)
        if target is None or certify is None or template is None:
            continue
        made = _issue_one(
            session, campaign, h, target, storage=storage, certify=certify, actor=actor, template=template
        )
        issued.append(made.document_number)
    unbound = tuple(_describe(session, h) for h in todo if h not in bound)
    return ConfirmationSummary(tuple(issued), len(found) - len(todo), unbound)


def confirmed_subjects(session: Session, campaign: Campaign, school_id: int) -> dict[int, set[str]]:
    """Successor's person id → the posts and grids their live or signed confirmations at the
    school cover in ``campaign`` (the cascade issues them no second document for those)."""
    rows = session.execute(
        select(Confirmation.successor_person_id, Confirmation.subject_key)
        .join(Agreement, Agreement.id == Confirmation.agreement_id)
        .where(Confirmation.campaign_id == campaign.id, Agreement.school_id == school_id, Agreement.state.not_in(_DEAD))
    ).all()
    out: dict[int, set[str]] = {}
    for person_id, key in rows:
        out.setdefault(person_id, set()).add(key)
    return out


def link_confirmed(subjects: set[str], grid_ids: Collection[str], reasons: Collection[str]) -> bool:
    """Whether confirmations covering ``subjects`` bind a cascade link about ``grid_ids`` (and, for
    the reasons ``leader``/``key_post``, a confirmed leader or key post)."""
    if not subjects:
        return False
    posts_needed = any(r in ("leader", "key_post") for r in reasons)
    if posts_needed and not subjects & {*LEADER_POSTS, *KEY_POSTS}:
        return False
    return all(g in subjects for g in grid_ids)
