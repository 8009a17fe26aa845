"""Validation of the grid, hazard, duty, home-visit and paper-agreement parts of an import
(continues :mod:`.import_plan`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .fields import Reader
from .grids import check_grid_tree
from .snapshot import Existing

if TYPE_CHECKING:
    from .plan import Plan, _Refs

PARTIES = {"party_a": "a", "party_b": "b"}


def plan_grids_and_safety(r: Reader, data: Mapping[str, Any], plan: Plan, refs: _Refs, existing: Existing) -> None:
    from .plan import _check_period, _unique

    stored = existing.grid_facts()
    for i, rec in enumerate(r.records(data, "grids", required=True)):
        p = f"$.grids[{i}]"
        rec = r.record(rec, p)
        grid: dict[str, Any] = {
            "source_id": r.text(rec, "id", p),
            "school": r.text(rec, "school_id", p),
            "level": r.integer(rec, "level", p, required=True),
            "name": r.text(rec, "name", p),
            "scope_type": r.text(rec, "scope_type", p),
            "parent": r.text(rec, "parent_id", p, required=False),
            "owner": r.text(rec, "owner_person_id", p, required=False),
            "owner_valid_from": r.date(rec, "owner_valid_from", p),
            "members": r.strings(rec, "member_person_ids", p),
            "_w": r.where(rec, p),
        }
        refs.check("school", grid["school"], r.where(rec, p, "school_id"))
        refs.check("person", grid["owner"], r.where(rec, p, "owner_person_id"))
        for pid in grid["members"]:
            refs.check("person", pid, r.where(rec, p, "member_person_ids"))
        plan.grids.append(grid)
    _unique(r, [(g["source_id"], g["_w"]) for g in plan.grids], "grid")
    plan.grid_depth = check_grid_tree(r, plan.grids, stored)
    refs.define("grid", set(plan.grid_depth) | set(stored))
    for b in plan.buildings:
        refs.check("grid", b["grid"], b["_w"])

    for i, rec in enumerate(r.records(data, "grid_owner_history")):
        p = f"$.grid_owner_history[{i}]"
        rec = r.record(rec, p)
        item: dict[str, Any] = {
            "grid": r.text(rec, "grid_id", p),
            "person": r.text(rec, "person_id", p),
            "valid_from": r.date(rec, "valid_from", p, required=True),
            "valid_to": r.date(rec, "valid_to", p, required=True),
            "_w": r.where(rec, p),
        }
        refs.check("grid", item["grid"], r.where(rec, p, "grid_id"))
        refs.check("person", item["person"], r.where(rec, p, "person_id"))
        _check_period(r, item, p, rec)
        plan.owner_history.append(item)
    _unique(r, [(f"{x['grid']} from {x['valid_from']}", x["_w"]) for x in plan.owner_history], "grid owner period")

    for i, rec in enumerate(r.records(data, "hazards")):
        plan.hazards.append(_hazard(r, refs, r.record(rec, f"$.hazards[{i}]"), f"$.hazards[{i}]"))
    _unique(r, [(h["source_id"], h["_w"]) for h in plan.hazards], "hazard")

    for i, rec in enumerate(r.records(data, "duty_rosters")):
        p = f"$.duty_rosters[{i}]"
        rec = r.record(rec, p)
        roster: dict[str, Any] = {
            "org": r.text(rec, "org_id", p),
            "date": r.date(rec, "date", p, required=True),
            "shift": r.text(rec, "shift", p),
            "leader": r.text(rec, "leader_on_duty_person_id", p, required=False),
            "staff": r.strings(rec, "staff_on_duty_person_ids", p),
            "key_posts": r.mapping(rec, "key_posts", p),
            "_w": r.where(rec, p),
        }
        refs.check("organisation", roster["org"], r.where(rec, p, "org_id"))
        refs.check("person", roster["leader"], r.where(rec, p, "leader_on_duty_person_id"))
        for pid in roster["staff"]:
            refs.check("person", pid, r.where(rec, p, "staff_on_duty_person_ids"))
        for pid in (roster["key_posts"] or {}).values():
            refs.check("person", pid if isinstance(pid, str) else None, r.where(rec, p, "key_posts"))
        plan.rosters.append(roster)
    _unique(r, [(f"{x['org']} {x['date']} {x['shift']}", x["_w"]) for x in plan.rosters], "duty roster")

    for i, rec in enumerate(r.records(data, "home_visits")):
        p = f"$.home_visits[{i}]"
        rec = r.record(rec, p)
        visit: dict[str, Any] = {
            "school": r.text(rec, "school_id", p),
            "period_name": r.text(rec, "period", p),
            "planned": r.integer(rec, "key_students_planned", p, required=True),
            "visited": r.integer(rec, "key_students_visited", p, required=True),
            "categories": r.strings(rec, "categories", p),
            "content": r.strings(rec, "content", p),
            "_w": r.where(rec, p),
        }
        refs.check("school", visit["school"], r.where(rec, p, "school_id"))
        plan.home_visits.append(visit)
    _unique(r, [(f"{x['school']} {x['period_name']}", x["_w"]) for x in plan.home_visits], "home visit")

    for i, rec in enumerate(r.records(data, "agreements")):
        plan.agreements.append(_agreement(r, refs, r.record(rec, f"$.agreements[{i}]"), f"$.agreements[{i}]"))
    _unique(r, [(a["source_id"], a["_w"]) for a in plan.agreements], "agreement")


def _hazard(r: Reader, refs: _Refs, rec: Mapping[str, Any], p: str) -> dict[str, Any]:
    plan = r.mapping(rec, "plan", p) or {}
    pp = f"{p}.plan"
    hazard: dict[str, Any] = {
        "source_id": r.text(rec, "id", p),
        "file_no": r.text(rec, "file_no", p, required=False),
        "school": r.text(rec, "school_id", p),
        "grid": r.text(rec, "grid_id", p, required=False),
        "risk_area_code": r.text(rec, "risk_area", p, required=False),
        "level": r.text(rec, "level", p),
        "source": r.text(rec, "source", p, required=False),
        "found_date": r.date(rec, "found_date", p),
        "description": r.text(rec, "description", p, required=False),
        "measures": r.text(plan, "measures", pp, required=False),
        "temporary_measures": r.text(plan, "temporary_measures", pp, required=False),
        "funds_yuan": r.integer(plan, "funds_yuan", pp),
        "deadline": r.date(plan, "deadline", pp),
        "responsible": r.text(rec, "responsible_person_id", p, required=False),
        "status": r.text(rec, "status", p),
        "verified_by": r.text(rec, "verified_by_person_id", p, required=False),
        "closed_date": r.date(rec, "closed_date", p),
        "listed_for_supervision": r.boolean(rec, "listed_for_supervision", p, default=False),
        "records": [],
        "_w": r.where(rec, p),
    }
    refs.check("school", hazard["school"], r.where(rec, p, "school_id"))
    refs.check("grid", hazard["grid"], r.where(rec, p, "grid_id"))
    refs.check("risk area", hazard["risk_area_code"], r.where(rec, p, "risk_area"))
    refs.check("person", hazard["responsible"], r.where(rec, p, "responsible_person_id"))
    refs.check("person", hazard["verified_by"], r.where(rec, p, "verified_by_person_id"))
    for j, item in enumerate(r.records(rec, "records", p)):
        rp = f"{p}.records[{j}]"
        item = r.record(item, rp)
        row: dict[str, Any] = {
            "position": j,
            "date": r.date(item, "date", rp),
            "action": r.text(item, "action", rp, required=False),
            "by": r.text(item, "by", rp, required=False),
        }
        refs.check("person", row["by"], r.where(item, rp, "by"))
        hazard["records"].append(row)
    return hazard


def _agreement(r: Reader, refs: _Refs, rec: Mapping[str, Any], p: str) -> dict[str, Any]:
    period = r.mapping(rec, "period", p) or {}
    seals = r.mapping(rec, "seals", p) or {}
    cascade = r.mapping(rec, "cascade", p) or {}
    agreement: dict[str, Any] = {
        "source_id": r.text(rec, "id", p),
        "title": r.text(rec, "title", p),
        "template_version": r.text(rec, "template_version", p, required=False),
        "period_name": r.text(period, "name", f"{p}.period", required=False),
        "period_start": r.date(period, "start", f"{p}.period"),
        "period_end": r.date(period, "end", f"{p}.period"),
        "party_a": r.text(rec, "party_a", p, required=False),
        "school": r.text(rec, "party_b_school_id", p),
        "items": r.strings(rec, "items", p),
        "copies": r.integer(rec, "copies", p),
        "status": r.text(rec, "status", p),
        "seal_party_a": r.boolean(seals, "party_a", f"{p}.seals", default=False),
        "seal_party_b": r.boolean(seals, "party_b", f"{p}.seals", default=False),
        "staff_total": r.integer(cascade, "staff_total", f"{p}.cascade"),
        "staff_signed": r.integer(cascade, "staff_signed", f"{p}.cascade"),
        "remark": r.text(rec, "remark", p, required=False),
        "signatures": [],
        "_w": r.where(rec, p),
    }
    refs.check("school", agreement["school"], r.where(rec, p, "party_b_school_id"))
    for code in agreement["items"]:
        refs.check("clause", code, r.where(rec, p, "items"))
    signatures = r.mapping(rec, "signatures", p) or {}
    for key, party in PARTIES.items():
        for j, sig in enumerate(r.records(signatures, key, f"{p}.signatures")):
            sp = f"{p}.signatures.{key}[{j}]"
            sig = r.record(sig, sp)
            row: dict[str, Any] = {
                "party": party,
                "position": j,
                "role": r.text(sig, "role", sp),
                "person": r.text(sig, "person_id", sp, required=False),
                "date": r.date(sig, "date", sp),
                "note": r.text(sig, "note", sp, required=False),
            }
            refs.check("person", row["person"], r.where(sig, sp, "person_id"))
            agreement["signatures"].append(row)
    return agreement
