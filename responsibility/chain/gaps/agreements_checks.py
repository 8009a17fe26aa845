"""A1–A4: the school agreements and their cascade.

Without a campaign the checks read the latest imported paper season (``PaperAgreement`` with its
``PaperSignature`` roster): the season with the latest start on or before ``at``. With a campaign,
A1 and A2 judge the campaign's signed-PDF agreements by their state and the signature fields their
accepted revisions filled, and A4 the campaign's cascade (post agreements and successors'
confirmations, ``cascade_checks``); A3 has nothing to read (a generated agreement takes its
clauses from the template), so it is reported as not judged in the report's notes.

A1 judges only agreements that claim to be signed (status 已签订, or for a campaign the states
from ``school_signed`` on); an agreement that is not signed at all is A2's finding, not A1's.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import and_, select

from ...models import Agreement, AgreementRevision, Campaign, ClauseTemplate, PaperAgreement, PaperSignature, School
from ...models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from ...pdf import applicable_clauses, load_template
from ..errors import DomainError
from .base import CheckContext, Finding, finding
from .cascade_checks import campaign_a4

__all__ = ["check_a1", "check_a2", "check_a3", "check_a4", "paper_season"]

SIGNED_STATUSES = frozenset({"已签订", "signed"})
"""Paper agreement statuses that mean both parties signed."""

_SEASON_KEY = "paper_season"


def paper_season(ctx: CheckContext) -> tuple[str | None, Any] | None:
    """The latest paper season started on or before ``at`` as ``(period_name, period_start)``;
    None when no paper agreement was imported for it."""
    if _SEASON_KEY not in ctx.cache:
        row = ctx.session.execute(
            select(PaperAgreement.period_name, PaperAgreement.period_start)
            .where((PaperAgreement.period_start <= ctx.at) | PaperAgreement.period_start.is_(None))
            .order_by(PaperAgreement.period_start.desc().nulls_last(), PaperAgreement.period_name.desc())
            .limit(1)
        ).first()
        ctx.cache[_SEASON_KEY] = None if row is None else (row[0], row[1])
        if row is None:
            ctx.notes.append("未找到已导入的纸质责任书，A类检查未执行")
        else:
            ctx.notes.append(f"A类检查依据纸质责任书：{row[0] or row[1]}")
    season: tuple[str | None, Any] | None = ctx.cache[_SEASON_KEY]
    return season


def _in_season(season: tuple[str | None, Any]) -> Any:
    name, start = season
    if name is not None:
        return PaperAgreement.period_name == name
    return and_(PaperAgreement.period_name.is_(None), PaperAgreement.period_start == start)


def _role_kinds(role: str) -> set[str]:
    """What a roster line's role covers: ``principal``/``school_party`` (party b),
    ``bureau_party``/``bureau_chief`` (party a). One line may cover two (一人兼任)."""
    kinds = set()
    if "校长" in role or "园长" in role:
        kinds.add("principal")
    if "党组织书记" in role or "党建指导员" in role or "支部书记" in role:
        kinds.add("school_party")
    if "党组书记" in role:
        kinds.add("bureau_party")
    if "局长" in role and "副局长" not in role:
        kinds.add("bureau_chief")
    return kinds


# --- paper season -------------------------------------------------------------------------


def _paper_a1(ctx: CheckContext, season: tuple[str | None, Any]) -> list[Finding]:
    rows = ctx.session.execute(
        select(
            PaperAgreement.id,
            PaperAgreement.source_id,
            School.source_id,
            PaperAgreement.seal_party_a,
            PaperAgreement.seal_party_b,
        )
        .join(School, School.id == PaperAgreement.school_id)
        .where(_in_season(season), PaperAgreement.status.in_(SIGNED_STATUSES))
        .order_by(School.source_id, PaperAgreement.source_id)
    ).all()
    covered: dict[int, set[str]] = defaultdict(set)
    sigs = ctx.session.execute(
        select(PaperSignature.agreement_id, PaperSignature.party, PaperSignature.role)
        .join(PaperAgreement, PaperAgreement.id == PaperSignature.agreement_id)
        .where(
            _in_season(season),
            PaperAgreement.status.in_(SIGNED_STATUSES),
            (PaperSignature.person_id.is_not(None)) | (PaperSignature.date.is_not(None)),
        )
    ).all()
    for agreement_id, party, role in sigs:
        wanted = {"principal", "school_party"} if party == "b" else {"bureau_party", "bureau_chief"}
        covered[agreement_id] |= _role_kinds(role or "") & wanted
    out = []
    for agreement_id, agreement_sid, school_sid, seal_a, seal_b in rows:
        have = covered[agreement_id]
        missing = []
        school_side = have & {"principal", "school_party"}
        if len(school_side) == 1:
            missing.append("只有" + ("校长" if "principal" in school_side else "党组织书记") + "一人签字")
        elif not school_side:
            missing.append("缺乙方（书记、校长）签字")
        if not have & {"bureau_party", "bureau_chief"}:
            missing.append("缺甲方签字")
        elif len(have & {"bureau_party", "bureau_chief"}) == 1:
            missing.append("甲方党组书记、局长签字不全")
        if not seal_a or not seal_b:
            missing.append("缺" + "、".join(s for s, ok in (("甲方印章", seal_a), ("乙方印章", seal_b)) if not ok))
        if missing:
            out.append(finding("A1", school_sid, agreement_sid, f"责任书{agreement_sid}：" + "；".join(missing)))
    return out


def _paper_a2(ctx: CheckContext, season: tuple[str | None, Any]) -> list[Finding]:
    season_rows = (
        select(PaperAgreement.school_id, PaperAgreement.source_id, PaperAgreement.status)
        .where(_in_season(season))
        .subquery()
    )
    rows = ctx.session.execute(
        select(School.source_id, season_rows.c.source_id, season_rows.c.status)
        .outerjoin(season_rows, season_rows.c.school_id == School.id)
        .order_by(School.source_id, season_rows.c.source_id)
    ).all()
    by_school: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for school_sid, agreement_sid, status in rows:
        by_school[school_sid].append((agreement_sid, status))
    out = []
    for school_sid, items in by_school.items():
        present = [(a, s) for a, s in items if a is not None]
        if not present:
            out.append(finding("A2", school_sid, school_sid, "本周期无责任书"))
        elif not any(s in SIGNED_STATUSES for _, s in present):
            agreement_sid, status = present[0]
            out.append(finding("A2", school_sid, agreement_sid, f"责任书{agreement_sid}状态为“{status}”，未签订"))
    return out


@cache
def _template(version: str) -> Any:
    """A pdf template by version, or None when the version names none (a paper season's label)."""
    try:
        return load_template(version)
    except (DomainError, ValueError, OSError):
        return None


def _required_codes(
    template_version: str | None, school_type: str | None, features: list[str], catalogue: list[tuple[str, str]]
) -> set[str]:
    template = _template(template_version) if template_version and "/" in template_version else None
    if template is not None and school_type is not None:
        try:
            return {c.code for c in applicable_clauses(template, school_type, features)}
        except DomainError:
            pass
    feats = set(features)
    return {code for code, when in catalogue if when in ("all", "", None) or when in feats or when == school_type}


def _paper_a3(ctx: CheckContext, season: tuple[str | None, Any]) -> list[Finding]:
    catalogue = [
        (code, when) for code, when in ctx.session.execute(select(ClauseTemplate.code, ClauseTemplate.applies_when))
    ]
    rows = ctx.session.execute(
        select(
            PaperAgreement.source_id,
            PaperAgreement.template_version,
            PaperAgreement.items,
            School.source_id,
            School.school_type,
            School.features,
        )
        .join(School, School.id == PaperAgreement.school_id)
        .where(_in_season(season))
        .order_by(School.source_id, PaperAgreement.source_id)
    ).all()
    out = []
    for agreement_sid, version, items, school_sid, school_type, features in rows:
        required = _required_codes(version, school_type, list(features or []), catalogue)
        missing = sorted(required - set(items or []))
        if missing:
            out.append(finding("A3", school_sid, agreement_sid, f"责任书{agreement_sid}缺少条款：{'、'.join(missing)}"))
    return out


def _paper_a4(ctx: CheckContext, season: tuple[str | None, Any]) -> list[Finding]:
    rows = ctx.session.execute(
        select(PaperAgreement.source_id, School.source_id, PaperAgreement.staff_total, PaperAgreement.staff_signed)
        .join(School, School.id == PaperAgreement.school_id)
        .where(_in_season(season), PaperAgreement.staff_total > 0)
        .order_by(School.source_id, PaperAgreement.source_id)
    ).all()
    out = []
    for agreement_sid, school_sid, total, signed in rows:
        if total is not None and (signed or 0) < total:  # never None: the query keeps staff_total > 0
            text = f"岗位责任书签订{signed or 0}/{total}人，{total - (signed or 0)}人未签"
            out.append(finding("A4", school_sid, agreement_sid, text))
    return out


# --- campaign ------------------------------------------------------------------------------

_DONE = frozenset({AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED})
_GONE = frozenset({AGREEMENT_VOID, AGREEMENT_SUPERSEDED})


def _campaign(ctx: CheckContext) -> Campaign | None:
    if ctx.campaign_id is None:
        return None
    return ctx.session.get(Campaign, ctx.campaign_id)


def _campaign_a1(ctx: CheckContext, campaign: Campaign) -> list[Finding]:
    rows = ctx.session.execute(
        select(Agreement.id, Agreement.document_number, Agreement.state, School.source_id)
        .join(School, School.id == Agreement.school_id)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.state.in_(_DONE | {AGREEMENT_SCHOOL_SIGNED}),
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
        )
        .order_by(School.source_id)
    ).all()
    fields: dict[int, set[str]] = defaultdict(set)
    for agreement_id, field_name in ctx.session.execute(
        select(AgreementRevision.agreement_id, AgreementRevision.field_name)
        .join(Agreement, Agreement.id == AgreementRevision.agreement_id)
        .where(
            Agreement.campaign_id == campaign.id,
            AgreementRevision.field_name.is_not(None),
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
        )
    ):
        if field_name is not None:  # never None: the query keeps only named fields
            fields[agreement_id].add(field_name)
    out = []
    for agreement_id, number, state, school_sid in rows:
        have = fields[agreement_id]
        missing = []
        if "sig_school_heads" not in have:
            school_side = have & {"sig_school_party_head", "sig_school_principal"}
            if len(school_side) == 1:
                missing.append(
                    "只有" + ("校长" if "sig_school_principal" in school_side else "党组织书记") + "一人签字"
                )
            elif not school_side:
                missing.append("缺乙方（书记、校长）签字")
        if state in _DONE and "sig_bureau_heads" not in have:
            if not have & {"sig_bureau_party_secretary", "sig_bureau_chief"}:
                missing.append("缺甲方签字")
            elif len(have & {"sig_bureau_party_secretary", "sig_bureau_chief"}) == 1:
                missing.append("甲方党组书记、局长签字不全")
        if "sig_bureau_seal" not in have:
            missing.append("缺甲方印章")
        if missing:
            out.append(finding("A1", school_sid, number, f"责任书{number}：" + "；".join(missing)))
    return out


