"""The cascade (逐层逐级传导): a school's internal post agreements (岗位安全责任书).

After the school's agreement with the bureau is countersigned, a school leader issues, in one
batch, one post agreement per supervision link of the school on the issue day. **Who supervises
whom** (the rule, from the school's leadership and its grid tree):

1. the principal (S01) → the safety deputy (S03), the other leaders (S04–S07) and the campus
   heads (S22);
2. the safety deputy (the principal when the post is vacant) → the owners of the level-2 grids
   (and of a level-1 grid the principal does not own himself), and the holders of the key posts
   S10–S21 and S23 (psychologist, IT, doctor, canteen, lab, dormitory, guard, electrician, bus
   driver and attendant, trainer, special equipment, nursery);
3. the owner of a grid → the owner of each child grid (level 2 → level 3: class teachers, floor
   owners, bus attendants…); a child grid under a vacant parent goes to the safety deputy.

A person is never their own superior; the links of one (superior, holder) pair make one post
agreement listing every post the holder holds at the school and the grids of those links. The
agreement binds the two *persons*. When a post or grid changes hands in the season after the
predecessor's agreement is complete, issuing the cascade again first issues the successor a
supplementary confirmation (补充确认, ``agreements.confirmations``) binding them to that agreement;
the links it covers get no second document. Otherwise the new holder gets a post agreement of
their own (pairs that already have a live or signed agreement are skipped).

The PDF comes from the second template (``post_agreement/2025-v1``) through the same loader and
renderer as the school agreement; it is certified at issue with the same seal hook as the
campaign, then signed through ``signing_flow.sign_agreement``: ``sig_superior`` first, then
``sig_holder`` (``signers_required.FIELD_ROLES``). Each post agreement binds (``AgreementBinding``)
the grid-owner links of the grids its link is about, so the trace binds a grid owner's link to the
post agreement naming that grid, not to any agreement the person holds. States reuse the school agreement's:
``issued → school_signed`` (superior signed) ``→ countersigned → archived`` (holder signed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import append_event
from ..messages import N_, msg
from ..models import Agreement, Campaign, Grid, GridOwnership, Person, PostAssignment, School
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from ..pdf import AgreementContent, AgreementTemplate, load_template
from ..pdf.content import BuildingRow, GridRow, PersonRef, PostDutyRow, apply_clauses
from ..pdf.signers import post_signature_fields
from ..pdf.template import DEFAULT_ROOT
from .campaigns import CertificationHook
from .compose import (
    KEY_POSTS,
    LEADER_POSTS,
    PRINCIPAL_POST,
    SAFETY_DEPUTY_POST,
    building_rows,
    grid_rows,
    post_rows,
    school_assignments,
    school_facts,
)
from .confirmations import confirmed_subjects, issue_confirmations, link_confirmed
from .errors import AgreementNotFound, Forbidden, InvalidState
from .issuing import Binding, TwoPartyAgreement, issue_two_party
from .parameters import agreement_parameters
from .states import STATE_NAMES
from .storage import PdfStore

__all__ = [
    "ISSUER_POSTS",
    "KEY_POSTS",
    "LEADER_POSTS",
    "POST_TEMPLATE",
    "CascadeSummary",
    "SupervisionLink",
    "issue_cascade",
    "post_agreements",
    "school_agreement_for_cascade",
    "supervision_links",
]

POST_TEMPLATE = "post_agreement/2025-v1"
ISSUER_POSTS = ("S01", "S02", "S03", "S24")
"""Who may issue the cascade: the principal, the party head (or instructor), the safety deputy."""
GRID_OWNER_ROLE = "grid_owner"
"""The chain role a post agreement binds for each grid its link is about (``AgreementBinding``)."""
_COMPLETE = (AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)
_DEAD = (AGREEMENT_VOID, AGREEMENT_SUPERSEDED)


@dataclass
class SupervisionLink:
    """One (superior, holder) pair of the school on the day, with why and the grids involved."""

    superior: Person
    holder: Person
    reasons: list[str] = field(default_factory=list)
    """``leader``, ``grid`` or ``key_post`` (in the order found)."""
    grid_ids: list[str] = field(default_factory=list)
    """Source ids of the holder's grids this link is about."""


@dataclass(frozen=True)
class CascadeSummary:
    school_agreement: str
    issued: tuple[str, ...]
    """Document numbers of the post agreements issued now."""
    skipped: int
    """Links that already had a live or signed post agreement."""
    confirmations: tuple[str, ...] = ()
    """Document numbers of the supplementary confirmations issued now (``agreements.confirmations``)."""
    confirmed: int = 0
    """Links of successors bound by a confirmation instead of a post agreement of their own."""


def _owned(session: Session, school: School, day: dt.date) -> list[tuple[Grid, Person | None]]:
    grids = session.scalars(
        select(Grid)
        .where(Grid.school_id == school.id)
        .options(selectinload(Grid.ownerships).selectinload(GridOwnership.person))
        .order_by(Grid.level, Grid.source_id)
    ).all()
    return [(g, g.owner_on(day)) for g in grids]


