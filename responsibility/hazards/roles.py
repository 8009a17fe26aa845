"""Who may make which step of the loop, judged on the day the step is made.

The posts come from the import (post assignments with validity periods, grid ownerships, liaison
assignments), so a step by someone who left the post yesterday is refused today:

- **report**: any staff member of the school — a person of the school, or someone holding a post
  there, owning or belonging to one of its grids on the day — or, for a spot check by the bureau
  (a round's fail answered by the bureau), a bureau supervisor of the school on the day (below);
- **file / plan / void**: the school's safety deputy (``S03``) or principal (``S01``);
- **progress**: only the hazard's rectifier;
- **accept / reject**: a school leader (:data:`SCHOOL_LEADER_POSTS`) who is not the rectifier;
- **supervise / countersign the acceptance**: the bureau's deputy in charge of safety (``B02``),
  or the school's liaison section (its liaison person, its chief, its staff) on the day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ..models import Grid, GridOwnership, LiaisonAssignment, Person, PostAssignment, School, Section, grid_members
from ..models.org import section_staff
from .errors import NotPermitted

__all__ = [
    "FILING_POSTS",
    "SAFETY_DEPUTY_IN_CHARGE",
    "SCHOOL_LEADER_POSTS",
    "bureau_supervisor_ids",
    "holds_post",
    "is_school_staff",
    "require_bureau_supervisor",
    "require_post",
    "require_reporter",
    "require_staff",
]

FILING_POSTS = frozenset({"S03", "S01"})
"""Safety deputy and principal: they file, plan and void hazards."""
SCHOOL_LEADER_POSTS = frozenset({"S01", "S02", "S03", "S04", "S22", "S24"})
"""Principal, party secretary, the deputies, campus heads, party instructor: they accept (验收)."""
SAFETY_DEPUTY_IN_CHARGE = "B02"


def holds_post(session: Session, person: Person, org_id: int, codes: frozenset[str], day: dt.date) -> bool:
    return (
        session.scalar(
            select(PostAssignment.id)
            .where(
                PostAssignment.person_id == person.id,
                PostAssignment.org_id == org_id,
                PostAssignment.post_code.in_(sorted(codes)),
                PostAssignment.held_on(day),
            )
            .limit(1)
        )
        is not None
    )


def is_school_staff(session: Session, person: Person, school: School, day: dt.date) -> bool:
    if person.org_id == school.id:
        return True
    owns = exists().where(
        GridOwnership.person_id == person.id,
        GridOwnership.grid_id == Grid.id,
        Grid.school_id == school.id,
        GridOwnership.held_on(day),
    )
    member = exists().where(
        grid_members.c.person_id == person.id, grid_members.c.grid_id == Grid.id, Grid.school_id == school.id
    )
    post = exists().where(
        PostAssignment.person_id == person.id, PostAssignment.org_id == school.id, PostAssignment.held_on(day)
    )
    return bool(session.scalar(select(or_(owns, member, post))))


def bureau_supervisor_ids(session: Session, school: School, day: dt.date) -> set[int]:
    """Persons who may list the school's hazards for supervision and countersign their close."""
    ids = set(
        session.scalars(
            select(PostAssignment.person_id).where(
                PostAssignment.post_code == SAFETY_DEPUTY_IN_CHARGE, PostAssignment.held_on(day)
            )
        ).all()
    )
    for la in session.scalars(
        select(LiaisonAssignment).where(LiaisonAssignment.school_id == school.id, LiaisonAssignment.held_on(day))
    ).all():
        if la.liaison_person_id:
            ids.add(la.liaison_person_id)
        chief = session.scalar(select(Section.chief_person_id).where(Section.id == la.section_id))
        if chief:
            ids.add(chief)
        ids.update(
            session.scalars(select(section_staff.c.person_id).where(section_staff.c.section_id == la.section_id)).all()
        )
    return ids


def require_staff(session: Session, person: Person, school: School, day: dt.date) -> None:
    if not is_school_staff(session, person, school, day):
        raise NotPermitted(
            f"{person.name}（{person.source_id}）{day} 不是{school.name}的教职工，不能上报该校隐患。"
            f" ({person.source_id} is not on the staff of {school.source_id} on {day}.)"
        )


def require_reporter(session: Session, person: Person, school: School, day: dt.date) -> None:
    """The school's staff report; so do the bureau staff who may inspect the school on the day
    (``B02`` or its liaison section), whose spot checks find hazards too."""
    if is_school_staff(session, person, school, day) or person.id in bureau_supervisor_ids(session, school, day):
        return
    raise NotPermitted(
        f"{person.name}（{person.source_id}）{day} 既不是{school.name}的教职工，也不是督查该校的局股室人员，"
        f"不能上报该校隐患。"
        f" ({person.source_id} is neither on the staff of {school.source_id} nor a bureau supervisor of it on {day}.)"
    )


def require_post(
    session: Session, person: Person, school: School, codes: frozenset[str], day: dt.date, what: str
) -> None:
    if not holds_post(session, person, school.id, codes, day):
        raise NotPermitted(
            f"{person.name}（{person.source_id}）{day} 在{school.name}没有可以{what}的岗位。"
            f" ({person.source_id} holds no post at {school.source_id} on {day} that may do this.)"
        )


def require_bureau_supervisor(session: Session, person: Person, school: School, day: dt.date, what: str) -> None:
    if person.id not in bureau_supervisor_ids(session, school, day):
        raise NotPermitted(
            f"{person.name}（{person.source_id}）{day} 既不是分管安全的局领导，也不在{school.name}的包抓股室，不能{what}。"
            f" ({person.source_id} is neither the bureau's deputy in charge of safety nor in the liaison section"
            f" of {school.source_id} on {day}.)"
        )
