"""What the demo county plants for the auditor's gap report (outline §2.4) to find: the problem,
the check that must find it, and the documented answer for the default county.

A planted problem names its gap check (``check_g4``), and its code comes from the report's own
registry (:data:`responsibility.chain.gaps.CHECKS`), so the demo never knows a code by heart.
The hooks that plant them are in :mod:`.plants`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..chain.gaps import CHECKS, Finding
from ..chain.gaps.agreements_checks import check_a1, check_a2, check_a3, check_a4
from ..chain.gaps.base import CheckContext
from ..chain.gaps.duty_checks import check_d1
from ..chain.gaps.fire_checks import check_f1, check_f2, check_k1
from ..chain.gaps.grid_checks import check_g1, check_g2, check_g3, check_g4
from ..chain.gaps.hazard_checks import check_h1, check_h2, check_h3, check_h4
from ..chain.gaps.liaison_checks import check_l1, check_l2
from ..chain.gaps.posts_checks import check_p1, check_p2
from ..chain.gaps.visit_checks import check_v1

__all__ = ["PLANTED_PROBLEMS", "GapCheck", "PlantedProblem", "code_of"]

GapCheck = Callable[[CheckContext], list[Finding]]

_CODES: dict[GapCheck, str] = {check: code for code, check in CHECKS.items()}


def code_of(check: GapCheck) -> str:
    """The gap report's code (A1 … V1) of ``check``.

    A planted problem names the check that must find it, not a code copied by heart: a check the
    report no longer runs fails here, when the demo module is imported (by :data:`PLANTED_PROBLEMS`).
    """
    try:
        return _CODES[check]
    except KeyError:
        raise LookupError(f"{check.__name__} is not a check of the gap report") from None


@dataclass(frozen=True)
class PlantedProblem:
    """One problem the gap report must list."""

    check: str
    """Gap check code (A1 … V1)."""
    school_id: str
    subject_id: str
    """Source id of what is wrong: an agreement, post assignment, post code, grid, building,
    hazard, person, school, or (D1) the ISO date without a duty leader."""
    description: str

    @classmethod
    def of(cls, check: GapCheck, school_id: str, subject_id: str, description: str) -> PlantedProblem:
        """The problem ``check`` must find (its code taken from the gap report)."""
        return cls(code_of(check), school_id, subject_id, description)


PLANTED_PROBLEMS: tuple[PlantedProblem, ...] = (
    PlantedProblem.of(check_a1, "SCH023", "AGR-2024DC-023", "agreement signed by the principal only"),
    PlantedProblem.of(check_a2, "SCH052", "AGR-2024DC-052", "agreement not signed"),
    PlantedProblem.of(check_a3, "SCH021", "AGR-2024DC-021", "school bus but no school-bus clause C08"),
    PlantedProblem.of(check_a4, "SCH012", "AGR-2024DC-012", "internal post agreements not signed by every staff member"),
    PlantedProblem.of(check_p1, "SCH028", "PA01228", "school-defined post with no safety duty"),
    PlantedProblem.of(check_p2, "SCH013", "S19", "school bus without an attendant (the attendant resigned)"),
    PlantedProblem.of(check_p2, "SCH020", "S15", "boarding school whose dorm managers are all men"),
    PlantedProblem.of(check_g1, "SCH025", "G01270", "grid without an owner"),
    PlantedProblem.of(check_g2, "SCH015", "G00858", "grid owner was transferred away (inactive)"),
    PlantedProblem.of(check_g3, "SCH022", "BLD0094", "building not covered by any grid"),
    PlantedProblem.of(check_g4, "SCH027", "G01335", "grid subtree not linked to the school grid (second root)"),
    PlantedProblem.of(check_l1, "SCH046", "SCH046", "no liaison section"),
    PlantedProblem.of(check_l2, "SCH030", "P00007", "liaison person is not a member of the liaison section"),
    PlantedProblem.of(check_h1, "SCH024", "HZ0011", "hazard without a responsible person"),
    PlantedProblem.of(check_h2, "SCH016", "HZ0008", "hazard past its deadline and not closed"),
    PlantedProblem.of(check_h3, "SCH007", "HZ0005", "hazard closed by its own responsible person"),
    PlantedProblem.of(check_h4, "SCH017", "HZ0009", "major hazard neither supervised nor under interim measures"),
    PlantedProblem.of(check_d1, "SCH026", "2025-01-28", "holiday duty roster day without a leader on duty"),
    PlantedProblem.of(check_f1, "SCH019", "BLD0078", "building without a fire plan"),
    PlantedProblem.of(check_f2, "SCH018", "BLD0071", "last monthly fire check more than 31 days ago"),
    PlantedProblem.of(check_k1, "SCH060", "BLD0203", "children's rooms above the third floor"),
    PlantedProblem.of(check_v1, "SCH014", "SCH014", "home visits to key students incomplete"),
)
"""The planted problems of the default county (``DEFAULT_SEED``, any scale), in the gap report's
check order: the known answer the generated county and the gap report are both held to."""
