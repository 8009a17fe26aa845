"""The grid-tree rules of an import: parent exists, same school, level = parent level + 1, no
cycles. Grids of the file override stored grids with the same id; stored grids the file does not
mention keep their place in the tree."""

from __future__ import annotations

from typing import Any

from .fields import Reader


def check_grid_tree(
    r: Reader, grids: list[dict[str, Any]], stored: dict[str, tuple[str, str | None, int]]
) -> dict[str, int]:
    """Check the combined tree; return each file grid's depth (1 for a root) for insert order.

    ``grids`` are normalised file records (``source_id``, ``school``, ``parent``, ``level``,
    ``_w``); ``stored`` maps stored grid ids to (school, parent, level).
    """
    facts: dict[str, tuple[str, str | None, int]] = dict(stored)
    where: dict[str, str] = {}
    for g in grids:
        facts[g["source_id"]] = (g["school"], g["parent"], g["level"])
        where[g["source_id"]] = g["_w"]
    for g in grids:
        parent = g["parent"]
        if parent is not None and parent not in facts:
            raise r.fail(g["_w"], f"parent {parent} does not exist")
    depth: dict[str, int] = {}
    for g in grids:
        _depth(r, g["source_id"], facts, depth, where)
    for g in grids:
        parent = g["parent"]
        if parent is None:
            if g["level"] != 1:
                raise r.fail(g["_w"], f"grid {g['source_id']} has no parent but level {g['level']} (a root is level 1)")
            continue
        p_school, _, p_level = facts[parent]
        if p_school != g["school"]:
            raise r.fail(g["_w"], f"parent {parent} belongs to school {p_school}, not {g['school']}")
        if g["level"] != p_level + 1:
            raise r.fail(g["_w"], f"level {g['level']} does not follow parent {parent} at level {p_level}")
    return {g["source_id"]: depth[g["source_id"]] for g in grids}


def _depth(
    r: Reader, start: str, facts: dict[str, tuple[str, str | None, int]], depth: dict[str, int], where: dict[str, str]
) -> int:
    path: list[str] = []
    on_path: set[str] = set()
    node: str | None = start
    while node is not None and node not in depth:
        if node in on_path:
            cycle = path[path.index(node) :] + [node]
            raise r.fail(where.get(start, start), "cycle in the grid tree: " + " -> ".join(cycle))
        path.append(node)
        on_path.add(node)
        node = facts[node][1] if node in facts else None
    base = depth[node] if node is not None else 0
    for offset, item in enumerate(reversed(path), start=1):
        depth[item] = base + offset
    return depth[start]
