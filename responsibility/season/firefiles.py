"""Editing a building's fire file (一楼一案) with its history.

The current values live where the audit checks read them: floors, stairs, 人员密集场所 and the
highest floor used by young children on the building (K1), the equipment and the evacuation
plan on its ``FirePlan`` (F1: a building has one once its file is saved). Every edit writes a
:class:`~responsibility.models.FireFileVersion` with the full state, who saved it and what
changed, so every earlier version stays readable; the imported state is version 0.

An edit is compare-and-set on the fire plan's version: of two editors who read the same
version, one wins and the other gets :class:`FireFileConflict` (409). Refused, with nothing
written: an unknown building or person, an editor without a fire-file post at the school on the
day, floors below 1, the young children's floor above the floors, negative counts, an edit that
changes nothing, and a bad evacuation plan PDF (:mod:`.evacuation_plans`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import now_utc
from ..errors import Forbidden
from ..hazards.roles import holds_post
from ..messages import N_
from ..models import Building, FireFileVersion, FirePlan, Person
from .errors import BadInput, SeasonConflict, UnknownRecord
from .evacuation_plans import CheckedPlan, PlanStore
from .seasons import find_person, flush_or_conflict

__all__ = [
    "EDITING_POSTS",
    "FIELDS",
    "MAX_COUNT",
    "MAX_FLOORS",
    "FireFileConflict",
    "FireFileFields",
    "FireFileRefused",
    "current_fields",
    "edit_fire_file",
    "find_building",
    "may_edit",
]

EDITING_POSTS = frozenset({"S01", "S02", "S03", "S05", "S07", "S22"})
"""Principal, party secretary, safety deputy, 总务主任, 安全专干, campus head: they keep the file."""
MAX_FLOORS = 200
MAX_COUNT = 10_000


class FireFileConflict(SeasonConflict):
    """The fire file was saved by someone else since it was read (its version moved on): 409."""


class FireFileRefused(Forbidden):
    """The editor may not keep this school's fire files (403)."""


@dataclass(frozen=True)
class FireFileFields:
    """The editable state of a fire file (``None``: not recorded)."""

    floors: int | None = None
    stairs: int | None = None
    dense_occupancy: bool | None = None
    child_rooms_top_floor: int | None = None
    """The highest floor with rooms used by young children (幼儿用房最高楼层); K1 reads it."""
    extinguishers: int | None = None
    hydrants: int | None = None
    emergency_lighting_ok: bool | None = None
    evac_signs_ok: bool | None = None


FIELDS = tuple(f.name for f in dataclasses.fields(FireFileFields))
_ON_BUILDING = ("floors", "stairs", "dense_occupancy", "child_rooms_top_floor")


def find_building(session: Session, source_id: str) -> Building:
    building = session.scalar(select(Building).where(Building.source_id == (source_id or "").strip()))
    if building is None:
        raise UnknownRecord(N_("No building %(building)s."), building=repr(source_id))
    return building


def current_fields(building: Building) -> FireFileFields:
    plan = building.fire_plan
    return FireFileFields(
        floors=building.floors,
        stairs=building.stairs,
        dense_occupancy=building.dense_occupancy,
        child_rooms_top_floor=building.child_rooms_top_floor,
        extinguishers=plan.extinguishers if plan else None,
        hydrants=plan.hydrants if plan else None,
        emergency_lighting_ok=plan.emergency_lighting_ok if plan else None,
        evac_signs_ok=plan.evac_signs_ok if plan else None,
    )


def may_edit(session: Session, person: Person, building: Building, day: dt.date) -> bool:
    return holds_post(session, person, building.school_id, EDITING_POSTS, day)


