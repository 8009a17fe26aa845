"""`flask incident …`: incident reports (事故/事件报告). Thin wrappers over
``responsibility.incidents``; bad input is one line and exit 2, nothing written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .. import clock, incidents
from ..atomic_files import write_atomic
from ..dossier.incident import incident_dossier, incident_dossier_json, incident_dossier_zip
from ..errors import BadInput
from ..extensions import db, db_session
from ..messages import N_
from ..models import Incident, School
from .clock import county_moment
from .context import instance, settings
from .errors import handle_domain_errors

group = AppGroup("incident", help="Incident reports 事故/事件报告: kinds, report, record-unreported, list.")


def parse_moment(value: str | None, option: str) -> dt.datetime | None:
    """``YYYY-MM-DD HH:MM`` (or ISO 8601) in the configured zone unless it names an offset; aware."""
    if value is None:
        return None
    try:
        return county_moment(value)
    except ValueError:
        raise BadInput(N_("%(option)s: not a date and time like 2025-01-15 08:30: %(value)s"), option=option,
                       value=repr(value)) from None  # fmt: skip


def _facts(school: str, kind: str, at: str, place: str, severity: str, description: str, deaths: int,
           injuries: int) -> incidents.IncidentFacts:  # fmt: skip
    return incidents.IncidentFacts(
        school=school, kind=kind, occurred_at=parse_moment(at, "--at") or clock.now_utc(), place=place,
        severity=severity, description=description, deaths=deaths, injuries=injuries,
    )  # fmt: skip


def _common(func: Any) -> Any:
    for option in reversed([
        click.option("--school", required=True),
        click.option("--kind", required=True, help="A kind code (flask incident kinds)."),
        click.option("--at", "at", required=True, help="When it happened, local time YYYY-MM-DD HH:MM."),
        click.option("--place", required=True, help="A grid (G…) or building (BLD…) of the school."),
        click.option("--severity", required=True, help="A severity code (flask incident kinds)."),
        click.option("--description", required=True),
        click.option("--deaths", type=int, default=0, show_default=True),
        click.option("--injuries", type=int, default=0, show_default=True),
    ]):  # fmt: skip
        func = option(func)
    return func


@group.command("kinds")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def kinds_command(as_json: bool) -> None:
    """The kinds (with whether each is on the veto list, and its reporting limit) and severities."""
    catalogue, limits = incidents.load_catalogue(), settings().incidents
    kinds = [{"code": k.code, "name": k.name, "name_en": k.name_en, "veto": k.veto,
              "limit_minutes": limits.limit_minutes(k.code, k.veto)} for k in catalogue.kinds]  # fmt: skip
    if as_json:
        severities = [{"code": s.code, "name": s.name, "name_en": s.name_en} for s in catalogue.severities]
        doc = {"version": catalogue.version, "kinds": kinds, "severities": severities}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for k in kinds:
        click.echo(f"{k['code']}\t{k['name']}\t{'一票否决' if k['veto'] else ''}\t{k['limit_minutes']} min")


@group.command("report")
@_common
@click.option("--reported", help="When the school reported it (local time); default now.")
@click.option("--by", help="The reporter (a person on the school's staff).")
@handle_domain_errors
def report_command(school: str, kind: str, at: str, place: str, severity: str, description: str, deaths: int,
                   injuries: int, reported: str | None, by: str | None) -> None:  # fmt: skip
    """A school's report; a report past the kind's limit is recorded as 迟报. Prints the id last."""
    row = incidents.report_incident(
        db_session(), _facts(school, kind, at, place, severity, description, deaths, injuries),
        limits=settings().incidents, reported_at=parse_moment(reported, "--reported"), reporter=by,
    )  # fmt: skip
    db.session.commit()
    if row.status == "late":
        click.echo(f"迟报 {row.lateness_seconds // 60} min (late)")
    click.echo(row.number)


@group.command("record-unreported")
@_common
@click.option("--by", required=True, help="Bureau staff who record it.")
@click.option("--concealed", is_flag=True, help="瞒报 (concealed) rather than 漏报 (unreported).")
@handle_domain_errors
def record_unreported_command(school: str, kind: str, at: str, place: str, severity: str, description: str,
                              deaths: int, injuries: int, by: str, concealed: bool) -> None:  # fmt: skip
    """An incident the school did not report (漏报, or 瞒报 with --concealed). Prints the id last."""
    row = incidents.record_unreported(
        db_session(), _facts(school, kind, at, place, severity, description, deaths, injuries), by=by,
        concealed=concealed, limits=settings().incidents,
    )  # fmt: skip
    db.session.commit()
    click.echo(row.number)


def incident_json(row: Incident) -> dict[str, Any]:
    place = row.grid or row.building
    return {
        "id": row.number, "school": row.school.source_id, "kind": row.kind, "veto_kind": row.veto_kind,
        "occurred_at": clock.iso_utc(row.occurred_at),
        "reported_at": clock.iso_utc(row.reported_at) if row.reported_at else None,
        "place": place.source_id if place else None, "severity": row.severity, "deaths": row.deaths,
        "injuries": row.injuries, "description": row.description, "status": row.status,
        "limit_seconds": row.limit_seconds, "lateness_seconds": row.lateness_seconds,
        "reporter": row.reporter.source_id if row.reporter else None,
        "recorded_by": row.recorder.source_id if row.recorder else None,
    }  # fmt: skip


@group.command("list")
@click.option("--school", help="Only this school's incidents.")
@click.option("--town")
@click.option("--kind")
@click.option("--status")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def list_command(school: str | None, town: str | None, kind: str | None, status: str | None, as_json: bool) -> None:
    """Incidents, newest first."""
    ids = None
    if school:
        found = db_session().scalar(select(School.id).where(School.source_id == school))
        if found is None:
            raise BadInput(N_("No school %(school)s."), school=repr(school))
        ids = [found]
    rows = incidents.list_incidents(db_session(), incidents.IncidentFilter(town=town, kind=kind, status=status), ids)
    docs = [incident_json(r) for r in rows]
    if as_json:
        click.echo(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    for d in docs:
        click.echo(f"{d['id']}\t{d['school']}\t{d['kind']}\t{d['status']}\t{d['occurred_at']}")


@group.command("dossier")
@click.argument("number")
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True, help="Days of records before.")
@click.option("--json", "as_json", is_flag=True, help="Print the dossier as JSON instead of writing a ZIP.")
@click.option("--actor", default="system", show_default=True, help="Who the audit event names.")
@handle_domain_errors
def dossier_command(number: str, out: Path | None, days: int, as_json: bool, actor: str) -> None:
    """The dossier of incident NUMBER (its place at its moment) to OUT.zip, or as --json."""
    if not as_json and out is None:
        raise BadInput(N_("Give OUT.zip or --json."))
    session = db_session()
    row = incidents.find_incident(session, number)
    zone = clock.configured_zone(current_app.config)
    dossier = incident_dossier(session, row, days=days, zone=zone, patrols=settings().patrols)
    if as_json:
        click.echo(incident_dossier_json(row, dossier).decode("utf-8"), nl=False)
        return
    assert out is not None
    data = incident_dossier_zip(session, instance(), row, dossier, actor=actor, now=clock.now_utc())
    write_atomic(out, data)
    db.session.commit()
    click.echo(f"wrote {out}: {len(dossier.links)} links, {len(data)} bytes")
