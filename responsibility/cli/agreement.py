"""`flask agreement export AGREEMENT_ID OUT.pdf`: write an agreement's current PDF to a file.

AGREEMENT_ID is the number printed by ``flask campaign generate`` (or the document number).
The bytes are checked against the stored SHA-256 and written atomically.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..agreements import export_pdf, find_agreement
from ..atomic_files import write_atomic
from ..extensions import db, db_session
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("agreement", help="Agreements: export the current PDF.")


@group.command("export")
@click.argument("agreement_id")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def export_command(agreement_id: str, out: Path) -> None:
    """Write agreement AGREEMENT_ID's latest accepted revision to OUT."""
    agreement = find_agreement(db_session(), agreement_id)
    store = instance().store
    try:
        data = export_pdf(db_session(), agreement, storage=store, actor="cli", channel="cli")
        write_atomic(out, data)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    click.echo(f"wrote {out} ({len(data)} bytes, sha256 {agreement.pdf_sha256})")