def _campaign_a2(ctx: CheckContext, campaign: Campaign) -> list[Finding]:
    live = (
        select(Agreement.school_id, Agreement.document_number, Agreement.state)
        .where(
            Agreement.campaign_id == campaign.id, Agreement.state.not_in(_GONE), Agreement.kind == AGREEMENT_KIND_SCHOOL
        )
        .subquery()
    )
    rows = ctx.session.execute(
        select(School.source_id, live.c.document_number, live.c.state)
        .outerjoin(live, live.c.school_id == School.id)
        .order_by(School.source_id)
    ).all()
    out = []
    for school_sid, number, state in rows:
        if number is None:
            out.append(finding("A2", school_sid, school_sid, f"{campaign.name}：本校无责任书"))
        elif state not in _DONE:
            out.append(finding("A2", school_sid, number, f"责任书{number}状态为{state}，未完成签订"))
    return out


def _campaign_note(ctx: CheckContext, campaign: Campaign) -> None:
    if "campaign_note" not in ctx.cache:
        ctx.cache["campaign_note"] = True
        ctx.notes.append(
            f"A1、A2依据责任书批次：{campaign.name}；A4依据该批次的逐层签订（岗位安全责任书、补充确认）；"
            "A3对电子责任书不适用，未执行"
        )


