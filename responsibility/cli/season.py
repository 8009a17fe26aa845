"""`flask roster …`, `flask firefile …`, `flask visits …`: the season's work from the command line
(thin wrappers over ``responsibility.season``).

Bad input — a roster file's missing column, a date outside the season, a day without a leader,
a leader without a leading post, a future or duplicate fire check, counts where done > planned,
negatives, an unknown category — is one line on stderr and exit 2, with nothing written (the
transaction is rolled back).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import season
from ..agreements.certification import certification_for_issue
from ..clock import configured_zone, now_utc
from ..errors import BadInput
from ..extensions import db, db_session
from ..jobs.transactions import commit_with_retry, unlock_and_commit
from ..season.roster_drift import note_roster_write
from ..season.roster_report import check_submission, submit_roster
from .clock import county_today
from .context import instance, settings
from .errors import handle_domain_errors
from .hazard_common import on_option, parse_date, run_step, step_day
from .keys import read_pin_file
from .pki import find_person, instance_pki

roster_group = AppGroup(
    "roster", help="Duty rosters 值班表: import an .xlsx, check uncovered days, submit (报局), check in (到岗), 到岗率."
)
firefile_group = AppGroup(
    "firefile", help="Building fire files 一楼一案: show, edit (with history), record the monthly fire check."
)
visits_group = AppGroup("visits", help="Key-student home visits 家访: record counts per class and category.")

CLI_ACTOR = "cli"


@roster_group.command("import")
@click.argument("org")
@click.argument("path", type=click.Path(dir_okay=False))
@handle_domain_errors
def roster_import_command(org: str, path: str) -> None:
    """Import ORG's roster from an .xlsx (columns 日期, 班次, 带班领导, 值班人员, 门卫, 宿管)."""
    rows = season.read_roster_xlsx(Path(path).read_bytes())
    posts = settings().season.leading_posts

    def write() -> season.RosterImport:
        done = season.import_roster(db_session(), org, rows, leading_posts=posts, actor=CLI_ACTOR)
        note_roster_write(db_session(), org, settings().season, day=county_today(), actor=CLI_ACTOR)
        return done

    result = run_step(write)
    db.session.commit()
    click.echo(
        f"{result.org}: {result.rows} 个班次（{result.first}—{result.last}），替换 {result.replaced} 个"
        f" ({result.rows} shifts, {result.replaced} replaced)"
    )


@roster_group.command("check")
@click.argument("org")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def roster_check_command(org: str, as_json: bool) -> None:
    """ORG's days of the live season without a leader on duty (寒假 and 春节 flagged)."""
    report = season.roster_coverage(db_session(), org, settings().season)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    for day in report.uncovered:
        marks = "".join(m for m, on in (("【寒假】", day.winter_break), ("【春节】", day.spring_festival)) if on)
        why = "无值班安排" if day.reason == "no_roster" else "未安排带班领导"
        click.echo(f"{day.date} {why}{marks}")
    click.echo(f"{report.org}: {report.days - len(report.uncovered)}/{report.days} 天已安排带班 (days covered)")


@roster_group.command("submit")
@click.argument("org")
@click.option("--by", "by", required=True, help="The principal (the bureau's roster: the bureau chief), a person id.")
@click.option("--pin-file", type=click.Path(dir_okay=False), required=True, help="The signer's signing PIN (a file).")
@on_option
@handle_domain_errors
def roster_submit_command(org: str, by: str, pin_file: str, on_text: str | None) -> None:
    """Report ORG's roster to the bureau (报局): its 值班表 PDF, sealed and signed by BY now
    (refused while a day of the season has no leader on duty). Prints the document number last."""
    on = step_day(on_text)
    conf, context = settings().season, instance()
    run_step(lambda: check_submission(db_session(), org, by, on, conf))  # refuse before the PIN is tried
    db.session.rollback()
    unlocked = unlock_and_commit(db_session(), find_person(by), read_pin_file(pin_file), pki=instance_pki())
    env = context.signing_environment(db_session())
    certify = certification_for_issue(db_session(), context)
    outcome = run_step(
        lambda: commit_with_retry(
            db_session(),
            lambda: submit_roster(
                db_session(), org, by=by, on=on, season=conf, env=env, unlocked=unlocked, certify=certify,
                template_root=context.template_root,
            ),
        )
    )  # fmt: skip
    if outcome.superseded:
        click.echo(f"{outcome.superseded} 已被取代 (superseded)")
    click.echo(f"{org} {'已报局 (reported)' if outcome.created else '未变化 (unchanged)'}")
    click.echo(outcome.document.document_number)


