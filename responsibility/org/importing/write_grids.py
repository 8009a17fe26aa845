"""Writing the grids (parents before children), their owners and members, then the buildings
with their fire plans and the schools' campuses."""

from __future__ import annotations

from typing import Any

from ...models import Building, Campus, FirePlan, Grid, GridOwnership, grid_members
from .writer import Row, Writer, table_of

__all__ = ["write_buildings", "write_grids"]


def _by_sid(row: Row) -> Any:
    return row["source_id"]


def write_grids(w: Writer) -> None:
    """Grids level by level (a child row needs its parent's id), then owners and members."""
    p, table = w.plan, table_of(Grid)
    ids = w.ex.id_map(table)
    for depth in sorted(set(p.grid_depth.values())):
        rows = [
            g.row(
                "school",
                "parent",
                "owner",
                "owner_valid_from",
                "members",
                school_id=w.orgs[g.school],
                parent_id=ids[g.parent] if g.parent else None,
            )
            for g in p.grids
            if p.grid_depth[g.source_id] == depth
        ]
        w.sync("grids", Grid, _by_sid, rows)
        if w.tallies["grids"].created:
            ids = w.ex.id_map(table)
    w.grids = ids
    file_grids = {ids[g.source_id] for g in p.grids}
    current = {
        ids[g.source_id]: {
            "grid_id": ids[g.source_id],
            "person_id": w.persons[g.owner],
            "valid_from": g.owner_valid_from,
        }
        for g in p.grids
        if g.owner
    }
    history = [
        {
            "grid_id": ids[h.grid],
            "person_id": w.persons[h.person],
            "valid_from": h.valid_from,
            "valid_to": h.valid_to,
        }
        for h in p.owner_history
    ]
    w.periods("grid_ownerships", GridOwnership, "grid_id", ("person_id",), current, history, file_grids)
    members = [
        {"grid_id": ids[g.source_id], "person_id": w.persons[pid], "position": i}
        for g in p.grids
        for i, pid in enumerate(g.members)
    ]
    w.children("grid_members", grid_members, "grid_id", ("grid_id", "person_id"), members, file_grids)


def write_buildings(w: Writer) -> None:
    """Buildings, one fire plan per building, and the campuses of each school by position."""
    p = w.plan
    rows = [
        b.row(
            "school",
            "grid",
            "fire_plan",
            school_id=w.orgs[b.school or ""],
            grid_id=w.grids.get(b.grid) if b.grid else None,
        )
        for b in p.buildings
    ]
    w.sync("buildings", Building, _by_sid, rows)
    ids = w.ex.id_map(table_of(Building))
    plans = [b.fire_plan.row(building_id=ids[b.source_id]) for b in p.buildings if b.fire_plan is not None]
    buildings = {ids[b.source_id] for b in p.buildings}
    w.children("fire_plans", table_of(FirePlan), "building_id", ("building_id",), plans, buildings)
    campuses = [c.row(school_id=w.orgs[s.source_id], position=j) for s in p.schools for j, c in enumerate(s.campuses)]
    schools = {w.orgs[s.source_id] for s in p.schools}
    w.children("campuses", table_of(Campus), "school_id", ("school_id", "position"), campuses, schools)
