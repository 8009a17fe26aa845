"""Recording key-student home visits (重点学生家访) as counts per class and category.

No student names: a school says, for one class, one category of the configured vocabulary
(``SeasonSettings.visit_categories``: 留守儿童、困境儿童、心理关注学生 …) and one period, how many
visits were planned and how many are done. Recording the same class, category and period again
replaces the counts (the version moves on; ``expected_version`` makes it compare-and-set). Refused,
with nothing written: a negative count, done above planned, an unknown category or school, an
empty class. V1 sums the counts per school and period.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import now_utc
from ..models import HomeVisitCount, School
from .errors import BadInput, SeasonConflict, UnknownRecord
from .seasons import flush_or_conflict

__all__ = ["MAX_CLASS", "MAX_COUNT", "VisitConflict", "record_visits"]

MAX_CLASS = 100
MAX_COUNT = 100_000


class VisitConflict(SeasonConflict):
    """The counts changed since they were read (their version moved on): 409."""


def _counts(planned: int, done: int) -> None:
    if planned < 0 or done < 0:
        raise BadInput(f"人数不能为负数（应访 {planned}，已访 {done}）。 (Counts cannot be negative.)")
    if planned > MAX_COUNT:
        raise BadInput(f"应访人数超过 {MAX_COUNT}。 (More than {MAX_COUNT} planned.)")
    if done > planned:
        raise BadInput(f"已访 {done} 人多于应访 {planned} 人。 (Done {done} exceeds planned {planned}.)")


def record_visits(
    session: Session,
    school_id: str,
    *,
    class_name: str,
    period: str,
    planned: int,
    done: int,
    category: str,
    categories: Sequence[str],
    actor: str,
    expected_version: int | None = None,
) -> HomeVisitCount:
    """Record (or replace) one class's counts for one category and period."""
    _counts(planned, done)
    if category not in categories:
        raise BadInput(f"未知的家访类别 {category!r}；可选：{'、'.join(categories)}。 (Unknown category {category!r}.)")
    name = " ".join((class_name or "").split())
    if not name or len(name) > MAX_CLASS:
        raise BadInput(f"班级名称须为 1–{MAX_CLASS} 字。 (The class needs a name of 1–{MAX_CLASS} characters.)")
    school = session.scalar(select(School).where(School.source_id == school_id.strip()))
    if school is None:
        raise UnknownRecord(f"没有学校 {school_id!r}。 (No school {school_id!r}.)")
    row = session.scalar(
        select(HomeVisitCount).where(
            HomeVisitCount.school_id == school.id,
            HomeVisitCount.period_name == period,
            HomeVisitCount.class_name == name,
            HomeVisitCount.category == category,
        )
    )
    current = row.version if row is not None else 0
    if expected_version is not None and expected_version != current:
        raise VisitConflict(
            f"家访记录已被他人修改（当前版本 {current}）。 (The counts changed meanwhile: version {current}.)"
        )
    if row is None:
        row = HomeVisitCount(school_id=school.id, period_name=period, class_name=name, category=category)
        row.planned, row.visited, row.version, row.recorded_at = planned, done, 1, now_utc()
        session.add(row)
    else:
        moved = session.execute(
            update(HomeVisitCount)
            .where(HomeVisitCount.id == row.id, HomeVisitCount.version == current)
            .values(planned=planned, visited=done, version=current + 1, recorded_at=now_utc())
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            raise VisitConflict("家访记录已被他人修改。 (The counts changed meanwhile.)")
        session.refresh(row)
    flush_or_conflict(session, "家访记录")
    append_event(
        session,
        actor=actor,
        action="visits.record",
        subject=f"school:{school.source_id}",
        data={"period": period, "class": name, "category": category, "planned": planned, "done": done},
    )
    session.flush()
    return row