def _validate(fields: FireFileFields) -> None:
    floors = fields.floors
    if floors is None or floors < 1 or floors > MAX_FLOORS:
        raise BadInput(N_("The number of floors must be between 1 and %(max)s."), max=MAX_FLOORS)
    if fields.stairs is not None and (fields.stairs < 0 or fields.stairs > MAX_COUNT):
        raise BadInput(N_("The number of stairs must be between 0 and %(max)s."), max=MAX_COUNT)
    if floors > 1 and fields.stairs == 0:
        raise BadInput(N_("A building of %(floors)s floors needs at least one staircase."), floors=floors)
    top = fields.child_rooms_top_floor
    if top is not None and (top < 1 or top > floors):
        raise BadInput(
            N_("The highest floor used by young children must be between 1 and the floors (%(floors)s)."),
            floors=floors,
        )
    for count in (fields.extinguishers, fields.hydrants):
        if count is not None and (count < 0 or count > MAX_COUNT):
            raise BadInput(N_("Equipment counts must be between 0 and %(max)s."), max=MAX_COUNT)


def _changes(
    before: FireFileFields, after: FireFileFields, old_plan: str | None, new_plan: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: [getattr(before, name), getattr(after, name)]
        for name in FIELDS
        if getattr(before, name) != getattr(after, name)
    }
    if old_plan != new_plan:
        out["plan_sha256"] = [old_plan, new_plan]
    return out


def _bump(session: Session, building: Building, current: int, fields: FireFileFields, plan_sha: str | None) -> FirePlan:
    """Write the new state on the building and its fire plan, compare-and-set on the version."""
    values = {name: getattr(fields, name) for name in FIELDS if name not in _ON_BUILDING}
    plan = building.fire_plan
    if plan is None:
        plan = FirePlan(building_id=building.id, version=1, plan_sha256=plan_sha, **values)
        session.add(plan)
        building.fire_plan = plan
    else:
        moved = session.execute(
            update(FirePlan)
            .where(FirePlan.id == plan.id, FirePlan.version == current)
            .values(version=current + 1, plan_sha256=plan_sha, **values)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            raise FireFileConflict(N_("The fire file was changed by someone else meanwhile: reload and try again."))
        session.refresh(plan)
    for name in _ON_BUILDING:
        setattr(building, name, getattr(fields, name))
    return plan


def edit_fire_file(
    session: Session,
    building_id: str,
    *,
    by: str,
    fields: FireFileFields,
    today: dt.date,
    actor: str,
    expected_version: int | None = None,
    plan: CheckedPlan | None = None,
    store: PlanStore | None = None,
) -> FireFileVersion:
    """Save a new version of the building's fire file (the whole state in ``fields``); the
    checked ``plan`` PDF, if given, replaces the evacuation plan (stored before the row)."""
    building = find_building(session, building_id)
    editor = find_person(session, by, "--by")
    if not may_edit(session, editor, building, today):
        raise FireFileRefused(
            N_("%(name)s holds no post at %(school)s on %(day)s that may keep its fire files."),
            name=editor.name,
            school=building.school.name,
            day=today.isoformat(),
        )
    _validate(fields)
    current = building.fire_plan.version if building.fire_plan is not None else 0
    if expected_version is not None and expected_version != current:
        raise FireFileConflict(
            N_("The fire file is at version %(current)s now, not %(expected)s: reload and try again."),
            current=current,
            expected=expected_version,
        )
    old_plan = building.fire_plan.plan_sha256 if building.fire_plan is not None else None
    new_plan = plan.sha256 if plan is not None else old_plan
    changes = _changes(current_fields(building), fields, old_plan, new_plan)
    if not changes:
        raise BadInput(N_("Nothing changed: the fire file already has these values."))
    if plan is not None:
        if store is None:
            raise ValueError("a plan needs a store")
        store.put(plan)
    fire_plan = _bump(session, building, current, fields, new_plan)
    previous = session.scalar(
        select(FireFileVersion.plan_name).where(
            FireFileVersion.building_id == building.id, FireFileVersion.version == current
        )
    )
    row = FireFileVersion(
        building_id=building.id,
        version=fire_plan.version,
        **dataclasses.asdict(fields),
        plan_sha256=new_plan,
        plan_name=plan.name if plan is not None else previous,
        changes=changes,
        by_person_id=editor.id,
        recorded_at=now_utc(),
    )
    session.add(row)
    flush_or_conflict(session, "一楼一案")
    append_event(
        session,
        actor=actor,
        action="firefile.edit",
        subject=f"building:{building.source_id}",
        data={"version": row.version, "by": editor.source_id, "changes": changes},
    )
    session.flush()
    return row
