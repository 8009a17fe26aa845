"""The mutable state of one demo-county build: id counters and the growing entity lists.

Ids follow the import format (``P00001``, ``PA00001``, ``G00001``, ``BLD0001``, ``HZ0001``) and are
handed out in generation order, school by school, so the first 60 schools get the same ids at any
``scale``: a bigger county only appends.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from .names import person_name
from .posts import post_entry

__all__ = ["AS_OF", "BUREAU_ID", "PARTY_INSTRUCTOR_ORG", "PERIOD", "DemoContext"]

BUREAU_ID = "ORG-BUREAU"
PARTY_INSTRUCTOR_ORG = "ORG-BUREAU-PARTY-INSTRUCTOR"
"""The ``org_id`` of party instructors: the bureau's pool of 党建指导员, not an org of its own."""

AS_OF = dt.date(2025, 1, 31)
"""The day the data describes; gap checks that need "today" use it (``meta.as_of``)."""

PERIOD = {"name": "2024—2025年冬春季", "start": "2024-11-15", "end": "2025-04-30"}


@dataclass
class DemoContext:
    """Counters and output lists shared by the generator modules."""

    seed: int
    persons: list[dict[str, Any]] = field(default_factory=list)
    post_assignments: list[dict[str, Any]] = field(default_factory=list)
    grids: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    buildings_made: int = 0
    assignments_made: int = 0
    planted: list[Any] = field(default_factory=list)

    def rng_for(self, *parts: object) -> random.Random:
        """An independent, reproducible random stream for one part of the county."""
        return random.Random("-".join(str(p) for p in (self.seed, *parts)))

    def new_person(
        self, rng: random.Random, org_id: str, gender: str | None = None, *, female_share: float = 0.6
    ) -> dict[str, Any]:
        if gender is None:
            gender = "女" if rng.random() < female_share else "男"
        person = {
            "id": f"P{len(self.persons) + 1:05d}",
            "name": person_name(rng, gender),
            "gender": gender,
            "org_id": org_id,
            "active": True,
        }
        self.persons.append(person)
        return person

    def assign(
        self,
        org_id: str,
        post_code: str,
        person: dict[str, Any],
        *,
        local_post: tuple[str, str] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A post assignment carrying the catalogue's duties (一岗双责) for the season, or for a
        school-defined post ``local_post`` = (name, business duty) no safety duty at all."""
        self.assignments_made += 1
        assignment: dict[str, Any] = {
            "id": f"PA{self.assignments_made:05d}",
            "org_id": org_id,
            "post_code": post_code,
        }
        if local_post is None:
            entry = post_entry(post_code)
            duties = (entry["business_duty"], list(entry["safety_duties"]))
        else:
            assignment["local_post_name"] = local_post[0]
            duties = (local_post[1], [])
        assignment.update(
            person_id=person["id"], period=PERIOD["name"], business_duty=duties[0], safety_duties=duties[1]
        )
        assignment.update(extra)
        self.post_assignments.append(assignment)
        return assignment

    def new_grid(
        self,
        school_id: str,
        level: int,
        name: str,
        scope_type: str,
        parent: dict[str, Any] | None,
        owner: dict[str, Any] | None,
        members: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        grid = {
            "id": f"G{len(self.grids) + 1:05d}",
            "school_id": school_id,
            "level": level,
            "name": name,
            "scope_type": scope_type,
            "parent_id": parent["id"] if parent else None,
            "owner_person_id": owner["id"] if owner else None,
            "member_person_ids": [m["id"] for m in members or []],
        }
        self.grids.append(grid)
        return grid

    def next_building_id(self) -> str:
        self.buildings_made += 1
        return f"BLD{self.buildings_made:04d}"

    def next_hazard_id(self) -> str:
        return f"HZ{len(self.hazards) + 1:04d}"
