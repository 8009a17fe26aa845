"""Export the organisation as the import workbook (:mod:`.importing.workbook`), history included.

Closed post assignments, grid ownerships and liaison assignments are written with their
有效期起/有效期止, and current rows with their start date, so importing the workbook into an
empty database reproduces the same rows and importing it into the same database changes
nothing. One SELECT per table; ids are written as source ids.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import (
    LEFT_UNDATED,
    Building,
    BureauLeader,
    Campus,
    ClauseTemplate,
    County,
    FirePlan,
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Organization,
    Person,
    PostAssignment,
    PostType,
    RiskArea,
    Town,
    grid_members,
    section_staff,
)
from .errors import NoCountyImported
from .export_safety import export_safety
from .export_tables import Row, SourceIds, grouped, table_rows
from .importing.workbook import write_workbook
from .vocabulary import ACCOUNTABILITY_ROLE_LABELS, LEFT_REASON_LABELS, SCHOOL_TYPE_LABELS

__all__ = ["export_rows", "export_workbook"]

_FIRE_PLAN_FIELDS = (
    "plan_no",
    "extinguishers",
    "hydrants",
    "emergency_lighting_ok",
    "evac_signs_ok",
    "last_monthly_check",
)


def export_workbook(session: Session, *, actor: str = "system") -> bytes:
    """The workbook bytes; writes one ``org.export`` audit event (the caller commits)."""
    rows = export_rows(session)
    data = write_workbook(rows)
    append_event(
        session,
        actor=actor,
        action="org.export",
        subject="workbook",
        data={name: len(items) for name, items in rows.items()},
    )
    return data


def export_rows(session: Session) -> dict[str, list[Row]]:
    """Records per sheet name, in the import dict shape (flat per sheet), in the workbook's order."""
    counties = table_rows(session, County)
    if not counties:
        raise NoCountyImported("nothing to export: no county has been imported")
    orgs = table_rows(session, Organization, Organization.source_id)
    persons = table_rows(session, Person, Person.source_id)
    grids = table_rows(session, Grid, Grid.source_id)
    ids = SourceIds(
        org={o["id"]: o["source_id"] for o in orgs},
        person={None: None, **{p["id"]: p["source_id"] for p in persons}},
        grid={None: None, **{g["id"]: g["source_id"] for g in grids}},
    )
    out: dict[str, list[Row]] = {"元数据": _metadata(counties[0], next(o for o in orgs if o["kind"] == "bureau"))}
    _bureau(session, out, orgs, persons, ids)
    _catalogue(session, out)
    _schools(session, out, orgs, ids)
    _people(session, out, persons, ids)
    _grids(session, out, grids, ids)
    export_safety(session, out, ids)
    return out


def _metadata(county: Row, bureau: Row) -> list[Row]:
    return [
        {"key": "meta", "value": county["meta"]},
        {
            "key": "county",
            "value": {
                "name": county["name"],
                "province": county["province"],
                "city": county["city"],
                "bureau_id": county["bureau_source_id"],
            },
        },
        {
            "key": "bureau",
            "value": {"id": bureau["source_id"], "name": bureau["name"], "party_org": bureau["party_org"]},
        },
        {"key": "assessment_scheme", "value": county["assessment_scheme"]},
    ]


def _bureau(session: Session, out: dict[str, list[Row]], orgs: list[Row], persons: list[Row], ids: SourceIds) -> None:
    """The towns, the bureau's leaders and its sections (股室)."""
    out["镇"] = [
        {
            "id": t["source_id"],
            "name": t["name"],
            "note": t["note"],
            "villages_or_communities": t["villages"],
            "village_names_fictional": t["villages_fictional"],
        }
        for t in table_rows(session, Town, Town.source_id)
    ]
    names = {p["id"]: p["name"] for p in persons}
    out["局领导"] = [
        {
            "person_id": ids.person[b["person_id"]],
            "name": names.get(b["person_id"]),
            "post_code": b["post_code"],
            "post": b["post_title"],
            "accountability_role": ACCOUNTABILITY_ROLE_LABELS.get(b["accountability_role"], b["accountability_role"]),
            "scope": b["scope"],
        }
        for b in table_rows(session, BureauLeader, BureauLeader.position)
    ]
    staff = grouped(table_rows(session, section_staff), "section_id", "person_id")
    out["股室"] = [
        {
            "id": o["source_id"],
            "name": o["name"],
            "business": o["business"],
            "chief_person_id": ids.person[o["chief_person_id"]],
            "staff_person_ids": [ids.person[x] for x in staff.get(o["id"], [])],
            "safety_duty": o["safety_duty"],
        }
        for o in orgs
        if o["kind"] == "section"
    ]


def _catalogue(session: Session, out: dict[str, list[Row]]) -> None:
    """The risk areas, the clause catalogue and the post types."""
    out["风险领域"] = [{"code": r["code"], "name": r["name"]} for r in table_rows(session, RiskArea, RiskArea.code)]
    out["条款"] = [
        {
            "code": c["code"],
            "risk_area": c["risk_area_code"],
            "applies_when": c["applies_when"],
            "clause": c["clause"],
            "target": c["target"],
        }
        for c in table_rows(session, ClauseTemplate, ClauseTemplate.code)
    ]
    out["岗位"] = [
        {k: p[k] for k in ("code", "name", "level", "business_duty", "safety_duties", "party_role", "admin_head")}
        for p in table_rows(session, PostType, PostType.code)
    ]


