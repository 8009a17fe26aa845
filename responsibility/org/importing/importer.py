"""``import_county``: load a county (the demo JSON format or a workbook read by
:mod:`.loaders`) into the database, all or nothing, idempotently.

How it stays correct and fast:

- everything is validated first (:mod:`.import_plan`); a bad file raises one ``BadInput`` line
  before a single row is written;
- stored rows are read once per table (:mod:`.import_snapshot`), compared in memory, and only
  the differences are written in bulk (:mod:`.import_write`); post assignments, grid ownerships
  and liaison assignments keep their history (:mod:`.import_periods`);
- upsert by source id: importing the same file twice changes nothing. When nothing changed no
  audit event is written either, so a re-import leaves the database byte-for-byte as it was;
  any change writes exactly one ``org.import`` event with the summary counts;
- the caller owns the transaction: this function never commits, and on an error the caller
  rolls back (the CLI does).

Not stored, because they are derived from post assignments: a school's ``leadership`` and
``key_staff`` blocks (their person references are still checked). Stored entities that a later
file no longer mentions are kept; only assignments are closed and persons marked inactive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from ...accounts.provision import sync_accounts
from ...audit import append_event
from ...models import (
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
from .periods import sync_periods
from .plan import Plan, build_plan
from .snapshot import Existing
from .write_rows import Tally, sync_children, sync_table, update_rows

__all__ = ["EntityCounts", "ImportSummary", "import_county"]


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


@dataclass(frozen=True)
class EntityCounts:
    """What an import did to one entity's rows."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    """Validity periods ended, persons made inactive, or child rows removed."""
    unchanged: int = 0


@dataclass(frozen=True)
class ImportSummary:
    """The result of one import, in entity order."""

    source: str
    entities: tuple[tuple[str, EntityCounts], ...]

    @property
    def changed(self) -> bool:
        """True when any row was created, updated or closed."""
        return any(c.created or c.updated or c.closed for _, c in self.entities)

    def counts(self, entity: str) -> EntityCounts:
        return dict(self.entities).get(entity, EntityCounts())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(c).copy() for name, c in self.entities}


