"""The bureau's view of a round (read-only): completion per school and per town, and the fail rate
per risk area.

Three aggregate queries whatever the number of schools (never one query per school): the
checklists with their school and town, the distinct answered items per checklist, and the answers
counted per item and result. The fail rate of an area is fails ÷ (passes + fails) over its
answers; ``na`` answers do not count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..models import InspectionAnswer, InspectionChecklist, School, Town
from .rounds import find_round

__all__ = ["RoundCompletion", "SchoolCompletion", "round_completion"]


@dataclass(frozen=True)
class SchoolCompletion:
    school_id: str
    school: str
    town_id: str | None
    status: str
    items: int
    answered: int
    fails: int


@dataclass(frozen=True)
class RoundCompletion:
    round_id: int
    name: str
    schools: tuple[SchoolCompletion, ...]
    areas: dict[str, dict[str, Any]]
    """Area code → ``{"pass", "fail", "na", "fail_rate"}`` (``fail_rate`` None without answers)."""

    def towns(self) -> dict[str, dict[str, int]]:
        """Town id (``""`` for schools without one) → schools, submitted, items, answered."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"schools": 0, "submitted": 0, "items": 0, "answered": 0})
        for s in self.schools:
            row = out[s.town_id or ""]
            row["schools"] += 1
            row["submitted"] += s.status == "submitted"
            row["items"] += s.items
            row["answered"] += s.answered
        return dict(sorted(out.items()))

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.round_id,
            "name": self.name,
            "submitted": sum(1 for s in self.schools if s.status == "submitted"),
            "schools": [s.__dict__ for s in self.schools],
            "towns": self.towns(),
            "areas": self.areas,
        }


def _area_rates(session: Session, round_id: int) -> dict[str, dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = defaultdict(lambda: {"pass": 0, "fail": 0, "na": 0})
    rows = session.execute(
        select(InspectionAnswer.item_id, InspectionAnswer.result, func.count(InspectionAnswer.id))
        .join(InspectionChecklist, InspectionChecklist.id == InspectionAnswer.checklist_id)
        .where(InspectionChecklist.round_id == round_id)
        .group_by(InspectionAnswer.item_id, InspectionAnswer.result)
    ).all()
    for item_id, result, n in rows:
        counts[item_id.split("-")[0]][result] += int(n)
    for row in counts.values():
        judged = row["pass"] + row["fail"]
        row["fail_rate"] = round(row["fail"] / judged, 4) if judged else None
    return dict(sorted(counts.items()))


def round_completion(session: Session, round_key: str | int) -> RoundCompletion:
    the_round = find_round(session, round_key)
    answered = dict(
        session.execute(
            select(InspectionAnswer.checklist_id, func.count(distinct(InspectionAnswer.item_id)))
            .join(InspectionChecklist, InspectionChecklist.id == InspectionAnswer.checklist_id)
            .where(InspectionChecklist.round_id == the_round.id)
            .group_by(InspectionAnswer.checklist_id)
        ).all()
    )
    fails = dict(
        session.execute(
            select(InspectionAnswer.checklist_id, func.count(InspectionAnswer.id))
            .join(InspectionChecklist, InspectionChecklist.id == InspectionAnswer.checklist_id)
            .where(InspectionChecklist.round_id == the_round.id, InspectionAnswer.result == "fail")
            .group_by(InspectionAnswer.checklist_id)
        ).all()
    )
    rows = session.execute(
        select(InspectionChecklist, School.source_id, School.name, Town.source_id)
        .join(School, School.id == InspectionChecklist.school_id)
        .outerjoin(Town, Town.id == School.town_id)
        .where(InspectionChecklist.round_id == the_round.id)
        .order_by(School.source_id)
    ).all()
    schools = tuple(
        SchoolCompletion(
            school_id=source_id,
            school=name,
            town_id=town_id,
            status=checklist.status,
            items=len(checklist.item_ids),
            answered=int(answered.get(checklist.id, 0)),
            fails=int(fails.get(checklist.id, 0)),
        )
        for checklist, source_id, name, town_id in rows
    )
    return RoundCompletion(
        round_id=the_round.id, name=the_round.name, schools=schools, areas=_area_rates(session, the_round.id)
    )
