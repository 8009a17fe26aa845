"""Writing the catalogues, the organisations, the persons and their assignments — the first
steps of an import (:func:`.importer.import_county` runs them in order)."""

from __future__ import annotations

from typing import Any

from ...models import (
    BureauLeader,
    ClauseTemplate,
    LiaisonAssignment,
    Organization,
    Person,
    PostAssignment,
    PostType,
    RiskArea,
    Town,
    section_staff,
)
from .write_rows import sync_table, update_rows
from .writer import Row, Writer, table_of

__all__ = ["write_assignments", "write_catalogues", "write_organisations", "write_people"]


def _by_code(row: Row) -> Any:
    return row["code"]


def _by_sid(row: Row) -> Any:
    return row["source_id"]


def write_catalogues(w: Writer) -> None:
    p = w.plan
    w.sync("risk_areas", RiskArea, _by_code, [x.row() for x in p.risk_areas])
    w.sync("clauses", ClauseTemplate, _by_code, [x.row() for x in p.clauses])
    w.sync("post_types", PostType, _by_code, [x.row() for x in p.post_types])
    w.sync("towns", Town, _by_sid, [x.row() for x in p.towns])


def write_organisations(w: Writer) -> set[str]:
    """The bureau, its sections and the schools; returns the section ids stored before."""
    p, org = w.plan, table_of(Organization)
    bureau = p.document.bureau.row("sections", "leaders", kind="bureau", parent_id=None)
    w.sync("bureau", Organization, _by_sid, [bureau])
    bureau_id = w.ex.id_map(org)[bureau["source_id"]]
    sections = [x.row("chief", "staff", kind="section", parent_id=bureau_id) for x in p.sections]
    stored_sections = {r["source_id"] for r in w.ex.rows(org) if r["kind"] == "section"}
    w.sync("sections", Organization, _by_sid, sections)
    towns = w.ex.id_map(table_of(Town))
    schools = [
        x.row(
            "campuses",
            "buildings",
            "town",
            "leadership",
            "key_staff",
            kind="school",
            parent_id=bureau_id,
            town_id=towns.get(x.town) if x.town else None,
        )
        for x in p.schools
    ]
    w.sync("schools", Organization, _by_sid, schools)
    w.orgs = w.ex.id_map(org)
    return stored_sections


def write_people(w: Writer, stored_sections: set[str]) -> None:
    """Persons (those the file no longer lists become inactive), section chiefs and staff, and
    the bureau leaders."""
    p, person = w.plan, table_of(Person)
    persons = [
        x.row("org", org_id=w.orgs.get(x.org) if x.org else None, unit_source_id=p.person_units.get(x.source_id))
        for x in p.persons
    ]
    w.sync("persons", Person, _by_sid, persons)
    in_file = {x.source_id for x in p.persons}
    gone = [{"id": r["id"], "active": False} for r in w.ex.rows(person) if r["active"] and r["source_id"] not in in_file]
    update_rows(w.s, person, gone)
    w.tallies["persons"].closed += len(gone)
    w.ex.forget(person)
    w.persons = w.ex.id_map(person)
    _section_people(w, stored_sections)
    leaders = [x.row("person", position=i, person_id=w.persons[x.person]) for i, x in enumerate(p.leaders)]
    stored = {r["person_id"] for r in w.ex.rows(table_of(BureauLeader))}
    parents = stored | {x["person_id"] for x in leaders}
    w.children("bureau_leaders", table_of(BureauLeader), "person_id", ("person_id",), leaders, parents)


def _section_people(w: Writer, stored_sections: set[str]) -> None:
    """Chiefs are written after the persons they name; a new section's chief is not an update."""
    p, org = w.plan, table_of(Organization)
    chiefs = [
        {"source_id": x.source_id, "chief_person_id": w.persons.get(x.chief) if x.chief else None} for x in p.sections
    ]
    tally = sync_table(w.s, org, _by_sid, chiefs, w.ex.rows(org), insert=False)
    changed_new = sum(1 for x in p.sections if x.source_id not in stored_sections and x.chief)
    w.tallies["sections"].updated += tally.updated - changed_new
    w.ex.forget(org)
    staff = [
        {"section_id": w.orgs[x.source_id], "person_id": w.persons[pid], "position": i}
        for x in p.sections
        for i, pid in enumerate(x.staff)
    ]
    parents = {w.orgs[x.source_id] for x in p.sections}
    w.children("section_staff", section_staff, "section_id", ("section_id", "person_id"), staff, parents)


def write_assignments(w: Writer) -> None:
    """Post assignments and liaisons, keeping their history (:mod:`.periods`)."""
    p = w.plan
    posts = w.ex.id_map(table_of(PostType), "code")
    current: dict[Any, Row] = {}
    history: list[Row] = []
    for x in p.assignments:
        row = x.row(
            "org",
            "person",
            org_id=w.orgs[x.org],
            person_id=w.persons[x.person],
            post_type_id=posts.get(x.post_code),
        )
        if x.valid_to is None:
            del row["valid_to"]
            current[x.source_id] = row
        else:
            history.append(row)
    identity = ("person_id", "org_id", "post_code")
    w.periods("post_assignments", PostAssignment, "source_id", identity, current, history, None)
    current, history = {}, []
    for li in p.liaisons:
        row = {
            "school_id": w.orgs[li.school],
            "section_id": w.orgs[li.section],
            "liaison_person_id": w.persons.get(li.liaison_person) if li.liaison_person else None,
            "bureau_leader_person_id": w.persons.get(li.bureau_leader) if li.bureau_leader else None,
            "period_name": li.period_name,
            "valid_from": li.valid_from,
        }
        if li.valid_to is None:
            current[row["school_id"]] = row
        else:
            history.append({**row, "valid_to": li.valid_to})
    identity = ("section_id", "liaison_person_id", "bureau_leader_person_id")
    w.periods("liaison_assignments", LiaisonAssignment, "school_id", identity, current, history, None)
