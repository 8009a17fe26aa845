"""Building one school's ``AgreementContent`` from the database as of a day.

Everything an agreement shows comes from here: the school's facts, its applicable clauses, Annex
1 (the post assignments valid on the day, 一岗双责), Annex 2 (the grid tree with the owners on
the day, its members, the buildings with their fire-plan numbers), the signature fields and so
the responsibility matrix. Composing is read-only, and the same rows give the same content, so
``content_hash`` can be recomputed later to tell whether an issued agreement went stale.

A school that cannot make a valid agreement is refused with a ``ContentError`` (a ``BadInput``)
listing everything it lacks, from ``AgreementContent.problems()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import BadInput
from ..models import Building, Bureau, Grid, GridOwnership, Person, PostAssignment, School
from ..org.vocabulary import SCHOOL_TYPE_LABELS
from ..pdf import AgreementContent, AgreementParameters, AgreementTemplate, ContentError, SchoolFacts
from ..pdf.content import BuildingRow, GridRow, PersonRef, PostDutyRow, SignatureFieldSpec, apply_clauses
from ..pdf.signers import bureau_signature_fields, school_signature_fields

__all__ = [
    "BUREAU_HEAD_POST",
    "KEY_POSTS",
    "LEADER_POSTS",
    "PARTY_INSTRUCTOR_POST",
    "PARTY_SECRETARY_POST",
    "PRINCIPAL_POST",
    "RECORDS_BATCH",
    "SAFETY_DEPUTY_POST",
    "BureauSigners",
    "SchoolRecords",
    "assignments_of",
    "building_rows",
    "bureau_signers",
    "compose_agreement",
    "grid_rows",
    "post_rows",
    "school_assignments",
    "school_facts",
    "school_records",
]

BUREAU_HEAD_POST = "B01"
"""党组书记、局长: held by one person (one signature field) or split between two."""
PRINCIPAL_POST = "S01"
PARTY_SECRETARY_POST = "S02"
SAFETY_DEPUTY_POST = "S03"
PARTY_INSTRUCTOR_POST = "S24"
LEADER_POSTS = ("S03", "S04", "S05", "S06", "S07", "S22")
"""The school leaders under the principal in the cascade (``agreements.cascade``)."""
KEY_POSTS = ("S10", "S11", "S12", "S13", "S14", "S15", "S16", "S17", "S18", "S19", "S20", "S21", "S23")
"""The key posts under the safety deputy in the cascade."""


def _ref(person: Person) -> PersonRef:
    return PersonRef(person.source_id, person.name)


@dataclass(frozen=True)
class BureauSigners:
    """The bureau side of every agreement of a campaign (甲方)."""

    bureau_name: str
    fields: tuple[SignatureFieldSpec, ...]


def bureau_signers(session: Session, day: dt.date) -> BureauSigners:
    """The bureau seal and its heads from the B01 holder(s) on ``day``.

    One holder is both 党组书记 and 局长 (one field naming both posts). Two holders split the
    posts by their local post names (one containing 书记, the other 局长). Anything else is
    ``BadInput``: an agreement without both bureau heads cannot be signed.
    """
    bureau = session.scalars(select(Bureau).order_by(Bureau.id).limit(1)).first()
    if bureau is None:
        raise BadInput("no bureau on file: import the organisation first")
    holders = session.scalars(
        select(PostAssignment)
        .where(
            PostAssignment.org_id == bureau.id,
            PostAssignment.post_code == BUREAU_HEAD_POST,
            PostAssignment.held_on(day),
        )
        .options(selectinload(PostAssignment.person))
        .order_by(PostAssignment.source_id, PostAssignment.id)
    ).all()
    persons = list({pa.person.source_id: pa for pa in holders}.values())
    if not persons:
        raise BadInput(f"no bureau party secretary and chief ({BUREAU_HEAD_POST}) on file on {day.isoformat()}")
    if len(persons) == 1:
        head = _ref(persons[0].person)
        return BureauSigners(bureau.name, bureau_signature_fields(bureau.name, head, head))
    secretaries = [pa for pa in persons if "书记" in (pa.local_post_name or "")]
    chiefs = [pa for pa in persons if "局长" in (pa.local_post_name or "").replace("副局长", "")]
    if len(persons) == 2 and len(secretaries) == 1 and len(chiefs) == 1 and secretaries[0] is not chiefs[0]:
        return BureauSigners(
            bureau.name,
            bureau_signature_fields(bureau.name, _ref(secretaries[0].person), _ref(chiefs[0].person)),
        )
    names = "、".join(pa.person.name for pa in persons)
    raise BadInput(
        f"{BUREAU_HEAD_POST} is held by {len(persons)} persons on {day.isoformat()} ({names}); "
        "name one 党组书记 and one 局长 in their local post names"
    )


def school_assignments(session: Session, school: School, day: dt.date) -> list[PostAssignment]:
    """The school's post assignments held on ``day``: what both the school agreement and the
    cascade's post agreements are composed from."""
    return assignments_of(session, [school.id], day)[school.id]


