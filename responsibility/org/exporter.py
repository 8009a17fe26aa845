"""Export the organisation as the import workbook (:mod:`.importing.workbook`), history included.

Closed post assignments, grid ownerships and liaison assignments are written with their
有效期起/有效期止, and current rows with their start date, so importing the workbook into an
empty database reproduces the same rows and importing it into the same database changes
nothing. One SELECT per table; ids are written as source ids.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..errors import InvalidState
from ..models import (
    Building,
    BureauLeader,
    Campus,
    ClauseTemplate,
    County,
    DutyRoster,
    FirePlan,
    Grid,
    GridOwnership,
    Hazard,
    HazardRecord,
    HomeVisit,
    LiaisonAssignment,
    Organization,
    PaperAgreement,
    PaperSignature,
    Person,
    PostAssignment,
    PostType,
    RiskArea,
    Town,
    duty_roster_staff,
    grid_members,
    section_staff,
)
from .importing.workbook import PARTY_LABELS, write_workbook
from .vocabulary import ACCOUNTABILITY_ROLE_LABELS, SCHOOL_TYPE_LABELS

__all__ = ["export_rows", "export_workbook"]

Row = dict[str, Any]


def _all(session: Session, model: Any, *order: Any) -> list[Row]:
    table = getattr(model, "__table__", model)
    stmt = select(table).order_by(*order) if order else select(table)
    return [dict(r) for r in session.execute(stmt).mappings()]


def _grouped(rows: list[Row], key: str, value: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r[key], r["position"])):
        out[r[key]].append(r[value])
    return out


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
    """Records per sheet name, in the import dict shape (flat per sheet)."""
    counties = _all(session, County)
    if not counties:
        raise InvalidState("nothing to export: no county has been imported")
    county = counties[0]
    orgs = _all(session, Organization, Organization.source_id)
    org_sid = {o["id"]: o["source_id"] for o in orgs}
    persons = _all(session, Person, Person.source_id)
    pid = {p["id"]: p["source_id"] for p in persons}
    pid[None] = None  # type: ignore[index]
    grids = _all(session, Grid, Grid.source_id)
    gid = {g["id"]: g["source_id"] for g in grids}
    gid[None] = None  # type: ignore[index]
    bureau = next(o for o in orgs if o["kind"] == "bureau")
    out: dict[str, list[Row]] = {}
    out["元数据"] = [
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
    out["镇"] = [
        {
            "id": t["source_id"],
            "name": t["name"],
            "note": t["note"],
            "villages_or_communities": t["villages"],
            "village_names_fictional": t["villages_fictional"],
        }
        for t in _all(session, Town, Town.source_id)
    ]
    names = {p["id"]: p["name"] for p in persons}
    out["局领导"] = [
        {
            "person_id": pid[b["person_id"]],
            "name": names.get(b["person_id"]),
            "post_code": b["post_code"],
            "post": b["post_title"],
            "accountability_role": ACCOUNTABILITY_ROLE_LABELS.get(b["accountability_role"], b["accountability_role"]),
            "scope": b["scope"],
        }
        for b in _all(session, BureauLeader, BureauLeader.position)
    ]
    staff = _grouped(_all(session, section_staff), "section_id", "person_id")
    out["股室"] = [
        {
            "id": o["source_id"],
            "name": o["name"],
            "business": o["business"],
            "chief_person_id": pid[o["chief_person_id"]],
            "staff_person_ids": [pid[x] for x in staff.get(o["id"], [])],
            "safety_duty": o["safety_duty"],
        }
        for o in orgs
        if o["kind"] == "section"
    ]
    out["风险领域"] = [{"code": r["code"], "name": r["name"]} for r in _all(session, RiskArea, RiskArea.code)]
    out["条款"] = [
        {
            "code": c["code"],
            "risk_area": c["risk_area_code"],
            "applies_when": c["applies_when"],
            "clause": c["clause"],
            "target": c["target"],
        }
        for c in _all(session, ClauseTemplate, ClauseTemplate.code)
    ]
    out["岗位"] = [
        {k: p[k] for k in ("code", "name", "level", "business_duty", "safety_duties", "party_role", "admin_head")}
        for p in _all(session, PostType, PostType.code)
    ]
    towns = {t["id"]: t["source_id"] for t in _all(session, Town)}
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
        {"school_id": org_sid[c["school_id"]], "name": c["name"], "students": c["students"], "classes": c["classes"]}
        for c in sorted(_all(session, Campus), key=lambda c: (org_sid[c["school_id"]], c["position"]))
    ]
    plans = {f["building_id"]: f for f in _all(session, FirePlan)}
    out["建筑"] = []
    for b in _all(session, Building, Building.source_id):
        fire = plans.get(b["id"])
        out["建筑"].append(
            {
                "id": b["source_id"],
                "school_id": org_sid[b["school_id"]],
                "name": b["name"],
                "type": b["building_type"],
                "floors": b["floors"],
                "dense_occupancy": b["dense_occupancy"],
                "stairs": b["stairs"],
                "child_rooms_top_floor": b["child_rooms_top_floor"],
                "grid_id": gid[b["grid_id"]],
                "note": b["note"],
                "fire_plan": None
                if fire is None
                else {
                    k: fire[k]
                    for k in (
                        "plan_no",
                        "extinguishers",
                        "hydrants",
                        "emergency_lighting_ok",
                        "evac_signs_ok",
                        "last_monthly_check",
                    )
                },
            }
        )
    out["人员"] = [
        {
            "id": p["source_id"],
            "name": p["name"],
            "gender": p["gender"],
            "org_id": p["unit_source_id"] or org_sid.get(p["org_id"]),
            "active": p["active"],
            "note": p["note"],
        }
        for p in persons
    ]
    out["任职"] = [
        {
            "id": a["source_id"],
            "org_id": org_sid[a["org_id"]],
            "post_code": a["post_code"],
            "local_post_name": a["local_post_name"],
            "person_id": pid[a["person_id"]],
            "period": a["period_name"],
            "business_duty": a["business_duty"],
            "safety_duties": a["safety_duties"],
            "note": a["note"],
            "valid_from": a["valid_from"],
            "valid_to": a["valid_to"],
        }
        for a in _all(session, PostAssignment, PostAssignment.source_id, PostAssignment.valid_from)
    ]
    out["联校包抓"] = [
        {
            "school_id": org_sid[x["school_id"]],
            "section_id": org_sid[x["section_id"]],
            "liaison_person_id": pid[x["liaison_person_id"]],
            "bureau_leader_person_id": pid[x["bureau_leader_person_id"]],
            "period": x["period_name"],
            "valid_from": x["valid_from"],
            "valid_to": x["valid_to"],
        }
        for x in sorted(_all(session, LiaisonAssignment), key=lambda x: (org_sid[x["school_id"]], x["valid_from"]))
    ]
    _grids(session, out, grids, gid, pid, org_sid)
    _safety(session, out, pid, gid, org_sid)
    return out


def _grids(
    session: Session,
    out: dict[str, list[Row]],
    grids: list[Row],
    gid: dict[Any, Any],
    pid: dict[Any, Any],
    org_sid: dict[int, str],
) -> None:
    owners: dict[int, Row] = {}
    history: list[Row] = []
    for o in sorted(_all(session, GridOwnership), key=lambda o: (gid[o["grid_id"]], o["valid_from"])):
        if o["valid_to"] is None:
            owners[o["grid_id"]] = o
        else:
            history.append(
                {
                    "grid_id": gid[o["grid_id"]],
                    "person_id": pid[o["person_id"]],
                    "valid_from": o["valid_from"],
                    "valid_to": o["valid_to"],
                }
            )
    members = _grouped(_all(session, grid_members), "grid_id", "person_id")
    out["网格"] = [
        {
            "id": g["source_id"],
            "school_id": org_sid[g["school_id"]],
            "level": g["level"],
            "name": g["name"],
            "scope_type": g["scope_type"],
            "parent_id": gid[g["parent_id"]],
            "owner_person_id": pid[owners[g["id"]]["person_id"]] if g["id"] in owners else None,
            "owner_valid_from": owners[g["id"]]["valid_from"] if g["id"] in owners else None,
            "member_person_ids": [pid[m] for m in members.get(g["id"], [])],
        }
        for g in grids
    ]
    out["网格长历史"] = history


def _safety(
    session: Session, out: dict[str, list[Row]], pid: dict[Any, Any], gid: dict[Any, Any], org_sid: dict[int, str]
) -> None:
    hazards = _all(session, Hazard, Hazard.source_id)
    hz_sid = {h["id"]: h["source_id"] for h in hazards}
    out["隐患"] = [
        {
            "id": h["source_id"],
            "file_no": h["file_no"],
            "school_id": org_sid[h["school_id"]],
            "grid_id": gid[h["grid_id"]],
            "risk_area": h["risk_area_code"],
            "level": h["level"],
            "source": h["source"],
            "found_date": h["found_date"],
            "description": h["description"],
            "plan": {
                "measures": h["measures"],
                "temporary_measures": h["temporary_measures"],
                "funds_yuan": h["funds_yuan"],
                "deadline": h["deadline"],
            },
            "responsible_person_id": pid[h["responsible_person_id"]],
            "status": h["status"],
            "verified_by_person_id": pid[h["verified_by_person_id"]],
            "closed_date": h["closed_date"],
            "listed_for_supervision": h["listed_for_supervision"],
        }
        for h in hazards
    ]
    out["隐患记录"] = [
        {"hazard_id": hz_sid[r["hazard_id"]], "date": r["date"], "action": r["action"], "by": pid[r["by_person_id"]]}
        for r in sorted(_all(session, HazardRecord), key=lambda r: (hz_sid[r["hazard_id"]], r["position"]))
    ]
    staff = _grouped(_all(session, duty_roster_staff), "roster_id", "person_id")
    out["值班"] = [
        {
            "org_id": org_sid[r["org_id"]],
            "date": r["date"],
            "shift": r["shift"],
            "leader_on_duty_person_id": pid[r["leader_person_id"]],
            "staff_on_duty_person_ids": [pid[x] for x in staff.get(r["id"], [])],
            "key_posts": r["key_posts"],
        }
        for r in sorted(_all(session, DutyRoster), key=lambda r: (org_sid[r["org_id"]], r["date"], r["shift"]))
    ]
    out["家访"] = [
        {
            "school_id": org_sid[v["school_id"]],
            "period": v["period_name"],
            "key_students_planned": v["planned"],
            "key_students_visited": v["visited"],
            "categories": v["categories"],
            "content": v["content"],
        }
        for v in sorted(_all(session, HomeVisit), key=lambda v: (org_sid[v["school_id"]], v["period_name"]))
    ]
    agreements = _all(session, PaperAgreement, PaperAgreement.source_id)
    ag_sid = {a["id"]: a["source_id"] for a in agreements}
    out["责任书"] = [
        {
            "id": a["source_id"],
            "title": a["title"],
            "template_version": a["template_version"],
            "period": {"name": a["period_name"], "start": a["period_start"], "end": a["period_end"]},
            "party_a": a["party_a"],
            "party_b_school_id": org_sid[a["school_id"]],
            "items": a["items"],
            "copies": a["copies"],
            "status": a["status"],
            "seals": {"party_a": a["seal_party_a"], "party_b": a["seal_party_b"]},
            "cascade": {"staff_total": a["staff_total"], "staff_signed": a["staff_signed"]},
            "remark": a["remark"],
        }
        for a in agreements
    ]
    party = {"a": PARTY_LABELS["party_a"], "b": PARTY_LABELS["party_b"]}
    out["责任书签字"] = [
        {
            "agreement_id": ag_sid[s["agreement_id"]],
            "party": party[s["party"]],
            "role": s["role"],
            "person_id": pid[s["person_id"]],
            "date": s["date"],
            "note": s["note"],
        }
        for s in sorted(
            _all(session, PaperSignature), key=lambda s: (ag_sid[s["agreement_id"]], s["party"], s["position"])
        )
    ]
