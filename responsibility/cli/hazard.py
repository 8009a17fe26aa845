"""`flask hazard …`: the hazard loop from the command line (thin wrappers over ``hazards``).

Every step command prints the file number last; bad input, a step the person may not make, a
stale version: one line on stderr and exit 2, nothing changed (the transaction is rolled back).
``--on`` is the day the step is made (default today; never in the future): the posts that allow
the step must be held that day.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from .. import hazards
from ..errors import BadInput, DomainError
from ..extensions import db, db_session
from .clock import county_today
from .context import settings
from .errors import handle_domain_errors

group = AppGroup("hazard", help="Hazards 一患一案一档: report, plan, rectify, accept, supervise, void.")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{option}: 日期格式应为 YYYY-MM-DD，而不是 {value!r}。 (bad date {value!r})") from None


def _on(value: str | None) -> dt.date:
    today = county_today()
    day = _date(value, "--on") or today
    if day > today:
        raise BadInput(f"--on: {day} 在今天之后。 ({day} is in the future.)")
    return day


def _photos(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    return [(Path(p).name, Path(p).read_bytes()) for p in paths]


def _store() -> hazards.PhotoStore:
    return hazards.photo_store(settings().storage)


def _commit(hazard_file_no: str | None) -> None:
    db.session.commit()
    click.echo(hazard_file_no or "")


def _run(step):  # type: ignore[no-untyped-def]
    """Run ``step`` in a transaction: roll back on any domain error, then let the handler report it."""
    try:
        return step()
    except DomainError:
        db.session.rollback()
        raise


on_option = click.option("--on", "on_text", help="The day of the step (YYYY-MM-DD); default today.")


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
    on = _on(on_text)
    found = _date(found_text, "--found")
    data = _photos(photos)

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
            store=_store(),
        )

    hazard = _run(step)
    for line in duplicates:
        click.echo(line, err=True)
    _commit(hazard.file_no)


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
    on, deadline = _on(on_text), _date(deadline_text, "--deadline")
    hazard = _run(
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
    _commit(hazard.file_no)


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
    on, data = _on(on_text), _photos(photos)
    hazard = _run(
        lambda: hazards.record_progress(
            db_session(),
            file_no,
            by=by,
            on=on,
            note=note,
            done=done,
            photos=data,
            limits=settings().hazards,
            store=_store(),
        )
    )
    _commit(hazard.file_no)


@group.command("accept")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--reject", is_flag=True, help="Refuse the acceptance (needs --note).")
@click.option("--note", help="The reason for rejecting.")
@on_option
@handle_domain_errors
def accept_command(file_no: str, by: str, reject: bool, note: str | None, on_text: str | None) -> None:
    """Accept (验收) and close the hazard, or --reject it back to the rectifier."""
    on = _on(on_text)
    if reject:
        hazard = _run(lambda: hazards.reject_hazard(db_session(), file_no, by=by, on=on, note=note or ""))
    else:
        hazard = _run(lambda: hazards.accept_hazard(db_session(), file_no, by=by, on=on))
    _commit(hazard.file_no)


@group.command("void")
@click.argument("file_no")
@click.option("--by", "by", required=True)
@click.option("--reason", required=True)
@on_option
@handle_domain_errors
def void_command(file_no: str, by: str, reason: str, on_text: str | None) -> None:
    """Void a duplicate or a report that is not a hazard (it is kept, with the reason)."""
    on = _on(on_text)
    hazard = _run(lambda: hazards.void_hazard(db_session(), file_no, by=by, on=on, reason=reason))
    _commit(hazard.file_no)


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
