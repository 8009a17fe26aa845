"""What a chain trace starts from and what it returns.

Results are frozen dataclasses so that callers (the CLI's JSON, the chain page, the gap report,
the agreement states added by the cascade later) can rely on them not changing under their feet.
Every id in a result is the import's source id, never a database key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

__all__ = [
    "SUBJECT_KINDS",
    "ChainLink",
    "ChainPath",
    "ChainSubject",
    "Gap",
    "Role",
    "SubjectKind",
]

SubjectKind = Literal["grid", "building", "school", "person", "post_assignment"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("grid", "building", "school", "person", "post_assignment")


class Role(StrEnum):
    """A link's place in the chain, with the glossary's code names, from the bottom up."""

    POST_HOLDER = "post_holder"
    """A post outside the chain (canteen manager, guard…): the chain of a post-assignment or
    person subject starts with it and continues at the school's safety deputy."""
    GRID_OWNER = "grid_owner"
    SAFETY_DEPUTY = "safety_deputy"
    PRINCIPAL = "principal"
    SCHOOL_PARTY_SECRETARY = "school_party_secretary"
    PARTY_INSTRUCTOR = "party_instructor"
    LIAISON = "liaison"
    SECTION_CHIEF = "section_chief"
    BUREAU_LEADER = "bureau_leader"
    DEPUTY_IN_CHARGE = "deputy_in_charge"
    BUREAU_CHIEF = "bureau_chief"


class Gap(StrEnum):
    """Why a link does not name a person who can answer for it on the day."""

    VACANT = "vacant"
    """Nobody holds the post (or owns the grid) on the day."""
    INACTIVE = "inactive"
    """The holder is not in service on the day (has left, or has not joined yet:
    ``Person.in_service_on``) but still holds it."""
    NOT_IN_SCHOOL = "not_in_school"
    """A school post or grid held by someone who belongs to another organisation."""
    NOT_IN_SECTION = "not_in_section"
    """The liaison person is neither on the staff of nor assigned to the liaison section."""
    NOT_IN_BUREAU = "not_in_bureau"
    """A bureau link held by someone who does not belong to the bureau."""
    NO_LIAISON = "no_liaison"
    """The school has no liaison assignment valid on the day (check L1)."""
    NO_GRID = "no_grid"
    """The building (or school) has no grid, so nobody owns it (checks G3/G4)."""
    BROKEN_TREE = "broken_tree"
    """The grid ancestry does not reach a level-1 school grid (check G4)."""
    NO_POST = "no_post"
    """A person subject who neither owns a grid nor holds a post on the day."""


# Where each post code sits in the chain when the subject is a person or a post assignment.
ROLE_OF_POST: dict[str, Role] = {
    "S03": Role.SAFETY_DEPUTY,
    "S01": Role.PRINCIPAL,
    "S02": Role.SCHOOL_PARTY_SECRETARY,
    "S24": Role.PARTY_INSTRUCTOR,
    "B06": Role.LIAISON,
    "B05": Role.SECTION_CHIEF,
    "B03": Role.BUREAU_LEADER,
    "B04": Role.BUREAU_LEADER,
    "B02": Role.DEPUTY_IN_CHARGE,
    "B01": Role.BUREAU_CHIEF,
}

# Order of the roles from the bottom of the chain to the top (peers share a rank).
ROLE_RANK: dict[Role, int] = {
    Role.POST_HOLDER: 0,
    Role.GRID_OWNER: 1,
    Role.SAFETY_DEPUTY: 2,
    Role.PRINCIPAL: 3,
    Role.SCHOOL_PARTY_SECRETARY: 3,
    Role.PARTY_INSTRUCTOR: 3,
    Role.LIAISON: 4,
    Role.SECTION_CHIEF: 5,
    Role.BUREAU_LEADER: 6,
    Role.DEPUTY_IN_CHARGE: 7,
    Role.BUREAU_CHIEF: 8,
}


@dataclass(frozen=True)
class ChainSubject:
    """What to trace: a kind and the import's source id (``G00002``, ``BLD0001``, ``SCH001``,
    ``P00027``, ``PA00031``)."""

    kind: SubjectKind
    source_id: str

    @classmethod
    def grid(cls, source_id: str) -> ChainSubject:
        return cls("grid", source_id)

    @classmethod
    def building(cls, source_id: str) -> ChainSubject:
        return cls("building", source_id)

    @classmethod
    def school(cls, source_id: str) -> ChainSubject:
        return cls("school", source_id)

    @classmethod
    def person(cls, source_id: str) -> ChainSubject:
        return cls("person", source_id)

    @classmethod
    def post_assignment(cls, source_id: str) -> ChainSubject:
        return cls("post_assignment", source_id)


@dataclass(frozen=True)
class ChainLink:
    """One link: a role, and who held it on the day (or why nobody could answer for it)."""

    role: str
    """A :class:`Role` value."""
    person_id: str | None
    """Source id of the holder; ``None`` when the post is vacant."""
    person_name: str | None
    post_code: str | None
    """Catalogue code of the post held (``S03``, ``B01``…); ``None`` for grid owners."""
    post_name: str | None
    org_source_id: str | None
    """The school, section or bureau the link belongs to."""
    grid_source_id: str | None
    """For grid owners: the grid owned."""
    level: int | None
    """For grid owners: the grid's level (3 class/floor, 2 building/grade, 1 school)."""
    gap: str | None
    """A :class:`Gap` value, or ``None`` when the link is sound."""
    parent_grid_source_id: str | None = None
    """For grid owners: the grid above, whose owner is this link's superior."""
    grid_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ChainPath:
    """The chain for a subject on a day, ordered from the subject up to the bureau chief.

    A person who owns several grids gets every owned grid and its ancestors (deepest first, no
    repeats) before the school's links; the bureau's top links come once, last.
    """

    subject: ChainSubject
    day: dt.date
    links: tuple[ChainLink, ...] = field(default_factory=tuple)

    @property
    def gaps(self) -> tuple[ChainLink, ...]:
        return tuple(link for link in self.links if link.gap is not None)

    @property
    def complete(self) -> bool:
        """True when every link names an active holder in the right organisation."""
        return bool(self.links) and not self.gaps

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``flask chain trace --json`` (without agreement states)."""
        return {
            "subject": {"kind": self.subject.kind, "id": self.subject.source_id},
            "at": self.day.isoformat(),
            "links": [link.as_dict() for link in self.links],
        }
