"""The facts the bureau's internal agreements are composed from, read as of one day.

Read-only: the chief (the 局长 of ``compose.bureau_signers``: the person whose countersignature
binds the top of every chain), the bureau leaders holding a bureau post that day, the liaison
assignments valid that day with each section's chief that day (the B05 holder, else the
section's recorded chief — the same rule as the chain's section-chief link), and each person's
bureau-side post assignments (Annex 1, 一岗双责).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import BadInput
from ..models import Bureau, BureauLeader, LiaisonAssignment, Organization, Person, PostAssignment, School, Section
from ..pdf.content import PersonRef
from .bureau_links import LeaderFact, LiaisonFact, UnitRef
from .compose import bureau_signers

__all__ = ["SECTION_CHIEF_POST", "BureauFacts", "bureau_facts", "bureau_post_assignments"]

SECTION_CHIEF_POST = "B05"
_CHIEF_FIELDS = ("sig_bureau_heads", "sig_bureau_chief")


def _ref(person: Person) -> PersonRef:
    return PersonRef(person.source_id, person.name)


@dataclass(frozen=True)
class BureauFacts:
    bureau: Bureau
    chief: PersonRef
    leaders: list[LeaderFact]
    liaisons: list[LiaisonFact]
    persons: dict[str, Person]
    """Every person named above, by source id."""
    sections: dict[str, Section]
    schools: dict[str, School]


def bureau_post_assignments(session: Session, person_ids: list[int], day: dt.date) -> list[PostAssignment]:
    """The bureau and section post assignments of ``person_ids`` held on ``day``."""
    if not person_ids:
        return []
    return list(
        session.scalars(
            select(PostAssignment)
            .join(Organization, Organization.id == PostAssignment.org_id)
            .where(
                PostAssignment.person_id.in_(person_ids),
                PostAssignment.held_on(day),
                Organization.kind.in_(("bureau", "section")),
            )
            .options(
                selectinload(PostAssignment.person),
                selectinload(PostAssignment.post_type),
                selectinload(PostAssignment.org),
            )
            .order_by(PostAssignment.post_code, PostAssignment.source_id, PostAssignment.id)
        ).all()
    )


def _chief(session: Session, day: dt.date) -> Person:
    signers = bureau_signers(session, day)
    sid = next(f.person_source_id for f in signers.fields if f.field_name in _CHIEF_FIELDS)
    person = session.scalars(select(Person).where(Person.source_id == sid)).one()
    return person


def _leaders(session: Session, bureau: Bureau, day: dt.date) -> list[tuple[BureauLeader, Person]]:
    holding = set(
        session.scalars(
            select(PostAssignment.person_id).where(PostAssignment.org_id == bureau.id, PostAssignment.held_on(day))
        ).all()
    )
    rows = session.scalars(
        select(BureauLeader).options(selectinload(BureauLeader.person)).order_by(BureauLeader.position, BureauLeader.id)
    ).all()
    return [(row, row.person) for row in rows if row.person_id in holding]


def _section_chiefs(session: Session, sections: list[Section], day: dt.date) -> dict[int, Person]:
    held = session.scalars(
        select(PostAssignment)
        .where(
            PostAssignment.org_id.in_([s.id for s in sections]),
            PostAssignment.post_code == SECTION_CHIEF_POST,
            PostAssignment.held_on(day),
        )
        .options(selectinload(PostAssignment.person))
        .order_by(PostAssignment.valid_from, PostAssignment.id)
    ).all()
    chiefs: dict[int, Person] = {s.id: s.chief for s in sections if s.chief is not None}
    chiefs.update({pa.org_id: pa.person for pa in held})  # the latest-started holder wins
    return chiefs


def bureau_facts(session: Session, day: dt.date) -> BureauFacts:
    """Everything :func:`~.bureau_links.compose_bureau_links` needs, as of ``day``.

    ``BadInput`` when there is no bureau or no chief on file that day (the bureau side cannot
    be composed without the person at its top)."""
    bureau = session.scalars(select(Bureau).order_by(Bureau.id).limit(1)).first()
    if bureau is None:
        raise BadInput("no bureau on file: import the organisation first")
    chief = _chief(session, day)
    persons: dict[str, Person] = {chief.source_id: chief}
    leaders = []
    for row, person in _leaders(session, bureau, day):
        persons[person.source_id] = person
        leaders.append(LeaderFact(_ref(person), row.accountability_role, row.post_title, row.scope or ""))
    assignments = session.scalars(
        select(LiaisonAssignment)
        .where(LiaisonAssignment.held_on(day))
        .options(
            selectinload(LiaisonAssignment.school),
            selectinload(LiaisonAssignment.section).selectinload(Section.chief),
            selectinload(LiaisonAssignment.liaison_person),
            selectinload(LiaisonAssignment.bureau_leader),
        )
    ).all()
    sections = {a.section.source_id: a.section for a in assignments}
    chiefs = _section_chiefs(session, list(sections.values()), day)
    schools: dict[str, School] = {}
    liaisons = []
    for a in sorted(assignments, key=lambda a: (a.school.source_id, a.valid_from)):
        schools[a.school.source_id] = a.school
        section_chief = chiefs.get(a.section_id)
        for named in (section_chief, a.liaison_person, a.bureau_leader):
            if named is not None:
                persons[named.source_id] = named
        liaisons.append(
            LiaisonFact(
                school=UnitRef(a.school.source_id, a.school.name),
                section=UnitRef(a.section.source_id, a.section.name),
                section_chief=_ref(section_chief) if section_chief is not None else None,
                liaison=_ref(a.liaison_person) if a.liaison_person is not None else None,
                leader=_ref(a.bureau_leader) if a.bureau_leader is not None else None,
            )
        )
    # Overlapping assignments of one school: the most recently started one (the chain's rule).
    latest = {f.school.source_id: f for f in liaisons}
    return BureauFacts(bureau, _ref(chief), leaders, list(latest.values()), persons, sections, schools)
