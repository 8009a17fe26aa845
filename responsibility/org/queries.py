"""Read-only queries behind the organisation pages (county → towns → schools → school page).

Every function takes an explicit session, never commits, and loads what a page shows in a fixed
number of queries (``selectinload``/``joinedload``), whatever the size of the school: no N+1.
``visible`` arguments are the result of :func:`responsibility.accounts.access.visible_school_ids`
(``None`` = every school); filtering happens in SQL so that an invisible school is never loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import (
    Building,
    Bureau,
    BureauLeader,
    County,
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Person,
    PostAssignment,
    School,
    Section,
    Town,
)
from .ordering import natural_key, towns_in_order

__all__ = [
    "LEADER_POSTS",
    "affiliations",
    "CountySummary",
    "GridNode",
    "SchoolPage",
    "TownSummary",
    "county_summary",
    "find_school",
    "find_town",
    "grids_owned_by",
    "liaisons_for",
    "liaisons_of_sections",
    "load_school_page",
    "posts_held_by",
    "schools_of_town",
    "sections_with_staff",
    "town_summaries",
    "visible_schools",
]

#: The school leaders shown at the top of a school page, in this order.
LEADER_POSTS: tuple[tuple[str, str], ...] = (
    ("principal", "S01"),
    ("party_secretary", "S02"),
    ("party_instructor", "S24"),
    ("safety_deputy", "S03"),
)


def _restrict(stmt, visible: Collection[int] | None):  # type: ignore[no-untyped-def]
    return stmt if visible is None else stmt.where(School.id.in_(list(visible)))


@dataclass(frozen=True)
class CountySummary:
    """The county at a glance (bureau leader and auditor home)."""

    county: County | None
    bureau: Bureau | None
    towns: int
    schools: int
    persons: int
    grids: int
    leaders: tuple[BureauLeader, ...]


@dataclass(frozen=True)
class TownSummary:
    town: Town
    school_count: int


@dataclass(frozen=True)
class GridNode:
    """One grid of a school's tree with its owner on the page's day and its members."""

    grid: Grid
    owner: Person | None
    members: tuple[Person, ...]
    children: tuple[GridNode, ...] = field(default=())


@dataclass(frozen=True)
class SchoolPage:
    """Everything the school page shows, loaded at once."""

    school: School
    day: dt.date
    leaders: dict[str, tuple[PostAssignment, ...]]
    posts: tuple[PostAssignment, ...]
    grid_roots: tuple[GridNode, ...]
    grid_count: int
    buildings: tuple[Building, ...]
    liaison: LiaisonAssignment | None


def county_summary(session: Session, day: dt.date) -> CountySummary:
    """Counts of the county's entities (persons: those in service on ``day``) and the bureau
    leadership."""
    leaders = session.scalars(
        select(BureauLeader).options(joinedload(BureauLeader.person)).order_by(BureauLeader.position, BureauLeader.id)
    ).all()
    return CountySummary(
        county=session.scalars(select(County).limit(1)).first(),
        bureau=session.scalars(select(Bureau).limit(1)).first(),
        towns=session.scalar(select(func.count(Town.id))) or 0,
        schools=session.scalar(select(func.count(School.id))) or 0,
        persons=session.scalar(select(func.count(Person.id)).where(Person.in_service_on(day))) or 0,
        grids=session.scalar(select(func.count(Grid.id))) or 0,
        leaders=tuple(leaders),
    )


def town_summaries(session: Session, visible: Collection[int] | None) -> list[TownSummary]:
    """Towns with the number of visible schools in each; a restricted user sees only the towns
    where they can see at least one school."""
    counted = _restrict(select(School.town_id, func.count(School.id).label("n")).group_by(School.town_id), visible)
    counts = {town_id: n for town_id, n in session.execute(counted).all()}
    towns = towns_in_order(session)
    return [
        TownSummary(town=town, school_count=counts.get(town.id, 0))
        for town in towns
        if visible is None or counts.get(town.id)
    ]


def find_town(session: Session, source_id: str) -> Town | None:
    return session.scalars(select(Town).where(Town.source_id == source_id)).first()


def schools_of_town(session: Session, town: Town, visible: Collection[int] | None) -> list[School]:
    """The visible schools of ``town``, ordered by source id."""
    stmt = select(School).where(School.town_id == town.id).order_by(School.source_id)
    return list(session.scalars(_restrict(stmt, visible)).all())


def visible_schools(session: Session, visible: Collection[int] | None) -> list[School]:
    """Every visible school with its town, in the natural order of town then school codes."""
    stmt = select(School).options(joinedload(School.town))
    schools = session.scalars(_restrict(stmt, visible)).all()
    return sorted(schools, key=lambda s: (natural_key(s.town.source_id if s.town else None), natural_key(s.source_id)))


def find_school(session: Session, source_id: str, visible: Collection[int] | None) -> School | None:
    """The school with ``source_id`` if it exists AND is visible; otherwise None (the caller
    answers 404 either way, so an invisible school looks exactly like a missing one)."""
    stmt = _restrict(select(School).where(School.source_id == source_id), visible)
    return session.scalars(stmt.options(joinedload(School.town), selectinload(School.campuses))).first()


def liaisons_for(session: Session, school_ids: Collection[int], day: dt.date) -> dict[int, LiaisonAssignment]:
    """The liaison assignment valid on ``day`` for each of ``school_ids`` (one query)."""
    if not school_ids:
        return {}
    rows = session.scalars(
        select(LiaisonAssignment)
        .where(
            LiaisonAssignment.school_id.in_(list(school_ids)),
            LiaisonAssignment.held_on(day),
        )
        .options(
            joinedload(LiaisonAssignment.section).joinedload(Section.chief),
            joinedload(LiaisonAssignment.liaison_person),
            joinedload(LiaisonAssignment.bureau_leader),
        )
    ).all()
    return {row.school_id: row for row in rows}


def liaisons_of_sections(session: Session, section_ids: Collection[int], day: dt.date) -> list[LiaisonAssignment]:
    """The liaison assignments valid on ``day`` of the given sections, with school and town,
    ordered by section and school (one query)."""
    if not section_ids:
        return []
    return list(
        session.scalars(
            select(LiaisonAssignment)
            .join(School, School.id == LiaisonAssignment.school_id)
            .where(
                LiaisonAssignment.section_id.in_(list(section_ids)),
                LiaisonAssignment.held_on(day),
            )
            .options(
                joinedload(LiaisonAssignment.school).joinedload(School.town),
                joinedload(LiaisonAssignment.section),
                joinedload(LiaisonAssignment.liaison_person),
                joinedload(LiaisonAssignment.bureau_leader),
            )
            .order_by(LiaisonAssignment.section_id, School.source_id)
        ).all()
    )


def posts_held_by(session: Session, person_id: int, day: dt.date) -> list[PostAssignment]:
    """The person's post assignments valid on ``day``, with org and post type."""
    return list(
        session.scalars(
            select(PostAssignment)
            .where(
                PostAssignment.person_id == person_id,
                PostAssignment.held_on(day),
            )
            .options(joinedload(PostAssignment.org), joinedload(PostAssignment.post_type))
            .order_by(PostAssignment.post_code, PostAssignment.source_id)
        ).all()
    )


