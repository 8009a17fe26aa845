"""`flask hazard supervise | dossier | posters | ledger`: the commands that make documents.

Same rules as ``cli.hazard``: the file number (or the output path) printed last, bad input one
line on stderr and exit 2, nothing changed.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic_files import write_atomic
from ..evidence.sealing import report_sealer
from ..extensions import db, db_session
from ..hazards import find_hazard, photo_store
from ..hazards.dossier import dossier_pdf
from ..hazards.posters import render_posters
from ..hazards.queries import find_school
from ..hazards.supervision import supervise_hazard
from .context import instance, settings
from .errors import handle_domain_errors
from .hazard_common import commit_and_print, group, on_option, run_step, step_day


@group.command("supervise")
@click.argument("file_no")
@click.option("--by", "by", required=True, help="The bureau supervisor's person id.")
@on_option
@handle_domain_errors
def supervise_command(file_no: str, by: str, on_text: str | None) -> None:
    """List a 重大 hazard for supervision (挂牌督办): a sealed notice, the heads and section notified."""
    on = step_day(on_text)
    hazard = run_step(
        lambda: supervise_hazard(
            db_session(),
            file_no,
            by=by,
            on=on,
            sealer=report_sealer(db_session(), instance()),
            store=instance().store,
            supervision_days=settings().hazards.supervision_days,
        )
    )
    commit_and_print(hazard.file_no)


@group.command("dossier")
@click.argument("file_no")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def dossier_command(file_no: str, out: Path) -> None:
    """Write the dossier PDF (sealed at close; an open hazard gets a sealed interim copy)."""
    hazard = find_hazard(db_session(), file_no)
    data = dossier_pdf(
        db_session(),
        hazard,
        sealer=report_sealer(db_session(), instance()),
        store=instance().store,
        photos=photo_store(settings().storage),
    )
    db.session.rollback()
    write_atomic(out, data)
    click.echo(str(out))


@group.command("posters")
@click.argument("school_id")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def posters_command(school_id: str, out: Path) -> None:
    """One A5 QR poster per grid of the school (the report form for that grid)."""
    school = find_school(db_session(), school_id)
    data = render_posters(db_session(), school, base_url=settings().trust.public_base_url, day=step_day(None))
    db.session.rollback()
    write_atomic(out, data)
    click.echo(str(out))
