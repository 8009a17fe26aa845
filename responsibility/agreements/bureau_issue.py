"""Issuing the bureau's internal agreements of a campaign (局内部安全责任书), and listing them.

``flask campaign issue`` (and the campaign page's issue button) issues them in the same
transaction as the school agreements: composed on the campaign's data day
(``parameters.data_day``) by :func:`~.bureau_links.compose_bureau_links`, rendered from the third
template ``bureau_agreement/2025-v1`` by the same loader and renderer, certified with the bureau
seal like every other agreement, and left ``issued`` for the superior and then the holder to sign
through the same signing flow, PKI and acceptance gate (``Agreement.kind = "bureau"``, the
bureau as its organisation). Issuing again (``flask campaign issue-bureau``) adds the agreements
of pairs that have none live yet — after a change of leader or liaison — and skips the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import append_event
from ..clock import today as clock_today
from ..models import Agreement, Campaign, PostAssignment
from ..models.agreements import AGREEMENT_KIND_BUREAU, AGREEMENT_SUPERSEDED, AGREEMENT_VOID
from ..org.vocabulary import ACCOUNTABILITY_ROLE_LABELS
from ..pdf import AgreementContent, AgreementTemplate, SchoolFacts, load_template
from ..pdf.content import GridRow, Parties, PersonRef, PostDutyRow, apply_clauses
from ..pdf.signers import post_signature_fields
from ..pdf.template import DEFAULT_ROOT
from .bureau_facts import BureauFacts, bureau_facts, bureau_post_assignments
from .bureau_links import TIER_LEADER, TIER_LIAISON, BureauLink, compose_bureau_links
from .campaigns import CertificationHook
from .compose import assignments_of, post_rows
from .issuing import Binding, TwoPartyAgreement, issue_two_party
from .parameters import agreement_parameters, data_day
from .storage import PdfStore

__all__ = [
    "BUREAU_TEMPLATE",
    "BureauIssueSummary",
    "announce_bureau_issued",
    "bureau_agreements",
    "bureau_link_holders",
    "issue_bureau_agreements",
    "live_bureau_agreements",
]

BUREAU_TEMPLATE = "bureau_agreement/2025-v1"
_DEAD = (AGREEMENT_VOID, AGREEMENT_SUPERSEDED)
_TIER_TITLE = {TIER_LEADER: "班子成员", "section": "股室负责人", TIER_LIAISON: "包抓责任人"}
_HEAD_POSTS = ("S01", "S02", "S24")


@dataclass(frozen=True)
class BureauIssueSummary:
    issued: tuple[str, ...]
    """Document numbers issued now."""
    skipped: int
    """Pairs that already had a live or signed bureau agreement."""


def bureau_agreements(session: Session, campaign: Campaign) -> list[Agreement]:
    """The campaign's bureau agreements with both parties loaded, by document number."""
    return list(
        session.scalars(
            select(Agreement)
            .where(Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_BUREAU)
            .options(selectinload(Agreement.superior), selectinload(Agreement.holder))
            .order_by(Agreement.document_number)
        ).all()
    )


def live_bureau_agreements(session: Session, campaign: Campaign) -> list[Agreement]:
    """:func:`bureau_agreements` that are neither void nor superseded (what binds now)."""
    return [a for a in bureau_agreements(session, campaign) if a.state not in _DEAD]


def _titles(assignments: list[PostAssignment], person_id: int) -> str:
    return "、".join(dict.fromkeys(pa.post_name for pa in assignments if pa.person_id == person_id))


