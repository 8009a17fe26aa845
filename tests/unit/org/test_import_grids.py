"""The grid-tree rules of an import, without a database."""

from __future__ import annotations

import pytest

from responsibility.errors import BadInput
from responsibility.org.importing.grids import check_grid_tree
from responsibility.org.importing.schema import Grid


def grid(sid: str, parent: str | None, level: int, school: str = "S1") -> Grid:
    record = {"id": sid, "school_id": school, "parent_id": parent, "level": level, "name": sid, "scope_type": "x"}
    validated = Grid.model_validate(record)
    validated.locate(f"$.grids[{sid}]")
    return validated


def check(grids: list[Grid], stored: dict | None = None) -> dict[str, int]:
    return check_grid_tree("f.json", grids, stored or {})


def test_depths_follow_the_tree():
    assert check([grid("C", "B", 3), grid("A", None, 1), grid("B", "A", 2)]) == {"A": 1, "B": 2, "C": 3}


def test_stored_parent_counts():
    assert check([grid("B", "A", 2)], {"A": ("S1", None, 1)}) == {"B": 2}


@pytest.mark.parametrize(
    ("grids", "stored", "message"),
    [
        ([grid("B", "X", 2)], {}, "f.json: $.grids[B]: parent X does not exist"),
        ([grid("A", "B", 2), grid("B", "A", 2)], {}, "cycle in the grid tree: A -> B -> A"),
        ([grid("A", "A", 1)], {}, "cycle in the grid tree: A -> A"),
    ],
)
def test_bad_trees_are_refused(grids, stored, message):
    with pytest.raises(BadInput) as err:
        check(grids, stored)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("grids", "stored", "depths"),
    [
        ([grid("A", None, 3)], {}, {"A": 1}),
        ([grid("A", None, 1), grid("B", "A", 3)], {}, {"A": 1, "B": 2}),
        ([grid("B", "A", 2)], {"A": ("S2", None, 1)}, {"B": 2}),
        ([grid("A", None, 1), grid("B", None, 1)], {}, {"A": 1, "B": 1}),
    ],
    ids=["level-3 without parent", "level skips", "parent in another school", "second root"],
)
def test_defects_of_the_organisation_are_not_refused(grids, stored, depths):
    """Stored as they are: the gap report's G4 judges them (tests/integration/gaps)."""
    assert check(grids, stored) == depths


def test_cycle_through_stored_grids_is_found():
    stored = {"A": ("S1", "C", 1), "C": ("S1", None, 1)}
    with pytest.raises(BadInput, match="cycle"):
        check([grid("C", "A", 2)], stored)
