"""The validated import: :class:`Plan` holds the file's records as schema models (references
still source ids), plus what the checks derived (grid depths, persons' sub-units).

:func:`.planner.build_plan` fills it; the writers (:mod:`.writer`) read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .schema import (
    Agreement,
    Building,
    Clause,
    Document,
    DutyRoster,
    Grid,
    GridOwnerPeriod,
    Hazard,
    HomeVisit,
    Leader,
    LiaisonAssignment,
    Person,
    PostAssignment,
    PostType,
    RiskArea,
    School,
    Section,
    Town,
)

__all__ = ["Plan"]


@dataclass
class Plan:
    """The import document, checked; ``source`` is the file name every refusal starts with."""

    source: str
    document: Document
    meta: dict[str, Any]
    """The file's ``meta`` block as written (stored with the county)."""
    buildings: list[Building] = field(default_factory=list)
    """Every school's buildings, in file order."""
    grid_depth: dict[str, int] = field(default_factory=dict)
    """Depth of each grid of the file in its tree (1 for a root): the insert order."""
    person_units: dict[str, str] = field(default_factory=dict)
    """Person source id -> the sub-unit id the file gave as ``org_id`` (its org is the parent)."""

    @property
    def as_of(self) -> dt.date | None:
        return self.document.meta.as_of

    @property
    def period_name(self) -> str | None:
        return self.document.meta.period.name

    @property
    def period_start(self) -> dt.date | None:
        return self.document.meta.period.start

    @property
    def period_end(self) -> dt.date | None:
        return self.document.meta.period.end

    @property
    def assessment_scheme(self) -> dict[str, Any] | None:
        return self.document.assessment_scheme

    @property
    def risk_areas(self) -> list[RiskArea]:
        return self.document.risk_areas

    @property
    def clauses(self) -> list[Clause]:
        return self.document.clauses

    @property
    def post_types(self) -> list[PostType]:
        return self.document.post_types

    @property
    def towns(self) -> list[Town]:
        return self.document.towns

    @property
    def sections(self) -> list[Section]:
        return self.document.bureau.sections

    @property
    def leaders(self) -> list[Leader]:
        return self.document.bureau.leaders

    @property
    def schools(self) -> list[School]:
        return self.document.schools

    @property
    def persons(self) -> list[Person]:
        return self.document.persons

    @property
    def assignments(self) -> list[PostAssignment]:
        return self.document.post_assignments

    @property
    def liaisons(self) -> list[LiaisonAssignment]:
        return self.document.liaison_assignments

    @property
    def grids(self) -> list[Grid]:
        return self.document.grids

    @property
    def owner_history(self) -> list[GridOwnerPeriod]:
        return self.document.grid_owner_history

    @property
    def hazards(self) -> list[Hazard]:
        return self.document.hazards

    @property
    def rosters(self) -> list[DutyRoster]:
        return self.document.duty_rosters

    @property
    def home_visits(self) -> list[HomeVisit]:
        return self.document.home_visits

    @property
    def agreements(self) -> list[Agreement]:
        return self.document.agreements
