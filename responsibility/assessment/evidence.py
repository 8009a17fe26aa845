"""Where a rule's occurrences come from: gap findings, targets behind, failed inspection items,
grid weeks without their patrols, and the records that make a veto apply — each occurrence with
the reference of its record.

Each source is read once for all schools (one gap run, one scorecard run, one query per kind).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..chain.gaps.base import blank_text
from ..chain.gaps.hazard_checks import MAJOR, hazard_exists_on, hazard_overdue
from ..chain.gaps.report import run_gap_checks
from ..incidents import incidents_between, load_catalogue
from ..models import Campaign, Hazard, Incident, InspectionAnswer, InspectionChecklist, InspectionRound, School
from ..patrols.queries import gap_weeks
from ..settings_work import PatrolSettings
from ..targets import scorecards
from .rules import Rule, RuleTable, VetoRule

__all__ = ["Evidence", "Occurrences", "collect"]


@dataclass(frozen=True)
class Evidence:
    """One occurrence: ``kind`` (gap, target, inspection, hazard), the record's key, a line."""

    kind: str
    ref: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref, "text": self.text}


Occurrences = dict[str, dict[int, list[Evidence]]]
"""Rule or veto id → school database id → its occurrences."""


def _gap(session: Session, campaign: Campaign, at: dt.date, rules: Sequence[Rule], ids: dict[str, int]) -> Occurrences:
    checks = {r.check for r in rules if r.source == "gap" and r.check}
    out: Occurrences = {r.id: defaultdict(list) for r in rules if r.source == "gap"}
    if not checks:
        return out
    report = run_gap_checks(session, at=at, campaign_id=campaign.id, checks=set(checks))
    for rule in rules:
        if rule.source != "gap":
            continue
        for f in report.by_check(rule.check or ""):
            if f.school_id in ids and (rule.severity is None or f.severity == rule.severity):
                out[rule.id][ids[f.school_id]].append(Evidence("gap", f"{f.check}:{f.subject_id}", f.message))
    return out


def _targets(
    session: Session, campaign: Campaign, at: dt.date, rules: Sequence[Rule], school_ids: list[int]
) -> Occurrences:
    wanted = [r for r in rules if r.source == "target"]
    out: Occurrences = {r.id: defaultdict(list) for r in wanted}
    if not wanted:
        return out
    for card in scorecards(session, campaign, at, school_ids):
        behind = {v.key: v for v in card.behind}
        for rule in wanted:
            value = behind.get(rule.target or "")
            if value is not None:
                shown = (
                    "—"
                    if value.value is None
                    else (f"{value.value:.1%}" if value.kind == "rate_min" else f"{value.value:g}")
                )
                text = f"{value.label}：{shown}（目标 {value.goal_text or '—'}）"
                out[rule.id][card.school_id].append(Evidence("target", value.key, text))
    return out


def _inspections(session: Session, campaign: Campaign, at: dt.date, rules: Sequence[Rule]) -> Occurrences:
    wanted = [r for r in rules if r.source == "inspection"]
    out: Occurrences = {r.id: defaultdict(list) for r in wanted}
    if not wanted:
        return out
    rows = session.execute(
        select(InspectionChecklist.school_id, InspectionAnswer.item_id, InspectionAnswer.target, InspectionAnswer.note,
               InspectionRound.name, InspectionAnswer.id)
        .join(InspectionChecklist, InspectionChecklist.id == InspectionAnswer.checklist_id)
        .join(InspectionRound, InspectionRound.id == InspectionChecklist.round_id)
        .where(
            InspectionAnswer.result == "fail", InspectionAnswer.answered_on <= at,
            InspectionRound.start_date >= campaign.term_start, InspectionRound.start_date <= campaign.term_end,
        )
        .order_by(InspectionAnswer.id)
    )  # fmt: skip
    for school_id, item, target, note, round_name, answer_id in rows:
        for rule in wanted:
            if item.split("-")[0] in rule.areas:
                where = f"（{target}）" if target else ""
                text = f"{round_name}：{item}{where}不合格 {note or ''}".strip()
                out[rule.id][school_id].append(Evidence("inspection", f"answer:{answer_id}", text))
    return out


