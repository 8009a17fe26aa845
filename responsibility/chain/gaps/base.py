"""What every gap check shares: the finding, the context a check runs in, and the SQL idioms.

A check is a function ``(ctx: CheckContext) -> list[Finding]``. It runs a handful of read-only,
set-based statements over the whole county (never one query per school: the province bench runs
the report over 20,000 schools) and judges the data as it stood on ``ctx.at``: validity periods
are half-open ``[valid_from, valid_to)`` and hold on ``at`` when ``valid_from <= at`` and
(``valid_to`` is null or ``at < valid_to``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, or_
from sqlalchemy.orm import Session

__all__ = [
    "CHECK_CODES",
    "CHECK_TITLES",
    "SEVERITY_CRITICAL",
    "SEVERITY_HIGH",
    "SEVERITY_NORMAL",
    "CheckContext",
    "Finding",
    "blank_json_list",
    "blank_text",
    "finding",
    "fix_hint",
]

SEVERITY_NORMAL = "normal"
SEVERITY_HIGH = "high"
"""Aggravated: e.g. a hazard without a responsible person that is already overdue."""
SEVERITY_CRITICAL = "critical"
"""Escalated: e.g. an overdue major hazard (重大隐患逾期升级督办)."""

CHECK_TITLES: dict[str, str] = {
    "A1": "责任书签字或印章不全",
    "A2": "学校无责任书或未签订",
    "A3": "学校特征对应的条款缺失",
    "A4": "逐层签订未全覆盖",
    "P1": "岗位缺安全职责或业务职责",
    "P2": "按特征必设岗位空缺",
    "G1": "网格无网格长",
    "G2": "网格长已调离或不属于本校",
    "G3": "建筑未纳入网格",
    "G4": "网格层级断链",
    "L1": "学校无包抓股室",
    "L2": "包抓人不属于该股室",
    "H1": "隐患无整改责任人",
    "H2": "隐患逾期未销号",
    "H3": "已销号隐患验收人缺失或与整改人相同",
    "H4": "重大隐患未挂牌督办或无临时管控措施",
    "D1": "某日无带班领导",
    "F1": "建筑无一楼一案",
    "F2": "月度防火检查超过31天",
    "K1": "幼儿生活用房在3层以上",
    "V1": "重点学生家访未全覆盖",
}
"""The outline's check codes (§2.4) in report order, with their Chinese titles."""

CHECK_CODES: tuple[str, ...] = tuple(CHECK_TITLES)

# Where on the school page each check's problem is fixed (anchors of org/school.html).
_ANCHORS: dict[str, str] = {
    "A": "leaders",
    "P": "posts",
    "G1": "grids",
    "G2": "grids",
    "G3": "buildings",
    "G4": "grids",
    "L": "liaison",
    "H": "grids",
    "D": "leaders",
    "F": "buildings",
    "K": "buildings",
    "V": "facts",
}


def fix_hint(check: str, school_source_id: str | None) -> str | None:
    """The path of the page where a finding is fixed (the school page with an anchor), or None
    when the finding is not about a school (e.g. a bureau duty roster)."""
    if not school_source_id:
        return None
    anchor = _ANCHORS.get(check) or _ANCHORS.get(check[0], "facts")
    return f"/org/schools/{school_source_id}#{anchor}"


@dataclass(frozen=True)
class Finding:
    """One gap: what is wrong, where, and where to fix it."""

    check: str
    """The outline's check code (A1 … V1)."""
    school_id: str
    """Source id of the school (or, for bureau-level findings, of the organisation)."""
    subject_id: str
    """Source id of what is wrong: an agreement, post assignment, post code, grid, building,
    hazard, person or school, or (D1) the ISO date without a duty leader."""
    message: str
    """One line in Chinese for the auditor."""
    severity: str = SEVERITY_NORMAL
    """``normal``, ``high`` (aggravated) or ``critical`` (escalated)."""
    fix_url_hint: str | None = None
    """Path (under ``PUBLIC_BASE_URL``) of the page where it is fixed."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.check, self.school_id, self.subject_id)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: ``check``, ``school_id``, ``subject_id``, ``message`` plus extras."""
        return {
            "check": self.check,
            "school_id": self.school_id,
            "subject_id": self.subject_id,
            "message": self.message,
            "severity": self.severity,
            "fix_url": self.fix_url_hint,
        }


def finding(
    check: str,
    school_id: str,
    subject_id: str,
    message: str,
    severity: str = SEVERITY_NORMAL,
    *,
    org_kind: str = "school",
) -> Finding:
    """A finding with its fix hint (schools only)."""
    hint = fix_hint(check, school_id) if org_kind == "school" else None
    return Finding(check, school_id, subject_id, message, severity, hint)


@dataclass
class CheckContext:
    """What a check runs against."""

    session: Session
    at: dt.date
    """The day the data is judged on."""
    campaign_id: int | None = None
    """With a campaign, A1/A2 judge its agreements; else the latest imported paper season."""
    notes: list[str] = field(default_factory=list)
    """Remarks for the report (e.g. which season the A-checks read)."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Results shared by checks of one run (e.g. the paper season)."""


def blank_text(column: Any) -> ColumnElement[bool]:
    """SQL: a text column that is null or only spaces."""
    return or_(column.is_(None), func.trim(column) == "")


def blank_json_list(column: Any) -> ColumnElement[bool]:
    """SQL: a JSON list column that is null, JSON null or the empty list (same text on SQLite and
    PostgreSQL, as SQLAlchemy serialises it)."""
    text = cast(column, String)
    return or_(column.is_(None), text.in_(("[]", "null")))
