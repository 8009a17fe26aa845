"""Each school's proposed assessment: per part its score with every deduction and its evidence,
the veto items that apply, the total and the grade (``flask assess run``).

A part starts at its points and loses ``points × occurrences`` per rule, at most the rule's
``max``, never below 0 (扣完为止, 不跨项). An assessor's score for a part (the latest adjustment)
replaces the proposed one; both are shown. A veto candidate applies unless an assessor dismissed it
(with a reason); undecided candidates are listed as such, and the assessment cannot be issued
while any remains. The grade is the scheme's level whose minimum the total reaches; a veto that
applies gives the lowest level (不合格) whatever the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AssessmentAdjustment, Campaign, County, School, Town, VetoDecision
from ..settings_work import PatrolSettings
from .evidence import Evidence, Occurrences, collect
from .rules import RuleTable, SchemePart, load_rules, match_parts

__all__ = ["Deduction", "PartScore", "Proposal", "SchoolAssessment", "VetoItem", "grade_of", "propose"]

CONFIRMED, DISMISSED = "confirmed", "dismissed"


@dataclass(frozen=True)
class Deduction:
    rule: str
    text: str
    text_en: str
    count: int
    points: float
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text, "text_en": self.text_en, "count": self.count, "points": self.points,
                "evidence": [e.as_dict() for e in self.evidence]}  # fmt: skip


@dataclass(frozen=True)
class PartScore:
    key: str
    name: str
    points: float
    proposed: float
    deductions: tuple[Deduction, ...]
    adjusted: float | None = None
    reason: str | None = None

    @property
    def score(self) -> float:
        return self.proposed if self.adjusted is None else self.adjusted

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "points": self.points, "proposed": self.proposed,
                "adjusted": self.adjusted, "reason": self.reason, "score": self.score,
                "deductions": [d.as_dict() for d in self.deductions]}  # fmt: skip


@dataclass(frozen=True)
class VetoItem:
    id: str
    text: str
    text_en: str
    evidence: tuple[Evidence, ...]
    decision: str | None
    """None (undecided), ``confirmed`` or ``dismissed``."""
    reason: str | None = None

    @property
    def applies(self) -> bool:
        return self.decision != DISMISSED

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "text_en": self.text_en, "decision": self.decision, "reason": self.reason,
                "applies": self.applies, "evidence": [e.as_dict() for e in self.evidence]}  # fmt: skip


@dataclass(frozen=True)
class SchoolAssessment:
    school_id: int
    school: str
    name: str
    town: str | None
    parts: tuple[PartScore, ...]
    vetoes: tuple[VetoItem, ...]
    grade: str

    @property
    def total(self) -> float:
        return round(sum(p.score for p in self.parts), 2)

    @property
    def vetoed(self) -> bool:
        return any(v.applies for v in self.vetoes)

    @property
    def undecided(self) -> tuple[VetoItem, ...]:
        return tuple(v for v in self.vetoes if v.decision is None)

    def as_dict(self) -> dict[str, Any]:
        return {"school": self.school, "name": self.name, "town": self.town, "total": self.total,
                "grade": self.grade, "vetoed": self.vetoed, "parts": [p.as_dict() for p in self.parts],
                "vetoes": [v.as_dict() for v in self.vetoes]}  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    campaign: str
    at: dt.date
    rules_version: str
    rules_sha256: str
    scheme: str
    schools: tuple[SchoolAssessment, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"campaign": self.campaign, "at": self.at.isoformat(), "rules_version": self.rules_version,
                "rules_sha256": self.rules_sha256, "scheme": self.scheme,
                "schools": [s.as_dict() for s in self.schools]}  # fmt: skip


def grade_of(total: float, vetoed: bool, levels: Sequence[dict[str, Any]]) -> str:
    """The level whose ``min`` the total reaches (highest first); the lowest level on a veto."""
    ordered = sorted(levels, key=lambda level: float(level.get("min", 0)), reverse=True)
    if not ordered:
        return ""
    if vetoed:
        return str(ordered[-1]["level"])
    for level in ordered:
        if total + 1e-9 >= float(level.get("min", 0)):
            return str(level["level"])
    return str(ordered[-1]["level"])


def _part(part: SchemePart, table: RuleTable, found: Occurrences, school_id: int) -> PartScore:
    deductions = []
    for rule in (r for r in table.rules if r.part == part.key):
        evidence = tuple(found.get(rule.id, {}).get(school_id, ()))
        if evidence:
            points = min(rule.points * len(evidence), rule.max)
            deductions.append(Deduction(rule.id, rule.text, rule.text_en, len(evidence), round(points, 2), evidence))
    proposed = max(0.0, round(part.points - sum(d.points for d in deductions), 2))
    return PartScore(key=part.key, name=part.name, points=part.points, proposed=proposed, deductions=tuple(deductions))


def _decided(session: Session, campaign: Campaign, model: Any, key: Any) -> dict[tuple[int, str], Any]:
    rows = session.scalars(select(model).where(model.campaign_id == campaign.id).order_by(model.id)).all()
    return {(row.school_id, getattr(row, key)): row for row in rows}  # the latest wins


def propose(
    session: Session, campaign: Campaign, at: dt.date, *, school_ids: Sequence[int] | None = None,
    table: RuleTable | None = None, patrols: PatrolSettings | None = None,
) -> Proposal:  # fmt: skip
    """The proposal for every school (or ``school_ids``) of the county on ``at`` (grid patrols
    judged by ``patrols``, the configured frequencies; the defaults without)."""
    table = table or load_rules()
    county = session.scalars(select(County).limit(1)).first()
    scheme = (county.assessment_scheme if county else None) or {}
    parts = match_parts(table, scheme)
    query = select(School).order_by(School.source_id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    schools = list(session.scalars(query))
    towns = {int(i): str(n) for i, n in session.execute(select(Town.id, Town.name))}
    found = collect(session, campaign, at, table, schools, patrols)
    adjusted = _decided(session, campaign, AssessmentAdjustment, "part_key")
    decisions = _decided(session, campaign, VetoDecision, "veto_id")
    out = []
    for school in schools:
        scores = []
        for part in parts:
            score = _part(part, table, found, school.id)
            change = adjusted.get((school.id, part.key))
            if change is not None:
                score = PartScore(**{**score.__dict__, "adjusted": change.points, "reason": change.reason})
            scores.append(score)
        vetoes = []
        for veto in table.vetoes:
            evidence = tuple(found.get(veto.id, {}).get(school.id, ()))
            decision = decisions.get((school.id, veto.id))
            if evidence or decision is not None and decision.decision == CONFIRMED:
                vetoes.append(VetoItem(veto.id, veto.text, veto.text_en, evidence, decision.decision if decision else None,
                                       decision.reason if decision else None))  # fmt: skip
        total = sum(s.score for s in scores)
        grade = grade_of(total, any(v.applies for v in vetoes), scheme.get("levels") or [])
        out.append(SchoolAssessment(school.id, school.source_id, school.name, towns.get(school.town_id or 0),
                                    tuple(scores), tuple(vetoes), grade))  # fmt: skip
    return Proposal(campaign=campaign.name, at=at, rules_version=table.version, rules_sha256=table.sha256,
                    scheme=str(scheme.get("name", "")), schools=tuple(out))  # fmt: skip
