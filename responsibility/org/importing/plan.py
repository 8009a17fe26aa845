"""Validate a whole import document before anything is written, and normalise it.

:func:`build_plan` reads every record of the import dict (JSON or workbook, same shape), checks
types, vocabulary (school types, features, accountability roles), dates, duplicate ids, every
reference (to records of the file or rows already in the database) and the grid trees (parent
exists, same school, level = parent level + 1, no cycles). The first problem raises one
:class:`~responsibility.errors.BadInput` line; nothing has been written at that point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...models import Building, ClauseTemplate, Person, PostType, RiskArea, Town
from .fields import Reader
from .snapshot import Existing
from ..vocabulary import FEATURES, accountability_role_code, school_type_code

Rec = dict[str, Any]


@dataclass
class Plan:
    """The import document, checked and normalised; references are still source ids."""

    meta: dict[str, Any]
    as_of: dt.date | None
    period_name: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    county: Rec
    assessment_scheme: dict[str, Any] | None
    bureau: Rec
    towns: list[Rec] = field(default_factory=list)
    leaders: list[Rec] = field(default_factory=list)
    sections: list[Rec] = field(default_factory=list)
    risk_areas: list[Rec] = field(default_factory=list)
    clauses: list[Rec] = field(default_factory=list)
    post_types: list[Rec] = field(default_factory=list)
    schools: list[Rec] = field(default_factory=list)
    buildings: list[Rec] = field(default_factory=list)
    persons: list[Rec] = field(default_factory=list)
    assignments: list[Rec] = field(default_factory=list)
    liaisons: list[Rec] = field(default_factory=list)
    grids: list[Rec] = field(default_factory=list)
    grid_depth: dict[str, int] = field(default_factory=dict)
    owner_history: list[Rec] = field(default_factory=list)
    hazards: list[Rec] = field(default_factory=list)
    rosters: list[Rec] = field(default_factory=list)
    home_visits: list[Rec] = field(default_factory=list)
    agreements: list[Rec] = field(default_factory=list)


class _Refs:
    """Source ids defined in the file plus those already stored, per kind of entity."""

    def __init__(self, r: Reader) -> None:
        self.r = r
        self.known: dict[str, set[str]] = {}

    def define(self, kind: str, ids: set[str]) -> None:
        self.known.setdefault(kind, set()).update(ids)

    def check(self, kind: str, value: str | None, where: str, label: str | None = None) -> None:
        if value is not None and value not in self.known.get(kind, set()):
            raise self.r.fail(
                where, f"{label or kind} {value} is referenced but not defined (not in the file nor the database)"
            )


def _unique(r: Reader, items: list[tuple[str, str]], kind: str) -> set[str]:
    """``items`` are (id, where); a repeated id is an error naming the second occurrence."""
    seen: set[str] = set()
    for value, where in items:
        if value in seen:
            raise r.fail(where, f"duplicate {kind} id {value}")
        seen.add(value)
    return seen


def build_plan(data: Mapping[str, Any], *, source: str, existing: Existing) -> Plan:
    r = Reader(source)
    if not isinstance(data, Mapping):
        raise r.fail("$", "expected an object at the top level")
    meta = r.mapping(data, "meta", "$") or {}
    period = r.mapping(meta, "period", "$.meta") or {}
    county = r.record(data.get("county"), "$.county") if "county" in data else None
    if county is None:
        raise r.fail("$", "missing 'county'")
    bureau_raw = r.record(data.get("bureau"), "$.bureau") if "bureau" in data else None
    if bureau_raw is None:
        raise r.fail("$", "missing 'bureau'")
    plan = Plan(
        meta={k: v for k, v in meta.items() if k != "_where"},
        as_of=r.date(meta, "as_of", "$.meta"),
        period_name=r.text(period, "name", "$.meta.period", required=False),
        period_start=r.date(period, "start", "$.meta.period"),
        period_end=r.date(period, "end", "$.meta.period"),
        county={
            "name": r.text(county, "name", "$.county"),
            "province": r.text(county, "province", "$.county", required=False),
            "city": r.text(county, "city", "$.county", required=False),
            "bureau_source_id": r.text(county, "bureau_id", "$.county"),
        },
        assessment_scheme=r.mapping(data, "assessment_scheme", "$"),
        bureau={
            "source_id": r.text(bureau_raw, "id", "$.bureau"),
            "name": r.text(bureau_raw, "name", "$.bureau"),
            "party_org": r.text(bureau_raw, "party_org", "$.bureau", required=False),
        },
    )
    if plan.county["bureau_source_id"] != plan.bureau["source_id"]:
        raise r.fail("$.county.bureau_id", f"bureau {plan.county['bureau_source_id']} is not the file's bureau")
    refs = _Refs(r)
    _catalogues(r, data, plan, refs, existing)
    _organisation(r, data, bureau_raw, plan, refs, existing)
    _people(r, data, bureau_raw, plan, refs)
    from .plan_safety import plan_grids_and_safety

    plan_grids_and_safety(r, data, plan, refs, existing)
    return plan


def _catalogues(r: Reader, data: Mapping[str, Any], plan: Plan, refs: _Refs, existing: Existing) -> None:
    for i, rec in enumerate(r.records(data, "risk_areas")):
        p = f"$.risk_areas[{i}]"
        rec = r.record(rec, p)
        plan.risk_areas.append({"code": r.text(rec, "code", p), "name": r.text(rec, "name", p), "_w": r.where(rec, p)})
    refs.define("risk area", _unique(r, [(x["code"], x["_w"]) for x in plan.risk_areas], "risk area"))
    refs.define("risk area", {x["code"] for x in existing.rows(RiskArea.__table__)})  # type: ignore[arg-type]
    for i, rec in enumerate(r.records(data, "responsibility_item_templates")):
        p = f"$.responsibility_item_templates[{i}]"
        rec = r.record(rec, p)
        item: dict[str, Any] = {
            "code": r.text(rec, "code", p),
            "risk_area_code": r.text(rec, "risk_area", p, required=False),
            "applies_when": r.text(rec, "applies_when", p),
            "clause": r.text(rec, "clause", p),
            "target": r.text(rec, "target", p, required=False),
            "_w": r.where(rec, p),
        }
        refs.check("risk area", item["risk_area_code"], r.where(rec, p, "risk_area"))
        if item["applies_when"] != "all" and item["applies_when"] not in FEATURES:
            raise r.fail(r.where(rec, p, "applies_when"), f'unknown feature "{item["applies_when"]}"')
        plan.clauses.append(item)
    refs.define("clause", _unique(r, [(x["code"], x["_w"]) for x in plan.clauses], "clause"))
    refs.define("clause", {x["code"] for x in existing.rows(ClauseTemplate.__table__)})  # type: ignore[arg-type]
    for i, rec in enumerate(r.records(data, "post_catalog")):
        p = f"$.post_catalog[{i}]"
        rec = r.record(rec, p)
        plan.post_types.append(
            {
                "code": r.text(rec, "code", p),
                "name": r.text(rec, "name", p),
                "level": r.text(rec, "level", p),
                "business_duty": r.text(rec, "business_duty", p, required=False),
                "safety_duties": r.strings(rec, "safety_duties", p),
                "party_role": r.boolean(rec, "party_role", p, default=False),
                "admin_head": r.boolean(rec, "admin_head", p, default=False),
                "_w": r.where(rec, p),
            }
        )
    refs.define("post", _unique(r, [(x["code"], x["_w"]) for x in plan.post_types], "post"))
    refs.define("post", {x["code"] for x in existing.rows(PostType.__table__)})  # type: ignore[arg-type]


def _organisation(
    r: Reader, data: Mapping[str, Any], bureau: Mapping[str, Any], plan: Plan, refs: _Refs, existing: Existing
) -> None:
    for i, rec in enumerate(r.records(data, "towns")):
        p = f"$.towns[{i}]"
        rec = r.record(rec, p)
        plan.towns.append(
            {
                "source_id": r.text(rec, "id", p),
                "name": r.text(rec, "name", p),
                "note": r.text(rec, "note", p, required=False),
                "villages": r.strings(rec, "villages_or_communities", p),
                "villages_fictional": r.boolean(rec, "village_names_fictional", p, default=False),
                "_w": r.where(rec, p),
            }
        )
    refs.define("town", _unique(r, [(x["source_id"], x["_w"]) for x in plan.towns], "town"))
    refs.define("town", {x["source_id"] for x in existing.rows(Town.__table__)})  # type: ignore[arg-type]

    for i, rec in enumerate(r.records(bureau, "sections", "$.bureau")):
        p = f"$.bureau.sections[{i}]"
        rec = r.record(rec, p)
        plan.sections.append(
            {
                "source_id": r.text(rec, "id", p),
                "name": r.text(rec, "name", p),
                "business": r.text(rec, "business", p, required=False),
                "safety_duty": r.text(rec, "safety_duty", p, required=False),
                "chief": r.text(rec, "chief_person_id", p, required=False),
                "staff": r.strings(rec, "staff_person_ids", p),
                "_w": r.where(rec, p),
            }
        )
    for i, rec in enumerate(r.records(data, "schools", required=True)):
        p = f"$.schools[{i}]"
        rec = r.record(rec, p)
        raw_type = r.text(rec, "type", p)
        code = school_type_code(raw_type or "")
        if code is None:
            raise r.fail(r.where(rec, p, "type"), f'unknown school type "{raw_type}"')
        features = r.strings(rec, "features", p)
        for feature in features:
            if feature not in FEATURES:
                raise r.fail(r.where(rec, p, "features"), f'unknown feature "{feature}"')
        school: dict[str, Any] = {
            "source_id": r.text(rec, "id", p),
            "name": r.text(rec, "name", p),
            "school_type": code,
            "subtype": r.text(rec, "subtype", p, required=False),
            "ownership": r.text(rec, "ownership", p, required=False),
            "town": r.text(rec, "town_id", p, required=False),
            "direct_to_bureau": r.boolean(rec, "direct_to_bureau", p),
            "stage": r.text(rec, "stage", p, required=False),
            "students": r.integer(rec, "students", p),
            "classes": r.integer(rec, "classes", p),
            "staff_count": r.integer(rec, "staff", p),
            "boarders": r.integer(rec, "boarders", p),
            "school_buses": r.integer(rec, "school_buses", p),
            "features": features,
            "party_org_type": r.text(rec, "party_org_type", p, required=False),
            "note": r.text(rec, "note", p, required=False),
            "campuses": [],
            "_w": r.where(rec, p),
            "_raw": rec,
            "_path": p,
        }
        refs.check("town", school["town"], r.where(rec, p, "town_id"))
        for j, camp in enumerate(r.records(rec, "campuses", p)):
            cp = f"{p}.campuses[{j}]"
            camp = r.record(camp, cp)
            school["campuses"].append(
                {
                    "position": j,
                    "name": r.text(camp, "name", cp),
                    "students": r.integer(camp, "students", cp),
                    "classes": r.integer(camp, "classes", cp),
                }
            )
        plan.schools.append(school)
    org_items = [(plan.bureau["source_id"], "$.bureau.id")]
    org_items += [(x["source_id"], x["_w"]) for x in plan.sections]
    org_items += [(x["source_id"], x["_w"]) for x in plan.schools]
    defined = _unique(r, org_items, "organisation")
    stored = existing.org_kinds()
    for sid, where in org_items[1:]:
        kind = "section" if sid in {x["source_id"] for x in plan.sections} else "school"
        if sid in stored and stored[sid] != kind:
            raise r.fail(where, f"id {sid} is already a {stored[sid]} in the database")
    refs.define("organisation", defined | set(stored))
    refs.define("school", {x["source_id"] for x in plan.schools} | {k for k, v in stored.items() if v == "school"})
    refs.define("section", {x["source_id"] for x in plan.sections} | {k for k, v in stored.items() if v == "section"})

    for i, rec in enumerate(r.records(data, "schools")):
        p = f"$.schools[{i}]"
        for j, b in enumerate(r.records(rec, "buildings", p)):
            bp = f"{p}.buildings[{j}]"
            b = r.record(b, bp)
            fire = r.mapping(b, "fire_plan", bp)
            fp = f"{bp}.fire_plan"
            building: dict[str, Any] = {
                "source_id": r.text(b, "id", bp),
                "school": r.text(b, "school_id", bp, required=False) or plan.schools[i]["source_id"],
                "name": r.text(b, "name", bp),
                "building_type": r.text(b, "type", bp, required=False),
                "floors": r.integer(b, "floors", bp),
                "dense_occupancy": r.boolean(b, "dense_occupancy", bp),
                "stairs": r.integer(b, "stairs", bp),
                "child_rooms_top_floor": r.integer(b, "child_rooms_top_floor", bp),
                "note": r.text(b, "note", bp, required=False),
                "grid": r.text(b, "grid_id", bp, required=False),
                "fire_plan": None
                if fire is None
                else {
                    "plan_no": r.text(fire, "plan_no", fp, required=False),
                    "extinguishers": r.integer(fire, "extinguishers", fp),
                    "hydrants": r.integer(fire, "hydrants", fp),
                    "emergency_lighting_ok": r.boolean(fire, "emergency_lighting_ok", fp),
                    "evac_signs_ok": r.boolean(fire, "evac_signs_ok", fp),
                    "last_monthly_check": r.date(fire, "last_monthly_check", fp),
                },
                "_w": r.where(b, bp),
            }
            if building["school"] != plan.schools[i]["source_id"]:
                raise r.fail(
                    r.where(b, bp, "school_id"),
                    f"building belongs to {building['school']}, listed under {plan.schools[i]['source_id']}",
                )
            plan.buildings.append(building)
    refs.define("building", _unique(r, [(x["source_id"], x["_w"]) for x in plan.buildings], "building"))
    refs.define("building", {x["source_id"] for x in existing.rows(Building.__table__)})  # type: ignore[arg-type]
    refs.define("person", {x["source_id"] for x in existing.rows(Person.__table__)})  # type: ignore[arg-type]


def _people(r: Reader, data: Mapping[str, Any], bureau: Mapping[str, Any], plan: Plan, refs: _Refs) -> None:
    for i, rec in enumerate(r.records(data, "persons", required=True)):
        p = f"$.persons[{i}]"
        rec = r.record(rec, p)
        person: dict[str, Any] = {
            "source_id": r.text(rec, "id", p),
            "name": r.text(rec, "name", p),
            "gender": r.text(rec, "gender", p, required=False),
            "org": r.text(rec, "org_id", p, required=False),
            "active": r.boolean(rec, "active", p, default=True),
            "note": r.text(rec, "note", p, required=False),
            "_w": r.where(rec, p),
        }
        person["unit"] = None
        if person["org"] is not None and person["org"] not in refs.known["organisation"]:
            parent = _parent_org(person["org"], refs.known["organisation"])
            if parent is None:
                refs.check("organisation", person["org"], r.where(rec, p, "org_id"))
            person["unit"], person["org"] = person["org"], parent
        plan.persons.append(person)
    refs.define("person", _unique(r, [(x["source_id"], x["_w"]) for x in plan.persons], "person"))

    for section in plan.sections:
        refs.check("person", section["chief"], section["_w"])
        for pid in section["staff"]:
            refs.check("person", pid, section["_w"])
    for school in plan.schools:
        raw, p = school.pop("_raw"), school.pop("_path")
        for key in ("leadership", "key_staff"):
            block = r.mapping(raw, key, p) or {}
            for value in block.values():
                for pid in value if isinstance(value, list) else [value]:
                    if pid is not None:
                        refs.check("person", str(pid), r.where(raw, p, key))

    for i, rec in enumerate(r.records(bureau, "leaders", "$.bureau")):
        p = f"$.bureau.leaders[{i}]"
        rec = r.record(rec, p)
        raw_role = r.text(rec, "accountability_role", p)
        role = accountability_role_code(raw_role or "")
        if role is None:
            raise r.fail(r.where(rec, p, "accountability_role"), f'unknown accountability role "{raw_role}"')
        leader: dict[str, Any] = {
            "person": r.text(rec, "person_id", p),
            "position": i,
            "post_code": r.text(rec, "post_code", p),
            "post_title": r.text(rec, "post", p),
            "accountability_role": role,
            "scope": r.text(rec, "scope", p, required=False),
            "_w": r.where(rec, p),
        }
        refs.check("person", leader["person"], r.where(rec, p, "person_id"))
        plan.leaders.append(leader)
    _unique(r, [(x["person"], x["_w"]) for x in plan.leaders], "bureau leader person")

    current: list[tuple[str, str]] = []
    history: list[tuple[str, str]] = []
    for i, rec in enumerate(r.records(data, "post_assignments", required=True)):
        p = f"$.post_assignments[{i}]"
        rec = r.record(rec, p)
        pa: dict[str, Any] = {
            "source_id": r.text(rec, "id", p),
            "org": r.text(rec, "org_id", p),
            "post_code": r.text(rec, "post_code", p),
            "local_post_name": r.text(rec, "local_post_name", p, required=False),
            "person": r.text(rec, "person_id", p),
            "period_name": r.text(rec, "period", p, required=False),
            "business_duty": r.text(rec, "business_duty", p, required=False),
            "safety_duties": r.strings(rec, "safety_duties", p),
            "note": r.text(rec, "note", p, required=False),
            "valid_from": r.date(rec, "valid_from", p),
            "valid_to": r.date(rec, "valid_to", p),
            "_w": r.where(rec, p),
        }
        refs.check("organisation", pa["org"], r.where(rec, p, "org_id"))
        refs.check("person", pa["person"], r.where(rec, p, "person_id"))
        if not pa["local_post_name"]:
            refs.check("post", pa["post_code"], r.where(rec, p, "post_code"))
        _check_period(r, pa, p, rec)
        if pa["valid_to"] is None:
            current.append((pa["source_id"], pa["_w"]))
        else:
            history.append((f"{pa['source_id']} from {pa['valid_from']}", pa["_w"]))
        plan.assignments.append(pa)
    _unique(r, current, "post assignment")
    _unique(r, history, "post assignment period")

    current = []
    for i, rec in enumerate(r.records(data, "liaison_assignments")):
        p = f"$.liaison_assignments[{i}]"
        rec = r.record(rec, p)
        li: dict[str, Any] = {
            "school": r.text(rec, "school_id", p),
            "section": r.text(rec, "section_id", p),
            "liaison_person": r.text(rec, "liaison_person_id", p, required=False),
            "bureau_leader": r.text(rec, "bureau_leader_person_id", p, required=False),
            "period_name": r.text(rec, "period", p, required=False),
            "valid_from": r.date(rec, "valid_from", p),
            "valid_to": r.date(rec, "valid_to", p),
            "_w": r.where(rec, p),
        }
        refs.check("school", li["school"], r.where(rec, p, "school_id"))
        refs.check("section", li["section"], r.where(rec, p, "section_id"))
        refs.check("person", li["liaison_person"], r.where(rec, p, "liaison_person_id"))
        refs.check("person", li["bureau_leader"], r.where(rec, p, "bureau_leader_person_id"))
        _check_period(r, li, p, rec)
        if li["valid_to"] is None:
            current.append((li["school"], li["_w"]))
        plan.liaisons.append(li)
    _unique(r, current, "liaison for school")


def _parent_org(unit: str, known: set[str]) -> str | None:
    """The longest defined org id that prefixes ``unit`` followed by "-" (a sub-unit such as
    ``ORG-BUREAU-PARTY-INSTRUCTOR`` of ``ORG-BUREAU``), or None."""
    parts = unit.split("-")
    for end in range(len(parts) - 1, 0, -1):
        candidate = "-".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def _check_period(r: Reader, rec: Rec, path: str, raw: Mapping[str, Any]) -> None:
    if rec["valid_to"] is not None:
        if rec["valid_from"] is None:
            raise r.fail(r.where(raw, path, "valid_from"), "a closed period needs 'valid_from'")
        if rec["valid_to"] < rec["valid_from"]:
            raise r.fail(r.where(raw, path, "valid_to"), "'valid_to' is before 'valid_from'")
