"""``chain_at``: who answered for a grid, building, school, person or post on a given day.

THE RULE: one SQL statement per trace. A recursive CTE climbs the grid tree from the subject's
grids; further CTEs collect the organisations involved (schools, their liaison sections, the
bureau); a ``UNION ALL`` of lookups returns, in one result set, the grid owners, the school
leaders, the liaison assignment with its people, the section chiefs and the bureau's deputy in
charge and chief, each for the day. Python then only arranges those rows into links; it never
goes back to the database. The statement is built once per subject kind (bound parameters
``sid`` and ``day``) so SQLAlchemy's compiled-statement cache serves every later trace.

Validity is half-open everywhere: a row holds on ``day`` when ``valid_from <= day`` and
(``valid_to`` is null or ``day < valid_to``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select, union, union_all
from sqlalchemy.orm import Session

from ..models import section_staff
from .assemble import assemble
from .errors import SubjectNotFound, UnknownSubjectKind
from .sql import (
    BUREAU_CHAIN_POSTS,
    GRIDS,
    LEADERS,
    LIAISONS,
    ORGS,
    OWNERSHIPS,
    PERSONS,
    POST_TYPES,
    POSTS,
    SCHOOL_CHAIN_POSTS,
    branch,
    person_columns,
    post_name,
    scope_of,
    seed_of,
    subject_branches,
    valid_on,
)
from .subjects import SUBJECT_KINDS, ChainPath, ChainSubject

__all__ = ["chain_at"]


def chain_at(session: Session, subject: ChainSubject, day: dt.date) -> ChainPath:
    """The chain from ``subject`` up to the bureau chief for whoever held each post on ``day``.

    Runs exactly one SQL statement. Raises :class:`NotFound` when the subject does not exist and
    :class:`BadInput` for an unknown subject kind. Vacancies and misfits are links with a ``gap``,
    never exceptions: an auditor needs to see where the chain breaks.
    """
    if subject.kind not in SUBJECT_KINDS:
        raise UnknownSubjectKind(
            f"unknown chain subject kind {subject.kind!r}; expected one of {', '.join(SUBJECT_KINDS)}"
        )
    if isinstance(day, dt.datetime):
        day = day.date()
    rows = session.execute(_statement(subject.kind), {"sid": subject.source_id, "day": day}).mappings().all()
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    links = assemble(subject, by_kind)
    if links is None:
        raise SubjectNotFound(f"no {subject.kind.replace('_', ' ')} with id {subject.source_id}")
    return ChainPath(subject=subject, day=day, links=tuple(links))


@cache
def _statement(kind: str) -> Any:
    """Build the single statement for one subject kind (cached: built once per kind)."""
    ancestry = _climb(kind)
    # The schools (and for person/post subjects: sections, bureau) involved, their liaison
    # assignments on the day, and with those the liaison sections.
    scope = scope_of(kind).cte("chain_scope")
    liaison = (
        select(LIAISONS)
        .where(LIAISONS.c.school_id.in_(select(scope.c.org_id)), valid_on(LIAISONS))
        .cte("chain_liaison")
    )
    orgs = union(select(scope.c.org_id), select(liaison.c.section_id)).cte("chain_orgs")
    bureau_id = select(ORGS.c.id).where(ORGS.c.kind == "bureau").order_by(ORGS.c.id).limit(1).scalar_subquery()
    return union_all(
        _grid_owners(ancestry),
        _orgs(orgs),
        _posts(orgs),
        _liaison_people(liaison),
        _bureau_leaders(liaison, bureau_id),
        _bureau_heads(bureau_id),
        _roots(scope),
        _catalogue(),
        *subject_branches(kind),
    )


def _climb(kind: str) -> Any:
    """The recursive CTE: the subject's grids and all their ancestors, each with its school's
    source id and its owner on the day.

    The lookups sit inside the recursion so every step is a primary-key or index probe, even
    when the planner's statistics are stale right after a bulk import. UNION (not UNION ALL)
    drops repeats: shared ancestors of several seeds appear once, and a cyclic tree ends.
    """

    def step(grid: Any, name: str) -> tuple[Any, Any]:
        school, own = ORGS.alias(f"{name}_school"), OWNERSHIPS.alias(f"{name}_own")
        owner = PERSONS.alias(f"{name}_owner")
        columns = select(
            grid.c.id,
            grid.c.parent_id,
            grid.c.school_id,
            school.c.source_id.label("school_sid"),
            grid.c.source_id,
            grid.c.name,
            grid.c.level,
            own.c.valid_from.label("own_from"),
            *(
                col.label(f"owner_{col.name}")
                for col in (owner.c.id, owner.c.source_id, owner.c.name, owner.c.active, owner.c.org_id)
            ),
        )

        def joins(base: Any) -> Any:
            return (
                base.join(school, school.c.id == grid.c.school_id)
                .outerjoin(own, and_(own.c.grid_id == grid.c.id, valid_on(own)))
                .outerjoin(owner, owner.c.id == own.c.person_id)
            )

        return columns, joins

    anchor, joins = step(GRIDS, "seed")
    ancestry = anchor.select_from(joins(GRIDS)).where(GRIDS.c.id.in_(seed_of(kind)))
    ancestry = ancestry.cte("chain_ancestry", recursive=True)
    up = GRIDS.alias("up")
    recurse, joins = step(up, "up")
    return ancestry.union(recurse.select_from(joins(ancestry.join(up, up.c.id == ancestry.c.parent_id))))


def _grid_owners(ancestry: Any) -> Select[Any]:
    """Grid owners of every climbed grid (all looked up during the climb)."""
    g = ancestry.c
    return select(
        *branch(
            "grid",
            org_id=g.school_id,
            org_sid=g.school_sid,
            grid_id=g.id,
            grid_sid=g.source_id,
            grid_name=g.name,
            parent_id=g.parent_id,
            level=g.level,
            valid_from=g.own_from,
            person_id=g.owner_id,
            person_sid=g.owner_source_id,
            person_name=g.owner_name,
            person_active=g.owner_active,
            person_org_id=g.owner_org_id,
        )
    )


def _orgs(orgs: Any) -> Select[Any]:
    """Every involved organisation (party org type for schools, the recorded chief for sections)."""
    o, oc = ORGS.alias("o"), PERSONS.alias("oc")
    return (
        select(
            *branch(
                "org",
                org_id=o.c.id,
                org_sid=o.c.source_id,
                org_kind=o.c.kind,
                extra=o.c.party_org_type,
                **person_columns(oc),
            )
        )
        .select_from(o.outerjoin(oc, oc.c.id == o.c.chief_person_id))
        .where(o.c.id.in_(select(orgs.c.org_id)))
    )


def _posts(orgs: Any) -> Select[Any]:
    """School leaders and section chiefs holding their post on the day."""
    pa, pp, pt = POSTS.alias("pa"), PERSONS.alias("pp"), POST_TYPES.alias("pt")
    return (
        select(
            *branch(
                "post",
                org_id=pa.c.org_id,
                post_code=pa.c.post_code,
                post_name=post_name(pa, pt),
                valid_from=pa.c.valid_from,
                **person_columns(pp),
            )
        )
        .select_from(pa.join(pp, pp.c.id == pa.c.person_id).outerjoin(pt, pt.c.code == pa.c.post_code))
        .where(pa.c.org_id.in_(select(orgs.c.org_id)), pa.c.post_code.in_(SCHOOL_CHAIN_POSTS), valid_on(pa))
    )


def _liaison_people(liaison: Any) -> Select[Any]:
    """The liaison person, the post they hold at the section, and whether they belong to it."""
    lp, lpa, lpt = PERSONS.alias("lp"), POSTS.alias("lpa"), POST_TYPES.alias("lpt")
    in_section = exists().where(
        section_staff.c.section_id == liaison.c.section_id, section_staff.c.person_id == liaison.c.liaison_person_id
    )
    return select(
        *branch(
            "liaison",
            org_id=liaison.c.school_id,
            ref_id=liaison.c.section_id,
            post_code=lpa.c.post_code,
            post_name=post_name(lpa, lpt),
            valid_from=liaison.c.valid_from,
            flag=case((or_(lp.c.org_id == liaison.c.section_id, in_section), 1), else_=0),
            **person_columns(lp),
        )
    ).select_from(
        liaison.outerjoin(lp, lp.c.id == liaison.c.liaison_person_id)
        .outerjoin(lpa, and_(lpa.c.person_id == lp.c.id, lpa.c.org_id == liaison.c.section_id, valid_on(lpa)))
        .outerjoin(lpt, lpt.c.code == lpa.c.post_code)
    )


def _bureau_leaders(liaison: Any, bureau_id: Any) -> Select[Any]:
    """The school's bureau leader, with their bureau post on the day (else their leader role)."""
    bp, bpa, bpt, bl = PERSONS.alias("bp"), POSTS.alias("bpa"), POST_TYPES.alias("bpt"), LEADERS.alias("bl")
    return select(
        *branch(
            "bureau_leader",
            org_id=liaison.c.school_id,
            ref_id=bureau_id,
            post_code=func.coalesce(bpa.c.post_code, bl.c.post_code),
            post_name=func.coalesce(bpt.c.name, bl.c.post_title),
            valid_from=liaison.c.valid_from,
            **person_columns(bp),
        )
    ).select_from(
        liaison.outerjoin(bp, bp.c.id == liaison.c.bureau_leader_person_id)
        .outerjoin(bpa, and_(bpa.c.person_id == bp.c.id, bpa.c.org_id == bureau_id, valid_on(bpa)))
        .outerjoin(bpt, bpt.c.code == bpa.c.post_code)
        .outerjoin(bl, bl.c.person_id == bp.c.id)
    )


