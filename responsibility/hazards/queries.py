"""Read-only look-ups of the loop: a hazard by file number, the people and places named on the
command line or in a form, open duplicates, and the ``show`` view (``flask hazard show --json``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..models import Grid, Hazard, HazardRecord, Person, RiskArea, School
from .errors import BadInput, HazardNotFound, NotFound
from .states import LABELS, OPEN_STATES, state_of

__all__ = ["find_grid", "find_hazard", "find_person", "find_risk_area", "find_school", "hazard_view", "open_duplicates"]


def find_hazard(session: Session, key: str, *, lock: bool = False) -> Hazard:
    """The hazard whose file number (or import id) is ``key``; :class:`HazardNotFound` when none,
    :class:`BadInput` when an imported ledger gave two hazards the same number."""
    key = (key or "").strip()
    rows = session.scalars(
        select(Hazard)
        .where(or_(Hazard.file_no == key, Hazard.source_id == key))
        .options(selectinload(Hazard.school), selectinload(Hazard.records).selectinload(HazardRecord.photos))
    ).all()
    if not rows:
        raise HazardNotFound(f"没有文件编号为 {key!r} 的隐患。 (No hazard with file number {key!r}.)")
    if len(rows) > 1:
        raise BadInput(f"文件编号 {key!r} 对应多条隐患，请用隐患编号。 (File number {key!r} is ambiguous; use the id.)")
    return rows[0]


M = TypeVar("M", Person, School, Grid)


def _by_source_id(session: Session, model: type[M], source_id: str, zh: str, en: str) -> M:
    row = session.scalar(select(model).where(model.source_id == (source_id or "").strip()))
    if row is None:
        raise NotFound(f"没有{zh} {source_id!r}。 (No {en} {source_id!r}.)")
    return row


def find_person(session: Session, source_id: str) -> Person:
    return _by_source_id(session, Person, source_id, "人员", "person")


def find_school(session: Session, source_id: str) -> School:
    return _by_source_id(session, School, source_id, "学校", "school")


def find_grid(session: Session, source_id: str) -> Grid:
    return _by_source_id(session, Grid, source_id, "网格", "grid")


def find_risk_area(session: Session, code: str) -> RiskArea:
    area = session.scalar(select(RiskArea).where(RiskArea.code == (code or "").strip()))
    if area is None:
        raise BadInput(f"没有风险领域 {code!r}。 (No risk area {code!r}.)")
    return area


def open_duplicates(session: Session, grid_id: int, risk_area_code: str) -> list[Hazard]:
    """Open hazards on the same grid and risk area: offered before a new one is reported."""
    labels = [LABELS[s] for s in sorted(OPEN_STATES)] + ["整改中"]
    return list(
        session.scalars(
            select(Hazard)
            .where(Hazard.grid_id == grid_id, Hazard.risk_area_code == risk_area_code, Hazard.status.in_(labels))
            .order_by(Hazard.found_date, Hazard.id)
        ).all()
    )


def _iso(day: dt.date | dt.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None


def _sid(session: Session, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    return session.scalar(select(Person.source_id).where(Person.id == person_id))


def hazard_view(session: Session, hazard: Hazard) -> dict[str, Any]:
    """The JSON shape of ``flask hazard show --json``; ids are the import's source ids."""
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    return {
        "file_no": hazard.file_no,
        "id": hazard.source_id,
        "state": state_of(hazard.status),
        "status": hazard.status,
        "level": hazard.level or None,
        "school_id": hazard.school.source_id,
        "grid_id": grid.source_id if grid else None,
        "risk_area": hazard.risk_area_code,
        "description": hazard.description,
        "found_date": _iso(hazard.found_date),
        "reported_by_id": _sid(session, hazard.reported_by_person_id),
        "rectifier_id": _sid(session, hazard.responsible_person_id),
        "deadline": _iso(hazard.deadline),
        "measures": hazard.measures,
        "temporary_measures": hazard.temporary_measures,
        "funds_yuan": hazard.funds_yuan,
        "accepted_by_id": _sid(session, hazard.verified_by_person_id),
        "listed_for_supervision": bool(hazard.listed_for_supervision),
        "supervised_by_id": _sid(session, hazard.supervised_by_person_id),
        "countersigned_by_id": _sid(session, hazard.countersigned_by_person_id),
        "closed_date": _iso(hazard.closed_date),
        "version": hazard.version,
        "records": [
            {
                "position": r.position,
                "date": _iso(r.date),
                "kind": r.kind,
                "state": r.state,
                "by": _sid(session, r.by_person_id),
                "note": r.action,
                "photos": [{"sha256": p.sha256, "original_sha256": p.original_sha256} for p in r.photos],
            }
            for r in hazard.records
        ],
    }
