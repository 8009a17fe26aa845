"""`flask org …` commands: import, export and stats of the organisation.

Thin wrappers: parse arguments, call the service, commit, print. A bad file is one line on
stderr, exit code 2, and the database is rolled back to exactly what it was. A file that could
be stored is imported with its organisational defects, and the import ends with the number of
gap findings on its effective date (``N findings; see flask audit gaps``, exit 0).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..atomic_files import write_atomic
from ..chain.gaps import run_gap_checks
from ..errors import BadInput
from ..extensions import db, db_session
from ..org.exporter import export_workbook
from ..org.importing import import_county, read_import_file, refresh_statistics
from ..org.stats import entity_counts
from .clock import county_today
from .errors import handle_domain_errors

group = AppGroup("org", help="Organisation data: import, export, counts.")


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--effective: bad date {value!r} (expected YYYY-MM-DD)") from None


@group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--effective", help="Date of the changes (YYYY-MM-DD); default: the file's as-of date.")
@handle_domain_errors
def import_command(file: Path, effective: str | None) -> None:
    """Import FILE (.json in the demo format, or .xlsx); all or nothing. Defects of the
    organisation are imported and counted: see `flask audit gaps`."""
    day = _parse_date(effective)
    try:
        data = read_import_file(file, max_bytes=int(current_app.config["IMPORT_MAX_BYTES"]))
        summary = import_county(db_session(), data, source=file.name, actor="cli", effective=day, today=county_today())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if summary.changed:
        refresh_statistics(db_session())
        db.session.commit()
    else:
        click.echo(f"{file.name}: nothing changed")
    for name, counts in summary.entities:
        if counts.created or counts.updated or counts.closed:
            click.echo(
                f"{name}: {counts.created} created, {counts.updated} updated, "
                f"{counts.closed} closed, {counts.unchanged} unchanged"
            )
    report = run_gap_checks(db_session(), at=summary.effective or county_today())
    db.session.rollback()  # the report only reads
    click.echo(f"{len(report.findings)} findings; see flask audit gaps")


@group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def export_command(file: Path) -> None:
    """Write the organisation, history included, to FILE.xlsx (atomically)."""
    if file.suffix.lower() != ".xlsx":
        raise BadInput(f"{file.name}: the export is a workbook; name it *.xlsx")
    try:
        data = export_workbook(db_session(), actor="cli")
        write_atomic(file, data)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    click.echo(f"wrote {file} ({len(data)} bytes)")


@group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_domain_errors
def stats_command(as_json: bool) -> None:
    """Count each entity (post_assignments: those valid today)."""
    counts = entity_counts(db_session())
    if as_json:
        click.echo(json.dumps(counts, sort_keys=True))
        return
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        click.echo(f"{key:<{width}}  {value}")