def _bureau_heads(bureau_id: Any) -> Select[Any]:
    """The bureau's deputy in charge of safety and its chief: one row even when both are vacant."""
    b, xpa, xp, xpt = ORGS.alias("b"), POSTS.alias("xpa"), PERSONS.alias("xp"), POST_TYPES.alias("xpt")
    return (
        select(
            *branch(
                "bureau",
                org_id=b.c.id,
                org_sid=b.c.source_id,
                post_code=xpa.c.post_code,
                post_name=post_name(xpa, xpt),
                valid_from=xpa.c.valid_from,
                **person_columns(xp),
            )
        )
        .select_from(
            b.outerjoin(xpa, and_(xpa.c.org_id == b.c.id, xpa.c.post_code.in_(BUREAU_CHAIN_POSTS), valid_on(xpa)))
            .outerjoin(xp, xp.c.id == xpa.c.person_id)
            .outerjoin(xpt, xpt.c.code == xpa.c.post_code)
        )
        .where(b.c.id == bureau_id)
    )


def _roots(scope: Any) -> Select[Any]:
    """The root grids of the schools in scope: a climb that ends anywhere but at the school grid
    is a broken tree (check G4), even when it ends at a second level-1 root."""
    root = GRIDS.alias("root")
    return select(
        *branch(
            "root",
            org_id=root.c.school_id,
            grid_id=root.c.id,
            grid_sid=root.c.source_id,
            level=root.c.level,
            extra=root.c.scope_type,
        )
    ).where(root.c.school_id.in_(select(scope.c.org_id)), root.c.parent_id.is_(None))


def _catalogue() -> Select[Any]:
    """Catalogue names, so that a vacant link still says which post is missing."""
    return select(*branch("post_type", post_code=POST_TYPES.c.code, post_name=POST_TYPES.c.name)).where(
        POST_TYPES.c.code.in_(SCHOOL_CHAIN_POSTS + BUREAU_CHAIN_POSTS)
    )