def _clean(rec: Mapping[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not k.startswith("_") and k not in drop}


def import_county(
    session: Session,
    data: Mapping[str, Any],
    *,
    source: str,
    actor: str = "system",
    effective: dt.date | None = None,
) -> ImportSummary:
    """Validate and write ``data`` in the caller's transaction; see the module docstring.

    ``effective`` dates the changes (closing and opening assignments); default: the record's
    ``valid_from``, else ``meta.as_of``, else today.
    """
    existing = Existing(session)
    plan = build_plan(data, source=source, existing=existing)
    today = dt.date.today()
    writer = _Writer(session, existing, plan, effective=effective, today=today)
    writer.run()
    users = sync_accounts(session, today)
    writer.tallies["users"] = Tally(created=users)
    summary = ImportSummary(
        source=source,
        entities=tuple((name, EntityCounts(**vars(t))) for name, t in writer.tallies.items()),
    )
    if summary.changed:
        append_event(session, actor=actor, action="org.import", subject=source, data=summary.as_dict())
    return summary


class _Writer:
    def __init__(self, session: Session, existing: Existing, plan: Plan, *, effective: dt.date | None, today: dt.date):
        self.s, self.ex, self.plan = session, existing, plan
        self.effective, self.today = effective, today
        self.tallies: dict[str, Tally] = {}

    def effective_for(self, record_from: dt.date | None) -> dt.date:
        return self.effective or record_from or self.plan.as_of or self.today

    def first_from(self) -> dt.date:
        return self.plan.period_start or self.effective_for(None)

    def run(self) -> None:
        self._catalogues()
        self._orgs_and_people()
        self._assignments()
        self._grids()
        self._buildings()
        self._safety()
        self._county()

    def _sync(self, name: str, model: Any, key: Any, rows: list[dict[str, Any]], **kw: Any) -> None:
        table = _t(model)
        tally = sync_table(self.s, table, key, rows, self.ex.rows(table), **kw)
        self.tallies.setdefault(name, Tally()).add(tally)
        self.ex.forget(table)

    def _children(
        self, name: str, table: Table, parent: str, key: tuple[str, ...], rows: list[dict[str, Any]], parents: set[int]
    ) -> None:
        self.tallies[name] = sync_children(self.s, table, parent, key, rows, self.ex.rows(table), parents)
        self.ex.forget(table)

    def _catalogues(self) -> None:
        p = self.plan
        by_code = lambda r: r["code"]  # noqa: E731
        by_sid = lambda r: r["source_id"]  # noqa: E731
        self._sync("risk_areas", RiskArea, by_code, [_clean(x) for x in p.risk_areas])
        self._sync("clauses", ClauseTemplate, by_code, [_clean(x) for x in p.clauses])
        self._sync("post_types", PostType, by_code, [_clean(x) for x in p.post_types])
        self._sync("towns", Town, by_sid, [_clean(x) for x in p.towns])

    def _orgs_and_people(self) -> None:
        p, by_sid = self.plan, (lambda r: r["source_id"])
        org = _t(Organization)
        self._sync("bureau", Organization, by_sid, [{"kind": "bureau", "parent_id": None, **p.bureau}])
        bureau_id = self.ex.id_map(org)[p.bureau["source_id"]]
        sections = [{"kind": "section", "parent_id": bureau_id, **_clean(x, "chief", "staff")} for x in p.sections]
        stored_sections = {r["source_id"] for r in self.ex.rows(org) if r["kind"] == "section"}
        self._sync("sections", Organization, by_sid, sections)
        towns = self.ex.id_map(_t(Town))
        schools = []
        for x in p.schools:
            row = _clean(x, "campuses", "town")
            schools.append({"kind": "school", "parent_id": bureau_id, "town_id": towns.get(x["town"]), **row})
        self._sync("schools", Organization, by_sid, schools)
        self.orgs = self.ex.id_map(org)

        persons = [
            {**_clean(x, "org", "unit"), "org_id": self.orgs.get(x["org"]), "unit_source_id": x["unit"]}
            for x in p.persons
        ]
        self._sync("persons", Person, by_sid, persons)
        in_file = {x["source_id"] for x in p.persons}
        gone = [
            {"id": r["id"], "active": False}
            for r in self.ex.rows(_t(Person))
            if r["active"] and r["source_id"] not in in_file
        ]
        update_rows(self.s, _t(Person), gone)
        self.tallies["persons"].closed += len(gone)
        self.ex.forget(_t(Person))
        self.persons = self.ex.id_map(_t(Person))

        chiefs = [{"source_id": x["source_id"], "chief_person_id": self.persons.get(x["chief"])} for x in p.sections]
        tally = sync_table(self.s, org, by_sid, chiefs, self.ex.rows(org), insert=False)
        changed_new = sum(1 for x in p.sections if x["source_id"] not in stored_sections and x["chief"])
        self.tallies["sections"].updated += tally.updated - changed_new
        self.ex.forget(org)
        staff = [
            {"section_id": self.orgs[x["source_id"]], "person_id": self.persons[pid], "position": i}
            for x in p.sections
            for i, pid in enumerate(x["staff"])
        ]
        parents = {self.orgs[x["source_id"]] for x in p.sections}
        self._children("section_staff", section_staff, "section_id", ("section_id", "person_id"), staff, parents)

        leaders = [{**_clean(x, "person"), "person_id": self.persons[x["person"]]} for x in p.leaders]
        self._children(
            "bureau_leaders",
            _t(BureauLeader),
            "person_id",
            ("person_id",),
            leaders,
            {r["person_id"] for r in self.ex.rows(_t(BureauLeader))} | {x["person_id"] for x in leaders},
        )

    def _assignments(self) -> None:
        p = self.plan
        posts = self.ex.id_map(_t(PostType), "code")
        current: dict[Any, dict[str, Any]] = {}
        history: list[dict[str, Any]] = []
        for x in p.assignments:
            row = {
                **_clean(x, "org", "person"),
                "org_id": self.orgs[x["org"]],
                "person_id": self.persons[x["person"]],
                "post_type_id": posts.get(x["post_code"]),
            }
            if x["valid_to"] is None:
                del row["valid_to"]
                current[x["source_id"]] = row
            else:
                history.append(row)
        self.tallies["post_assignments"] = self._periods(
            PostAssignment, "source_id", ("person_id", "org_id", "post_code"), current, history, None
        )
        current, history = {}, []
        for x in p.liaisons:
            row = {
                "school_id": self.orgs[x["school"]],
                "section_id": self.orgs[x["section"]],
                "liaison_person_id": self.persons.get(x["liaison_person"]),
                "bureau_leader_person_id": self.persons.get(x["bureau_leader"]),
                "period_name": x["period_name"],
                "valid_from": x["valid_from"],
            }
            if x["valid_to"] is None:
                current[row["school_id"]] = row
            else:
                history.append({**row, "valid_to": x["valid_to"]})
        self.tallies["liaison_assignments"] = self._periods(
            LiaisonAssignment,
            "school_id",
            ("section_id", "liaison_person_id", "bureau_leader_person_id"),
            current,
            history,
            None,
        )

    def _periods(
        self,
        model: Any,
        slot: str,
        identity: tuple[str, ...],
        current: dict[Any, dict[str, Any]],
        history: list[dict[str, Any]],
        covered: set[Any] | None,
    ) -> Tally:
        table = _t(model)
        tally = sync_periods(
            self.s,
            table,
            slot_col=slot,
            identity=identity,
            current=current,
            history=history,
            stored=self.ex.rows(table),
            covered=covered,
            effective_for=self.effective_for,
            first_from=self.first_from,
            close_on=self.effective_for(None),
        )
        self.ex.forget(table)
        return tally

    def _grids(self) -> None:
        p, table = self.plan, _t(Grid)
        ids = self.ex.id_map(table)
        for depth in sorted(set(p.grid_depth.values())):
            rows = [
                {
                    **_clean(g, "school", "parent", "owner", "owner_valid_from", "members"),
                    "school_id": self.orgs[g["school"]],
                    "parent_id": ids[g["parent"]] if g["parent"] else None,
                }
                for g in p.grids
                if p.grid_depth[g["source_id"]] == depth
            ]
            self._sync("grids", Grid, lambda r: r["source_id"], rows)
            if self.tallies["grids"].created:
                ids = self.ex.id_map(table)
        self.grids = ids
        file_grids = {ids[g["source_id"]] for g in p.grids}
        current = {
            ids[g["source_id"]]: {
                "grid_id": ids[g["source_id"]],
                "person_id": self.persons[g["owner"]],
                "valid_from": g["owner_valid_from"],
            }
            for g in p.grids
            if g["owner"]
        }
        history = [
            {
                "grid_id": ids[h["grid"]],
                "person_id": self.persons[h["person"]],
                "valid_from": h["valid_from"],
                "valid_to": h["valid_to"],
            }
            for h in p.owner_history
        ]
        self.tallies["grid_ownerships"] = self._periods(
            GridOwnership, "grid_id", ("person_id",), current, history, file_grids
        )
        members = [
            {"grid_id": ids[g["source_id"]], "person_id": self.persons[pid], "position": i}
            for g in p.grids
            for i, pid in enumerate(g["members"])
        ]
        self._children("grid_members", grid_members, "grid_id", ("grid_id", "person_id"), members, file_grids)

    def _buildings(self) -> None:
        p = self.plan
        rows = [
            {
                **_clean(b, "school", "grid", "fire_plan"),
                "school_id": self.orgs[b["school"]],
                "grid_id": self.grids.get(b["grid"]),
            }
            for b in p.buildings
        ]
        self._sync("buildings", Building, lambda r: r["source_id"], rows)
        ids = self.ex.id_map(_t(Building))
        plans = [{"building_id": ids[b["source_id"]], **b["fire_plan"]} for b in p.buildings if b["fire_plan"]]
        self._children(
            "fire_plans",
            _t(FirePlan),
            "building_id",
            ("building_id",),
            plans,
            {ids[b["source_id"]] for b in p.buildings},
        )
        campuses = [{"school_id": self.orgs[s["source_id"]], **c} for s in p.schools for c in s["campuses"]]
        self._children(
            "campuses",
            _t(Campus),
            "school_id",
            ("school_id", "position"),
            campuses,
            {self.orgs[s["source_id"]] for s in p.schools},
        )

    def _safety(self) -> None:
        from .write_safety import write_safety

        write_safety(self)

    def _county(self) -> None:
        p = self.plan
        row = {
            **p.county,
            "title": p.meta.get("title"),
            "as_of": p.as_of,
            "period_name": p.period_name,
            "period_start": p.period_start,
            "period_end": p.period_end,
            "meta": p.meta,
            "assessment_scheme": p.assessment_scheme,
        }
        self._sync("county", County, lambda r: "the county", [row])
