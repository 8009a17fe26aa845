"""The safety-record sheets of the exported workbook: hazards (一患一案一档) with their records,
duty rosters, home visits and last season's paper agreements with their signatures."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from ..models import (
    DutyRoster,
    Hazard,
    HazardRecord,
    HomeVisit,
    PaperAgreement,
    PaperSignature,
    duty_roster_staff,
)
from .export_tables import Row, SourceIds, grouped, table_rows
from .importing.workbook import PARTY_LABELS

__all__ = ["export_safety", "hazard_sheets"]


def export_safety(session: Session, out: dict[str, list[Row]], ids: SourceIds) -> None:
    """Add the safety-record sheets to ``out``, in the workbook's sheet order."""
    _hazards(session, out, ids)
    _rosters(session, out, ids)
    _home_visits(session, out, ids)
    _paper_agreements(session, out, ids)


def _hazards(session: Session, out: dict[str, list[Row]], ids: SourceIds) -> None:
    out.update(hazard_sheets(session, ids))


def hazard_sheets(session: Session, ids: SourceIds, only: Collection[int] | None = None) -> dict[str, list[Row]]:
    """The 隐患 and 隐患记录 sheets (of the hazards with database ids ``only``, or all): the
    hazard ledger's .xlsx export uses them, so it stays in the import format."""
    out: dict[str, list[Row]] = {}
    hazards = table_rows(session, Hazard, Hazard.source_id)
    if only is not None:
        wanted = set(only)
        hazards = [h for h in hazards if h["id"] in wanted]
    hz_sid = {h["id"]: h["source_id"] for h in hazards}
    out["隐患"] = [
        {
            "id": h["source_id"],
            "file_no": h["file_no"],
            "school_id": ids.org[h["school_id"]],
            "grid_id": ids.grid[h["grid_id"]],
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
            "responsible_person_id": ids.person[h["responsible_person_id"]],
            "status": h["status"],
            "verified_by_person_id": ids.person[h["verified_by_person_id"]],
            "closed_date": h["closed_date"],
            "listed_for_supervision": h["listed_for_supervision"],
        }
        for h in hazards
    ]
    out["隐患记录"] = [
        {
            "hazard_id": hz_sid[r["hazard_id"]],
            "date": r["date"],
            "action": r["action"],
            "by": ids.person[r["by_person_id"]],
        }
        for r in sorted(
            (r for r in table_rows(session, HazardRecord) if r["hazard_id"] in hz_sid),
            key=lambda r: (hz_sid[r["hazard_id"]], r["position"]),
        )
    ]
    return out


def _rosters(session: Session, out: dict[str, list[Row]], ids: SourceIds) -> None:
    staff = grouped(table_rows(session, duty_roster_staff), "roster_id", "person_id")
    out["值班"] = [
        {
            "org_id": ids.org[r["org_id"]],
            "date": r["date"],
            "shift": r["shift"],
            "leader_on_duty_person_id": ids.person[r["leader_person_id"]],
            "staff_on_duty_person_ids": [ids.person[x] for x in staff.get(r["id"], [])],
            "key_posts": r["key_posts"],
        }
        for r in sorted(table_rows(session, DutyRoster), key=lambda r: (ids.org[r["org_id"]], r["date"], r["shift"]))
    ]


def _home_visits(session: Session, out: dict[str, list[Row]], ids: SourceIds) -> None:
    out["家访"] = [
        {
            "school_id": ids.org[v["school_id"]],
            "period": v["period_name"],
            "key_students_planned": v["planned"],
            "key_students_visited": v["visited"],
            "categories": v["categories"],
            "content": v["content"],
        }
        for v in sorted(table_rows(session, HomeVisit), key=lambda v: (ids.org[v["school_id"]], v["period_name"]))
    ]


def _paper_agreements(session: Session, out: dict[str, list[Row]], ids: SourceIds) -> None:
    agreements = table_rows(session, PaperAgreement, PaperAgreement.source_id)
    ag_sid = {a["id"]: a["source_id"] for a in agreements}
    out["责任书"] = [
        {
            "id": a["source_id"],
            "title": a["title"],
            "template_version": a["template_version"],
            "period": {"name": a["period_name"], "start": a["period_start"], "end": a["period_end"]},
            "party_a": a["party_a"],
            "party_b_school_id": ids.org[a["school_id"]],
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
            "person_id": ids.person[s["person_id"]],
            "date": s["date"],
            "note": s["note"],
        }
        for s in sorted(
            table_rows(session, PaperSignature), key=lambda s: (ag_sid[s["agreement_id"]], s["party"], s["position"])
        )
    ]
