"""`flask storage check [--repair]`: crash leftovers in the instance's storage.

One line per finding on stdout; exit 0 when clean (or everything found was repaired), 1 when
problems remain, 2 on bad input (click's usage errors, an unreadable store). Run by ``make run``
before the server starts and daily from cron (README "Security"). The rules are
``agreements.storage_check``.
"""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask.cli import AppGroup

from ..agreements.storage_check import MIN_AGE, check_storage
from ..extensions import db, db_session
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("storage", help="The instance's stored files: leftovers of interrupted writes.")

EXIT_PROBLEMS = 1


@group.command("check")
@click.option("--repair", is_flag=True, help="Remove unreferenced PDFs and stale .tmp files (never referenced ones).")
@click.option(
    "--min-age-minutes",
    type=click.IntRange(min=0),
    default=int(MIN_AGE.total_seconds() // 60),
    show_default=True,
    help="Leave files younger than this (a signature may be being written).",
)
@handle_domain_errors
def check_command(repair: bool, min_age_minutes: int) -> None:
    """List files no row references and rows whose file is missing; --repair removes the former."""
    context = instance()
    report = check_storage(
        db_session(),
        context.store,
        context.settings.storage.instance_dir,
        repair=repair,
        min_age=dt.timedelta(minutes=min_age_minutes),
    )
    db.session.rollback()  # read only
    for finding in report.findings:
        click.echo(finding.line())
    problems = report.problems
    click.echo(
        f"storage: {report.referenced} referenced files, {len(report.findings)} findings, {len(problems)} remaining",
        err=True,
    )
    if problems:
        sys.exit(EXIT_PROBLEMS)
