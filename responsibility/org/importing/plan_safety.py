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
        refs.check("school", grid.school, grid, "school")
        refs.check("person", grid.owner, grid, "owner")
        for pid in grid.members:
            refs.check("person", pid, grid, "members")
    unique(plan.source, [(g.source_id, g.where) for g in plan.grids], "grid")
    plan.grid_depth = check_grid_tree(plan.source, plan.grids, stored)
    refs.define("grid", set(plan.grid_depth) | set(stored))
    for b in plan.buildings:
        refs.check("grid", b.grid, b, "grid")


def _owner_history(plan: Plan, refs: Refs) -> None:
    for i, item in enumerate(plan.owner_history):
        item.locate(f"$.grid_owner_history[{i}]")
        refs.check("grid", item.grid, item, "grid")
        refs.check("person", item.person, item, "person")
        check_period(plan.source, item, item.valid_from, item.valid_to)
    periods = [(f"{x.grid} from {x.valid_from}", x.where) for x in plan.owner_history]
    unique(plan.source, periods, "grid owner period")


def _rosters(plan: Plan, refs: Refs) -> None:
    for i, roster in enumerate(plan.rosters):
        roster.locate(f"$.duty_rosters[{i}]")
        refs.check("organisation", roster.org, roster, "org")
        refs.check("person", roster.leader, roster, "leader")
        for pid in roster.staff:
            refs.check("person", pid, roster, "staff")
        for pid in (roster.key_posts or {}).values():
            refs.check("person", pid if isinstance(pid, str) else None, roster, "key_posts")
    keys = [(f"{x.org} {x.date} {x.shift}", x.where) for x in plan.rosters]
    unique(plan.source, keys, "duty roster")


def _home_visits(plan: Plan, refs: Refs) -> None:
    for i, visit in enumerate(plan.home_visits):
        visit.locate(f"$.home_visits[{i}]")
        refs.check("school", visit.school, visit, "school")
    unique(plan.source, [(f"{x.school} {x.period_name}", x.where) for x in plan.home_visits], "home visit")


def _hazard(refs: Refs, hazard: Hazard, path: str) -> None:
    hazard.locate(path)
    refs.check("school", hazard.school, hazard, "school")
    refs.check("grid", hazard.grid, hazard, "grid")
    refs.check("risk area", hazard.risk_area_code, hazard, "risk_area_code")
    refs.check("person", hazard.responsible, hazard, "responsible")
    refs.check("person", hazard.verified_by, hazard, "verified_by")
    for j, record in enumerate(hazard.records):
        record.locate(f"{hazard.where}.records[{j}]")
        refs.check("person", record.by, record, "by")


def _agreement(refs: Refs, agreement: Agreement, path: str) -> None:
    agreement.locate(path)
    refs.check("school", agreement.school, agreement, "school")
    for code in agreement.items:
        refs.check("clause", code, agreement, "items")
    for key in ("party_a", "party_b"):
        for j, sig in enumerate(getattr(agreement.signatures, key)):
            sig.locate(f"{agreement.where}.signatures.{key}[{j}]")
            refs.check("person", sig.person, sig, "person")
