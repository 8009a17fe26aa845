"""Hand-made gap-check data: two clean schools cut out of the generated demo county, to be
spoiled one defect at a time (importable as ``gap_county``).

SCH011 镇中心小学: canteen, school bus (1), three sites (two member schools with heads), one
closed hazard. SCH029 民办学校: boarding, lab, school bus (3), a holiday duty roster. Both have
their liaison, paper agreement, home visits and fire plans in order, so the report over the
slice is empty; the bureau with its sections, leaders and roster comes along.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from responsibility.chain.gaps import GapReport, run_gap_checks
from responsibility.demo import build_demo_county
from responsibility.org.importing import import_county

AT = dt.date(2025, 1, 31)
SCHOOLS = ("SCH011", "SCH029")


@cache
def _slice() -> dict[str, Any]:
    data = build_demo_county()
    keep = set(SCHOOLS)
    others = {s["id"] for s in data["schools"]} - keep
    out = dict(data)
    out["schools"] = [s for s in data["schools"] if s["id"] in keep]
    out["persons"] = [p for p in data["persons"] if p["org_id"] not in others]
    out["post_assignments"] = [pa for pa in data["post_assignments"] if pa["org_id"] not in others]
    out["grids"] = [g for g in data["grids"] if g["school_id"] in keep]
    out["liaison_assignments"] = [x for x in data["liaison_assignments"] if x["school_id"] in keep]
    out["agreements"] = [a for a in data["agreements"] if a["party_b_school_id"] in keep]
    out["hazards"] = [h for h in data["hazards"] if h["school_id"] in keep]
    out["duty_rosters"] = [r for r in data["duty_rosters"] if r["org_id"] not in others]
    out["home_visits"] = [v for v in data["home_visits"] if v["school_id"] in keep]
    return out


def clean_county() -> dict[str, Any]:
    """A fresh deep copy of the clean two-school county (import format)."""
    return copy.deepcopy(_slice())


def load(session: Session, data: dict[str, Any]) -> None:
    import_county(session, data, source="gap-test", actor="test")
    session.flush()


def report(session: Session, data: dict[str, Any], at: dt.date = AT, **kw: Any) -> GapReport:
    load(session, data)
    return run_gap_checks(session, at=at, **kw)


def school(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["schools"] if s["id"] == sid)


def agreement(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(a for a in data["agreements"] if a["party_b_school_id"] == sid)


def grids(data: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    return [g for g in data["grids"] if g["school_id"] == sid]


def assignments(data: dict[str, Any], sid: str, code: str) -> list[dict[str, Any]]:
    return [pa for pa in data["post_assignments"] if pa["org_id"] == sid and pa["post_code"] == code]


def person(data: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in data["persons"] if p["id"] == pid)


def hazard(data: dict[str, Any], sid: str, hid: str, **fields: Any) -> dict[str, Any]:
    """Append a hazard of school ``sid`` (open, 一般, due after ``AT``, with a responsible person)."""
    owner = school(data, sid)["leadership"]["safety_vp_person_id"]
    rec: dict[str, Any] = {
        "id": hid,
        "school_id": sid,
        "grid_id": grids(data, sid)[0]["id"],
        "risk_area": "R04",
        "level": "一般",
        "source": "学校自查",
        "found_date": "2025-01-10",
        "description": "测试隐患",
        "plan": {"measures": "整改", "temporary_measures": None, "deadline": "2025-02-20"},
        "responsible_person_id": owner,
        "status": "整改中",
        "records": [],
        "verified_by_person_id": None,
        "closed_date": None,
        "listed_for_supervision": False,
    }
    plan = fields.pop("plan", {})
    rec.update(fields)
    rec["plan"].update(plan)
    data["hazards"].append(rec)
    return rec