def _school_heads(
    session: Session, facts: BureauFacts, day: dt.date, links: list[BureauLink]
) -> dict[str, tuple[PersonRef, ...]]:
    """School source id → its party head and principal on ``day`` (Annex 2's last column), for
    the schools of ``links`` only (a chunk of a province's links needs a few, not all). One
    statement per ``compose.RECORDS_BATCH`` schools (``compose.assignments_of``): a liaison section of a province covers thousands, and
    a query per school was most of a bureau chunk (≈ 7 ms each, 14 s of 21 s at 1,800 schools)."""
    wanted = {f.school.source_id for link in links for f in link.schools}
    schools = {school.id: sid for sid, school in facts.schools.items() if sid in wanted}
    held = assignments_of(session, list(schools), day, posts=_HEAD_POSTS)
    return {
        sid: tuple(dict.fromkeys(PersonRef(pa.person.source_id, pa.person.name) for pa in held[school_id]))
        for school_id, sid in schools.items()
    }


def _scope_rows(link: BureauLink, heads: dict[str, tuple[PersonRef, ...]]) -> tuple[GridRow, ...]:
    """Annex 2: (area →) section → schools, each with who answers for it."""
    rows: list[GridRow] = []
    level = 1
    if link.tier == TIER_LEADER:
        area = link.leader.scope if link.leader and link.leader.scope else "分管领域"
        rows.append(GridRow(f"AREA-{link.holder.source_id}", None, 1, area, "包片", link.holder))
        level = 2
    for section in link.sections:
        facts = [f for f in link.schools if f.section == section]
        parent = rows[0].source_id if level == 2 else None
        rows.append(GridRow(section.source_id, parent, level, section.name, "股室", facts[0].section_chief))
        rows.extend(
            GridRow(
                f.school.source_id,
                section.source_id,
                level + 1,
                f.school.name,
                "学校",
                f.liaison,
                heads[f.school.source_id],
            )
            for f in facts
        )
    return tuple(rows)


def _scope_line(link: BureauLink) -> str:
    count = len(link.schools)
    if link.tier == TIER_LEADER and link.leader is not None:
        label = ACCOUNTABILITY_ROLE_LABELS.get(link.leader.role, link.leader.role)
        scope = f"；{link.leader.scope}" if link.leader.scope else ""
        return f"{label}{scope}；联系学校{count}所"
    sections = "、".join(s.name for s in link.sections)
    if link.tier == TIER_LIAISON:
        names = "、".join(f.school.name for f in link.schools)
        return f"{sections}联校包抓，包抓{names}"
    return f"{sections}联校包抓，督导{count}所学校的安全工作"


def _content(
    session: Session,
    campaign: Campaign,
    link: BureauLink,
    facts: BureauFacts,
    number: str,
    template: AgreementTemplate,
    context: tuple[list[PostAssignment], dict[str, tuple[PersonRef, ...]]],
) -> AgreementContent:
    assignments, heads = context
    superior, holder = facts.persons[link.superior.source_id], facts.persons[link.holder.source_id]
    params = agreement_parameters(campaign, number)
    bureau = facts.bureau
    unit = bureau.name if link.tier == TIER_LEADER else "、".join(s.name for s in link.sections)
    superior_title = _titles(assignments, superior.id) or "局长"
    holder_title = _titles(assignments, holder.id) or _TIER_TITLE[link.tier]
    posts = post_rows([pa for pa in assignments if pa.person_id == holder.id])
    if not posts:
        posts = (PostDutyRow("", link.holder, link.tier.upper(), holder_title, "", ("履行本责任书所列安全职责",)),)
    unit_facts = SchoolFacts(bureau.source_id, bureau.name, "bureau", "教育行政部门", (), 0, 0, 0, 0, 0, None, None)
    parties = Parties(link.superior, superior_title, link.holder, holder_title, unit, _scope_line(link))
    return AgreementContent(
        parameters=params,
        school=unit_facts,
        clauses=apply_clauses(template, params, unit_facts, (), parties),
        posts=posts,
        grids=_scope_rows(link, heads),
        buildings=(),
        signature_fields=post_signature_fields(bureau.name, link.superior, superior_title, link.holder, holder_title),
        parties=parties,
    )


def _number(session: Session, campaign: Campaign, facts: BureauFacts, link: BureauLink) -> str:
    number = f"{campaign.document_prefix}-{facts.bureau.source_id}-{link.holder.source_id}"
    if session.scalar(select(Agreement.id).where(Agreement.document_number == number)) is not None:
        number = f"{number}-{link.superior.source_id}"
    return number