# --- the checks -----------------------------------------------------------------------------


def check_a1(ctx: CheckContext) -> list[Finding]:
    """Agreement signed by only one of 书记/校长, or missing a bureau signature or a seal."""
    campaign = _campaign(ctx)
    if campaign is not None:
        _campaign_note(ctx, campaign)
        return _campaign_a1(ctx, campaign)
    season = paper_season(ctx)
    return _paper_a1(ctx, season) if season else []


def check_a2(ctx: CheckContext) -> list[Finding]:
    """School with no agreement, or an agreement that is not signed."""
    campaign = _campaign(ctx)
    if campaign is not None:
        _campaign_note(ctx, campaign)
        return _campaign_a2(ctx, campaign)
    season = paper_season(ctx)
    return _paper_a2(ctx, season) if season else []


def check_a3(ctx: CheckContext) -> list[Finding]:
    """A clause the school's type or features require is missing from its agreement."""
    campaign = _campaign(ctx)
    if campaign is not None:
        _campaign_note(ctx, campaign)
        return []
    season = paper_season(ctx)
    return _paper_a3(ctx, season) if season else []


def check_a4(ctx: CheckContext) -> list[Finding]:
    """The internal cascade is not fully signed: for a campaign its post agreements and
    confirmations (``cascade_checks``), for paper seasons staff_signed < staff_total."""
    campaign = _campaign(ctx)
    if campaign is not None:
        _campaign_note(ctx, campaign)
        return campaign_a4(ctx, campaign)
    season = paper_season(ctx)
    return _paper_a4(ctx, season) if season else []