def _patrols(
    session: Session, campaign: Campaign, at: dt.date, rules: Sequence[Rule], school_ids: list[int],
    settings: PatrolSettings,
) -> Occurrences:  # fmt: skip
    """One occurrence per grid and calendar week of the term up to ``at`` with a patrol owed and
    not made (a week not over on ``at`` is not owed yet)."""
    wanted = [r for r in rules if r.source == "patrol_gap"]
    out: Occurrences = {r.id: defaultdict(list) for r in wanted}
    last = min(at, campaign.term_end)
    if not wanted or last < campaign.term_start:
        return out
    weeks = gap_weeks(session, school_ids, campaign.term_start, last, settings=settings, today=at)
    for school_id, found in weeks.items():
        for week in found:
            sunday = week.monday + dt.timedelta(days=6)
            text = f"网格{week.grid}（{week.name}）{week.monday}—{sunday}巡查记录缺失"
            for rule in wanted:
                out[rule.id][school_id].append(Evidence("patrol", f"{week.grid}:{week.monday}", text))
    return out


def _vetoes(session: Session, at: dt.date, vetoes: Sequence[VetoRule], school_ids: list[int]) -> Occurrences:
    out: Occurrences = {v.id: defaultdict(list) for v in vetoes}
    for veto in vetoes:
        if veto.source == "major_overdue_uncontrolled":
            rows = session.execute(
                select(Hazard.school_id, Hazard.source_id, Hazard.file_no, Hazard.description, Hazard.deadline)
                .where(
                    hazard_exists_on(at), hazard_overdue(at), Hazard.level == MAJOR,
                    blank_text(Hazard.temporary_measures), Hazard.school_id.in_(school_ids),
                )
                .order_by(Hazard.source_id)
            )  # fmt: skip
            for school_id, sid, file_no, description, deadline in rows:
                text = f"重大隐患{file_no or sid}（{(description or '')[:30]}）期限{deadline}已过，无临时管控措施"
                out[veto.id][school_id].append(Evidence("hazard", sid, text))
    return out


_LATE, _HIDDEN = ("late",), ("unreported", "concealed")
_INCIDENT_SOURCES: dict[str, Callable[[Incident], bool]] = {
    "incident_late": lambda i: i.status in _LATE,
    "incident_unreported": lambda i: i.status in _HIDDEN,
    "incident_veto_kind": lambda i: i.veto_kind,
    "incident_veto_late": lambda i: i.veto_kind and i.status in (*_LATE, *_HIDDEN),
}
_STATUS_TEXT = {"reported": "按时报告", "late": "迟报", "unreported": "漏报", "concealed": "瞒报"}


def _incidents(
    session: Session, campaign: Campaign, at: dt.date, sources: dict[str, str], school_ids: list[int]
) -> Occurrences:
    """Occurrences of the incident sources (rule or veto id → source) in the term up to ``at``."""
    out: Occurrences = {rid: defaultdict(list) for rid in sources}
    if not sources or at < campaign.term_start:
        return out
    names = {k.code: k.name for k in load_catalogue().kinds}
    for incident in incidents_between(session, school_ids, campaign.term_start, min(at, campaign.term_end)):
        status = _STATUS_TEXT.get(incident.status, incident.status)
        if incident.status == "late":
            status += f"{incident.lateness_seconds // 60}分钟"
        text = f"{incident.number} {names.get(incident.kind, incident.kind)}（{status}）{incident.description[:30]}"
        for rid, source in sources.items():
            if _INCIDENT_SOURCES[source](incident):
                out[rid][incident.school_id].append(Evidence("incident", incident.number, text))
    return out


def collect(
    session: Session, campaign: Campaign, at: dt.date, table: RuleTable, schools: Sequence[School],
    patrols: PatrolSettings | None = None,
) -> Occurrences:  # fmt: skip
    """Every rule's and veto's occurrences for ``schools`` on ``at`` (grid patrols judged by
    ``patrols``, the configured frequencies)."""
    ids = {s.source_id: s.id for s in schools}
    school_ids = list(ids.values())
    found: Occurrences = {}
    found.update(_gap(session, campaign, at, table.rules, ids))
    found.update(_targets(session, campaign, at, table.rules, school_ids))
    found.update(_inspections(session, campaign, at, table.rules))
    found.update(_patrols(session, campaign, at, table.rules, school_ids, patrols or PatrolSettings()))
    found.update(_vetoes(session, at, table.vetoes, school_ids))
    sources = {r.id: r.source for r in table.rules if r.source in _INCIDENT_SOURCES}
    sources.update({v.id: v.source for v in table.vetoes if v.source in _INCIDENT_SOURCES})
    found.update(_incidents(session, campaign, at, sources, school_ids))
    return found
