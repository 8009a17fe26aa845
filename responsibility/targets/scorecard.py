"""Scorecards: every target the campaign's agreements declare, against its goal, per school.

The goal is the value the campaign froze for the template's target key (its parameters), or the
catalogue's fixed goal. Status: ``met``; ``behind``; ``no_data`` (nothing to measure yet: no
visits planned, no major hazard); ``unrecorded`` (the system keeps no records of this work);
``no_goal`` (the campaign declares no readable goal for it). A per-month count goal is the goal
times the months begun in the term up to the day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Campaign, School, Town
from .catalogue import TargetSpec, load_targets, parse_goal
from .measures import MEASURES, UNRECORDED, Measurement, RecordRef, Window

__all__ = ["STATUSES", "Scorecard", "TargetValue", "county_summary", "scorecards", "status_counts"]

STATUSES = ("met", "behind", "no_data", "unrecorded", "no_goal")


@dataclass(frozen=True)
class TargetValue:
    key: str
    label: str
    label_en: str
    kind: str
    goal_text: str | None
    goal: float | None
    value: float | None
    """A share in [0, 1] for a rate, a count otherwise; None when there is nothing to show."""
    numerator: int | None
    denominator: int | None
    status: str
    records: tuple[RecordRef, ...] = ()
    records_total: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": self.label, "label_en": self.label_en, "kind": self.kind,
            "goal": self.goal_text, "value": self.value, "numerator": self.numerator,
            "denominator": self.denominator, "status": self.status,
            "records": [{"kind": r.kind, "key": r.key, "label": r.label} for r in self.records],
            "records_total": self.records_total,
        }  # fmt: skip


@dataclass(frozen=True)
class Scorecard:
    school_id: int
    school: str
    """The school's import id."""
    name: str
    town: str | None
    values: tuple[TargetValue, ...]

    @property
    def behind(self) -> tuple[TargetValue, ...]:
        return tuple(v for v in self.values if v.status == "behind")

    def as_dict(self) -> dict[str, Any]:
        return {
            "school": self.school,
            "name": self.name,
            "town": self.town,
            "behind": [v.key for v in self.behind],
            "targets": [v.as_dict() for v in self.values],
        }


def _months_begun(start: dt.date, at: dt.date) -> int:
    return max(1, (at.year - start.year) * 12 + at.month - start.month + 1) if at >= start else 0


def _value(spec: TargetSpec, goal_text: str | None, m: Measurement | None, window: Window) -> TargetValue:
    goal = parse_goal(goal_text, spec.kind) if goal_text is not None else None
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    if spec.measure == UNRECORDED:
        status = "unrecorded"
    elif spec.kind == "rate_min":
        numerator, denominator = (m.numerator, m.denominator) if m else (0, 0)
        value = numerator / denominator if denominator else None
        met = value is not None and goal is not None and value + 1e-9 >= goal
        status = "no_data" if value is None else ("no_goal" if goal is None else ("met" if met else "behind"))
    else:
        value = float(m.count if m else 0)
        if spec.kind == "count_min" and goal is not None and spec.per == "month":
            goal = goal * _months_begun(window.start, window.at)
        met = goal is not None and (value >= goal if spec.kind == "count_min" else value <= goal)
        status = "no_goal" if goal is None else ("met" if met else "behind")
    records = tuple(m.records) if m and spec.measure != UNRECORDED else ()
    total = m.records_total if m and spec.measure != UNRECORDED else 0
    if status == "behind" and not records and m is not None and m.short is not None:
        records, total = (m.short,), 1
    return TargetValue(
        key=spec.key, label=spec.label, label_en=spec.label_en, kind=spec.kind, goal_text=goal_text, goal=goal,
        value=value, numerator=numerator, denominator=denominator, status=status,
        records=records, records_total=total,
    )  # fmt: skip


def scorecards(
    session: Session,
    campaign: Campaign,
    at: dt.date,
    school_ids: Sequence[int] | None = None,
    specs: Iterable[TargetSpec] | None = None,
) -> list[Scorecard]:
    """The scorecard of every school (or of ``school_ids``) in the campaign on ``at``, ordered
    by the school's import id. One query per measure, whatever the number of schools."""
    query = select(School.id, School.source_id, School.name, Town.name).outerjoin(Town, Town.id == School.town_id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    schools = session.execute(query.order_by(School.source_id)).all()
    specs = tuple(specs) if specs is not None else load_targets(frozenset(MEASURES))
    window = Window(campaign=campaign, at=at, school_ids=[row[0] for row in schools])
    measured = {name: MEASURES[name](session, window) for name in {s.measure for s in specs}} if schools else {}
    declared = dict(campaign.parameters.get("targets") or {})
    cards = []
    for school_id, source_id, name, town in schools:
        values = tuple(
            _value(s, declared.get(s.manifest) if s.manifest else s.goal, measured[s.measure].get(school_id), window)
            for s in specs
        )
        cards.append(Scorecard(school_id=school_id, school=source_id, name=name, town=town, values=values))
    return cards


def status_counts(cards: Iterable[Scorecard]) -> dict[str, Counter[str]]:
    """Target key → how many of ``cards`` are in each status."""
    out: dict[str, Counter[str]] = {}
    for card in cards:
        for value in card.values:
            out.setdefault(value.key, Counter())[value.status] += 1
    return out


def county_summary(cards: Iterable[Scorecard]) -> dict[str, dict[str, Counter[str]]]:
    """Town name (``""`` without a town) → target key → how many schools in each status."""
    by_town: dict[str, list[Scorecard]] = {}
    for card in cards:
        by_town.setdefault(card.town or "", []).append(card)
    return {town: status_counts(group) for town, group in by_town.items()}
