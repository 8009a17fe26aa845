"""L1 (every school has a liaison section on ``at``, 股室联校包抓) and L2 (the named liaison
person works in that section).

A person works in a section when they are its chief, are listed in its staff, or hold a post at
it on ``at`` (the same rule as ``accounts.access.liaison_section_ids``); a liaison person who is
out of service on ``at`` (``Person.in_service_on``) or is not named at all fails L2 too.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from ...models import LiaisonAssignment, Person, PostAssignment, School, Section, section_staff
from .base import CheckContext, Finding, finding
from .grid_checks import out_of_service

__all__ = ["check_l1", "check_l2"]


def check_l1(ctx: CheckContext) -> list[Finding]:
    """Schools without a liaison assignment valid on ``at``."""
    li = LiaisonAssignment
    valid = exists().where(li.school_id == School.id, li.held_on(ctx.at))
    rows = ctx.session.execute(select(School.source_id, School.name).where(~valid).order_by(School.source_id)).all()
    return [finding("L1", sid, sid, f"{name}没有有效的包抓股室") for sid, name in rows]


def check_l2(ctx: CheckContext) -> list[Finding]:
    """Liaison persons (on ``at``) missing, out of service, or not working in the liaison section."""
    li = LiaisonAssignment
    section = aliased(Section)
    staff = exists().where(section_staff.c.section_id == li.section_id, section_staff.c.person_id == Person.id)
    post = exists().where(
        PostAssignment.person_id == Person.id,
        PostAssignment.org_id == li.section_id,
        PostAssignment.held_on(ctx.at),
    )
    in_section = or_(section.chief_person_id == Person.id, staff, post)
    rows = ctx.session.execute(
        select(School.source_id, section.source_id, section.name, Person, in_section)
        .select_from(li)
        .join(School, School.id == li.school_id)
        .join(section, section.id == li.section_id)
        .outerjoin(Person, Person.id == li.liaison_person_id)
        .where(
            li.held_on(ctx.at),
            or_(Person.id.is_(None), ~Person.in_service_on(ctx.at), ~in_section),
        )
        .order_by(School.source_id)
    ).all()
    out = []
    for school, sec_sid, sec_name, person, member in rows:
        if person is None:
            out.append(finding("L2", school, school, f"包抓股室{sec_name}（{sec_sid}）未指定包抓人"))
            continue
        who = f"包抓人{person.name}（{person.source_id}）"
        if not member:
            out.append(finding("L2", school, person.source_id, f"{who}不属于{sec_name}（{sec_sid}）"))
        else:
            out.append(finding("L2", school, person.source_id, f"{who}{out_of_service(person)}"))
    return out