@firefile_group.command("check")
@click.argument("building")
@click.option("--by", "by", required=True, help="The checker's person id.")
@click.option("--date", "date_text", required=True, help="YYYY-MM-DD, not in the future.")
@click.option("--finding", help="What the check found.")
@handle_domain_errors
def firefile_check_command(building: str, by: str, date_text: str, finding: str | None) -> None:
    """Record BUILDING's monthly fire check (月度防火检查) by the checker on a day."""
    day = parse_date(date_text, "--date")
    assert day is not None  # --date is required
    check = run_step(
        lambda: season.record_fire_check(
            db_session(), building, by=by, day=day, today=county_today(), finding=finding, actor=CLI_ACTOR
        )
    )
    db.session.commit()
    click.echo(f"{building} {check.date} 防火检查已登记 (fire check recorded)")


def _dump(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@firefile_group.command("show")
@click.argument("building")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def firefile_show_command(building: str, as_json: bool) -> None:
    """BUILDING's fire file as it is now (status, fields, plan hash, recent checks)."""
    data = season.building_json(db_session(), season.find_building(db_session(), building), county_today())
    if as_json:
        _dump(data)
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")


@firefile_group.command("history")
@click.argument("building")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def firefile_history_command(building: str, as_json: bool) -> None:
    """Every saved version of BUILDING's fire file, newest first (version 0, the import, has none)."""
    rows = [
        season.version_json(r) for r in season.history_of(db_session(), season.find_building(db_session(), building))
    ]
    if as_json:
        _dump(rows)
        return
    for row in rows:
        click.echo(f"v{row['version']} {row['recorded_at']} {row['by']}: {', '.join(row['changes'])}")


@firefile_group.command("edit")
@click.argument("building")
@click.option("--by", "by", required=True, help="The editor's person id (a fire-file post at the school).")
@click.option("--floors", type=int)
@click.option("--stairs", type=int)
@click.option("--dense-occupancy/--not-dense-occupancy", default=None, help="人员密集场所.")
@click.option("--child-rooms-top-floor", type=int, help="Highest floor used by young children (0: none).")
@click.option("--extinguishers", type=int)
@click.option("--hydrants", type=int)
@click.option("--emergency-lighting-ok/--emergency-lighting-faulty", default=None)
@click.option("--evac-signs-ok/--evac-signs-faulty", default=None)
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, exists=True), help="The evacuation plan PDF.")
@click.option("--expected-version", type=int, help="Fail with a conflict unless the file is at this version.")
@handle_domain_errors
def firefile_edit_command(
    building: str, by: str, plan_path: str | None, expected_version: int | None, **given: object
) -> None:
    """Save a new version of BUILDING's fire file: the options given change, the rest stay."""
    session = db_session()
    found = season.find_building(session, building)
    changes = {k: v for k, v in given.items() if v is not None}
    if changes.get("child_rooms_top_floor") == 0:
        changes["child_rooms_top_floor"] = None
    fields = dataclasses.replace(season.current_fields(found), **changes)  # type: ignore[arg-type]
    plan = None
    if plan_path is not None:
        plan = season.check_plan_pdf(
            Path(plan_path).read_bytes(), name=Path(plan_path).name, max_bytes=settings().season.fire_plan_max_bytes
        )
    row = run_step(
        lambda: season.edit_fire_file(
            session, building, by=by, fields=fields, today=county_today(), actor=CLI_ACTOR,
            expected_version=expected_version, plan=plan, store=season.plan_store(settings().storage.instance_dir),
        )
    )  # fmt: skip
    db.session.commit()
    click.echo(f"{building} 一楼一案 v{row.version}: {', '.join(row.changes)} (fire file saved)")


