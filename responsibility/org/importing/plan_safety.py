"""Checks of the grid, hazard, duty, home-visit and paper-agreement parts of an import
(continues :func:`.planner.build_plan`)."""

from __future__ import annotations

from .grids import check_grid_tree
from .plan import Plan
from .refs import Refs, check_period, unique
from .schema import Agreement, Hazard
from .snapshot import Existing

__all__ = ["plan_grids_and_safety"]


def plan_grids_and_safety(plan: Plan, refs: Refs, existing: Existing) -> None:
    """Grids (and their tree), owner history, then the safety records that point at grids."""
    _grids(plan, refs, existing)
    _owner_history(plan, refs)
    for i, hazard in enumerate(plan.hazards):
        _hazard(refs, hazard, f"$.hazards[{i}]")
    unique(plan.source, [(h.source_id, h.where) for h in plan.hazards], "hazard")
    _rosters(plan, refs)
    _home_visits(plan, refs)
    for i, agreement in enumerate(plan.agreements):
        _agreement(refs, agreement, f"$.agreements[{i}]")
    unique(plan.source, [(a.source_id, a.where) for a in plan.agreements], "agreement")


def _grids(plan: Plan, refs: Refs, existing: Existing) -> None:
    stored = existing.grid_facts()
    for i, grid in enumerate(plan.grids):
        grid.locate(f"$.grids[{i}]")
        refs.check("school", grid.school, grid.at("school"))
        refs.check("person", grid.owner, grid.at("owner"))
        for pid in grid.members:
            refs.check("person", pid, grid.at("members"))
    unique(plan.source, [(g.source_id, g.where) for g in plan.grids], "grid")
    plan.grid_depth = check_grid_tree(plan.source, plan.grids, stored)
    refs.define("grid", set(plan.grid_depth) | set(stored))
    for b in plan.buildings:
        refs.check("grid", b.grid, b.at("grid"))


def _owner_history(plan: Plan, refs: Refs) -> None:
    for i, item in enumerate(plan.owner_history):
        item.locate(f"$.grid_owner_history[{i}]")
        refs.check("grid", item.grid, item.at("grid"))
        refs.check("person", item.person, item.at("person"))
        check_period(plan.source, item, item.valid_from, item.valid_to)
    periods = [(f"{x.grid} from {x.valid_from}", x.where) for x in plan.owner_history]
    unique(plan.source, periods, "grid owner period")


def _rosters(plan: Plan, refs: Refs) -> None:
    for i, roster in enumerate(plan.rosters):
        roster.locate(f"$.duty_rosters[{i}]")
        refs.check("organisation", roster.org, roster.at("org"))
        refs.check("person", roster.leader, roster.at("leader"))
        for pid in roster.staff:
            refs.check("person", pid, roster.at("staff"))
        for pid in (roster.key_posts or {}).values():
            refs.check("person", pid if isinstance(pid, str) else None, roster.at("key_posts"))
    keys = [(f"{x.org} {x.date} {x.shift}", x.where) for x in plan.rosters]
    unique(plan.source, keys, "duty roster")


def _home_visits(plan: Plan, refs: Refs) -> None:
    for i, visit in enumerate(plan.home_visits):
        visit.locate(f"$.home_visits[{i}]")
        refs.check("school", visit.school, visit.at("school"))
    unique(plan.source, [(f"{x.school} {x.period_name}", x.where) for x in plan.home_visits], "home visit")


def _hazard(refs: Refs, hazard: Hazard, path: str) -> None:
    hazard.locate(path)
    refs.check("school", hazard.school, hazard.at("school"))
    refs.check("grid", hazard.grid, hazard.at("grid"))
    refs.check("risk area", hazard.risk_area_code, hazard.at("risk_area_code"))
    refs.check("person", hazard.responsible, hazard.at("responsible"))
    refs.check("person", hazard.verified_by, hazard.at("verified_by"))
    for j, record in enumerate(hazard.records):
        record.locate(f"{hazard.where}.records[{j}]")
        refs.check("person", record.by, record.at("by"))


def _agreement(refs: Refs, agreement: Agreement, path: str) -> None:
    agreement.locate(path)
    refs.check("school", agreement.school, agreement.at("school"))
    for code in agreement.items:
        refs.check("clause", code, agreement.at("items"))
    for key in ("party_a", "party_b"):
        for j, sig in enumerate(getattr(agreement.signatures, key)):
            sig.locate(f"{agreement.where}.signatures.{key}[{j}]")
            refs.check("person", sig.person, sig.at("person"))