def supervision_links(session: Session, school: School, day: dt.date) -> list[SupervisionLink]:
    """The school's supervision links on ``day`` by the rule of the module doc, in a stable order
    (leaders, then grids top-down, then key posts)."""
    assignments = school_assignments(session, school, day)
    first: dict[str, Person] = {}
    for pa in assignments:
        first.setdefault(pa.post_code, pa.person)
    principal = first.get(PRINCIPAL_POST)
    deputy = first.get(SAFETY_DEPUTY_POST) or principal
    links: dict[tuple[int, int], SupervisionLink] = {}

    def add(superior: Person | None, holder: Person | None, reason: str, grid: str | None = None) -> None:
        if superior is None or holder is None or superior.id == holder.id:
            return
        link = links.setdefault((superior.id, holder.id), SupervisionLink(superior, holder))
        if reason not in link.reasons:
            link.reasons.append(reason)
        if grid and grid not in link.grid_ids:
            link.grid_ids.append(grid)

    for pa in assignments:
        if pa.post_code in LEADER_POSTS:
            add(principal, pa.person, "leader")
    owned = _owned(session, school, day)
    owner_of = {g.id: owner for g, owner in owned}
    for grid, owner in owned:
        if grid.parent_id is None or grid.parent_id not in owner_of:
            superior = principal if owner is not None and principal is not None and owner.id != principal.id else None
            add(deputy if grid.level > 1 else superior, owner, "grid", grid.source_id)
        elif grid.level <= 2:
            add(deputy, owner, "grid", grid.source_id)
        else:
            add(owner_of[grid.parent_id] or deputy, owner, "grid", grid.source_id)
    for pa in assignments:
        if pa.post_code in KEY_POSTS:
            add(deputy, pa.person, "key_post")
    return list(links.values())


