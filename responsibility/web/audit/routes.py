"""Views of the auditor pages. Thin: check who asks, parse the filters, call
``chain.gaps.run_gap_checks`` / ``filter_events`` / ``audit.verify_chain``, render. The reads
write nothing; the two POSTs sign a checkpoint and refresh the stored gap report.

Above ``LIVE_REPORT_SCHOOLS`` schools the gap report page and its workbook read the newest
stored report (``chain.gaps.snapshots``) instead of running every check on each view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns: the base of Flask's

from ...accounts.access import sees_whole_county
from ...accounts.roles import roles_of
from ...audit import verify_chain
from ...audit.checkpoints import CheckpointCheck
from ...chain.gaps import CHECK_CODES, CHECK_TITLES, GapReport, run_gap_checks
from ...chain.gaps.events import filter_events
from ...chain.gaps.snapshots import (
    SnapshotFilter,
    compute_snapshot,
    latest_snapshot,
    season_key,
    snapshot_counts,
    snapshot_page,
    snapshot_report,
)
from ...chain.gaps.xlsx import fix_url, report_workbook
from ...errors import DomainError
from ...evidence.checkpoints import verify_sealed_checkpoints
from ...evidence.sealing import checkpoint_now
from ...extensions import db, db_session
from ...jobs.dispatch import queue_gap_refresh
from ...models import AuditCheckpoint, Campaign, GapSnapshot, User
from ...org.ordering import towns_in_order
from ...pki.errors import PkiError
from ..clock import local_today
from ..context import instance
from ..labels.audit import ACTION_LABELS
from ..messages import error_text
from ..paging import Page, page_arg, page_of
from ..stored_reports import reads_stored, refresh_stored
from .blueprint import bp

FINDINGS_PER_PAGE = 200
"""Findings listed per page; the counts per check and the Excel file hold all of them."""
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORTED_ONLY = "imported"
"""The report's ``campaign`` value that judges the imported (paper) records only."""


def _require_auditor() -> None:
    """Admins, auditors and bureau leaders (county-wide viewers); everyone else: 404."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    if not sees_whole_county(roles_of(db_session(), user, local_today())):
        abort(404)


#: Who may sign a checkpoint with the bureau seal: an auditor only reads (issue 14).
CHECKPOINT_ROLES = frozenset({"admin", "bureau_leader"})


def _may_checkpoint() -> bool:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return bool(CHECKPOINT_ROLES & set(roles_of(db_session(), user, local_today())))


def _filters() -> dict[str, Any]:
    """The report's filters from the query string; a malformed value is a 400 with one line."""
    raw_at = (request.args.get("at") or "").strip()
    try:
        at = dt.date.fromisoformat(raw_at) if raw_at else local_today()
    except ValueError:
        abort(400, description=gettext("The date must look like 2025-01-31."))
    check = (request.args.get("check") or "").strip().upper()
    if check and check not in CHECK_CODES:
        abort(400, description=gettext("Unknown check."))
    raw_campaign = (request.args.get("campaign") or "").strip()
    campaign_id: int | str | None = None  # None: the live campaign covering the day
    if raw_campaign == IMPORTED_ONLY:
        campaign_id = IMPORTED_ONLY
    elif raw_campaign:
        if not raw_campaign.isdigit() or db.session.get(Campaign, int(raw_campaign)) is None:
            abort(400, description=gettext("Unknown campaign."))
        campaign_id = int(raw_campaign)
    return {
        "at": at,
        "check": check or None,
        "campaign": campaign_id,
        "school": (request.args.get("school") or "").strip(),
        "town": (request.args.get("town") or "").strip(),
    }


def _season(f: dict[str, Any]) -> tuple[int | None, bool]:
    """``(campaign_id, live_campaign)`` of ``run_gap_checks`` for the chosen campaign filter."""
    chosen = f["campaign"] if isinstance(f["campaign"], int) else None
    return chosen, f["campaign"] != IMPORTED_ONLY


def _report(f: dict[str, Any]) -> GapReport:
    checks = {f["check"]} if f["check"] else None
    chosen, live = _season(f)
    report = run_gap_checks(db_session(), at=f["at"], campaign_id=chosen, checks=checks, live_campaign=live)
    school, town = f["school"].upper(), f["town"]
    if not school and not town:
        return report

    def keep(finding: Any) -> bool:
        org = report.orgs.get(finding.school_id)
        if school and school not in finding.school_id.upper() and not (org and f["school"] in org.name):
            return False
        return not (town and (org is None or org.town_id != town))

    return dataclasses.replace(report, findings=tuple(x for x in report.findings if keep(x)))


def _snapshot(f: dict[str, Any]) -> GapSnapshot | None:
    chosen, live = _season(f)
    return latest_snapshot(db_session(), at=f["at"], key=season_key(chosen, live_campaign=live))


def _snapshot_filter(f: dict[str, Any]) -> SnapshotFilter:
    return SnapshotFilter(check=f["check"], school=f["school"], town=f["town"])


def _query(f: dict[str, Any]) -> dict[str, str]:
    out = {"at": f["at"].isoformat()}
    for key in ("check", "campaign", "school", "town"):
        if f[key]:
            out[key] = str(f[key])
    return out


#: Severity of a finding, in the reader's language (the exported workbook keeps its Chinese words).
SEVERITY_NAMES = {
    "normal": lazy_gettext("Normal"),
    "high": lazy_gettext("Aggravated"),
    "critical": lazy_gettext("Escalated"),
}


