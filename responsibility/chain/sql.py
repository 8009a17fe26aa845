"""The SQL vocabulary of the chain statement: tables, the one row shape of its ``UNION ALL``,
the bound parameters, and the parts that depend on the subject kind (where the climb starts,
which organisations are in scope, the rows describing the subject itself).

Only ``query`` puts these together; nothing here touches a session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
    union,
)

from ..models import (
    Base,
    Building,
    BureauLeader,
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Organization,
    Person,
    PostAssignment,
    PostType,
    held_on,
    in_service,
)

SCHOOL_CHAIN_POSTS = ("S01", "S02", "S03", "S24", "B05")
BUREAU_CHAIN_POSTS = ("B01", "B02")
SCHOOL_SCOPE = "学校"  # Grid.scope_type of a level-1 grid covering the whole school


def _table(model: type[Base]) -> Table:
    """The model's ``Table``: SQLAlchemy types ``__table__`` as any ``FromClause`` (a class may map a
    join), and the statement needs the columns of a plain table."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


GRIDS = _table(Grid)
OWNERSHIPS = _table(GridOwnership)
PERSONS = _table(Person)
POSTS = _table(PostAssignment)
POST_TYPES = _table(PostType)
ORGS = _table(Organization)
LIAISONS = _table(LiaisonAssignment)
BUILDINGS = _table(Building)
LEADERS = _table(BureauLeader)

# The one row shape every branch of the UNION ALL produces (name -> type of a typed NULL).
COLUMNS: dict[str, Any] = {
    "org_id": Integer,
    "org_sid": String,
    "org_kind": String,
    "ref_id": Integer,
    "grid_id": Integer,
    "grid_sid": String,
    "grid_name": String,
    "parent_id": Integer,
    "level": Integer,
    "post_code": String,
    "post_name": String,
    "person_id": Integer,
    "person_sid": String,
    "person_name": String,
    "person_active": Boolean,
    "person_org_id": Integer,
    "valid_from": Date,
    "flag": Integer,
    "extra": String,
}

SID = bindparam("sid", type_=String)
DAY = bindparam("day", type_=Date)


def valid_on(table: Any) -> ColumnElement[bool]:
    """Half-open validity of ``table``'s row on the bound ``day`` (the one rule, :func:`held_on`)."""
    return held_on(table.c.valid_from, table.c.valid_to, DAY)