@dataclass(frozen=True)
class SchoolRecords:
    """The rows one school's agreement is composed from, loaded for many schools at once."""

    assignments: list[PostAssignment]
    """Held on the day, by post code, import id and id."""
    buildings: list[Building]
    """By import id, with their fire plans and grids."""
    grids: list[Grid]
    """By import id, with their members and ownerships (and the owners)."""


Row = TypeVar("Row")

RECORDS_BATCH = 1000
"""Schools per statement of ``school_records`` (a chunk is 25; a stale check may pass a county)."""


def school_records(session: Session, schools: Sequence[School], day: dt.date) -> dict[int, SchoolRecords]:
    """School id → its ``SchoolRecords`` on ``day``: three statements (and their eager loads) per
    ``RECORDS_BATCH`` schools, where composing school by school cost nine per school. Each list
    is in the order a query of the one school gives."""
    ids = list(dict.fromkeys(s.id for s in schools))
    assignments, buildings, grids = (
        assignments_of(session, ids, day),
        _buildings_of(session, ids),
        _grids_of(session, ids),
    )
    return {i: SchoolRecords(assignments[i], buildings[i], grids[i]) for i in ids}


def _grouped(
    ids: list[int], rows_of: Callable[[list[int]], Iterable[Row]], school_of: Callable[[Row], int]
) -> dict[int, list[Row]]:
    """School id → its rows, read ``RECORDS_BATCH`` schools per statement (``rows_of`` a batch),
    each school's rows in the statement's order."""
    found: dict[int, list[Row]] = {i: [] for i in ids}
    for start in range(0, len(ids), RECORDS_BATCH):
        for row in rows_of(ids[start : start + RECORDS_BATCH]):
            found[school_of(row)].append(row)
    return found


def assignments_of(
    session: Session, ids: list[int], day: dt.date, posts: Collection[str] | None = None
) -> dict[int, list[PostAssignment]]:
    """School id → its post assignments held on ``day`` (only ``posts`` when given), by post
    code, import id and id: what ``school_assignments`` gives, for many schools at once."""

    def rows(batch: list[int]) -> Iterable[PostAssignment]:
        query = select(PostAssignment).where(PostAssignment.org_id.in_(batch), PostAssignment.held_on(day))
        if posts is not None:
            query = query.where(PostAssignment.post_code.in_(list(posts)))
        return session.scalars(
            query.options(selectinload(PostAssignment.person), selectinload(PostAssignment.post_type)).order_by(
                PostAssignment.org_id, PostAssignment.post_code, PostAssignment.source_id, PostAssignment.id
            )
        )

    return _grouped(ids, rows, lambda pa: pa.org_id)


def _buildings_of(session: Session, ids: list[int]) -> dict[int, list[Building]]:
    def rows(batch: list[int]) -> Iterable[Building]:
        return session.scalars(
            select(Building)
            .where(Building.school_id.in_(batch))
            .options(selectinload(Building.fire_plan), selectinload(Building.grid))
            .order_by(Building.school_id, Building.source_id)
        )

    return _grouped(ids, rows, lambda b: b.school_id)


def _grids_of(session: Session, ids: list[int]) -> dict[int, list[Grid]]:
    def rows(batch: list[int]) -> Iterable[Grid]:
        return session.scalars(
            select(Grid)
            .where(Grid.school_id.in_(batch))
            .options(selectinload(Grid.members), selectinload(Grid.ownerships).selectinload(GridOwnership.person))
            .order_by(Grid.school_id, Grid.source_id)
        )

    return _grouped(ids, rows, lambda g: g.school_id)


def _first_holder(assignments: list[PostAssignment], code: str) -> PersonRef | None:
    for pa in assignments:
        if pa.post_code == code:
            return _ref(pa.person)
    return None


def school_facts(school: School, assignments: list[PostAssignment]) -> SchoolFacts:
    """The school's own facts for the text, with its heads from ``assignments`` (those valid on
    the day). The party head is the 党组织书记 (S02); a school without one whose party
    organisation is a 党建指导员 (private schools) takes the S24 holder instead."""
    school_type = school.school_type or ""
    secretary = _first_holder(assignments, PARTY_SECRETARY_POST)
    instructor = None
    if secretary is None and (school_type == "private" or school.party_org_type == "instructor"):
        instructor = _first_holder(assignments, PARTY_INSTRUCTOR_POST)
    return SchoolFacts(
        source_id=school.source_id,
        name=school.name,
        school_type=school_type,
        type_label=school.subtype or SCHOOL_TYPE_LABELS.get(school_type, school_type),
        features=tuple(sorted(school.features or ())),
        students=school.students or 0,
        classes=school.classes or 0,
        staff=school.staff_count or 0,
        boarders=school.boarders or 0,
        buses=school.school_buses or 0,
        principal=_first_holder(assignments, PRINCIPAL_POST),
        party_head=secretary or instructor,
        party_head_is_instructor=secretary is None and instructor is not None,
        safety_deputy=_first_holder(assignments, SAFETY_DEPUTY_POST),
        campuses=tuple(c.name for c in school.campuses),
    )


