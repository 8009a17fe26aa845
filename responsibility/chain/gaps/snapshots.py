"""Stored gap reports (issue 16): a full run of the checks kept in ``gap_snapshots``, read a page
at a time.

Why: at a province's size (20,000 schools, ≈ 90,000 findings) running every check takes seconds
to minutes, too long for a page. There the report page reads the newest snapshot of the day and
season choice, filters, counts and pages it in the database, and says when it was computed; a
refresh (the page's button, ``flask audit refresh-gaps`` from a scheduler, an RQ job) computes a
new one. A county small enough to judge on each view keeps the live report
(``LimitSettings.live_report_schools``).

The snapshot holds what the report holds: the findings in report order with each one's school
name and town, the judged season (``JudgedSeason.as_dict``, the JSON the CLI prints) and the
notes. ``snapshot_page`` and ``snapshot_report`` give back a :class:`GapReport`, so the workbook
and the page render a stored report exactly as a live one.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from ...clock import now_utc
from ...db_unique import add_unique
from ...models import GapSnapshot, GapSnapshotFinding
from .base import CHECK_CODES, Finding
from .report import GapReport, JudgedSeason, OrgInfo, run_gap_checks

__all__ = [
    "IMPORTED_KEY",
    "LIVE_KEY",
    "SnapshotFilter",
    "compute_snapshot",
    "latest_snapshot",
    "season_key",
    "snapshot_counts",
    "snapshot_page",
    "snapshot_report",
]

LIVE_KEY = "live"
IMPORTED_KEY = "imported"
INSERT_BATCH = 5000
"""Findings inserted per statement (a province has tens of thousands)."""


def season_key(campaign_id: int | None, *, live_campaign: bool) -> str:
    """The season choice of ``run_gap_checks`` as a snapshot's key."""
    if campaign_id is not None:
        return f"campaign:{campaign_id}"
    return LIVE_KEY if live_campaign else IMPORTED_KEY


def _season_of(data: dict[str, Any]) -> JudgedSeason:
    """The ``JudgedSeason`` whose ``as_dict`` the snapshot stored."""

    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return JudgedSeason(
        data.get("campaign_id"),
        data.get("campaign"),
        day(data.get("term_start")),
        day(data.get("term_end")),
        defaulted=bool(data.get("default")),
    )


def compute_snapshot(
    session: Session, *, at: dt.date, campaign_id: int | None, live_campaign: bool, actor: str
) -> GapSnapshot:
    """Run every check on ``at`` and store the report, replacing the older snapshot of the same
    day and season choice. Flushes; the caller commits (one transaction: a reader sees the old
    snapshot or the whole new one, never a part)."""
    started = time.perf_counter()
    report = run_gap_checks(session, at=at, campaign_id=campaign_id, live_campaign=live_campaign)
    key = season_key(campaign_id, live_campaign=live_campaign)
    snapshot = GapSnapshot(
        at=at,
        season_key=key,
        computed_at=now_utc(),
        seconds=round(time.perf_counter() - started, 3),
        checks=list(report.checks),
        season=report.season.as_dict(),
        notes=list(report.notes),
        finding_count=len(report.findings),
        computed_by=actor,
    )
    older = select(GapSnapshot.id).where(GapSnapshot.at == at, GapSnapshot.season_key == key)
    older_ids = list(session.scalars(older))
    if older_ids:
        session.execute(delete(GapSnapshotFinding).where(GapSnapshotFinding.snapshot_id.in_(older_ids)))
        session.execute(delete(GapSnapshot).where(GapSnapshot.id.in_(older_ids)))
    add_unique(session, snapshot)
    rows = [_finding_row(snapshot.id, seq, f, report.orgs.get(f.school_id)) for seq, f in enumerate(report.findings)]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(GapSnapshotFinding), rows[start : start + INSERT_BATCH])
    return snapshot