@bp.route("/gaps")
@login_required
def gaps() -> str:
    _require_auditor()
    f = _filters()
    number = page_arg()
    stored = reads_stored()
    snapshot = _snapshot(f) if stored else None
    report: GapReport | None
    if not stored:
        report = _report(f)
        shown, counts = page_of(report.findings, number, FINDINGS_PER_PAGE), report.counts()
    elif snapshot is None:
        report, shown, counts = None, Page((), number, FINDINGS_PER_PAGE, 0), {}
    else:
        report, shown, counts = _stored_page(snapshot, f, number)
    # Links on the page stay on the site being used (its own path prefix); the configured public
    # address is for QR codes, verification URLs, e-mails and the Excel file taken elsewhere.
    base_url = request.script_root
    return render_template(
        "audit/gaps.html",
        report=report,
        shown=shown,
        counts=counts,
        stored=stored,
        snapshot=snapshot,
        filters=f,
        query=_query(f),
        titles=CHECK_TITLES,
        codes=CHECK_CODES,
        severity_labels=SEVERITY_NAMES,
        fix_links=[fix_url(base_url, x) for x in shown.items],
        towns=[(town.source_id, town.name) for town in towns_in_order(db_session())],
        campaigns=db.session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.id.desc())).all(),
    )


def _stored_page(snapshot: GapSnapshot, f: dict[str, Any], number: int) -> tuple[GapReport, Page[Any], dict[str, int]]:
    """Page ``number`` of the stored report's findings matching the filters, and their counts per check."""
    wanted = _snapshot_filter(f)
    offset = (number - 1) * FINDINGS_PER_PAGE
    report, total = snapshot_page(db_session(), snapshot, wanted, offset=offset, limit=FINDINGS_PER_PAGE)
    return (
        report,
        Page(report.findings, number, FINDINGS_PER_PAGE, total),
        snapshot_counts(db_session(), snapshot, wanted),
    )


@bp.route("/gaps.xlsx")
@login_required
def gaps_xlsx() -> Response:
    _require_auditor()
    f = _filters()
    if reads_stored():
        snapshot = _snapshot(f)
        if snapshot is None:
            abort(
                409,
                description=gettext(
                    "The gap report of this day has not been computed yet: compute it on the gap report page first."
                ),
            )
        report = snapshot_report(db_session(), snapshot, _snapshot_filter(f))
    else:
        report = _report(f)
    data = report_workbook(report, base_url=str(current_app.config.get("PUBLIC_BASE_URL") or request.host_url))
    name = f"gap-report-{f['at'].isoformat()}.xlsx"
    return Response(data, mimetype=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/gaps/refresh", methods=["POST"])
@login_required
def refresh_gaps() -> BaseResponse:
    """Compute the stored report of the filters' day and season: on an RQ worker when Redis is
    configured, else now, in this request."""
    _require_auditor()
    f = _filters()
    chosen, live = _season(f)
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]

    def here() -> str:
        snapshot = compute_snapshot(
            db_session(), at=f["at"], campaign_id=chosen, live_campaign=live, actor=user.username
        )
        return gettext(
            "Gap report computed: %(n)d findings in %(seconds)s s.",
            n=snapshot.finding_count,
            seconds=f"{snapshot.seconds:.1f}",
        )

    def queued(redis_url: str, queue: str, database_url: str) -> bool:
        return queue_gap_refresh(
            redis_url, queue, database_url, at=f["at"], campaign_id=chosen, live_campaign=live, actor=user.username
        )

    refresh_stored(here, queued)
    query: dict[str, Any] = _query(f)
    return redirect(url_for("audit.gaps", **query))


@bp.route("/log")
@login_required
def log() -> str:
    _require_auditor()
    school = (request.args.get("school") or "").strip()
    person = (request.args.get("person") or "").strip()
    action = (request.args.get("action") or "").strip()
    events = filter_events(db_session(), school=school, person=person, action=action)
    check = verify_chain(db_session())
    checkpoints, checkpoint_check, checkpoint_error = _checkpoints()
    return render_template(
        "audit/log.html",
        events=events,
        check=check,
        filters={"school": school, "person": person, "action": action},
        actions=ACTION_LABELS,
        checkpoints=checkpoints,
        checkpoint_check=checkpoint_check,
        checkpoint_error=checkpoint_error,
        may_checkpoint=_may_checkpoint(),
    )


def _checkpoints() -> tuple[list[AuditCheckpoint], CheckpointCheck | None, str | None]:
    """The newest checkpoints and the check of all of them (None when there are none); an
    instance without a PKI cannot check them and says so."""
    rows = list(db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(20)))
    if not rows:
        return rows, None, None
    try:
        trust = instance().trust(db_session())
    except PkiError:
        return rows, None, gettext("The instance has no PKI: the checkpoints cannot be checked.")
    return rows, verify_sealed_checkpoints(db_session(), trust), None


@bp.route("/checkpoint", methods=["POST"])
@login_required
def checkpoint() -> BaseResponse:
    """Sign a checkpoint of the chain now (the daily one comes from ``flask audit checkpoint``)."""
    _require_auditor()
    if not _may_checkpoint():
        abort(403, description=gettext("An auditor reads only: checkpoints are signed by an administrator."))
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        row = checkpoint_now(db_session(), instance(), actor=user.username)
    except DomainError as exc:
        db.session.rollback()
        flash(gettext("No checkpoint was signed: %(reason)s", reason=error_text(exc)), "error")
        return redirect(url_for("audit.log"))
    db.session.commit()
    flash(gettext("Checkpoint %(id)s signed at event %(seq)s.", id=row.id, seq=row.seq), "success")
    return redirect(url_for("audit.log"))


__all__ = ["checkpoint", "gaps", "gaps_xlsx", "log", "refresh_gaps"]
