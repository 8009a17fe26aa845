"""`flask patrol log|gaps`: grid patrols (网格巡查) from the command line (thin wrappers over
``responsibility.patrols``).

Bad input — an unknown grid, school or person, a time in the future, a person who does not
patrol the grid that day, a second patrol the same day, a bad date — is one line on stderr and
exit 2, with nothing written.
"""

from __future__ import annotations

import datetime as dt
import json

import click
from flask import current_app
from flask.cli import AppGroup

from .. import clock, patrols
from ..errors import BadInput
from ..extensions import db, db_session
from ..messages import N_, msg
from .clock import county_today
from .context import settings
from .errors import handle_domain_errors
from .hazard_common import parse_date, run_step

group = AppGroup("patrol", help="Grid patrols 网格巡查: log a patrol, list the gaps against the frequency.")


def _zone() -> dt.tzinfo:
    return clock.configured_zone(current_app.config)


def parse_moment(value: str | None) -> dt.datetime:
    """``--at``: an ISO date-time; without an offset it is local time in the county's zone."""
    if value is None:
        return clock.now_utc()
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(msg(N_("--at: write the time as YYYY-MM-DDTHH:MM, not %(value)s."), value=value)) from None
    return moment.replace(tzinfo=_zone()) if moment.tzinfo is None else moment


@group.command("log")
@click.argument("grid")
@click.option("--by", "by", required=True, help="The patroller's person id.")
@click.option("--at", "at_text", help="When (YYYY-MM-DDTHH:MM, local time); default now.")
@click.option("--note", help="What the patrol saw.")
@handle_domain_errors
def log_command(grid: str, by: str, at_text: str | None, note: str | None) -> None:
    """Log BY's patrol of GRID (巡查正常)."""
    at = parse_moment(at_text)
    patrol = run_step(
        lambda: patrols.log_patrol(
            db_session(), grid, by, at=at, now=clock.now_utc(), tz=_zone(), note=note,
            settings=settings().patrols, actor="cli",
        )
    )  # fmt: skip
    db.session.commit()
    when = clock.local_display(patrol.at, _zone())
    click.echo(f"{grid} {by} {when} 巡查已登记 (patrol logged)")


def _print_grid(report: patrols.GridGaps) -> None:
    for person in report.people:
        role = "网格长" if person.role == patrols.OWNER else "网格员"
        gaps = ", ".join(g.start.isoformat() if g.start == g.end else f"{g.start}–{g.end}" for g in person.gaps)
        click.echo(f"{report.grid} {person.person} {person.name} {role} {person.done}/{person.owed} 缺：{gaps or '无'}")
    click.echo(f"{report.grid}: {len(report.patrols)} 次巡查，{report.gap_count} 处缺失 (patrols, gaps)")


@group.command("gaps")
@click.argument("grid", required=False)
@click.option("--school", help="A school id instead of GRID: every grid of the school.")
@click.option("--start", "start_text", required=True, help="YYYY-MM-DD")
@click.option("--end", "end_text", required=True, help="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def gaps_command(grid: str | None, school: str | None, start_text: str, end_text: str, as_json: bool) -> None:
    """The periods without a patrol of GRID (or of every grid of --school) between two days."""
    if bool(grid) == bool(school):
        raise BadInput(msg(N_("Name either a grid or --school, not both or neither.")))
    start, end = parse_date(start_text, "--start"), parse_date(end_text, "--end")
    assert start is not None and end is not None  # both required
    conf, today = settings().patrols, county_today()
    if school:
        summary = patrols.school_patrols(db_session(), school, start, end, settings=conf, today=today)
        db.session.rollback()
        if as_json:
            click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
            return
        for row in summary.grids:
            click.echo(f"{row.grid} {row.name} {row.patrols} 次巡查，{row.gap_count} 处缺失")
        click.echo(
            f"{summary.school}: {len(summary.grids)} 个网格，{summary.patrols} 次巡查，{summary.gap_count} 处缺失"
        )
        return
    assert grid is not None
    report = patrols.patrol_gaps(db_session(), grid, start, end, settings=conf, today=today)
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    _print_grid(report)