def school_agreement_for_cascade(session: Session, school: School, campaign: Campaign | None = None) -> Agreement:
    """The school agreement the cascade hangs from: in ``campaign``, else the school's newest one.
    ``AgreementNotFound`` when there is none; ``InvalidState`` unless it is countersigned (or archived)."""
    query = select(Agreement).where(Agreement.school_id == school.id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
    if campaign is not None:
        query = query.where(Agreement.campaign_id == campaign.id)
    found = session.scalars(query.order_by(Agreement.campaign_id.desc())).first()
    if found is None:
        raise AgreementNotFound(
            N_("%(school)s has no school agreement to issue post agreements from."), school=school.name
        )
    if found.state not in _COMPLETE:
        raise InvalidState(
            N_("%(number)s: post agreements are issued after the school agreement is countersigned (it is %(state)s)."),
            number=found.document_number,
            state=msg(STATE_NAMES.get(found.state, found.state)),
        )
    return found


def post_agreements(session: Session, parent: Agreement) -> list[Agreement]:
    """The post agreements issued under the school agreement ``parent``, by document number."""
    return list(
        session.scalars(
            select(Agreement)
            .where(Agreement.parent_id == parent.id, Agreement.kind == AGREEMENT_KIND_POST)
            .options(selectinload(Agreement.holder), selectinload(Agreement.superior))
            .order_by(Agreement.document_number)
        ).all()
    )


def check_issuer(session: Session, school: School, person: Person | None, day: dt.date) -> None:
    """``Forbidden`` unless ``person`` holds one of ``ISSUER_POSTS`` at ``school`` on ``day``."""
    if person is not None:
        posts = {
            pa.post_code
            for pa in school_assignments(session, school, day)
            if pa.person_id == person.id and pa.post_code in ISSUER_POSTS
        }
        if posts:
            return
    raise Forbidden(
        f"{school.name}：只有校长、党组织书记或分管安全副校长可以签发岗位安全责任书 "
        "(only a school leader may issue the post agreements)"
    )


def _number(session: Session, parent: Agreement, link: SupervisionLink) -> str:
    number = f"{parent.document_number}-{link.holder.source_id}"
    if session.scalar(select(Agreement.id).where(Agreement.document_number == number)) is not None:
        number = f"{number}-{link.superior.source_id}"
    return number


def _content(
    session: Session, parent: Agreement, link: SupervisionLink, number: str, template: AgreementTemplate, day: dt.date
) -> AgreementContent:
    school = parent.school
    assignments = school_assignments(session, school, day)
    facts = school_facts(school, assignments)
    params = agreement_parameters(parent.campaign, number)
    holder_ref = PersonRef(link.holder.source_id, link.holder.name)
    posts = post_rows([pa for pa in assignments if pa.person_id == link.holder.id])
    if not posts:
        posts = (PostDutyRow("", holder_ref, "GRID", "网格长", "", ("负责所辖网格的日常巡查、隐患报告和应急处置",)),)
    all_grids = grid_rows(session, school, day)
    mine = set(link.grid_ids) or {
        g.source_id for g in all_grids if g.owner and g.owner.source_id == holder_ref.source_id
    }
    grids: tuple[GridRow, ...] = tuple(g for g in all_grids if g.source_id in mine or g.parent_source_id in mine)
    if not grids:
        grids = tuple(g for g in all_grids if g.level == 1)
    shown = {g.source_id for g in grids}
    buildings: tuple[BuildingRow, ...] = tuple(b for b in building_rows(session, school) if b.grid_source_id in shown)
    superior_title = _titles(assignments, link.superior.id) or "上级责任人"
    holder_title = _titles(assignments, link.holder.id) or "网格长"
    return AgreementContent(
        parameters=params,
        school=facts,
        clauses=apply_clauses(template, params, facts, buildings),
        posts=posts,
        grids=grids,
        buildings=buildings,
        signature_fields=post_signature_fields(
            params.bureau,
            PersonRef(link.superior.source_id, link.superior.name),
            superior_title,
            holder_ref,
            holder_title,
        ),
    )


def _titles(assignments: list[PostAssignment], person_id: int) -> str:
    return "、".join(dict.fromkeys(pa.post_name for pa in assignments if pa.person_id == person_id))


def _issue_post_agreement(
    session: Session,
    parent: Agreement,
    link: SupervisionLink,
    template: AgreementTemplate,
    *,
    storage: PdfStore,
    certify: CertificationHook,
    actor: str,
    day: dt.date,
) -> Agreement:
    """Render, store, certify and issue the post agreement of one supervision link (flushed);
    it binds the grid-owner links of the grids the link is about."""
    number = _number(session, parent, link)
    content = _content(session, parent, link, number, template, day)
    grid_ids = dict(
        session.execute(
            select(Grid.source_id, Grid.id).where(Grid.school_id == parent.school_id, Grid.source_id.in_(link.grid_ids))
        ).all()
    )
    spec = TwoPartyAgreement(
        kind=AGREEMENT_KIND_POST,
        campaign_id=parent.campaign_id,
        org_id=parent.school_id,
        number=number,
        superior=link.superior,
        holder=link.holder,
        post_code=",".join(dict.fromkeys(r.post_code for r in content.posts)),
        content=content,
        bindings=tuple(Binding(GRID_OWNER_ROLE, grid_id=grid_ids[g]) for g in link.grid_ids if g in grid_ids),
        parent_id=parent.id,
    )
    data = {"parent": parent.document_number, "reasons": link.reasons, "grids": link.grid_ids}
    return issue_two_party(
        session,
        spec,
        template,
        storage=storage,
        certify=certify,
        actor=actor,
        day=day,
        action="agreement.post_issued",
        data=data,
    )


def issue_cascade(
    session: Session,
    school: School,
    *,
    storage: PdfStore,
    certify: CertificationHook | None,
    actor: str,
    day: dt.date,
    issuer: Person | None = None,
    campaign: Campaign | None = None,
    check_leader: bool = True,
    template_root: Path = DEFAULT_ROOT,
    progress: Callable[[int, int], None] | None = None,
) -> CascadeSummary:
    """Issue the school's missing post agreements (one per supervision link on ``day``), each
    certified with ``certify`` (the campaign's seal hook) and left ``issued`` for the superior
    and then the holder to sign. Does not commit.

    Refusals: ``Forbidden`` when ``check_leader`` and ``issuer`` is not a school leader on ``day``;
    ``NotFound``/``InvalidState`` when the school agreement is missing or not countersigned;
    ``InvalidState`` without a PKI (no certification hook); ``BadInput`` when a PDF cannot be made.
    ``progress(done, total)`` is called after each supervision link (nothing commits in between).
    """
    if check_leader:
        check_issuer(session, school, issuer, day)
    parent = school_agreement_for_cascade(session, school, campaign)
    if certify is None:
        raise InvalidState("本实例尚未初始化电子签名（flask pki init），不能签发岗位安全责任书 (no PKI)")
    template = load_template(POST_TEMPLATE, template_root)
    successions = issue_confirmations(
        session, parent.campaign, storage=storage, certify=certify, actor=actor, day=day, school_ids=(school.id,),
        template_root=template_root,
    )  # fmt: skip
    covered = confirmed_subjects(session, parent.campaign, school.id)
    existing = {
        (a.superior_person_id, a.holder_person_id) for a in post_agreements(session, parent) if a.state not in _DEAD
    }
    issued: list[str] = []
    skipped = confirmed = 0
    links = list(supervision_links(session, school, day))
    for done, link in enumerate(links, start=1):
        if progress is not None and done > 1:
            progress(done - 1, len(links))
        if (link.superior.id, link.holder.id) in existing:
            skipped += 1
            continue
        if link_confirmed(covered.get(link.holder.id, set()), link.grid_ids, link.reasons):
            confirmed += 1
            continue
        agreement = _issue_post_agreement(
            session, parent, link, template, storage=storage, certify=certify, actor=actor, day=day
        )
        existing.add((link.superior.id, link.holder.id))
        issued.append(agreement.document_number)
    if progress is not None and links:
        progress(len(links), len(links))
    append_event(
        session,
        actor=actor,
        action="cascade.issued",
        subject=f"agreement:{parent.id}",
        data={
            "school_id": school.source_id,
            "issued": issued,
            "skipped": skipped,
            "confirmations": list(successions.issued),
            "as_of": day.isoformat(),
        },
    )
    return CascadeSummary(parent.document_number, tuple(issued), skipped, successions.issued, confirmed)
