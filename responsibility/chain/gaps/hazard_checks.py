"""H1–H4: hazards (一患一案一档) as they stood on ``at``.

A hazard exists on ``at`` when it was found on or before it (or has no found date). It is closed
on ``at`` when its status is 已销号 and it was closed on or before ``at`` (a hazard closed later
was still open then). Overdue: not closed and its deadline is before ``at``. The live records of
the hazard loop (``responsibility.hazards``) are the same rows, so the checks read them as they
are; a voided hazard (已作废: a duplicate, not a hazard) is kept with its reason but checked no more.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import aliased

from ...models import Hazard, Person, School
from .base import SEVERITY_CRITICAL, SEVERITY_HIGH, SEVERITY_NORMAL, CheckContext, Finding, blank_text, finding

__all__ = [
    "CLOSED_STATUSES",
    "MAJOR",
    "hazard_closed_on",
    "hazard_exists_on",
    "hazard_overdue",
    "check_h1",
    "check_h2",
    "check_h3",
    "check_h4",
]

CLOSED_STATUSES = frozenset({"已销号", "closed"})
VOID_STATUSES = frozenset({"已作废", "作废", "void"})
MAJOR = "重大"


def hazard_exists_on(at: dt.date) -> ColumnElement[bool]:
    return and_(or_(Hazard.found_date.is_(None), Hazard.found_date <= at), Hazard.status.not_in(VOID_STATUSES))


def hazard_closed_on(at: dt.date) -> ColumnElement[bool]:
    return and_(Hazard.status.in_(CLOSED_STATUSES), or_(Hazard.closed_date.is_(None), Hazard.closed_date <= at))


def hazard_overdue(at: dt.date) -> ColumnElement[bool]:
    return and_(~hazard_closed_on(at), Hazard.deadline.is_not(None), Hazard.deadline < at)


def _label(description: str | None, sid: str) -> str:
    text = (description or "").strip()
    return f"隐患{sid}（{text[:30]}）" if text else f"隐患{sid}"


def check_h1(ctx: CheckContext) -> list[Finding]:
    """Hazards without a responsible person; aggravated (``high``) when already overdue."""
    rows = ctx.session.execute(
        select(Hazard.source_id, Hazard.description, School.source_id, hazard_overdue(ctx.at))
        .join(School, School.id == Hazard.school_id)
        .where(hazard_exists_on(ctx.at), Hazard.responsible_person_id.is_(None))
        .order_by(School.source_id, Hazard.source_id)
    ).all()
    out = []
    for sid, desc, school, overdue in rows:
        text = f"{_label(desc, sid)}没有整改责任人" + ("，且已逾期" if overdue else "")
        out.append(finding("H1", school, sid, text, SEVERITY_HIGH if overdue else SEVERITY_NORMAL))
    return out


def check_h2(ctx: CheckContext) -> list[Finding]:
    """Hazards past their deadline and not closed; a major one is escalated (``critical``)."""
    rows = ctx.session.execute(
        select(Hazard.source_id, Hazard.description, Hazard.level, Hazard.deadline, School.source_id)
        .join(School, School.id == Hazard.school_id)
        .where(hazard_exists_on(ctx.at), hazard_overdue(ctx.at))
        .order_by(School.source_id, Hazard.source_id)
    ).all()
    out = []
    for sid, desc, level, deadline, school in rows:
        if deadline is None:  # never: hazard_overdue keeps only hazards with a deadline
            continue
        days = (ctx.at - deadline).days
        if level == MAJOR:
            text = f"重大{_label(desc, sid)}逾期{days}天未销号，升级督办"
            out.append(finding("H2", school, sid, text, SEVERITY_CRITICAL))
        else:
            out.append(
                finding("H2", school, sid, f"{_label(desc, sid)}整改期限{deadline}已过{days}天，未销号", SEVERITY_HIGH)
            )
    return out


def check_h3(ctx: CheckContext) -> list[Finding]:
    """Closed hazards without a verifier, or verified by their own responsible person."""
    verifier = aliased(Person)
    rows = ctx.session.execute(
        select(Hazard.source_id, Hazard.description, School.source_id, Hazard.verified_by_person_id, verifier.name)
        .join(School, School.id == Hazard.school_id)
        .outerjoin(verifier, verifier.id == Hazard.verified_by_person_id)
        .where(
            hazard_exists_on(ctx.at),
            hazard_closed_on(ctx.at),
            or_(Hazard.verified_by_person_id.is_(None), Hazard.verified_by_person_id == Hazard.responsible_person_id),
        )
        .order_by(School.source_id, Hazard.source_id)
    ).all()
    out = []
    for sid, desc, school, verifier_id, verifier_name in rows:
        if verifier_id is None:
            out.append(finding("H3", school, sid, f"{_label(desc, sid)}已销号但没有验收人"))
        else:
            out.append(finding("H3", school, sid, f"{_label(desc, sid)}由整改责任人{verifier_name}本人验收销号"))
    return out


def check_h4(ctx: CheckContext) -> list[Finding]:
    """Major hazards not listed for supervision (挂牌督办) or without temporary measures."""
    rows = ctx.session.execute(
        select(
            Hazard.source_id,
            Hazard.description,
            School.source_id,
            Hazard.listed_for_supervision.is_(True),
            ~blank_text(Hazard.temporary_measures),
        )
        .join(School, School.id == Hazard.school_id)
        .where(
            hazard_exists_on(ctx.at),
            Hazard.level == MAJOR,
            or_(Hazard.listed_for_supervision.is_not(True), blank_text(Hazard.temporary_measures)),
        )
        .order_by(School.source_id, Hazard.source_id)
    ).all()
    out = []
    for sid, desc, school, listed, measures in rows:
        lacking = [t for t, ok in (("未挂牌督办", listed), ("无临时管控措施", measures)) if not ok]
        out.append(finding("H4", school, sid, f"重大{_label(desc, sid)}{'、'.join(lacking)}", SEVERITY_HIGH))
    return out
