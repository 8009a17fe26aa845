"""G1–G4: every grid has an owner of its own school, every building lies in a grid, and each
school's grids form one tree under its level-1 grid.

G2: the owner on ``at`` must be an active person (``Person.active`` has no history, so a person who
has left fails on every date) and of the grid's school: holding a post there on ``at`` or
belonging to it (``Person.org_id``). A transferred owner whose grid was never handed over fails.

G4: the school's root is its level-1 grid without a parent (the one of scope 学校 when there are
several, else the lowest id). A recursive CTE walks down from the roots following children of the
same school at the next level; every grid it cannot reach is broken. Only the top of each broken
part is reported (the grid whose parent is missing, reachable with a wrong level, or in another
school), so a detached subtree is one finding; a school with grids but no root, and a cycle, are
reported once too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CTE, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ...models import Building, Grid, GridOwnership, Person, PostAssignment, School
from .base import CheckContext, Finding, finding

__all__ = ["check_g1", "check_g2", "check_g3", "check_g4"]

SCHOOL_SCOPE = "学校"


def check_g1(ctx: CheckContext) -> list[Finding]:
    """Grids without an owner on ``at``."""
    owned = exists().where(GridOwnership.grid_id == Grid.id, GridOwnership.held_on(ctx.at))
    rows = ctx.session.execute(
        select(Grid.source_id, Grid.name, School.source_id)
        .join(School, School.id == Grid.school_id)
        .where(~owned)
        .order_by(School.source_id, Grid.source_id)
    ).all()
    return [finding("G1", school, grid, f"网格“{name}”（{grid}）无网格长") for grid, name, school in rows]


def check_g2(ctx: CheckContext) -> list[Finding]:
    """Grid owners on ``at`` who have left or do not belong to the grid's school."""
    post_here = exists().where(
        PostAssignment.person_id == GridOwnership.person_id,
        PostAssignment.org_id == Grid.school_id,
        PostAssignment.held_on(ctx.at),
    )
    of_school = or_(post_here, Person.org_id == Grid.school_id)
    rows = ctx.session.execute(
        select(Grid.source_id, Grid.name, School.source_id, Person.source_id, Person.name, Person.active)
        .join(GridOwnership, GridOwnership.grid_id == Grid.id)
        .join(Person, Person.id == GridOwnership.person_id)
        .join(School, School.id == Grid.school_id)
        .where(
            GridOwnership.held_on(ctx.at),
            or_(Person.active.is_not(True), ~of_school),
        )
        .order_by(School.source_id, Grid.source_id)
    ).all()
    out = []
    for grid, name, school, person, person_name, active in rows:
        why = "已离岗（调离）" if not active else "不属于本校"
        out.append(finding("G2", school, grid, f"网格“{name}”（{grid}）的网格长{person_name}（{person}）{why}"))
    return out


def check_g3(ctx: CheckContext) -> list[Finding]:
    """Buildings in no grid (or in a grid of another school)."""
    rows = ctx.session.execute(
        select(Building.source_id, Building.name, School.source_id)
        .join(School, School.id == Building.school_id)
        .outerjoin(Grid, Grid.id == Building.grid_id)
        .where(or_(Building.grid_id.is_(None), Grid.school_id != Building.school_id))
        .order_by(School.source_id, Building.source_id)
    ).all()
    return [finding("G3", school, b, f"建筑“{name}”（{b}）未纳入网格") for b, name, school in rows]


def _reachable_cte() -> CTE:
    """Grids reachable from their school's root, as a recursive CTE of ``(id, level, school_id)``."""
    root_sid = func.coalesce(
        func.min(case((Grid.scope_type == SCHOOL_SCOPE, Grid.source_id))), func.min(Grid.source_id)
    ).label("root_sid")
    roots = select(root_sid).where(Grid.parent_id.is_(None), Grid.level == 1).group_by(Grid.school_id).subquery()
    seed = select(Grid.id, Grid.level, Grid.school_id).where(Grid.source_id.in_(select(roots.c.root_sid)))
    reach = seed.cte("gap_reachable_grids", recursive=True)
    child = aliased(Grid)
    reach = reach.union(
        select(child.id, child.level, child.school_id).join(
            reach,
            and_(child.parent_id == reach.c.id, child.level == reach.c.level + 1, child.school_id == reach.c.school_id),
        )
    )
    return reach


def check_g4(ctx: CheckContext) -> list[Finding]:
    """Grids whose chain does not reach the school's level-1 grid, and schools without one."""
    reach = _reachable_cte()
    parent = aliased(Grid)
    rows = ctx.session.execute(
        select(
            Grid.id,
            Grid.source_id,
            Grid.name,
            Grid.level,
            Grid.parent_id,
            Grid.school_id,
            School.source_id,
            parent.source_id,
            parent.school_id != Grid.school_id,
        )
        .join(School, School.id == Grid.school_id)
        .outerjoin(parent, parent.id == Grid.parent_id)
        .where(Grid.id.not_in(select(reach.c.id)))
        .order_by(School.source_id, Grid.source_id)
    ).all()
    if not rows:
        return []
    broken = {r[0]: r for r in rows}
    with_root = set(
        ctx.session.scalars(select(Grid.school_id).where(Grid.parent_id.is_(None), Grid.level == 1).distinct())
    )
    out: list[Finding] = []
    rootless: set[int] = set()
    tops: set[int] = set()
    for gid, sid, name, level, parent_id, school_id, school, parent_sid, other_school in rows:
        if school_id not in with_root and school_id not in rootless:
            rootless.add(school_id)
            out.append(finding("G4", school, school, "学校没有一级网格（学校网格），网格树无根"))
        if parent_id is None:
            why = "另立为根网格，未挂到学校一级网格下" if level == 1 else f"层级为{level}却没有上级网格"
        elif other_school:
            why = f"上级网格{parent_sid}属于其他学校"
        elif parent_id not in broken:
            why = f"层级{level}与上级网格{parent_sid}不衔接"
        else:
            continue
        tops.add(gid)
        out.append(finding("G4", school, sid, f"网格“{name}”（{sid}）{why}，层级断链"))
    out.extend(_cycles(broken, tops))
    return out


def _cycles(broken: Mapping[int, Sequence[Any]], tops: set[int]) -> list[Finding]:
    """Broken grids under no reported top: they hang in a cycle; report each cycle once."""
    out, settled = [], set(tops)
    for start in broken:
        path: list[int] = []
        node: int | None = start
        while node is not None and node in broken and node not in settled and node not in path:
            path.append(node)
            node = broken[node][4]
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            first = min(cycle, key=lambda g: broken[g][1])
            sid, name, school = broken[first][1], broken[first][2], broken[first][6]
            out.append(finding("G4", school, sid, f"网格“{name}”（{sid}）所在的上下级关系成环，层级断链"))
        settled.update(path)
    return out