def post_rows(assignments: list[PostAssignment]) -> tuple[PostDutyRow, ...]:
    """The post/duty table of an agreement (一岗双责), one row per assignment.

    Duties the import declared (even empty) are printed as declared: an empty one shows as a gap
    in the annex, not as the catalogue post's text; duties the file left out are the catalogue's.
    """
    rows = []
    for pa in assignments:
        business, safety = pa.business_duty_in_force, pa.safety_duties_in_force
        rows.append(PostDutyRow(pa.source_id, _ref(pa.person), pa.post_code, pa.post_name, business, safety))
    return tuple(rows)


def grid_rows(session: Session, school: School, day: dt.date) -> tuple[GridRow, ...]:
    """The school's grid tree with each grid's owner on ``day``, as the agreement lists it."""
    return _grid_tree(_grids_of(session, [school.id])[school.id], day)


def _grid_tree(grids: Sequence[Grid], day: dt.date) -> tuple[GridRow, ...]:
    by_id = {g.id: g for g in grids}
    children: dict[int | None, list[Grid]] = {}
    for g in grids:
        parent = g.parent_id if g.parent_id in by_id else None
        children.setdefault(parent, []).append(g)
    rows: list[GridRow] = []

    def walk(parent: int | None) -> None:
        for g in children.get(parent, []):
            owner = g.owner_on(day)
            rows.append(
                GridRow(
                    source_id=g.source_id,
                    parent_source_id=by_id[g.parent_id].source_id if g.parent_id in by_id else None,
                    level=g.level,
                    name=g.name,
                    scope_type=g.scope_type,
                    owner=_ref(owner) if owner is not None else None,
                    members=tuple(_ref(m) for m in g.members),
                )
            )
            walk(g.id)

    walk(None)
    return tuple(rows)


def building_rows(session: Session, school: School) -> tuple[BuildingRow, ...]:
    """The school's buildings with the grid that covers each, as the agreement lists them."""
    return _building_rows(_buildings_of(session, [school.id])[school.id])


def _building_rows(buildings: Sequence[Building]) -> tuple[BuildingRow, ...]:
    return tuple(
        BuildingRow(
            source_id=b.source_id,
            name=b.name,
            building_type=b.building_type or "",
            floors=b.floors or 0,
            fire_plan_no=(b.fire_plan.plan_no or "") if b.fire_plan else "",
            grid_source_id=b.grid.source_id if b.grid else "",
            grid_name=b.grid.name if b.grid else "",
        )
        for b in buildings
    )


def compose_agreement(
    session: Session,
    school: School,
    *,
    template: AgreementTemplate,
    parameters: AgreementParameters,
    day: dt.date,
    bureau: BureauSigners,
    records: SchoolRecords | None = None,
) -> AgreementContent:
    """The content of ``school``'s agreement with the data valid on ``day`` (from ``records``
    when the caller loaded them for many schools, ``school_records``).

    Raises ``ContentError`` naming the school and listing every problem: no principal or party
    head on file, no grids, no post assignments, an unknown school type or feature.
    """
    if records is None:
        records = school_records(session, [school], day)[school.id]
    assignments = records.assignments
    buildings = _building_rows(records.buildings)
    facts = school_facts(school, assignments)
    problems: list[str] = []
    try:
        clauses = apply_clauses(template, parameters, facts, buildings)
    except ContentError as exc:
        problems.extend(exc.problems)
        clauses = ()
    except BadInput as exc:
        problems.append(str(exc))
        clauses = ()
    school_fields: tuple[SignatureFieldSpec, ...] = ()
    if facts.principal is not None and facts.party_head is not None:
        school_fields = school_signature_fields(facts)
    content = AgreementContent(
        parameters=parameters,
        school=facts,
        clauses=clauses,
        posts=post_rows(assignments),
        grids=_grid_tree(records.grids, day),
        buildings=buildings,
        signature_fields=bureau.fields + school_fields,
    )
    # The missing heads already explain a missing school field, a refused clause list no clauses.
    implied = {"no school signature field"} | ({"no clauses"} if problems else set())
    problems.extend(p for p in content.problems() if p not in problems and p not in implied)
    if problems:
        raise ContentError(f"{school.source_id} {school.name}", problems)
    return content
