"""Checks of the people part of an import: persons, the references of sections and schools to
them, bureau leaders, post assignments and liaisons (continues :func:`.planner.build_plan`)."""

from __future__ import annotations

from .plan import Plan
from .refs import Refs, check_period, unique
from .schema import Person
from .validation import refusal

__all__ = ["plan_people"]


def plan_people(plan: Plan, refs: Refs) -> None:
    """Persons first (everything else refers to them), then who refers to them."""
    _persons(plan, refs)
    _person_references(plan, refs)
    _leaders(plan, refs)
    _assignments(plan, refs)
    _liaisons(plan, refs)


def parent_org(unit: str, known: set[str]) -> str | None:
    """The longest defined org id that prefixes ``unit`` followed by "-" (a sub-unit such as
    ``ORG-BUREAU-PARTY-INSTRUCTOR`` of ``ORG-BUREAU``), or None."""
    parts = unit.split("-")
    for end in range(len(parts) - 1, 0, -1):
        candidate = "-".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def _persons(plan: Plan, refs: Refs) -> None:
    """A person's ``org_id`` may name a sub-unit of a known org: the org becomes its parent."""
    orgs = refs.known["organisation"]
    for i, person in enumerate(plan.persons):
        person.locate(f"$.persons[{i}]")
        _check_service(plan.source, person)
        if person.org is not None and person.org not in orgs:
            parent = parent_org(person.org, orgs)
            if parent is None:
                refs.check("organisation", person.org, person, "org")
            else:
                plan.person_units[person.source_id] = person.org
                person.org = parent
    refs.define("person", unique(plan.source, [(x.source_id, x.where) for x in plan.persons], "person"))


def _check_service(source: str, person: Person) -> None:
    """Refuse a service record that cannot be stored as one period: a leave before the joining
    day, "in service" together with a leave date, a reason for someone who has not left."""
    if person.left_on is not None:
        if person.joined_on is not None and person.left_on < person.joined_on:
            raise refusal(source, person.at("left_on"), "'left_on' is before 'joined_on'")
        if person.active:
            raise refusal(source, person.at("active"), "'active' is true but 'left_on' is given")
    elif person.left_reason is not None and person.active is not False:
        raise refusal(source, person.at("left_reason"), "'left_reason' is given but the person has not left")


def _person_references(plan: Plan, refs: Refs) -> None:
    """Section chiefs and staff, and the (not stored) leadership blocks of schools."""
    for section in plan.sections:
        refs.check("person", section.chief, section)
        for pid in section.staff:
            refs.check("person", pid, section)
    for school in plan.schools:
        for key in ("leadership", "key_staff"):
            block = getattr(school, key) or {}
            for value in block.values():
                for pid in value if isinstance(value, list) else [value]:
                    if pid is not None:
                        refs.check("person", str(pid), school, key)


def _leaders(plan: Plan, refs: Refs) -> None:
    for i, leader in enumerate(plan.leaders):
        leader.locate(f"$.bureau.leaders[{i}]")
        refs.check("person", leader.person, leader, "person")
    unique(plan.source, [(x.person, x.where) for x in plan.leaders], "bureau leader person")


def _assignments(plan: Plan, refs: Refs) -> None:
    """Post assignments: one current row per id, one history row per id and start."""
    current: list[tuple[str, str]] = []
    history: list[tuple[str, str]] = []
    for i, pa in enumerate(plan.assignments):
        pa.locate(f"$.post_assignments[{i}]")
        refs.check("organisation", pa.org, pa, "org")
        refs.check("person", pa.person, pa, "person")
        if not pa.local_post_name:
            refs.check("post", pa.post_code, pa, "post_code")
        check_period(plan.source, pa, pa.valid_from, pa.valid_to)
        if pa.valid_to is None:
            current.append((pa.source_id, pa.where))
        else:
            history.append((f"{pa.source_id} from {pa.valid_from}", pa.where))
    unique(plan.source, current, "post assignment")
    unique(plan.source, history, "post assignment period")


def _liaisons(plan: Plan, refs: Refs) -> None:
    """Liaisons: at most one current liaison per school."""
    current: list[tuple[str, str]] = []
    for i, li in enumerate(plan.liaisons):
        li.locate(f"$.liaison_assignments[{i}]")
        refs.check("school", li.school, li, "school")
        refs.check("section", li.section, li, "section")
        refs.check("person", li.liaison_person, li, "liaison_person")
        refs.check("person", li.bureau_leader, li, "bureau_leader")
        check_period(plan.source, li, li.valid_from, li.valid_to)
        if li.valid_to is None:
            current.append((li.school, li.where))
    unique(plan.source, current, "liaison for school")