def _bindings(link: BureauLink, facts: BureauFacts) -> tuple[Binding, ...]:
    return tuple(Binding(role, school_id=facts.schools[sid].id if sid else None) for role, sid in link.bindings)


def bureau_link_holders(session: Session, campaign: Campaign, *, today: dt.date | None = None) -> list[int]:
    """The person ids of the holders of the campaign's bureau links on its data day, in the
    links' order (each once): what the issue on RQ cuts into chunks (``jobs.bureau_chunks``)."""
    facts = bureau_facts(session, data_day(campaign, today or clock_today()))
    links = compose_bureau_links(facts.chief, facts.leaders, facts.liaisons)
    return list(dict.fromkeys(facts.persons[link.holder.source_id].id for link in links))


def issue_bureau_agreements(
    session: Session,
    campaign: Campaign,
    *,
    storage: PdfStore,
    certify: CertificationHook | None,
    actor: str,
    today: dt.date | None = None,
    template_root: Path = DEFAULT_ROOT,
    holders: Collection[int] | None = None,
    announce: bool = True,
) -> BureauIssueSummary:
    """Issue the campaign's missing bureau agreements (the module doc), each certified with
    ``certify`` when given. Does not commit. ``BadInput`` when the bureau side cannot be
    composed (no bureau heads) or a PDF cannot be made; ``TemplateError`` for a broken template.

    ``holders`` (person ids) limits the issue to the links of those holders (a chunk); the
    ``campaign.bureau_issued`` event is appended when ``announce`` (once, by whoever ends)."""
    day = data_day(campaign, today or clock_today())
    template = load_template(BUREAU_TEMPLATE, template_root)
    facts = bureau_facts(session, day)
    links = compose_bureau_links(facts.chief, facts.leaders, facts.liaisons)
    if holders is not None:
        wanted = set(holders)
        links = [link for link in links if facts.persons[link.holder.source_id].id in wanted]
    existing = {(a.superior_person_id, a.holder_person_id) for a in live_bureau_agreements(session, campaign)}
    person_ids = [p.id for p in facts.persons.values()]
    context = (bureau_post_assignments(session, person_ids, day), _school_heads(session, facts, day, links))
    issued: list[str] = []
    for link in links:
        superior, holder = facts.persons[link.superior.source_id], facts.persons[link.holder.source_id]
        if (superior.id, holder.id) in existing:
            continue
        number = _number(session, campaign, facts, link)
        spec = TwoPartyAgreement(
            kind=AGREEMENT_KIND_BUREAU,
            campaign_id=campaign.id,
            org_id=facts.bureau.id,
            number=number,
            superior=superior,
            holder=holder,
            post_code=link.tier,
            content=_content(session, campaign, link, facts, number, template, context),
            bindings=_bindings(link, facts),
        )
        data = {"tier": link.tier, "schools": [f.school.source_id for f in link.schools]}
        issue_two_party(
            session, spec, template, storage=storage, certify=certify, actor=actor, day=day,
            action="agreement.bureau_issued", data=data,
        )  # fmt: skip
        existing.add((superior.id, holder.id))
        issued.append(number)
    if announce:
        announce_bureau_issued(session, campaign, actor=actor, issued=issued, skipped=len(links) - len(issued), day=day)
    return BureauIssueSummary(tuple(issued), len(links) - len(issued))


def announce_bureau_issued(
    session: Session, campaign: Campaign, *, actor: str, issued: list[str], skipped: int, day: dt.date
) -> None:
    """The campaign's one ``campaign.bureau_issued`` event (flushed with the session)."""
    append_event(
        session,
        actor=actor,
        action="campaign.bureau_issued",
        subject=f"campaign:{campaign.id}",
        data={"issued": issued, "skipped": skipped, "as_of": day.isoformat()},
    )
