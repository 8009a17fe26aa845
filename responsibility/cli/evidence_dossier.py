"""`flask evidence dossier PLACE --at T`: the dossier of a grid or building at a moment.

The chain of the place on that day, each link's signed agreement, its holder's work records of
the days before and the mark the rules of ``docs/dossier_rules.md`` give; as JSON or as a ZIP
that verifies offline (``dossier.package``). An incident's dossier is the same for its place and
time.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import clock
from ..atomic_files import write_atomic
from ..chain import ChainSubject
from ..dossier import build_dossier
from ..dossier.package import dossier_zip
from ..extensions import db, db_session
from .clock import county_moment
from .context import instance, settings
from .errors import fail, handle_domain_errors


def place_subject(place: str) -> ChainSubject:
    """A grid (``G…``) or building (``BLD…``) id as a chain subject, by how the import names them."""
    if place.strip().upper().startswith("BLD"):
        return ChainSubject.building(place.strip())
    return ChainSubject.grid(place.strip())


@click.command("dossier")
@with_appcontext
@click.argument("place")
@click.option("--at", "at", required=True, help="The moment, local time: YYYY-MM-DDTHH:MM.")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True, help="Days of records before.")
@click.option("--json", "as_json", is_flag=True, help="Print the dossier as JSON instead of writing a ZIP.")
@click.option("--actor", default="system", show_default=True, help="Who the audit event names.")
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@handle_domain_errors
def dossier_command(place: str, at: str, days: int, as_json: bool, actor: str, out: Path | None) -> None:
    """The dossier of PLACE (a grid or building id) at AT, to OUT.zip or as --json."""
    try:
        moment = county_moment(at)
    except ValueError:
        fail(f"--at: not a date and time (YYYY-MM-DDTHH:MM): {at}")
    if moment > clock.now_utc():
        fail(f"--at: {at} is in the future")
    if not as_json and out is None:
        fail("give OUT.zip or --json")
    session = db_session()
    dossier = build_dossier(session, place_subject(place), moment, days=days, patrols=settings().patrols)
    if as_json:
        click.echo(json.dumps(dossier.as_dict(), ensure_ascii=False, indent=1))
        return
    assert out is not None
    data = dossier_zip(
        session, instance(), dossier, subject=f"place:{place}@{clock.iso_utc(moment)}", actor=actor, now=clock.now_utc()
    )
    write_atomic(out, data)
    db.session.commit()
    click.echo(f"wrote {out}: {len(dossier.links)} links, {len(data)} bytes")