def branch(kind: str, **values: Any) -> list[Any]:
    """The select list of one UNION branch: ``kind`` then every column of COLUMNS, typed NULL
    where the branch has nothing (PostgreSQL must be able to type each column of the union)."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown chain columns {sorted(unknown)}")
    out = [literal_column(f"'{kind}'", String).label("kind")]
    for name, type_ in COLUMNS.items():
        value = values.get(name)
        out.append((value if value is not None else cast(null(), type_)).label(name))
    return out


def in_service_on_day(persons: Any) -> ColumnElement[bool]:
    """The person row is in service on the bound ``day`` (the one rule, :func:`in_service`)."""
    return in_service(persons, DAY)


def person_columns(alias: Any) -> dict[str, Any]:
    """The person of a link; ``person_active`` is whether they are in service on the day."""
    return {
        "person_id": alias.c.id,
        "person_sid": alias.c.source_id,
        "person_name": alias.c.name,
        "person_active": in_service_on_day(alias),
        "person_org_id": alias.c.org_id,
    }


def post_name(post: Any, post_type: Any) -> Any:
    return func.coalesce(post.c.local_post_name, post_type.c.name, post.c.post_code)


def school_grid_order(grids: Any) -> list[Any]:
    """How the school grid is told apart when a school has several level-1 roots (bad data):
    the one scoped to the whole school first, then the lowest source id. Mirrored in Python by
    ``assemble.Assembler.school_grid``."""
    return [case((grids.c.scope_type == SCHOOL_SCOPE, 0), else_=1), grids.c.source_id]


def seed_of(kind: str) -> Select[Any]:
    """The grid ids the climb starts from."""
    if kind == "grid":
        return select(GRIDS.c.id).where(GRIDS.c.source_id == SID)
    if kind == "building":
        return select(BUILDINGS.c.grid_id).where(BUILDINGS.c.source_id == SID, BUILDINGS.c.grid_id.is_not(None))
    if kind == "school":
        school = ORGS.alias("seed_school")
        return (
            select(GRIDS.c.id)
            .join(school, school.c.id == GRIDS.c.school_id)
            .where(
                school.c.source_id == SID, school.c.kind == "school", GRIDS.c.level == 1, GRIDS.c.parent_id.is_(None)
            )
            .order_by(*school_grid_order(GRIDS))
            .limit(1)
        )
    if kind == "person":
        person = PERSONS.alias("seed_person")
        return (
            select(OWNERSHIPS.c.grid_id)
            .join(person, person.c.id == OWNERSHIPS.c.person_id)
            .where(person.c.source_id == SID, valid_on(OWNERSHIPS))
        )
    return select(GRIDS.c.id).where(false())


def scope_of(kind: str) -> Any:
    """The organisations whose leaders the chain needs: the subject's school, or for a person
    the schools of their grids and the orgs of their posts, or a post assignment's org.

    Taken from the subject directly rather than from the climbed grids so that PostgreSQL's
    planner sees a one- or two-row set and uses index lookups all the way down.
    """
    if kind == "grid":
        return select(GRIDS.c.school_id.label("org_id")).where(GRIDS.c.source_id == SID)
    if kind == "building":
        return select(BUILDINGS.c.school_id.label("org_id")).where(BUILDINGS.c.source_id == SID)
    if kind == "school":
        return select(ORGS.c.id.label("org_id")).where(ORGS.c.source_id == SID, ORGS.c.kind == "school")
    if kind == "person":
        person, owned = PERSONS.alias("scope_person"), GRIDS.alias("scope_grid")
        return union(
            select(owned.c.school_id.label("org_id"))
            .select_from(
                OWNERSHIPS.join(person, person.c.id == OWNERSHIPS.c.person_id).join(
                    owned, owned.c.id == OWNERSHIPS.c.grid_id
                )
            )
            .where(person.c.source_id == SID, valid_on(OWNERSHIPS)),
            select(POSTS.c.org_id)
            .join(person, person.c.id == POSTS.c.person_id)
            .where(person.c.source_id == SID, valid_on(POSTS)),
        )
    return select(POSTS.c.org_id.label("org_id")).where(POSTS.c.source_id == SID)


def subject_branches(kind: str) -> list[Select[Any]]:
    """Rows describing the subject itself (its existence, and for persons and post assignments
    the posts that place them in the chain)."""
    if kind == "building":
        bo = ORGS.alias("bo")
        return [
            select(*branch("subject", org_id=BUILDINGS.c.school_id, org_sid=bo.c.source_id, ref_id=BUILDINGS.c.grid_id))
            .select_from(BUILDINGS.join(bo, bo.c.id == BUILDINGS.c.school_id))
            .where(BUILDINGS.c.source_id == SID)
        ]
    if kind == "person":
        sp, spa, spt, so = PERSONS.alias("sp"), POSTS.alias("spa"), POST_TYPES.alias("spt"), ORGS.alias("so")
        return [
            select(*branch("subject", **person_columns(sp))).where(sp.c.source_id == SID),
            select(
                *branch(
                    "subject_post",
                    org_id=spa.c.org_id,
                    org_sid=so.c.source_id,
                    org_kind=so.c.kind,
                    post_code=spa.c.post_code,
                    post_name=post_name(spa, spt),
                    valid_from=spa.c.valid_from,
                    **person_columns(sp),
                )
            )
            .select_from(
                sp.join(spa, and_(spa.c.person_id == sp.c.id, valid_on(spa)))
                .join(so, so.c.id == spa.c.org_id)
                .outerjoin(spt, spt.c.code == spa.c.post_code)
            )
            .where(sp.c.source_id == SID),
        ]
    if kind == "post_assignment":
        qpa, qp, qpt, qo = POSTS.alias("qpa"), PERSONS.alias("qp"), POST_TYPES.alias("qpt"), ORGS.alias("qo")
        return [
            select(
                *branch(
                    "subject_post",
                    org_id=qpa.c.org_id,
                    org_sid=qo.c.source_id,
                    org_kind=qo.c.kind,
                    ref_id=qpa.c.id,
                    post_code=qpa.c.post_code,
                    post_name=post_name(qpa, qpt),
                    valid_from=qpa.c.valid_from,
                    flag=case((valid_on(qpa), 1), else_=0),
                    **person_columns(qp),
                )
            )
            .select_from(
                qpa.join(qp, qp.c.id == qpa.c.person_id)
                .join(qo, qo.c.id == qpa.c.org_id)
                .outerjoin(qpt, qpt.c.code == qpa.c.post_code)
            )
            .where(qpa.c.source_id == SID)
        ]
    return []
