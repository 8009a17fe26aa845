"""Writing hazards (with records), duty rosters (with staff), home visits and paper agreements
(with their signature rosters) — the tail of :class:`.importer._Writer`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

from ...models import DutyRoster, Hazard, HazardRecord, HomeVisit, PaperAgreement, PaperSignature, duty_roster_staff

if TYPE_CHECKING:
    from .importer import _Writer


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def write_safety(w: _Writer) -> None:
    p, persons, orgs = w.plan, w.persons, w.orgs
    by_sid = lambda r: r["source_id"]  # noqa: E731
    hazards = [
        {
            **{
                k: v
                for k, v in h.items()
                if not k.startswith("_") and k not in ("school", "grid", "responsible", "verified_by", "records")
            },
            "school_id": orgs[h["school"]],
            "grid_id": w.grids.get(h["grid"]),
            "responsible_person_id": persons.get(h["responsible"]),
            "verified_by_person_id": persons.get(h["verified_by"]),
        }
        for h in p.hazards
    ]
    w._sync("hazards", Hazard, by_sid, hazards)
    ids = w.ex.id_map(_table(Hazard))
    records = [
        {
            "hazard_id": ids[h["source_id"]],
            "position": r["position"],
            "date": r["date"],
            "action": r["action"],
            "by_person_id": persons.get(r["by"]),
        }
        for h in p.hazards
        for r in h["records"]
    ]
    w._children(
        "hazard_records",
        _table(HazardRecord),
        "hazard_id",
        ("hazard_id", "position"),
        records,  # type: ignore[arg-type]
        {ids[h["source_id"]] for h in p.hazards},
    )

    roster_key = lambda r: (r["org_id"], r["date"], r["shift"])  # noqa: E731
    rosters = [
        {
            "org_id": orgs[r["org"]],
            "date": r["date"],
            "shift": r["shift"],
            "leader_person_id": persons.get(r["leader"]),
            "key_posts": r["key_posts"],
        }
        for r in p.rosters
    ]
    w._sync("duty_rosters", DutyRoster, roster_key, rosters)
    roster_ids = {roster_key(r): r["id"] for r in w.ex.rows(_table(DutyRoster))}
    staff: list[dict[str, Any]] = []
    for r, row in zip(p.rosters, rosters, strict=True):
        rid = roster_ids[roster_key(row)]
        staff += [{"roster_id": rid, "person_id": persons[pid], "position": i} for i, pid in enumerate(r["staff"])]
    w._children(
        "duty_roster_staff",
        duty_roster_staff,
        "roster_id",
        ("roster_id", "person_id"),
        staff,
        {roster_ids[roster_key(row)] for row in rosters},
    )

    visits = [
        {**{k: v for k, v in v.items() if not k.startswith("_") and k != "school"}, "school_id": orgs[v["school"]]}
        for v in p.home_visits
    ]
    w._sync("home_visits", HomeVisit, lambda r: (r["school_id"], r["period_name"]), visits)

    agreements = [
        {
            **{k: v for k, v in a.items() if not k.startswith("_") and k not in ("school", "signatures")},
            "school_id": orgs[a["school"]],
        }
        for a in p.agreements
    ]
    w._sync("paper_agreements", PaperAgreement, by_sid, agreements)
    ids = w.ex.id_map(_table(PaperAgreement))
    signatures = [
        {
            "agreement_id": ids[a["source_id"]],
            "party": s["party"],
            "position": s["position"],
            "role": s["role"],
            "person_id": persons.get(s["person"]),
            "date": s["date"],
            "note": s["note"],
        }
        for a in p.agreements
        for s in a["signatures"]
    ]
    w._children(
        "paper_signatures",
        _table(PaperSignature),
        "agreement_id",
        ("agreement_id", "party", "position"),  # type: ignore[arg-type]
        signatures,
        {ids[a["source_id"]] for a in p.agreements},
    )