def _schools(session: Session, out: dict[str, list[Row]], orgs: list[Row], ids: SourceIds) -> None:
    """The schools, their campuses and their buildings with the buildings' fire plans."""
    towns = {t["id"]: t["source_id"] for t in table_rows(session, Town)}
    out["学校"] = [
        {
            "id": o["source_id"],
            "name": o["name"],
            "type": SCHOOL_TYPE_LABELS.get(o["school_type"], o["school_type"]),
            "subtype": o["subtype"],
            "ownership": o["ownership"],
            "town_id": towns.get(o["town_id"]),
            "direct_to_bureau": o["direct_to_bureau"],
            "stage": o["stage"],
            "students": o["students"],
            "classes": o["classes"],
            "staff": o["staff_count"],
            "boarders": o["boarders"],
            "school_buses": o["school_buses"],
            "features": o["features"],
            "party_org_type": o["party_org_type"],
            "note": o["note"],
        }
        for o in orgs
        if o["kind"] == "school"
    ]
    out["校区"] = [
        {"school_id": ids.org[c["school_id"]], "name": c["name"], "students": c["students"], "classes": c["classes"]}
        for c in sorted(table_rows(session, Campus), key=lambda c: (ids.org[c["school_id"]], c["position"]))
    ]
    plans = {f["building_id"]: f for f in table_rows(session, FirePlan)}
    out["建筑"] = []
    for b in table_rows(session, Building, Building.source_id):
        fire = plans.get(b["id"])
        out["建筑"].append(
            {
                "id": b["source_id"],
                "school_id": ids.org[b["school_id"]],
                "name": b["name"],
                "type": b["building_type"],
                "floors": b["floors"],
                "dense_occupancy": b["dense_occupancy"],
                "stairs": b["stairs"],
                "child_rooms_top_floor": b["child_rooms_top_floor"],
                "grid_id": ids.grid[b["grid_id"]],
                "note": b["note"],
                "fire_plan": None if fire is None else {k: fire[k] for k in _FIRE_PLAN_FIELDS},
            }
        )


def _people(session: Session, out: dict[str, list[Row]], persons: list[Row], ids: SourceIds) -> None:
    """The persons, their post assignments and the liaison assignments (联校包抓), history included."""
    out["人员"] = [
        {
            "id": p["source_id"],
            "name": p["name"],
            "gender": p["gender"],
            "org_id": p["unit_source_id"] or ids.org.get(p["org_id"]),
            **_service(p),
            "note": p["note"],
        }
        for p in persons
    ]
    out["任职"] = [
        {
            "id": a["source_id"],
            "org_id": ids.org[a["org_id"]],
            "post_code": a["post_code"],
            "local_post_name": a["local_post_name"],
            "person_id": ids.person[a["person_id"]],
            "period": a["period_name"],
            "business_duty": a["business_duty"],
            "safety_duties": a["safety_duties"],
            "note": a["note"],
            "valid_from": a["valid_from"],
            "valid_to": a["valid_to"],
        }
        for a in table_rows(session, PostAssignment, PostAssignment.source_id, PostAssignment.valid_from)
    ]
    out["联校包抓"] = [
        {
            "school_id": ids.org[x["school_id"]],
            "section_id": ids.org[x["section_id"]],
            "liaison_person_id": ids.person[x["liaison_person_id"]],
            "bureau_leader_person_id": ids.person[x["bureau_leader_person_id"]],
            "period": x["period_name"],
            "valid_from": x["valid_from"],
            "valid_to": x["valid_to"],
        }
        for x in sorted(
            table_rows(session, LiaisonAssignment), key=lambda x: (ids.org[x["school_id"]], x["valid_from"])
        )
    ]


def _service(person: Row) -> Row:
    """A person's dated service as the import reads it back: 在岗 says whether a leave is
    recorded; an undated leave is 在岗=否 without 离岗日期; the reason is written as its label."""
    left_on = person["left_on"]
    reason = person["left_reason"]
    return {
        "active": left_on is None,
        "joined_on": person["joined_on"],
        "left_on": None if left_on == LEFT_UNDATED else left_on,
        "left_reason": LEFT_REASON_LABELS.get(reason, reason) if reason else None,
    }


def _grids(session: Session, out: dict[str, list[Row]], grids: list[Row], ids: SourceIds) -> None:
    """The grids with their current owner and members, and the closed ownerships (网格长历史)."""
    owners: dict[int, Row] = {}
    history: list[Row] = []
    for o in sorted(table_rows(session, GridOwnership), key=lambda o: (ids.grid[o["grid_id"]], o["valid_from"])):
        if o["valid_to"] is None:
            owners[o["grid_id"]] = o
        else:
            history.append(
                {
                    "grid_id": ids.grid[o["grid_id"]],
                    "person_id": ids.person[o["person_id"]],
                    "valid_from": o["valid_from"],
                    "valid_to": o["valid_to"],
                }
            )
    members = grouped(table_rows(session, grid_members), "grid_id", "person_id")
    out["网格"] = [
        {
            "id": g["source_id"],
            "school_id": ids.org[g["school_id"]],
            "level": g["level"],
            "name": g["name"],
            "scope_type": g["scope_type"],
            "parent_id": ids.grid[g["parent_id"]],
            "owner_person_id": ids.person[owners[g["id"]]["person_id"]] if g["id"] in owners else None,
            "owner_valid_from": owners[g["id"]]["valid_from"] if g["id"] in owners else None,
            "member_person_ids": [ids.person[m] for m in members.get(g["id"], [])],
        }
        for g in grids
    ]
    out["网格长历史"] = history
