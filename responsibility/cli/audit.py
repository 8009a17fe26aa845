"""`flask audit …`: the auditor's gap report and the audit-log chain check.

Thin wrappers over ``chain.gaps.run_gap_checks`` / ``report_workbook`` and
``audit.verify_chain``, which only read, and ``chain.gaps.snapshots.compute_snapshot``
(``refresh-gaps``: the stored report a province's gap page reads).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..agreements import find_campaign
from ..atomic_files import write_atomic
from ..audit import verify_chain
from ..audit.checkpoints import CheckpointCheck
from ..chain.gaps import parse_checks, run_gap_checks
from ..chain.gaps.snapshots import compute_snapshot
from ..chain.gaps.xlsx import report_workbook
from ..errors import BadInput
from ..evidence.checkpoints import verify_sealed_checkpoints
from ..evidence.sealing import checkpoint_now
from ..evidence.witness_files import check_witnesses, witness_dir
from ..extensions import db, db_session
from ..models import AuditCheckpoint
from .clock import county_today
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("audit", help="Audit: the gap report and the audit-log chain check.")

EXIT_CHAIN_BROKEN = 1


def _day(value: str | None) -> dt.date:
    if value is None:
        return county_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--at: bad date {value!r} (expected YYYY-MM-DD)") from None


@group.command("gaps")
@click.option(
    "--campaign", "campaign_key", help="Campaign (id or name) whose agreements A1–A4 judge; default: the live one."
)
@click.option("--imported-only", is_flag=True, help="Judge the imported (paper) records only, not the live campaign.")
@click.option("--at", "at_text", help="Judge the data as it stood on this day (YYYY-MM-DD); default today.")
@click.option("--check", "check_codes", multiple=True, help="Only these checks (e.g. --check G1,G2); default all.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook.")
@handle_domain_errors
def gaps_command(
    campaign_key: str | None,
    imported_only: bool,
    at_text: str | None,
    check_codes: tuple[str, ...],
    as_json: bool,
    xlsx_out: Path | None,
) -> None:
    """Run the gap checks (A1 … V1) and print the findings (exit 0 whether or not there are any).
    The agreement checks judge the live campaign covering the day unless told otherwise."""
    day = _day(at_text)
    checks = parse_checks(check_codes or None)
    if campaign_key and imported_only:
        raise BadInput("--campaign and --imported-only exclude each other")
    campaign_id = find_campaign(db_session(), campaign_key).id if campaign_key else None
    report = run_gap_checks(
        db_session(), at=day, campaign_id=campaign_id, checks=checks, live_campaign=not imported_only
    )
    db.session.rollback()  # read-only: end the transaction without writing anything
    if xlsx_out is not None:
        data = report_workbook(report, base_url=str(current_app.config["PUBLIC_BASE_URL"]))
        write_atomic(xlsx_out, data)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        return
    for f in report.findings:
        click.echo(f"{f.check}\t{f.school_id}\t{f.subject_id}\t{f.message}")
    counts = report.counts()
    summary = ", ".join(f"{code} {counts[code]}" for code in report.checks if counts[code])
    click.echo(f"{len(report.findings)} findings on {day.isoformat()}" + (f" ({summary})" if summary else ""))
    click.echo(f"season: {report.season.text}")
    for note in report.notes:
        click.echo(f"note: {note}")
    if xlsx_out is not None:
        click.echo(f"wrote {xlsx_out}")


@group.command("refresh-gaps")
@click.option(
    "--campaign", "campaign_key", help="Campaign (id or name) whose agreements A1–A4 judge; default: the live one."
)
@click.option("--imported-only", is_flag=True, help="Judge the imported (paper) records only, not the live campaign.")
@click.option("--at", "at_text", help="Judge the data as it stood on this day (YYYY-MM-DD); default today.")
@handle_domain_errors
def refresh_gaps_command(campaign_key: str | None, imported_only: bool, at_text: str | None) -> None:
    """Run every gap check and store the report the gap report page reads at a province's size
    (above LIVE_REPORT_SCHOOLS schools); run it from a scheduler, e.g. every 15 minutes."""
    day = _day(at_text)
    if campaign_key and imported_only:
        raise BadInput("--campaign and --imported-only exclude each other")
    campaign_id = find_campaign(db_session(), campaign_key).id if campaign_key else None
    snapshot = compute_snapshot(
        db_session(), at=day, campaign_id=campaign_id, live_campaign=not imported_only, actor="cli"
    )
    db.session.commit()
    click.echo(
        f"stored the gap report of {day.isoformat()} ({snapshot.season_key}): "
        f"{snapshot.finding_count} findings in {snapshot.seconds:.1f} s"
    )


@group.command("verify-log")
@click.option(
    "--witness",
    "witness_pdfs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also check the checkpoint this signed PDF names (e.g. a school's copy); repeatable.",
)
@handle_domain_errors
def verify_log_command(witness_pdfs: tuple[Path, ...]) -> None:
    """Recompute the audit log's hash chain, check every signed checkpoint and look for missing
    ones (against the instance's checkpoint files, the checkpoints named by stored agreement
    revisions and ``--witness`` files, the chain's own events and gaps in the numbers): exit 0
    when all check, 1 with one line per problem."""
    result = verify_chain(db_session())
    if not result.ok:
        db.session.rollback()
        click.echo(f"audit log broken at event {result.first_broken_seq}: {result.reason}", err=True)
        sys.exit(EXIT_CHAIN_BROKEN)
    checkpoints = _check_checkpoints()
    missing = _missing_checkpoints(witness_pdfs)
    db.session.rollback()
    if checkpoints is not None and not checkpoints.ok:
        click.echo(
            f"audit log broken at checkpoint {checkpoints.first_broken_id} "
            f"(event {checkpoints.first_broken_seq}): {checkpoints.reason}",
            err=True,
        )
    for problem in missing:
        click.echo(f"audit log history incomplete: {problem}", err=True)
    if missing or (checkpoints is not None and not checkpoints.ok):
        sys.exit(EXIT_CHAIN_BROKEN)
    signed = f", {checkpoints.checkpoints} signed checkpoints" if checkpoints and checkpoints.checkpoints else ""
    click.echo(f"audit log intact: {result.events} events{signed}")


def _check_checkpoints() -> CheckpointCheck | None:
    """The checkpoints' check, or None when there are none (then no PKI is needed)."""
    if db.session.scalar(select(AuditCheckpoint.id).limit(1)) is None:
        return None
    trust = instance().trust(db_session())
    return verify_sealed_checkpoints(db_session(), trust)


def _missing_checkpoints(witness_pdfs: tuple[Path, ...]) -> list[str]:
    """``evidence.witness_files.check_witnesses`` over this instance (no PKI: nothing signed)."""
    context = instance()
    trust = context.trust(db_session()) if context.has_pki() else None
    return check_witnesses(
        db_session(),
        trust=trust,
        directory=witness_dir(context.settings.storage.instance_dir),
        store=context.store,
        documents=[(f"file {path}", path.read_bytes()) for path in witness_pdfs],
    )


@group.command("checkpoint")
@click.option("--actor", default="system", show_default=True, help="Who the audit event names.")
@handle_domain_errors
def checkpoint_command(actor: str) -> None:
    """Sign a checkpoint of the audit log's head with the bureau seal and a timestamp.

    Schedule it daily, e.g. in the service user's crontab:
    ``15 0 * * * cd /srv/responsibility && .venv/bin/flask audit checkpoint``.
    """
    row = checkpoint_now(db_session(), instance(), actor=actor)
    db.session.commit()
    click.echo(f"checkpoint {row.id}: event {row.seq}, {row.event_count} events, head {row.head_hash}")


__all__ = ["group"]
