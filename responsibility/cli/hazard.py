"""`flask hazard …`: the hazard loop from the command line (thin wrappers over ``hazards``).

Every step command prints the file number last; bad input, a step the person may not make, a
stale version: one line on stderr and exit 2, nothing changed (the transaction is rolled back).
``--on`` is the day the step is made (default today; never in the future): the posts that allow
the step must be held that day.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from .. import hazards
from ..evidence.sealing import report_sealer
from ..extensions import db, db_session
from ..hazards.dossier import seal_dossier
from .context import instance, settings
from .errors import handle_domain_errors
from .hazard_common import (
    commit_and_print,
    group,
    on_option,
    parse_date,
    photo_files,
    photo_store_of,
    run_step,
    step_day,
)


@group.command("report")
@click.option("--school", required=True, help="School source id (SCH001).")
@click.option("--grid", help="Grid source id; default a grid the reporter owns or belongs to.")
@click.option("--area", required=True, help="Risk area code (R03).")
@click.option("--description", required=True)
@click.option("--by", "by", required=True, help="Reporter's person id.")
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False), help="Up to 9 photos.")
@click.option("--found", "found_text", help="The day it was found (default: the day of the report).")
@on_option
@handle_domain_errors
def report_command(
    school: str,
    grid: str | None,
    area: str,
    description: str,
    by: str,
    photos: tuple[str, ...],
    found_text: str | None,
    on_text: str | None,
) -> None:
    """Report a hazard; open duplicates on the same grid and area are listed first (stderr)."""
    on = step_day(on_text)
    found = parse_date(found_text, "--found")
    data = photo_files(photos)

    duplicates: list[str] = []

    def step() -> hazards.Hazard:
        if grid:
            grid_row = hazards.queries.find_grid(db_session(), grid)
            duplicates.extend(
                f"可能重复 (possible duplicate): {d.file_no} {d.status} {d.description or ''}"
                for d in hazards.open_duplicates(db_session(), grid_row.id, area.strip())
            )
        return hazards.report_hazard(
            db_session(),
            school=school,
            grid=grid,
            area=area,
            description=description,
            by=by,
            on=on,
            found=found,
            photos=data,
            limits=settings().hazards,
            store=photo_store_of(),
        )

    hazard = run_step(step)
    for line in duplicates:
        click.echo(line, err=True)
    commit_and_print(hazard.file_no)


@group.command("plan")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--level", required=True, type=click.Choice(list(hazards.LEVELS)))
@click.option("--measures", required=True)
@click.option("--rectifier", required=True, help="Person id of the rectifier.")
@click.option("--deadline", "deadline_text", required=True, help="YYYY-MM-DD")
@click.option("--temporary", help="Temporary controls (required for 重大).")
@click.option("--funds", type=int, help="Funds in yuan.")
@on_option
@handle_domain_errors
def plan_command(
    file_no: str,
    by: str,
    level: str,
    measures: str,
    rectifier: str,
    deadline_text: str,
    temporary: str | None,
    funds: int | None,
    on_text: str | None,
) -> None:
    """File the hazard (level) and plan its rectification (一案)."""
    on, deadline = step_day(on_text), parse_date(deadline_text, "--deadline")
    hazard = run_step(
        lambda: hazards.plan_hazard(
            db_session(),
            file_no,
            by=by,
            on=on,
            level=level,
            measures=measures,
            rectifier=rectifier,
            deadline=deadline,
            temporary=temporary,
            funds=funds,
        )
    )
    commit_and_print(hazard.file_no)


@group.command("progress")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--note", required=True)
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False))
@click.option("--done", is_flag=True, help="The rectification is finished: hand over for acceptance.")
@on_option
@handle_domain_errors
def progress_command(
    file_no: str, by: str, note: str, photos: tuple[str, ...], done: bool, on_text: str | None
) -> None:
    """The rectifier records progress (with photos), or the finish (--done)."""
    on, data = step_day(on_text), photo_files(photos)
    hazard = run_step(
        lambda: hazards.record_progress(
            db_session(),
            file_no,
            by=by,
            on=on,
            note=note,
            done=done,
            photos=data,
            limits=settings().hazards,
            store=photo_store_of(),
        )
    )
    commit_and_print(hazard.file_no)


@group.command("accept")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--reject", is_flag=True, help="Refuse the acceptance (needs --note).")
@click.option("--note", help="The reason for rejecting.")
@on_option
@handle_domain_errors
def accept_command(file_no: str, by: str, reject: bool, note: str | None, on_text: str | None) -> None:
    """Accept (验收) and close the hazard, or --reject it back to the rectifier."""
    on = step_day(on_text)
    if reject:
        hazard = run_step(lambda: hazards.reject_hazard(db_session(), file_no, by=by, on=on, note=note or ""))
    else:
        hazard = run_step(lambda: _accept_and_seal(file_no, by, on))
    commit_and_print(hazard.file_no)


def _accept_and_seal(file_no: str, by: str, on: dt.date) -> hazards.Hazard:
    """Accept; when that closes the hazard, seal its dossier in the same transaction."""
    hazard = hazards.accept_hazard(db_session(), file_no, by=by, on=on)
    if hazards.state_of(hazard.status) == "closed":
        seal_dossier(
            db_session(),
            hazard,
            sealer=report_sealer(db_session(), instance()),
            store=instance().store,
            photos=photo_store_of(),
            actor=f"person:{by}",
        )
    return hazard


@group.command("void")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--reason", required=True)
@on_option
@handle_domain_errors
def void_command(file_no: str, by: str, reason: str, on_text: str | None) -> None:
    """Void a duplicate or a report that is not a hazard (it is kept, with the reason)."""
    on = step_day(on_text)
    hazard = run_step(lambda: hazards.void_hazard(db_session(), file_no, by=by, on=on, reason=reason))
    commit_and_print(hazard.file_no)


@group.command("show")
@click.argument("file_no")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_domain_errors
def show_command(file_no: str, as_json: bool) -> None:
    """The hazard and its whole record."""
    view = hazards.hazard_view(db_session(), hazards.find_hazard(db_session(), file_no))
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, indent=1))
        return
    click.echo(f"{view['file_no']}  {view['state']}  {view['level'] or '—'}  {view['description'] or ''}")
    for r in view["records"]:
        click.echo(f"  {r['date']}  {r['kind'] or '—'}  {r['by'] or '—'}  {r['note'] or ''}")
    click.echo(view["file_no"])
