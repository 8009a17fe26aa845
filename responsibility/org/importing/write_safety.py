"""Writing hazards (with records), duty rosters (with staff), home visits and paper agreements
(with their signature rosters) — the last steps of an import."""

from __future__ import annotations

from typing import Any

from ...models import DutyRoster, Hazard, HazardRecord, HomeVisit, PaperAgreement, PaperSignature, duty_roster_staff
from .writer import Row, Writer, table_of

__all__ = ["write_agreements", "write_home_visits", "write_hazards", "write_rosters"]


def _by_sid(row: Row) -> Any:
    return row["source_id"]


def _person(w: Writer, source_id: str | None) -> int | None:
    return w.persons.get(source_id) if source_id else None


def write_hazards(w: Writer) -> None:
    p = w.plan
    hazards = [
        h.row(
            "school",
            "grid",
            "responsible",
            "verified_by",
            "records",
            "plan",
            **h.plan.row(),
            school_id=w.orgs[h.school],
            grid_id=w.grids.get(h.grid) if h.grid else None,
            responsible_person_id=_person(w, h.responsible),
            verified_by_person_id=_person(w, h.verified_by),
        )
        for h in p.hazards
    ]
    w.sync("hazards", Hazard, _by_sid, hazards)
    ids = w.ex.id_map(table_of(Hazard))
    records = [
        {
            "hazard_id": ids[h.source_id],
            "position": j,
            "date": r.date,
            "action": r.action,
            "by_person_id": _person(w, r.by),
        }
        for h in p.hazards
        for j, r in enumerate(h.records)
    ]
    parents = {ids[h.source_id] for h in p.hazards}
    w.children("hazard_records", table_of(HazardRecord), "hazard_id", ("hazard_id", "position"), records, parents)


def _roster_key(row: Row) -> Any:
    return (row["org_id"], row["date"], row["shift"])


def write_rosters(w: Writer) -> None:
    p = w.plan
    rosters = [
        {
            "org_id": w.orgs[r.org],
            "date": r.date,
            "shift": r.shift,
            "leader_person_id": _person(w, r.leader),
            "key_posts": r.key_posts,
        }
        for r in p.rosters
    ]
    w.sync("duty_rosters", DutyRoster, _roster_key, rosters)
    roster_ids = {_roster_key(r): r["id"] for r in w.ex.rows(table_of(DutyRoster))}
    staff: list[Row] = []
    for r, row in zip(p.rosters, rosters, strict=True):
        rid = roster_ids[_roster_key(row)]
        staff += [{"roster_id": rid, "person_id": w.persons[pid], "position": i} for i, pid in enumerate(r.staff)]
    parents = {roster_ids[_roster_key(row)] for row in rosters}
    w.children("duty_roster_staff", duty_roster_staff, "roster_id", ("roster_id", "person_id"), staff, parents)


def write_home_visits(w: Writer) -> None:
    visits = [v.row("school", school_id=w.orgs[v.school]) for v in w.plan.home_visits]
    w.sync("home_visits", HomeVisit, lambda r: (r["school_id"], r["period_name"]), visits)


def write_agreements(w: Writer) -> None:
    p = w.plan
    agreements = [
        a.row(
            "school",
            "signatures",
            "period",
            "seals",
            "cascade",
            period_name=a.period.name,
            period_start=a.period.start,
            period_end=a.period.end,
            seal_party_a=a.seals.party_a,
            seal_party_b=a.seals.party_b,
            **a.cascade.row(),
            school_id=w.orgs[a.school],
        )
        for a in p.agreements
    ]
    w.sync("paper_agreements", PaperAgreement, _by_sid, agreements)
    ids = w.ex.id_map(table_of(PaperAgreement))
    signatures = [
        {
            "agreement_id": ids[a.source_id],
            "party": party,
            "position": j,
            "role": s.role,
            "person_id": _person(w, s.person),
            "date": s.date,
            "note": s.note,
        }
        for a in p.agreements
        for key, party in (("party_a", "a"), ("party_b", "b"))
        for j, s in enumerate(getattr(a.signatures, key))
    ]
    key = ("agreement_id", "party", "position")
    parents = {ids[a.source_id] for a in p.agreements}
    w.children("paper_signatures", table_of(PaperSignature), "agreement_id", key, signatures, parents)
