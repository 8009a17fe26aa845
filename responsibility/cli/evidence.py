"""`flask evidence export`: the evidence package of one agreement or a campaign, to a ZIP file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..atomic_files import write_atomic
from ..evidence.export import export_evidence
from ..extensions import db, db_session
from .context import instance
from .errors import fail, handle_domain_errors

group = AppGroup("evidence", help="Evidence packages for offline verification.")


@group.command("export")
@click.option("--agreement", "agreement_id", type=int, help="Agreement id.")
@click.option("--campaign", "campaign_key", help="Campaign (id or name): every agreement of it.")
@click.option("--actor", default="system", show_default=True, help="Who the audit event names.")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def export_command(agreement_id: int | None, campaign_key: str | None, actor: str, out: Path) -> None:
    """Write the ZIP (signed PDFs, sealed verification reports, audit events, root and CRLs, a
    Chinese README) to OUT atomically, then log ``evidence.exported``."""
    if (agreement_id is None) == (campaign_key is None):
        fail("give exactly one of --agreement ID or --campaign C")
    result = export_evidence(
        db_session(),
        instance(),
        actor=actor,
        agreement_id=agreement_id,
        campaign_key=campaign_key,
    )
    write_atomic(out, result.data)
    db.session.commit()
    click.echo(f"wrote {out}: {result.agreements} agreements, {len(result.data)} bytes")


__all__ = ["group"]

from .evidence_dossier import dossier_command  # noqa: E402

group.add_command(dossier_command)