@visits_group.command("record")
@click.argument("school")
@click.option("--class", "class_name", required=True, help="The class (e.g. 七年级2班).")
@click.option("--planned", type=int, required=True)
@click.option("--done", type=int, required=True)
@click.option("--category", required=True, help="A key-student category (VISIT_CATEGORIES).")
@click.option("--period", help="The period (default the live campaign's season label).")
@click.option("--expected-version", type=int, help="Fail with a conflict unless the counts are at this version.")
@handle_domain_errors
def visits_record_command(
    school: str,
    class_name: str,
    planned: int,
    done: int,
    category: str,
    period: str | None,
    expected_version: int | None,
) -> None:
    """Record (or replace) SCHOOL's home-visit counts for one class and category."""
    session = db_session()
    label = " ".join((period or "").split()) or season.live_campaign(session).season
    row = run_step(
        lambda: season.record_visits(
            session,
            school,
            class_name=class_name,
            period=label,
            planned=planned,
            done=done,
            category=category,
            categories=settings().season.visit_categories,
            actor=CLI_ACTOR,
            expected_version=expected_version,
        )
    )
    db.session.commit()
    click.echo(f"{school} {label} {row.class_name} {row.category}: {row.visited}/{row.planned} (v{row.version})")


@roster_group.command("checkin")
@click.argument("org")
@click.option("--by", "by", required=True, help="The person on duty (a person id).")
@click.option("--at", "at_text", help="When (YYYY-MM-DDTHH:MM, local time; default now). Only today.")
@click.option("--shift", help="The shift (default the person's first shift of the day not yet checked in).")
@handle_domain_errors
def roster_checkin_command(org: str, by: str, at_text: str | None, shift: str | None) -> None:
    """Record BY's duty check-in (到岗) at ORG, on the day of duty itself."""
    tz = configured_zone(current_app.config)
    now = now_utc()
    at = parse_local_datetime(at_text, tz) if at_text else now
    checkin = run_step(
        lambda: season.check_in(db_session(), org, by, at=at, now=now, zone=tz, actor=CLI_ACTOR, shift=shift)
    )
    db.session.commit()
    click.echo(f"{org} {checkin.date} {checkin.shift} {by} 已到岗 (checked in)")


@roster_group.command("attendance")
@click.option("--school", "school", help="One organisation (default all).")
@click.option("--start", "start_text", required=True, help="YYYY-MM-DD")
@click.option("--end", "end_text", required=True, help="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def roster_attendance_command(school: str | None, start_text: str, end_text: str, as_json: bool) -> None:
    """到岗率: check-ins ÷ rostered person-shifts from START to END (days up to today)."""
    start, end = parse_date(start_text, "--start"), parse_date(end_text, "--end")
    assert start is not None and end is not None  # both required
    report = season.attendance_rate(db_session(), start, end, county_today(), school)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    for row in (*report.orgs, *report.towns):
        rate = "—" if row.rate is None else f"{row.rate:.1%}"
        click.echo(f"{row.key} {row.name}: {row.checked_in}/{row.rostered} {rate}")
    total = report.total
    click.echo(
        f"合计 total: {total.checked_in}/{total.rostered} " + ("—" if total.rate is None else f"{total.rate:.1%}")
    )


def parse_local_datetime(text: str, tz: dt.tzinfo) -> dt.datetime:
    """``--at`` as an aware moment: a naive value is local time in the county's zone."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"--at {text!r} 应为 YYYY-MM-DDTHH:MM。 (--at must be YYYY-MM-DDTHH:MM.)") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
