"""The grid-tree rules of an import: what the file must say for its grids to be stored at all.

Refused (the rows cannot be stored faithfully): a parent that exists nowhere (neither in the
file nor the database) and a cycle (the tree could not be written parents first, and no grid of
a cycle has a place in it). Everything else about the tree is a defect of the organisation and is
imported as it is, for ``flask audit gaps`` (G4) to report: a grid above level 1 without a
parent, a level that does not follow its parent's, a parent in another school, a second root.
Grids of the file override stored grids with the same id; stored grids the file does not
mention keep their place in the tree."""

from __future__ import annotations

from collections.abc import Sequence

from .schema import Grid
from .validation import refusal

__all__ = ["GridFacts", "check_grid_tree"]

GridFacts = dict[str, tuple[str, str | None, int]]
"""``grid source id -> (school source id, parent source id, level)``."""


def check_grid_tree(source: str, grids: Sequence[Grid], stored: GridFacts) -> dict[str, int]:
    """Check the combined tree; return each file grid's depth (1 for a root) for insert order.

    ``grids`` are the file's (located) grid records; ``stored`` maps stored grid ids to
    (school, parent, level). Refusals start with ``source``. Levels and schools are not
    judged here (see the module docstring).
    """
    facts: GridFacts = dict(stored)
    where: dict[str, str] = {}
    for g in grids:
        facts[g.source_id] = (g.school, g.parent, g.level)
        where[g.source_id] = g.where
    for g in grids:
        if g.parent is not None and g.parent not in facts:
            raise refusal(source, g.where, f"parent {g.parent} does not exist")
    depth: dict[str, int] = {}
    for g in grids:
        _depth(source, g.source_id, facts, depth, where)
    return {g.source_id: depth[g.source_id] for g in grids}


def _depth(source: str, start: str, facts: GridFacts, depth: dict[str, int], where: dict[str, str]) -> int:
    path: list[str] = []
    on_path: set[str] = set()
    node: str | None = start
    while node is not None and node not in depth:
        if node in on_path:
            cycle = path[path.index(node) :] + [node]
            raise refusal(source, where.get(start, start), "cycle in the grid tree: " + " -> ".join(cycle))
        path.append(node)
        on_path.add(node)
        node = facts[node][1] if node in facts else None
    base = depth[node] if node is not None else 0
    for offset, item in enumerate(reversed(path), start=1):
        depth[item] = base + offset
    return depth[start]
