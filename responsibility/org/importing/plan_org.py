"""Checks of the organisation part of an import: towns, sections, schools and their buildings
(continues :func:`.planner.build_plan`)."""

from __future__ import annotations

from ...models import Building, Person, Town
from .plan import Plan
from .refs import Refs, unique
from .snapshot import Existing
from .validation import refusal

__all__ = ["plan_organisation"]


def plan_organisation(plan: Plan, refs: Refs, existing: Existing) -> None:
    """Towns, the organisations (bureau, sections, schools) and the buildings, in that order."""
    towns = [(x.source_id, x.locate(f"$.towns[{i}]")) for i, x in enumerate(plan.towns)]
    refs.define("town", unique(plan.source, towns, "town"))
    refs.define("town", {x["source_id"] for x in existing.rows(Town.__table__)})  # type: ignore[arg-type]
    for i, section in enumerate(plan.sections):
        section.locate(f"$.bureau.sections[{i}]")
    for i, school in enumerate(plan.schools):
        school.locate(f"$.schools[{i}]")
        refs.check("town", school.town, school, "town")
    _organisations(plan, refs, existing)
    _buildings(plan, refs, existing)
    refs.define("person", {x["source_id"] for x in existing.rows(Person.__table__)})  # type: ignore[arg-type]


def _organisations(plan: Plan, refs: Refs, existing: Existing) -> None:
    """Org ids are unique across bureau, sections and schools, and keep their stored kind."""
    org_items = [(plan.document.bureau.source_id, plan.document.bureau.at("source_id"))]
    org_items += [(x.source_id, x.where) for x in plan.sections]
    org_items += [(x.source_id, x.where) for x in plan.schools]
    defined = unique(plan.source, org_items, "organisation")
    stored = existing.org_kinds()
    sections = {x.source_id for x in plan.sections}
    for sid, where in org_items[1:]:
        kind = "section" if sid in sections else "school"
        if sid in stored and stored[sid] != kind:
            raise refusal(plan.source, where, f"id {sid} is already a {stored[sid]} in the database")
    refs.define("organisation", defined | set(stored))
    refs.define("school", {x.source_id for x in plan.schools} | {k for k, v in stored.items() if v == "school"})
    refs.define("section", sections | {k for k, v in stored.items() if v == "section"})


def _buildings(plan: Plan, refs: Refs, existing: Existing) -> None:
    """A building listed under a school belongs to it (its ``school_id``, when given, agrees)."""
    for school in plan.schools:
        for j, building in enumerate(school.buildings):
            building.locate(f"{school.where}.buildings[{j}]")
            if building.school is None:
                building.school = school.source_id
            elif building.school != school.source_id:
                raise refusal(
                    plan.source,
                    building.at("school"),
                    f"building belongs to {building.school}, listed under {school.source_id}",
                )
            plan.buildings.append(building)
    items = [(x.source_id, x.where) for x in plan.buildings]
    refs.define("building", unique(plan.source, items, "building"))
    refs.define("building", {x["source_id"] for x in existing.rows(Building.__table__)})  # type: ignore[arg-type]
