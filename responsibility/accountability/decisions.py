"""Recording an accountability decision (问责) and a due-diligence claim (尽职免责).

A school-level decision must name both the school's party head and its principal on the basis day
(PG3: 单位层面的问责记录必须同时列出书记和校长), each with a degree of responsibility from the
catalogue; one person holding both posts is named once. A person-level decision names at least one
person. Decisions are made by bureau staff (the bureau chief by default). Refused with one message,
nothing written: an unknown form, degree, school or person; a school-level decision missing a head;
a form for persons only (诫勉, 组织处理, 移送纪检监察机关) on a school; an empty reason; a basis that
does not exist, or an incident of another school (a decision on an incident names the heads in
post on the incident's local day). One audit event per decision and per claim step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..assessment.decisions import assessor
from ..audit import append_event, lock_chain
from ..chain.gaps.base import CHECK_CODES
from ..chain.subjects import ROLE_OF_POST, Role
from ..clock import DEFAULT_ZONE, to_local
from ..errors import BadInput, NotFound
from ..incidents import find_incident
from ..messages import N_
from ..models import AccountabilityDecision, AccountabilityPerson, Campaign, Incident, Person, PostAssignment, School
from .catalogue import AccountabilityCatalogue, load_catalogue

__all__ = ["BASIS_KINDS", "record_decision", "school_heads"]

BASIS_KINDS = ("incident", "finding", "assessment", "other")
MIN_REASON = 4
_HEAD_ROLES = {
    Role.PRINCIPAL: "principal",
    Role.SCHOOL_PARTY_SECRETARY: "party_head",
    Role.PARTY_INSTRUCTOR: "party_head",
}


def school_heads(session: Session, school: School, day: dt.date) -> dict[int, set[str]]:
    """Person id → the head roles (``principal``, ``party_head``) they hold at ``school`` on ``day``."""
    codes = [code for code, role in ROLE_OF_POST.items() if role in _HEAD_ROLES]
    out: dict[int, set[str]] = {}
    for person_id, code in session.execute(
        select(PostAssignment.person_id, PostAssignment.post_code).where(
            PostAssignment.org_id == school.id, PostAssignment.post_code.in_(codes), PostAssignment.held_on(day)
        )
    ):
        out.setdefault(person_id, set()).add(_HEAD_ROLES[ROLE_OF_POST[code]])
    return out


def _person(session: Session, source_id: str) -> Person:
    person = session.scalar(select(Person).where(Person.source_id == source_id.strip()))
    if person is None:
        raise NotFound(N_("No person %(person)s."), person=repr(source_id))
    return person


def _chief(session: Session, day: dt.date) -> str:
    sid = session.scalar(
        select(Person.source_id)
        .join(PostAssignment, PostAssignment.person_id == Person.id)
        .where(PostAssignment.post_code == "B01", PostAssignment.held_on(day))
    )
    if sid is None:
        raise BadInput(
            N_("Nobody holds the post of bureau chief on %(day)s: say who decides (--by)."), day=day.isoformat()
        )
    return str(sid)


def _check_basis(session: Session, kind: str, ref: str) -> Incident | None:
    """Refuses a basis that does not exist; the incident when the decision rests on one."""
    if kind not in BASIS_KINDS:
        raise BadInput(
            N_("The basis is one of %(kinds)s, not %(kind)s."), kinds=", ".join(BASIS_KINDS), kind=repr(kind)
        )
    if kind == "finding" and ref.split(":", 1)[0] not in CHECK_CODES or kind == "finding" and ":" not in ref:
        raise BadInput(N_("A finding is named CHECK:SUBJECT (e.g. H2:HZ0008), not %(ref)s."), ref=repr(ref))
    if kind == "assessment" and (not ref.isdigit() or session.get(Campaign, int(ref)) is None):
        raise NotFound(N_("No campaign %(ref)s to rest the decision on."), ref=repr(ref))
    return find_incident(session, ref) if kind == "incident" else None


def _number(session: Session, day: dt.date) -> str:
    prefix = f"AC-{day.year}-"
    lock_chain(session)  # two records at once count one after the other
    count = session.scalar(select(func.count()).where(AccountabilityDecision.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:04d}"


def record_decision(
    session: Session, *, form: str, reason: str, persons: Sequence[tuple[str, str]], school: str | None = None,
    basis_kind: str = "other", basis_ref: str = "", by: str | None = None, day: dt.date,
    catalogue: AccountabilityCatalogue | None = None,
) -> AccountabilityDecision:  # fmt: skip
    """Record a decision (flushed). ``persons``: (person id, degree code); with ``school`` it is a
    school-level decision, which must name both heads."""
    catalogue = catalogue or load_catalogue()
    found_form = catalogue.form(form)
    if found_form is None:
        known = ", ".join(f.code for f in catalogue.forms)
        raise BadInput(N_("No accountability form %(form)s (known: %(known)s)."), form=repr(form), known=known)
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise BadInput(N_("A written reason is required (at least %(count)s characters)."), count=MIN_REASON)
    incident = _check_basis(session, basis_kind, basis_ref.strip())
    decider = assessor(session, by or _chief(session, day), day)
    heads_day = to_local(incident.occurred_at, DEFAULT_ZONE).date() if incident is not None else day
    named = []
    for sid, degree in persons:
        if catalogue.degree(degree) is None:
            known = ", ".join(d.code for d in catalogue.degrees)
            raise BadInput(
                N_("No degree of responsibility %(degree)s (known: %(known)s)."), degree=repr(degree), known=known
            )
        named.append((_person(session, sid), degree))
    if len({p.id for p, _ in named}) != len(named):
        raise BadInput(N_("A person is named twice."))
    unit = None
    if school is not None:
        unit = session.scalar(select(School).where(School.source_id == school.strip()))
        if unit is None:
            raise NotFound(N_("No school %(school)s."), school=repr(school))
        if found_form.persons_only:
            raise BadInput(N_("%(form)s applies to persons, not to a school."), form=found_form.name)
        if incident is not None and incident.school_id != unit.id:
            raise BadInput(
                N_("Incident %(incident)s happened at another school, not at %(school)s."),
                incident=incident.number, school=unit.name,
            )  # fmt: skip
        heads = school_heads(session, unit, heads_day)
        covered = set().union(*(heads.get(p.id, set()) for p, _ in named)) if named else set()
        missing = {"party_head", "principal"} - covered
        if missing:
            raise BadInput(
                N_("A school-level decision names both the party head and the principal (PG3); missing: %(missing)s."),
                missing=", ".join(sorted(missing)),
            )
    elif not named:
        raise BadInput(N_("Name the school (--school) or at least one person (--person)."))
    heads = school_heads(session, unit, heads_day) if unit is not None else {}
    school_id = unit.id if unit else (incident.school_id if incident else None)
    row = AccountabilityDecision(
        number=_number(session, day), school_id=school_id, scope="school" if unit else "person",
        form=found_form.code, catalogue_version=catalogue.version, reason=text, basis_kind=basis_kind,
        basis_ref=basis_ref.strip(), decided_on=day, decided_by_person_id=decider.id,
        persons=[AccountabilityPerson(person_id=p.id, degree=d, roles=sorted(heads.get(p.id, set()))) for p, d in named],
    )  # fmt: skip
    session.add(row)
    session.flush()
    append_event(
        session, actor=f"person:{decider.source_id}", action="accountability.record", subject=f"accountability:{row.number}",
        data={"number": row.number, "scope": row.scope, "school": school, "form": row.form, "reason": text,
              "basis": f"{basis_kind}:{basis_ref}", "persons": {p.source_id: d for p, d in named},
              "day": day.isoformat()},
    )  # fmt: skip
    return row
