"""Planted problems that only exist because the importer stores what it can (issue 10): broken
grid trees it used to refuse, and duties a file declares empty that it used to fill in from the
post catalogue. The gap report must find each (G4 with three different details, P1 twice).

Like the hooks of :mod:`.plants`, each runs right after its school is generated and only changes
records of that turn (no new ids, so every other id of the county stays where it was); each
returns the :class:`~.problems.PlantedProblem` its check must report.
"""

from __future__ import annotations

from typing import Any

from ..chain.gaps.grid_checks import check_g4
from ..chain.gaps.posts_checks import check_p1
from .context import DemoContext
from .problems import PlantedProblem

__all__ = ["STRUCTURE_HOOKS"]


def _grids(ctx: DemoContext, school_id: str) -> list[dict[str, Any]]:
    return [g for g in ctx.grids if g["school_id"] == school_id]


def _leaf(grids: list[dict[str, Any]]) -> dict[str, Any]:
    """The school's last level-3 grid with a level-2 parent and no children."""
    parents = {g["parent_id"] for g in grids}
    level2 = {g["id"] for g in grids if g["level"] == 2}
    return [g for g in grids if g["level"] == 3 and g["parent_id"] in level2 and g["id"] not in parents][-1]


def _g4_level3_without_parent(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    grid = _leaf(_grids(ctx, school["id"]))
    grid["parent_id"] = None
    return PlantedProblem.of(check_g4, school["id"], grid["id"], "level-3 grid without a parent")


def _g4_level_skips(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    """A level-3 room hung straight under the school grid: level 2 is skipped."""
    grids = _grids(ctx, school["id"])
    root = next(g for g in grids if g["level"] == 1)
    grid = _leaf(grids)
    grid["parent_id"] = root["id"]
    return PlantedProblem.of(check_g4, school["id"], grid["id"], "level-3 grid directly under the level-1 grid")


def _g4_parent_in_other_school(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    """A level-2 area entered under the previous school's school grid (a copy-and-paste slip):
    its whole subtree is cut off from this school's tree, one finding at its top."""
    grids = _grids(ctx, school["id"])
    other = next(g for g in reversed(ctx.grids) if g["school_id"] != school["id"] and g["level"] == 1)
    parents = {g["parent_id"] for g in grids}
    grid = next(g for g in grids if g["level"] == 2 and g["id"] in parents)
    grid["parent_id"] = other["id"]
    return PlantedProblem.of(check_g4, school["id"], grid["id"], "grid whose parent belongs to another school")


def _assignment(ctx: DemoContext, school: dict[str, Any], code: str) -> dict[str, Any]:
    return next(pa for pa in ctx.post_assignments if pa["org_id"] == school["id"] and pa["post_code"] == code)


def _p1_safety_duties_declared_empty(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    pa = _assignment(ctx, school, "S09")
    pa["safety_duties"] = []
    text = "catalogue post whose safety duties the file declares empty"
    return PlantedProblem.of(check_p1, school["id"], pa["id"], text)


def _p1_business_duty_declared_empty(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    pa = _assignment(ctx, school, "S09")
    pa["business_duty"] = ""
    text = "catalogue post whose business duty the file declares empty"
    return PlantedProblem.of(check_p1, school["id"], pa["id"], text)


STRUCTURE_HOOKS = {
    33: (_g4_level3_without_parent,),
    35: (_g4_level_skips,),
    37: (_g4_parent_in_other_school,),
    39: (_p1_safety_duties_declared_empty,),
    41: (_p1_business_duty_declared_empty,),
}
"""Position within the block -> hooks, merged into :data:`.plants.SCHOOL_HOOKS`."""