def _finding_row(snapshot_id: int, seq: int, f: Finding, org: OrgInfo | None) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot_id,
        "seq": seq,
        "check": f.check,
        "school_id": f.school_id,
        "subject_id": f.subject_id,
        "message": f.message,
        "severity": f.severity,
        "fix_url_hint": f.fix_url_hint,
        "org_name": org.name if org else None,
        "org_kind": org.kind if org else None,
        "town_id": org.town_id if org else None,
        "town_name": org.town_name if org else None,
    }


def latest_snapshot(session: Session, *, at: dt.date, key: str) -> GapSnapshot | None:
    """The snapshot of ``at`` and season choice ``key`` (one per day and choice), or None."""
    return session.scalars(select(GapSnapshot).where(GapSnapshot.at == at, GapSnapshot.season_key == key)).first()


@dataclass(frozen=True)
class SnapshotFilter:
    """The report page's filters: one check, a school (part of its id, any case, or of its
    name) and a town, as the live page applies them."""

    check: str | None = None
    school: str = ""
    town: str = ""


def _where(snapshot: GapSnapshot, f: SnapshotFilter) -> list[Any]:
    row = GapSnapshotFinding
    conditions: list[Any] = [row.snapshot_id == snapshot.id]
    if f.check:
        conditions.append(row.check == f.check)
    if f.school:
        conditions.append(
            or_(
                func.upper(row.school_id).contains(f.school.upper(), autoescape=True),
                row.org_name.contains(f.school, autoescape=True),
            )
        )
    if f.town:
        conditions.append(row.town_id == f.town)
    return conditions


def snapshot_counts(session: Session, snapshot: GapSnapshot, f: SnapshotFilter) -> dict[str, int]:
    """Check code → findings matching ``f``, for every check the page shows (zeros included)."""
    tally = dict(
        session.execute(
            select(GapSnapshotFinding.check, func.count())
            .where(*_where(snapshot, f))
            .group_by(GapSnapshotFinding.check)
        ).all()
    )
    codes = [f.check] if f.check else [code for code in CHECK_CODES if code in snapshot.checks]
    return {code: int(tally.get(code, 0)) for code in codes}


def snapshot_page(
    session: Session, snapshot: GapSnapshot, f: SnapshotFilter, *, offset: int, limit: int
) -> tuple[GapReport, int]:
    """A report holding ``limit`` of the findings matching ``f`` from ``offset`` (in report
    order), and how many match."""
    total = session.scalar(select(func.count()).select_from(GapSnapshotFinding).where(*_where(snapshot, f))) or 0
    stmt = select(GapSnapshotFinding).where(*_where(snapshot, f)).order_by(GapSnapshotFinding.seq)
    rows = session.scalars(stmt.offset(offset).limit(limit)).all()
    return _report(snapshot, f, rows), int(total)


def snapshot_report(session: Session, snapshot: GapSnapshot, f: SnapshotFilter) -> GapReport:
    """Every finding matching ``f`` (the workbook's)."""
    stmt = select(GapSnapshotFinding).where(*_where(snapshot, f)).order_by(GapSnapshotFinding.seq)
    return _report(snapshot, f, session.scalars(stmt).all())


def _report(snapshot: GapSnapshot, f: SnapshotFilter, rows: Any) -> GapReport:
    findings = tuple(Finding(r.check, r.school_id, r.subject_id, r.message, r.severity, r.fix_url_hint) for r in rows)
    orgs = {
        r.school_id: OrgInfo(r.school_id, r.org_name, r.org_kind or "", r.town_id, r.town_name)
        for r in rows
        if r.org_name is not None
    }
    season = _season_of(snapshot.season)
    checks = (f.check,) if f.check else tuple(code for code in CHECK_CODES if code in snapshot.checks)
    return GapReport(
        at=snapshot.at,
        campaign=season.campaign,
        checks=checks,
        findings=findings,
        orgs=orgs,
        notes=tuple(snapshot.notes),
        season=season,
    )