def affiliations(session: Session, person_ids: Collection[int], day: dt.date) -> dict[int, str]:
    """For each person, where and as what they serve on ``day`` ("岚川县第一中学 · 校长"; several
    posts joined with "；"), so two people of the same name are told apart wherever they are
    listed or picked. One query for the whole list; a person without a post is absent."""
    if not person_ids:
        return {}
    rows = session.scalars(
        select(PostAssignment)
        .where(PostAssignment.person_id.in_(list(person_ids)), PostAssignment.held_on(day))
        .options(joinedload(PostAssignment.org), joinedload(PostAssignment.post_type))
        .order_by(PostAssignment.person_id, PostAssignment.post_code, PostAssignment.source_id)
    ).all()
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.person_id, []).append(f"{row.org.name} · {row.post_name}")
    return {person_id: "；".join(dict.fromkeys(labels)) for person_id, labels in found.items()}


def grids_owned_by(session: Session, person_id: int, day: dt.date) -> list[Grid]:
    """Grids the person owns on ``day``, with school, parent and members."""
    return list(
        session.scalars(
            select(Grid)
            .join(GridOwnership, GridOwnership.grid_id == Grid.id)
            .where(
                GridOwnership.person_id == person_id,
                GridOwnership.held_on(day),
            )
            .options(joinedload(Grid.school), joinedload(Grid.parent), selectinload(Grid.members))
            .order_by(Grid.source_id)
        ).all()
    )


def sections_with_staff(session: Session) -> list[Section]:
    """All sections with chief and staff loaded."""
    return list(
        session.scalars(
            select(Section).options(joinedload(Section.chief), selectinload(Section.staff)).order_by(Section.source_id)
        ).all()
    )


def _grid_tree(grids: list[Grid], day: dt.date) -> tuple[tuple[GridNode, ...], int]:
    children: dict[int | None, list[Grid]] = {}
    ids = {grid.id for grid in grids}
    for grid in grids:
        parent = grid.parent_id if grid.parent_id in ids else None
        children.setdefault(parent, []).append(grid)

    def build(grid: Grid, depth: int) -> GridNode:
        kids = () if depth > 16 else tuple(build(kid, depth + 1) for kid in children.get(grid.id, []))
        return GridNode(grid=grid, owner=grid.owner_on(day), members=tuple(grid.members), children=kids)

    return tuple(build(root, 0) for root in children.get(None, [])), len(grids)


def load_school_page(session: Session, school: School, day: dt.date) -> SchoolPage:
    """Leaders, posts, grid tree, buildings and liaison of ``school`` on ``day``.

    Issues a fixed number of queries regardless of the school's size.
    """
    posts = session.scalars(
        select(PostAssignment)
        .where(
            PostAssignment.org_id == school.id,
            PostAssignment.held_on(day),
        )
        .options(joinedload(PostAssignment.person), joinedload(PostAssignment.post_type))
        .order_by(PostAssignment.post_code, PostAssignment.source_id)
    ).all()
    leaders = {role: tuple(pa for pa in posts if pa.post_code == code) for role, code in LEADER_POSTS}

    grids = session.scalars(
        select(Grid)
        .where(Grid.school_id == school.id)
        .options(
            selectinload(Grid.ownerships).joinedload(GridOwnership.person),
            selectinload(Grid.members),
        )
        .order_by(Grid.level, Grid.source_id)
    ).all()
    roots, grid_count = _grid_tree(list(grids), day)

    buildings = session.scalars(
        select(Building)
        .where(Building.school_id == school.id)
        .options(joinedload(Building.fire_plan), joinedload(Building.grid))
        .order_by(Building.source_id)
    ).all()

    return SchoolPage(
        school=school,
        day=day,
        leaders=leaders,
        posts=tuple(posts),
        grid_roots=roots,
        grid_count=grid_count,
        buildings=tuple(buildings),
        liaison=liaisons_for(session, [school.id], day).get(school.id),
    )
